"""The vectorised line shapes (transforms.shapes, polars over a whole shard) equal the per-line
reference (transforms.lines.line_shape) field by field, and the vectorised line keys equal
`line_key`: on the seed pages, the hand-written test pages, a generated corpus, lines written to hit
each pattern's edges, and arbitrary text."""
from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from transforms import patterns as P
from transforms.decode import normalize_text
from transforms.lines import line_key, line_keys, line_shape, split_lines
from transforms.shapes import rust_pattern, shapes_for

sys.path.insert(0, str(REPO / "benchmarks"))

EDGE_LINES = [
    "25/03/2025", "125/03/2025", "25/03/20251", "x25/03/2025x", "2025-02-28T13:37:00+07:00", "2025-02-281",
    "Cập nhật: 14:05 ngày 24 tháng 3 năm 2025", "February 28, 2025 - 13:37", "28 Feb. 2025", "Feb 2025",
    "3 giờ trước", "12 minutes ago", "the 3 giờ trước", "Source: https://a.vn/b.html.", "Nguồn: http://x.com/y;",
    "Read more at https://vietnamnews.vn/society/123.html", "https://a.vn/x", "(https://a.vn/x)", "see www.a.vn/x now",
    "Thủ tướng phát biểu tại hội nghị. — VNS", "He said it was done. - VNA", "Hà Nội - EU.", "The end.\" (Reuters)",
    "Các đại biểu tham dự sự kiện. (Ảnh: mod.gov.vn)", "Rice fields in the Mekong Delta. VNA/VNS Photo Trọng Đạt",
    "A worker at the plant. Photo courtesy of the company", "Ảnh minh họa", "Người dân đi lễ. Ảnh minh họa",
    "Photo: Reuters", "Ảnh: Minh Anh", "Hình ảnh: TTXVN", "Delegates at the event. Ảnh: Quang Vinh.",
    "Comment (0)", "12 comments", "Bình luận (3)", "Share Tweet Email Print", "Chia sẻ bài viết", "Tags: kinh tế, "
                                                                                                  "xuất khẩu",
    "Like us on Facebook or follow us on X to get the latest news", "Theo dõi chúng tôi trên Zalo",
    "© 2025 Vietnam News. All rights reserved.", "Giấy phép số 123/GP-BTTTT", "(c) 2024 ABC",
    "Trang chủ > Thời sự > Xã hội", "Home / World / Asia", "Kinh tế » Doanh nghiệp", "vietnamplus.vn",
    "Visit VnExpress.net",
    "Hotline: 0912 345 678", "Email: toasoan@baomoi.vn", "+84 24 3825 1234", "Gọi 1900 1234", "…", "...", "!!!",
    "Tiêu đề bài viết?", "Headline with “quotes”", "Ends with period...", "Ends with ellipsis…", "Ⅻ Roman ²³ digits ①",
    # characters on which the two regex engines disagree about \w (so \b), next to widget words
    "¹Comment (0)", "Ⓐshare this", "x‿like", "a\u200dtags: kinh tế", "³bình luận",
    "ǅemal Ǉubljana title-case letters", "don't won’t state-of-the-art", "İstanbul ŞEHİR", "ﬁnal ligature",
    "a" * 600, "Ảnh " * 50, "x" * 5000,
]


def _assert_same(texts) -> int:
    texts = {t for t in texts if t}
    fast = shapes_for(texts)
    line_shape.cache_clear()
    bad = {t: (fast[t], line_shape(t)) for t in texts if fast[t] != line_shape(t)}
    assert not bad, next(iter(bad.items()))
    return len(texts)


def _assert_same_keys(texts) -> int:
    texts = sorted({t for t in texts if t})
    line_key.cache_clear()
    bad = [(t, k) for t, k in zip(texts, line_keys(texts), strict=True) if k != line_key(t)]
    assert not bad, bad[0]
    return len(texts)


def _lines_under(root: Path) -> set[str]:
    out: set[str] = set()
    for f in root.rglob("*"):
        if f.is_file() and f.suffix in ("", ".txt"):
            out.update(ln.text for ln in split_lines(normalize_text(f.read_text(encoding="utf-8", errors="replace"))))
    return out


def test_vectorised_shapes_equal_line_shape_on_real_and_written_pages():
    texts = _lines_under(REPO / "raw") | _lines_under(REPO / "tests" / "data") | set(EDGE_LINES)
    assert _assert_same(texts) > 700
    assert _assert_same_keys(texts | {"HOÀ BÌNH  2025", "Thuý\u00a0\u2003 ١٢", "Ω Å K", "İ ΟΔΟΣ"}) > 700


def test_vectorised_shapes_equal_line_shape_on_a_generated_corpus(tmp_path):
    from corpus import generate

    generate(300, tmp_path / "raw", seed=21)
    assert _assert_same(_lines_under(tmp_path / "raw")) > 1000
    assert _assert_same_keys(_lines_under(tmp_path / "raw")) > 1000


def test_shard_line_keys_equal_the_per_page_reference(tmp_path):
    """The shard's (doc, line hash, article fingerprint) rows, computed with vectorised keys, are
    the per-page functions' `page_keys` and `article_fingerprint`."""
    import polars as pl
    from corpus import generate

    from transforms.lines import split_lines
    from transforms.repetition import (
        article_fingerprint,
        line_hash,
        page_keys,
        page_line_hashes,
        page_lines,
        shard_line_keys,
    )

    generate(60, tmp_path / "raw", seed=4)
    texts = [normalize_text(f.read_text(encoding="utf-8")) for f in sorted((tmp_path / "raw").rglob("*.txt"))]
    texts += ["", "\n \n", "Một dòng", "© 2012 NHL. All rights reserved, a notice longer than the story.\nShort story."]
    docs = pl.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "site_key": ["s"] * len(texts), "text": texts})
    rows = shard_line_keys(docs)
    for i, text in enumerate(texts):
        mine = rows.filter(pl.col("doc_id") == f"d{i}")
        assert mine["key"].to_list() == page_keys(text)
        assert set(mine["page"].to_list()) <= {article_fingerprint(text)}
    # what ingest stores with each page: one hash per line of split_lines, in order; given them, the
    # rows are the same
    stored = page_line_hashes([page_lines(t) for t in texts])
    assert stored == [[line_hash(ln.text) for ln in split_lines(t)] for t in texts]
    with_hashes = docs.with_columns(pl.Series("line_hashes", stored, dtype=pl.List(pl.UInt64)))
    assert shard_line_keys(with_hashes).equals(rows)


PIECE = st.sampled_from(EDGE_LINES[:60] + [" ", ". ", " - ", "(", ")", "Ảnh", "photo", "0", "12", "/", ":", "—"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECE, st.text(max_size=40)), min_size=1, max_size=6))
def test_vectorised_shapes_equal_line_shape_on_arbitrary_lines(parts):
    line = normalize_text("".join(parts)).replace("\n", " ").strip()
    _assert_same([line])
    _assert_same_keys([line, line.upper(), "".join(parts)])


def test_rust_patterns_refuse_look_arounds_they_cannot_translate():
    import re

    import pytest

    with pytest.raises(ValueError):
        rust_pattern(re.compile(r"a(?=b)"))
    assert rust_pattern(P.DATE_DMY, exists_only=True).startswith("(?:^|\\D)")
