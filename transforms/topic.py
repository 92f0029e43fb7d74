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


def _stem(word: str) -> str:
    """Crude English plural/tense folding: 'relations' ~ 'relation', 'supported' ~ 'support'."""
    for suffix in ("ies", "es", "s", "ed", "ing"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and word.isascii():
            return word[: -len(suffix)]
    return word


def terms(text: str) -> dict[str, float]:
    """Weighted content terms of a text: lowercase stems (weight 1, names 2) and adjacent pairs."""
    words = _WORD.findall(text)
    out: dict[str, float] = {}
    prev: str | None = None
    for i, w in enumerate(words):
        low = w.lower()
        name = w[0].isupper() and i > 0
        if low in NEWS_GENERIC or (low in _FUNCTION and not name) or len(low) < 2 or low.isdigit():
            prev = None
            continue
        stem = _stem(low)
        weight = 2.0 if name else 1.0
        out[stem] = max(out.get(stem, 0.0), weight)
        if prev is not None:
            pair = prev + " " + stem
            out[pair] = max(out.get(pair, 0.0), 1.0)
        prev = stem
    return out


def coherence(paragraph: str, body_terms: dict[str, float]) -> float:
    """Weighted share of the paragraph's terms that also occur in the body, in [0, 1]."""
    mine = terms(paragraph)
    total = sum(mine.values())
    if total == 0:
        return 0.0
    shared = sum(w for t, w in mine.items() if t in body_terms)
    return shared / total
