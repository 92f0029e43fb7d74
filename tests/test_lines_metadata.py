"""Line splitting offsets, comparison keys, dates and names."""
from __future__ import annotations

import datetime as dt

import pytest

from transforms.lines import line_key, line_shape, split_lines
from transforms.metadata import (
    VIETNAM_TZ,
    name_from_date_line,
    name_matches_host,
    parse_datetime,
    pick_published,
    undouble,
)


def test_split_lines_offsets_and_numbers():
    text = "  Title here  \n\nBody line.\n   \n\tLast\n"
    lines = split_lines(text)
    assert [(ln.line_no, ln.text, ln.blank_before) for ln in lines] == [
        (1, "Title here", True), (3, "Body line.", True), (5, "Last", True)]
    for ln in lines:
        assert text[ln.char_start:ln.char_end] == ln.text


def test_line_key_unifies_tone_placement_keeps_tones_and_folds_digits():
    assert line_key("Hoà bình 2025") == line_key("hòa  bình 1999")
    assert line_key("Thuý") == line_key("thúy")
    assert line_key("má") != line_key("mà")


UTC = dt.timezone.utc


@pytest.mark.parametrize("text,local,precision", [
    ("25/03/2025", (2025, 3, 25, 0, 0), "day"),
    ("24/3/2025 14:05 (GMT+7)", (2025, 3, 24, 14, 5), "minute"),
    ("Thứ Hai, 24/3/2025, 09:15 (GMT+7)", (2025, 3, 24, 9, 15), "minute"),
    ("Thứ Hai, 24/3/2025", (2025, 3, 24, 0, 0), "day"),
    ("February 28, 2025 - 13:37", (2025, 2, 28, 13, 37), "minute"),
    ("2025-02-28", (2025, 2, 28, 0, 0), "day"),
    ("Cập nhật: 08:30 ngày 5 tháng 4 năm 2025", (2025, 4, 5, 8, 30), "minute"),
    ("Last updated 3 March 2025, 10:05 PM", (2025, 3, 3, 22, 5), "minute"),
    ("Thời ĐạiThời Đại25/03/2025", (2025, 3, 25, 0, 0), "day"),
])
def test_published_forms_are_vietnam_time_stored_as_utc(text, local, precision):
    got = parse_datetime(text)
    assert got is not None, text
    assert got.value.tzinfo == UTC
    assert got.value == dt.datetime(*local, tzinfo=VIETNAM_TZ).astimezone(UTC)
    assert got.precision == precision


def test_explicit_offsets_win_and_bad_dates_are_ignored():
    got = parse_datetime("2025-02-28T13:37:00Z")
    assert got.value == dt.datetime(2025, 2, 28, 13, 37, tzinfo=UTC)
    assert parse_datetime("31/02/2025") is None
    # an impossible zone (found by the fuzzer) falls back to Vietnam time instead of raising
    assert parse_datetime("24/3/2025, 14:05 (GMT+73)").value == dt.datetime(2025, 3, 24, 7, 5, tzinfo=UTC)
    assert parse_datetime("Call 0912 345 678") is None


def test_pick_published_refines_a_date_with_a_same_day_time():
    a = parse_datetime("date 2025-02-28 Politics & Law", 1)
    b = parse_datetime("February 28, 2025 - 13:37", 6)
    assert pick_published([a, b]).value == dt.datetime(2025, 2, 28, 6, 37, tzinfo=UTC)


def test_names_from_bylines_and_hosts():
    assert undouble("Thời ĐạiThời Đại") == "Thời Đại"
    assert name_from_date_line("Thời ĐạiThời Đại25/03/2025") == "Thời Đại"
    assert name_matches_host("Thời Đại", "thoidai.com.vn")
    assert name_matches_host("VnExpress", "vnexpress.net")
    assert not name_matches_host("Tuổi Trẻ", "thanhnien.vn")


def test_shapes():
    s = line_shape("Các đại biểu tham dự sự kiện. (Ảnh: mod.gov.vn)")
    assert s.caption
    assert line_shape("Vietnamese Ambassador ... ceremony to mark the anniversary. VNA/VNS Photo").caption
    assert line_shape("Source: https://example.vn/a.html").source_url == "https://example.vn/a.html"
    assert line_shape("Bình luận (0)").counter
    assert not line_shape("Bộ trưởng Bộ Ngoại giao khẳng định quan hệ hai nước đang phát triển tốt đẹp.").caption
