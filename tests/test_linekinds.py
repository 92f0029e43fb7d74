"""Pass 1 for a shard at once (transforms.linekinds.own_kinds, polars) gives every line it decides
the kind the per-line reference (classify.line_kind) gives it past a page's third line: on the seed
pages, the hand-written test pages, a generated corpus, lines written to hit each test of the chain,
and arbitrary text; and it decides most lines."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_shapes import EDGE_LINES, _lines_under

from conftest import REPO
from transforms.classify import CleanParams, line_kind
from transforms.decode import normalize_text
from transforms.linekinds import own_kinds
from transforms.shapes import shapes_for

KIND_LINES = [
    "By Quynh Tran", "By the way, this is not a name", "By Nguyen Van An, Tran Thi Bich and Le Hoang",
    "Written by Nguyen Van An, Tran Thi Bich and Le", "Posted by Nguyen Van An and Tran Thi Bich Ngoc",
    "Posted by Hannah Hayes", "Posted by: Joe | October 02, 2012", "Đăng bởi Thu Hà", "Theo TTXVN",
    "Theo Hà Anh/VTV.vn", "Nguồn: Kenh14", "(Theo Reuters)", "Hồ Nguyễn/VOV-Miền Trung",
    "Quang Huy/TTXVN", "Thu Ha - Vietnam News", "Minh Anh - VnExpress", "a/b testing of the page", "----", "* * *",
    "___", "- Gạo tăng giá mạnh trong tuần", "1. Preheat the oven", "a) first option", "Tin liên quan: Giá vàng tăng",
    "Read more: The market falls", "(Reporting by Khanh Vu; Editing by Ed Davies)", "Additional reporting by Z",
    "Comments are now closed for this story", "Bình luận đã đóng", "Related news", "Tin cùng chuyên mục",
    "You may also like", "Leave a comment", "This entry was posted on Monday, July 2nd, 2012 at 10:00 and is filed "
    "under News. You can follow any responses to this entry through the RSS 2.0 feed.",
    "Posted in Travel | Tagged Paris | Bookmark the permalink.", "© 2025 Vietnam News. All rights reserved.",
    "Copyright holders sued the company over the songs it played, the court said on Monday in Hanoi.",
    "Follow us on Facebook", "Cập nhật: 14:05 ngày 24 tháng 3 năm 2025", "Trang chủ > Thời sự > Xã hội",
    "Giá lúa tại Đồng bằng sông Cửu Long tăng 5% trong tuần qua, theo các thương lái ở An Giang và Cần Thơ.",
    "Thời sự Góc nhìn Thế giới Video Podcasts Kinh doanh Bất động sản Khoa học Giải trí Thể thao Pháp luật",
    "Why the Mekong Delta's rice farmers are switching to shrimp", "KELVIN Kelvin kelvin", "İstanbul by night",
    "Comments are moderated, and will not appear until the author has approved them.",
    "We'd like your thoughts on this story. I appreciate your willingness to share them.", "Latest Sport News",
    "Top Stories", "Recent Posts", "Previous post: Nine steps to transform yourself into a river",
    "If you have any news tips that you would like us to follow up on, contact our newsroom.",
    "Are you in Can Tho? Are you affected by the floods? Send us your experiences.",
    "(Required) Name  (Required) Your E-mail address", "Bạn đọc có thông tin phản ánh xin gửi về email của Báo.",
    "Are you insane with envy that Japan got the sequel first?",
    "Rice prices rise again in the Delta | Hanoi opens a new metro station for the holiday | Storm season "
    "starts early this year in the north | Exporters wait for new rules on durian | Ten things to do in Hue",
    "The council voted for the bridge. | Residents were not asked about it. | The mayor said the cost was "
    "fair. | Work starts in June. | The old ferry will keep running until then.",
]


def _assert_same(texts) -> int:
    texts = {t for t in texts if t}
    book = shapes_for(texts)
    params = CleanParams()
    fast = own_kinds(book, params)
    bad = {t: (k, line_kind(book[t], t, 5, params)) for t, k in fast.items() if k != line_kind(book[t], t, 5, params)}
    assert not bad, next(iter(bad.items()))
    return len(fast)


def test_shard_kinds_equal_line_kind_on_real_and_written_pages():
    texts = _lines_under(REPO / "raw") | _lines_under(REPO / "tests" / "data") | set(EDGE_LINES) | set(KIND_LINES)
    decided = _assert_same(texts)
    assert decided > 0.8 * len(texts)  # what is left to line_kind: bylines, sign-offs, odd characters


def test_shard_kinds_equal_line_kind_on_a_generated_corpus(tmp_path):
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import generate

    generate(300, tmp_path / "raw", seed=22)
    texts = _lines_under(tmp_path / "raw")
    assert _assert_same(texts) > 0.8 * len(texts)


def test_shard_kinds_leave_bylines_and_sign_offs_to_line_kind():
    fast = own_kinds(shapes_for(KIND_LINES), CleanParams())
    assert "Posted by Hannah Hayes" not in fast and "Hồ Nguyễn/VOV-Miền Trung" not in fast
    assert "İstanbul by night" not in fast and fast["By Quynh Tran"] == "attribution"  # "by" is also a "Theo" word
    assert fast["Theo TTXVN"] == "attribution" and fast["----"] == "separator" and fast["Leave a comment"] == "widget"


PIECE = st.sampled_from(KIND_LINES + EDGE_LINES[:60] + [" ", ". ", " - ", "/", ":", "By ", "Theo ", "1. ", "©"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECE, st.text(max_size=40)), min_size=1, max_size=6))
def test_shard_kinds_equal_line_kind_on_arbitrary_lines(parts):
    line = normalize_text("".join(parts)).replace("\n", " ").strip()
    _assert_same([line, line.lower(), line.upper()])
