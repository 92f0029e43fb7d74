"""Where Python's `re` and polars' (Rust) regex engines read characters differently.

Vectorised transforms (line shapes, line keys) run `transforms`' Python patterns as polars
expressions; they must give exactly what the Python functions give. The engines agree on almost all
text, but not on some characters; lines holding one are handed to the Python reference instead.
"""
from __future__ import annotations

import re
import sys
from functools import lru_cache

import numpy as np
import polars as pl


@lru_cache(maxsize=1)
def engines_differ() -> str:
    """A regex class of the characters Python's and Rust's regex engines read differently, which
    vectorised code leaves to the per-line Python reference: combining marks, the information separators
    \\x1c-\\x1f (\\s), and every character on which the two engines' \\w disagree, so \\b too:
    superscript digits and other No, circled letters, connector punctuation, joiners, and code points
    this Python's Unicode database leaves unassigned while polars' knows them as letters. Computed once
    per process over all code points (~0.2 s)."""
    cps = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    every = cps[(cps < 0xD800) | (cps > 0xDFFF)].tobytes().decode("utf-32-le")  # all but surrogates
    python_word = np.zeros(len(cps), dtype=bool)
    rust_word = np.zeros(len(cps), dtype=bool)
    python_word[_code_points(re.sub(r"\W+", "", every))] = True
    rust_word[_code_points(pl.Series([every]).str.replace_all(r"\W+", "").item())] = True
    odd = np.flatnonzero(python_word != rust_word)
    breaks = np.flatnonzero(np.diff(odd) != 1)
    ranges = zip(odd[np.r_[0, breaks + 1]].tolist(), odd[np.r_[breaks, len(odd) - 1]].tolist(),
                 strict=True) if len(odd) else ()
    return "[\\p{M}\\x1c-\\x1f" + "".join(f"\\x{{{lo:X}}}-\\x{{{hi:X}}}" if hi > lo else f"\\x{{{lo:X}}}"
                                         for lo, hi in ranges) + "]"


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
