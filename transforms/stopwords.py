"""Vietnamese and English stoplists, normalised to NFC lowercase.

The lists are jusText's (BSD-2, copied unchanged into `data/`, see STOPLISTS_LICENSE.txt): jusText
measures paragraph quality by stopword density, and its Vietnamese list holds single syllables,
which is how Vietnamese text tokenises on whitespace. Vendored rather than imported because the
jusText package would pull in lxml for two text files.
"""
from __future__ import annotations

import unicodedata
from importlib import resources


def _load(name: str) -> frozenset[str]:
    text = resources.files("transforms").joinpath("data", name).read_text(encoding="utf-8")
    return frozenset(unicodedata.normalize("NFC", w.strip()).lower() for w in text.splitlines() if w.strip())


VI_STOPWORDS = _load("stoplist_vi.txt")
EN_STOPWORDS = _load("stoplist_en.txt")
