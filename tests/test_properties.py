"""Property-based tests over the transforms (hypothesis): any input never raises, offsets always
point at the passage text, and every non-empty line is accounted for exactly once."""
from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.decode import DecodeError, decode_and_normalize, normalize_text
from transforms.lines import split_lines
from transforms.pages import clean_documents

# Lines built from news-page pieces plus arbitrary unicode, so the cascade's branches are reached.
PIECES = st.sampled_from([
    "Việt Nam – Russia diplomatic ties observed in Moscow", "Comment (0)", "Source: https://a.vn/b.html",
    "February 28, 2025 - 13:37", "25/03/2025", "Các đại biểu tham dự sự kiện. (Ảnh: mod.gov.vn)",
    "Delegates attending the event. (Photo: mod.gov.vn)", "— VNS", "Theo TTXVN", "Tin liên quan", "© 2025",
    "Some 600 guests attended the event, including leaders from various Russian government agencies.",
    "Người dân Hà Nội đón Tết với nhiều hoạt động văn hóa truyền thống trong những ngày cuối năm.", "",
    "  ", "\u00a0", "Trang chủ > Thời sự", "Minh Anh", "x" * 300,
])
LINE = st.one_of(PIECES, st.text(max_size=120))
PAGE = st.lists(LINE, max_size=40).map("\n".join)
SEP = st.sampled_from(["\n", "\r\n", "\r"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_decoding_any_bytes_returns_text_or_a_reasoned_error(data):
    try:
        got = decode_and_normalize(data)
    except DecodeError as exc:
        assert exc.reason in {"binary", "undecodable"}
    else:
        assert "\r" not in got.text and "\x00" not in got.text and "\u00a0" not in got.text
        assert normalize_text(got.text) == got.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=40), SEP)
def test_cleaning_any_page_accounts_for_every_line_once(lines, sep):
    text = normalize_text(sep.join(lines))
    docs = pl.DataFrame({"doc_id": ["d"], "site_key": ["s"], "text": [text]})
    out = clean_documents(docs)
    assert out.failed == []
    covered: list[int] = []
    for table in (out.passages, out.removed):
        for r in table.iter_rows(named=True):
            assert text[r["char_start"]:r["char_end"]] == r["text"]
            covered += range(r["line_start"], r["line_end"] + 1)
    expected = [ln.line_no for ln in split_lines(text)]
    assert sorted(covered) == expected  # each non-empty line exactly once
    assert set(out.passages["role"]) <= {"title", "body", "caption"}
    assert all(r.startswith(("boilerplate", "trailing_unrelated")) for r in out.removed["reason"])
    if out.passages.height:
        assert out.passages["seq"].to_list() == list(range(out.passages.height))


@settings(max_examples=200, deadline=None)
@given(PAGE)
def test_cleaning_is_deterministic(text):
    docs = pl.DataFrame({"doc_id": ["d"], "site_key": ["s"], "text": [normalize_text(text)]})
    a, b = clean_documents(docs), clean_documents(docs)
    assert a.passages.equals(b.passages) and a.removed.equals(b.removed) and a.meta.equals(b.meta)
