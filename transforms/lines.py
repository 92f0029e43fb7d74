"""Split normalised page text into lines with exact offsets, and describe each line's shape.

A line is the unit of classification: scrapers, browser copies and WET records all put one paragraph,
menu item or caption per line. Offsets are into the normalised text so that
`text[char_start:char_end] == line_text` for every line (the provenance contract).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from . import patterns as P
from .stopwords import EN_STOPWORDS, VI_STOPWORDS

_TONE_UNIFY = {
    # old-style -> new-style tone placement, so "hoà" and "hòa" hash alike (keep the page's own form)
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_RE = re.compile("|".join(_TONE_UNIFY))
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


class Line(NamedTuple):
    """One non-empty line of a page (immutable: its offsets are provenance). A named tuple, not a
    frozen dataclass: every line of every page is one, and a frozen dataclass's init costs 3x more."""

    line_no: int      # 1-based line number in the raw file
    char_start: int   # offset of the first non-space character in the normalised text
    char_end: int     # offset one past the last non-space character
    text: str         # the stripped line
    blank_before: bool  # an empty line (or the start of the page) precedes it


def split_lines(text: str) -> list[Line]:
    """Non-empty lines with 1-based numbers and stripped spans; empty lines only set `blank_before`."""
    out: list[Line] = []
    pos = 0
    blank = True
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            start = pos + lead
            out.append(Line(number, start, start + len(stripped), stripped, blank))
            blank = False
        else:
            blank = True
        pos += len(raw) + 1
    return out


@lru_cache(maxsize=1 << 17)
def line_key(text: str) -> str:
    """The form lines are compared and counted in: case-folded, digits and spaces folded, tone
    placement unified. Tone marks themselves are kept (má/mà/mả are different words). Cached:
    furniture lines repeat across pages."""
    key = text.lower()
    if not key.isascii():
        if not unicodedata.is_normalized("NFC", key):
            key = unicodedata.normalize("NFC", key)
        key = _TONE_RE.sub(lambda m: _TONE_UNIFY[m.group(0)], key)
    key = _DIGITS.sub("0", key)
    return _SPACES.sub(" ", key).strip()


def line_keys(texts: list[str]) -> list[str]:
    """`line_key` of many lines at once (equal to it line by line, tested): case and NFC in Python
    (C-speed string methods), tone placement, digits and spaces as polars expressions over the
    whole list. Lines with a character the two regex engines read differently use `line_key`."""
    import polars as pl

    from .engines import engines_differ

    lowered = [t.lower() for t in texts]
    lowered = [k if k.isascii() or unicodedata.is_normalized("NFC", k) else unicodedata.normalize("NFC", k)
               for k in lowered]
    series = pl.Series("k", lowered, dtype=pl.String)
    keys = (series.str.replace_many(list(_TONE_UNIFY), list(_TONE_UNIFY.values()))
            .str.replace_all(r"\d+", "0")
            .str.replace_all(r"\s{2,}|[^\S ]", " ")  # each run of spaces to one space (faster than \s+)
            .str.strip_chars(" ")).to_list()
    for i in pl.Series(texts, dtype=pl.String).str.contains(engines_differ()).arg_true().to_list():
        keys[i] = line_key(texts[i])
    return keys


@dataclass(slots=True)
class Shape:
    """What the classifier knows about one line's form, independent of its neighbours."""

    n_words: int
    n_chars: int
    ends_sentence: bool
    ends_sentence_period: bool   # ends with . ! … or 。！ (a question mark still allows a headline)
    stop_vi: float           # share of words in the Vietnamese stoplist
    stop_en: float           # share of words in the English stoplist
    title_case: float        # share of words that start with a capital letter
    digit_share: float
    has_url: bool
    url_only: bool
    has_date: bool
    relative_time: bool
    caption: bool
    widget_cover: float      # share of the line's letters inside widget/menu words
    social_cta: bool         # a call to follow/like/subscribe on a social network or app
    copyright: bool
    counter: bool            # "Comment (0)", "12 comments"
    breadcrumb: bool
    source_url: str | None   # "Source: https://..." lines
    domain: str | None       # a domain-like token ("Vietnam.vn") in the line
    email_or_phone: bool
    clauses: bool            # a comma, semicolon or colon: the punctuation of sentences, not of menus
    comment_head: bool       # a reader comment's header: "Name said...", "2 days ago at", "Reply"

    @property
    def stopword_density(self) -> float:
        return max(self.stop_vi, self.stop_en)

    @property
    def prose(self) -> bool:
        """Fluent text: long enough, and either punctuated as sentences or full of function words.
        Not a row of capitalised words without a sentence's end (a menu bar of section names); in a
        language without vi/en function words, a long full sentence of mostly lowercase words."""
        if not self.ends_sentence and (self.title_case >= 0.7 or (self.title_case >= 0.4 and not self.clauses)):
            return False
        if self.n_words >= 12 and self.ends_sentence and self.stopword_density >= 0.12:
            return True
        if self.n_words >= 25 and self.stopword_density >= 0.2:
            return True
        return (self.n_words >= 15 and self.ends_sentence_period and self.title_case <= 0.35
                and self.digit_share < 0.2)

    @property
    def headline_like(self) -> bool:
        """A title, subheading or related-story link: a few words, no sentence-final full stop."""
        return 3 <= self.n_words <= 40 and not self.ends_sentence_period and not self.url_only


