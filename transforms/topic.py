"""Is a paragraph about the same story as the article body? Used on paragraphs after the body's end.

Pages sometimes carry paragraphs of other stories glued after the article (a scraper following
"next article" or a template's teaser). Fluent prose passes every shape rule, so the decision needs
topic: the share of the paragraph's content terms that the body also uses, where names (capitalised
words inside a sentence) count double because a story is held together by its people and places.
Terms are lowercase words minus function words, plus syllable bigrams (Vietnamese words are mostly
two syllables, so bigrams carry the meaning that single syllables spread thin).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Mapping

from .stopwords import EN_STOPWORDS, VI_STOPWORDS

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# Words every news story uses: sharing them says nothing about sharing a topic.
NEWS_GENERIC = frozenset("""
said say says told according also year years month months week weeks day days today yesterday per cent
percent million billion trillion thousand first second third last next quarter half number total
official officials people country countries city province provinces government ministry minister
department report reported including include new old high low rise rose fall fell increase increased
compared period time times part level levels local national nearly about around more less than
cho biết theo năm tháng tuần ngày hôm nay qua tới cùng kỳ khoảng hơn gần triệu tỷ nghìn đồng
người dân nước tỉnh thành phố bộ sở cơ quan đơn vị trong đó đồng thời hiện nay thời gian tăng giảm
việt nam vietnam vietnamese viet
""".split())
_FUNCTION = EN_STOPWORDS | VI_STOPWORDS


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """Crude English plural/tense folding: 'relations' ~ 'relation', 'supported' ~ 'support'.
    Cached: a word recurs across a shard's pages, and the suffix loop was a fifth of the topic test."""
    for suffix in ("ies", "es", "s", "ed", "ing"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and word.isascii():
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1 << 16)
def _word_term(word: str) -> tuple[str | None, bool, bool]:
    """(stem or None when the word never counts, is a function word, starts upper case). Cached per
    word: real pages repeat words far more than paragraphs, and this was most of the topic test."""
    low = word.lower().removesuffix("'s").removesuffix("’s")  # Hà Nội's -> hà nội
    if low in NEWS_GENERIC or len(low) < 2 or low.isdigit():
        return None, False, False
    return _stem(low), low in _FUNCTION, word[0].isupper()


@lru_cache(maxsize=1 << 11)
def _term_weights(text: str) -> tuple[dict[str, float], dict[str, float]]:
    """A text's content terms split by weight: (weight 1: plain stems and adjacent pairs, weight 2:
    names, i.e. capitalised words inside the text). Cached: a body's paragraphs are compared with
    several trailing ones. Small on purpose: reuse is mostly within a page, and term dicts
    cost ~2.4 KB each (13 MB for the 5,600 a 10,000-page run makes): a 16,384-entry cache grew ~40 MB
    more at 100,000 pages than at 10,000, against issue 5's flat-memory target."""
    plain: dict[str, float] = {}
    names: dict[str, float] = {}
    prev: str | None = None
    for i, w in enumerate(_WORD.findall(text)):
        stem, function, upper = _word_term(w)
        name = upper and i > 0
        if stem is None or (function and not name):
            prev = None
            continue
        if name:
            names[stem] = 2.0
        else:
            plain[stem] = 1.0
        if prev is not None:
            plain[prev + " " + stem] = 1.0
        prev = stem
    return plain, names


def terms(text: str) -> Mapping[str, float]:
    """Weighted content terms of a text: lowercase stems (weight 1, names 2) and adjacent pairs."""
    return merge_terms((text,))


def merge_terms(texts: Iterable[str]) -> dict[str, float]:
    """The terms of several texts with each term's highest weight (the body's vocabulary). Names
    are applied after every plain term, so a dict update (C speed) keeps the maximum."""
    parts = [_term_weights(t) for t in texts]
    out: dict[str, float] = {}
    for plain, _ in parts:
        out.update(plain)
    for _, names in parts:
        out.update(names)
    return out


def coherence(paragraph: str, body_terms: Mapping[str, float]) -> float:
    """Weighted share of the paragraph's terms that also occur in the body, in [0, 1]."""
    mine = terms(paragraph)
    total = sum(mine.values())
    if total == 0:
        return 0.0
    shared = sum(w for t, w in mine.items() if t in body_terms)
    return shared / total


def new_names(paragraph: str, known_terms: Mapping[str, float]) -> tuple[int, int]:
    """(names in the paragraph, how many of them the body and title already name): a paragraph of
    another story on the same beat shares the beat's words but introduces its own people and
    places (a traffic accident in Ninh Bình glued under one in Hải Dương)."""
    _, names = _term_weights(paragraph)
    return len(names), sum(1 for t in names if t in known_terms)
