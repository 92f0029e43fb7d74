"""Page metadata from the lines around the article: published time, source URL, publishers, author.

Dates are read only from non-body lines (headers, bylines, date lines): an article's own text is full
of dates that are not its publication date. Local times on Vietnamese and English news pages are
Vietnam time (UTC+7) unless the line says otherwise; values are returned in UTC.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from . import patterns as P

VIETNAM_TZ = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class Published:
    value: dt.datetime      # aware, UTC
    precision: str          # "day" | "minute" | "second"
    line_no: int


def _valid(y: int, m: int, d: int) -> bool:
    if not (1990 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= 31):
        return False
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True


def _offset(sign: str, hours: str, minutes: str | None) -> dt.tzinfo | None:
    """A UTC offset as printed, or None when it is not a real one (real offsets lie within ±14 h)."""
    h, m = int(hours), int(minutes or 0)
    if h > 14 or m > 59:
        return None
    return dt.timezone((1 if sign == "+" else -1) * dt.timedelta(hours=h, minutes=m))


def _tz_from_line(text: str, explicit: str | None) -> dt.tzinfo:
    if explicit:
        if explicit.upper() == "Z":
            return dt.timezone.utc
        digits = explicit[1:].replace(":", "")
        return _offset(explicit[0], digits[:2], digits[2:4] or None) or VIETNAM_TZ
    m = P.TZ_OFFSET.search(text)
    if m:
        return _offset(m.group(1), m.group(2), m.group(3)) or VIETNAM_TZ
    return VIETNAM_TZ


def _time_near(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A clock time printed next to the date (before or after it), e.g. '14:05 24/3/2025'."""
    best = None
    for m in P.TIME.finditer(text):
        if m.start() < end and m.end() > start:
            continue  # inside the date itself
        distance = m.start() - end if m.start() >= end else start - m.end()
        if distance > 25:
            continue
        h, mi = int(m.group(1)), int(m.group(2))
        ampm = (m.group(3) or "").lower().replace(".", "")
        if ampm == "pm" and h < 12:
            h += 12
        elif ampm == "am" and h == 12:
            h = 0
        if 0 <= h <= 23 and 0 <= mi <= 59 and (best is None or distance < best[0]):
            best = (distance, h, mi)
    return (best[1], best[2]) if best else None


def parse_datetime(text: str, line_no: int = 0, month_first: bool = False) -> Published | None:
    """The first publication-like date in one line, with its time if printed beside it. Numeric dates
    are day first (Vietnamese and British usage) unless `month_first` (an English page of a site that
    writes 06/18/2025); either order gives way when the other is the only valid one."""
    got = _parse_datetime(text, month_first)
    return Published(got[0], got[1], line_no) if got else None


def month_first_only(text: str) -> bool:
    """Whether the line prints a numeric date that is valid only month first (06/18/2025)."""
    return any(int(m.group(1)) <= 12 < int(m.group(2)) for m in P.DATE_DMY.finditer(text))


@lru_cache(maxsize=1 << 14)
def _parse_datetime(text: str, month_first: bool = False) -> tuple[dt.datetime, str] | None:
    """Cached per line text: date lines and headers that carry a date repeat across a site's pages."""
    found: list[tuple[int, int, int, int, int, tuple | None, str | None]] = []
    for m in P.DATE_ISO.finditer(text):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        hm = (int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)) if m.group(4) else None
        found.append((m.start(), m.end(), y, mo, d, hm, m.group(7)))
    for m in P.DATE_DMY.finditer(text):
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day, month = (b, a) if (month_first and a <= 12) or b > 12 else (a, b)
        found.append((m.start(), m.end(), y, month, day, None, None))
    for m in P.DATE_MDY_EN.finditer(text):
        found.append((m.start(), m.end(), int(m.group(3)), P.MONTHS_EN[m.group(1).lower()], int(m.group(2)), None,
                      None))
    for m in P.DATE_DMY_EN.finditer(text):
        found.append((m.start(), m.end(), int(m.group(3)), P.MONTHS_EN[m.group(2).lower()], int(m.group(1)), None,
                      None))
    for m in P.DATE_VI_WORDS.finditer(text):
        found.append((m.start(), m.end(), int(m.group(3)), int(m.group(2)), int(m.group(1)), None, None))
    found.sort(key=lambda f: f[0])
    for start, end, y, mo, d, hms, tz in found:
        if not _valid(y, mo, d):
            continue
        precision = "day"
        h = mi = s = 0
        if hms:
            (h, mi, s), precision = hms, ("second" if hms[2] else "minute")
        else:
            near = _time_near(text, start, end)
            if near:
                (h, mi), precision = near, "minute"
        if not (0 <= h <= 23 and 0 <= mi <= 59 and 0 <= s <= 59):
            continue
        local = dt.datetime(y, mo, d, h, mi, s, tzinfo=_tz_from_line(text, tz))
        return local.astimezone(dt.timezone.utc), precision
    return None


_RANK = {"day": 0, "minute": 1, "second": 2}


def pick_published(candidates: list[Published]) -> Published | None:
    """The page's publication time: the earliest date line, refined by a more precise line giving
    the same local day (a header says 2025-02-28, the byline says February 28, 2025 - 13:37)."""
    if not candidates:
        return None
    first = candidates[0]
    day = first.value.astimezone(VIETNAM_TZ).date()
    same_day = [c for c in candidates if c.value.astimezone(VIETNAM_TZ).date() == day]
    return max(same_day, key=lambda c: (_RANK[c.precision], -c.line_no))


def strip_accents(text: str) -> str:
    """ASCII skeleton of a Vietnamese name, for matching a name to a domain ("Thời Đại" ~ thoidai)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", strip_accents(text).lower())


def undouble(text: str) -> str:
    """Browser copies often repeat a name twice ("Thời ĐạiThời Đại"); keep one copy."""
    t = text.strip()
    n = len(t)
    if n >= 4 and n % 2 == 0 and t[: n // 2] == t[n // 2:]:
        return t[: n // 2].strip()
    return t


def name_from_date_line(text: str) -> str | None:
    """What a byline-and-date line says besides the date: an author or publisher name."""
    rest = P.ANY_DATE.sub(" ", text)
    rest = P.TIME.sub(" ", rest)
    rest = P.TZ_OFFSET.sub(" ", rest)
    rest = P.WEEKDAY.sub(" ", rest)
    rest = re.sub(r"\b(?:date|ngày|cập nhật|updated?|published|đăng|lúc|at|gmt|utc)\b", " ", rest, flags=re.I)
    rest = re.sub(r"[()\[\]|,:;·•\-–—]+", " ", rest)
    rest = re.sub(r"\s+", " ", rest).strip()
    if not rest or len(rest.split()) > 6:
        return None
    return undouble(rest) or None


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    m = re.match(r"(?:https?://)?(?:www\.)?([^/:?#\s]+)", url, re.I)
    return m.group(1).lower() if m else None


def name_matches_host(name: str, host: str | None) -> bool:
    """'Thời Đại' and thoidai.com.vn, 'VnExpress' and vnexpress.net: same skeleton."""
    if not host or not name:
        return False
    label = compact(host.split(".")[0] if not host.startswith("www.") else host.split(".")[1])
    key = compact(name)
    return len(key) >= 3 and (key == label or (len(label) >= 5 and (label in key or key in label)))