# Furniture tests only matter for short lines; running them on long paragraphs is most of the cost.
_SHORT = 40       # words: widget, date, domain, contact, social and copyright tests
_TAIL = 160       # characters: caption credits are read at the end of a line


@lru_cache(maxsize=65536)
def line_shape(text: str) -> Shape:
    """Shape of one stripped line. Cached: menus and footers repeat across pages."""
    words = P.WORD.findall(text)
    n_words = len(words)
    n = max(n_words, 1)
    vi_hits = en_hits = caps = 0
    for w in words:
        low = w.lower()
        vi_hits += low in VI_STOPWORDS
        en_hits += low in EN_STOPWORDS
        caps += w[0].isupper()
    letters = sum(map(str.isalpha, text))
    digits = sum(map(str.isdigit, text))
    short = n_words <= _SHORT
    tail = text[-_TAIL:]
    signoff = P.SIGN_OFF_TAIL.search(tail)
    if signoff:  # "... confiscated. — VNS": the sentence ends before the sign-off
        tail = tail[: signoff.start() + 1]
    url = P.URL.search(text) if short else None
    source = P.SOURCE_LINE.match(text) if short else None
    domain = P.DOMAIN.search(text) if short else None
    covered = sum(len(m.group(0)) for m in P.WIDGET_WORDS.finditer(text)) if n_words <= 12 else 0
    stripped_end = tail.rstrip("\"'”’»)] ")
    return Shape(
        n_words=n_words,
        n_chars=len(text),
        ends_sentence=bool(P.SENTENCE_END.search(tail)),
        ends_sentence_period=stripped_end.endswith((".", "…", "!", "。", "！")) and not stripped_end.endswith(".."),
        stop_vi=vi_hits / n,
        stop_en=en_hits / n,
        title_case=caps / n,
        digit_share=digits / max(letters + digits, 1),
        has_url=bool(url),
        url_only=bool(url) and len(P.URL.sub("", text).strip(" :-–—|()[]")) < 3,
        has_date=short and bool(P.ANY_DATE.search(text)),
        relative_time=short and bool(P.RELATIVE_TIME.match(text)),
        caption=bool(
            P.CAPTION_PAREN.search(tail) or P.CAPTION_AGENCY.search(tail) or P.CAPTION_BY.search(tail)
            or P.CAPTION_ILLUSTRATIVE.search(tail)
            or (P.CAPTION_SUFFIX.search(tail) and n_words >= 4) or P.CAPTION_PREFIX.match(text)
        ),
        widget_cover=covered / max(letters, 1),
        social_cta=short and n_words <= 25 and bool(P.SOCIAL_CTA.search(text)),
        copyright=short and bool(P.COPYRIGHT.search(text)),
        counter=n_words <= 4 and bool(P.COUNTER.search(text)),
        breadcrumb=n_words <= 12 and bool(P.BREADCRUMB.search(text)),
        source_url=source.group(1).rstrip(".,;") if source else None,
        domain=domain.group(1) if domain else None,
        email_or_phone=short and bool(P.EMAIL.search(text) or P.PHONE.search(text)),
        clauses=bool(P.CLAUSE.search(text)),
        comment_head=n_words <= 16 and bool(P.COMMENT_HEAD.search(text)),
    )
