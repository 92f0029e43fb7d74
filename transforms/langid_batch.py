"""Language evidence for a whole shard at once, as polars expressions (the vectorised `evidence`).

`transforms.langid.evidence` reads one passage at a time in Python: a regular-expression scan for
words and sentence breaks, then a loop over the words that sets names aside and sums what each word
says. On real pages that loop is most of the detect step (~80 µs a passage). Here the same evidence is
computed for all of a shard's distinct passages together: the scan and the per-passage sums run in
Rust over columns, and Python sees each distinct *word* once (its case, and `word_class`), not each
occurrence. The result is the same `Evidence` per passage, exactly: tests compare them on
adversarial passages and on every passage of the seeds, and `benchmarks/` on real-dev and lingua's
sets. A passage holding a character the two regex engines read differently (`engines_differ`:
combining marks, other numbers, joiners) gets the Python reference's evidence.
"""
from __future__ import annotations

import polars as pl

from .engines import engines_differ
from .langid import EN_FUNCTION, Evidence, _common_abbreviation, _is_latin, evidence, word_class

_LETTER = r"[^\W\d_]"
# langid._TOKEN without its groups: an abbreviation, a sentence break (an initial is one), a word
_TOKENS = (rf"{_LETTER}(?:\.{_LETTER})+\b|[.!?:;…\"“”(\[]|\s[—–-]\s|{_LETTER}\.|{_LETTER}+(?:['’]{_LETTER}+)?")
_BREAK_CHARS = ".!?:;…\"“”(["
_NON_LATIN = r"[^\W\d_A-Za-z\u00AA-\u024F\u1E00-\u1EFF\u2C60-\u2C7F\uA720-\uA7FF]"  # langid._NON_LATIN_LETTER
_CJK_LETTER = r"[\p{L}&&[\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF]]"  # isalpha and langid._is_cjk
_CLASSES = ("vi", "vi_strong", "en", "plain", "foreign", "nomarks", "english", "known", "alien")  # word_class order


def cut(text: str, limit: int) -> str:
    """The prefix `evidence(text, limit)` reads: up to the last space before `limit` characters."""
    if len(text) > limit:
        end = text.rfind(" ", 0, limit)
        return text[: end if end > 0 else limit]
    return text


def evidence_many(texts: list[str], limit: int) -> list[Evidence]:
    """`evidence(t, limit)` for each (NFC) text, in order."""
    texts = [cut(t, limit) for t in texts]
    frame = pl.DataFrame({"t": texts}, schema={"t": pl.String}).with_row_index("i")
    frame = frame.with_columns(
        pl.col("t").str.contains(engines_differ()).alias("odd"),
        pl.col("t").str.count_matches(_NON_LATIN).alias("non_latin"),
        pl.col("t").str.count_matches(_CJK_LETTER).alias("cjk"),
    )
    words = _words(frame.filter(~pl.col("odd")).select("i", "t"))
    per_passage = words.filter(~_is_name()).group_by("i").agg(
        pl.len().alias("n_words"), *[pl.col(c).sum() for c in _CLASSES], pl.col("tok").str.join(" ").alias("content"))
    all_words = words.group_by("i").agg(pl.col("n").sum().alias("n_letters"), pl.len().alias("n_all"),
                                        pl.col("latin").sum().alias("latin_words"))
    out = (frame.join(all_words, on="i", how="left").join(per_passage, on="i", how="left").sort("i")
           .with_columns(pl.col(pl.UInt32, pl.Int64, pl.Int32).fill_null(0), pl.col("content").fill_null("")))
    cols = [out[c].to_list() for c in ("odd", "n_letters", "non_latin", "n_words", *_CLASSES, "n_all",
                                        "latin_words", "cjk", "content")]
    result = []
    for t, (odd, n_letters, non_latin, n_words, vi, vi_strong, en, plain, foreign, nomarks, english, known,
            alien, n_all, latin_words, cjk, content) in zip(texts, zip(*cols, strict=True), strict=True):
        if odd:
            result.append(evidence(t, limit))
            continue
        if not non_latin:
            latin_words, cjk = n_all, 0
        result.append(Evidence(n_letters, non_latin, n_words, vi, vi_strong, en, plain, nomarks, foreign,
                               latin_words, cjk + (non_latin - cjk) // 5, t.isascii(), english, known, content,
                               alien))
    return result


def _words(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per word of each passage (`i`, `tok`), in order, with whether it starts a sentence
    and what the name rule needs to know of its case (langid._words_with_position, langid.evidence)."""
    tokens = frame.select("i", pl.col("t").str.extract_all(_TOKENS).alias("tok")).explode("tok").drop_nulls("tok")
    first = pl.col("tok").str.slice(0, 1)
    firsts = tokens.select(first.unique()).to_series().to_list()
    tokens = tokens.with_columns(
        (pl.col("tok").str.ends_with(".") | first.is_in([c for c in firsts if c in _BREAK_CHARS or c.isspace()]))
        .alias("sep"),
        (pl.col("tok").str.contains(".", literal=True) & ~pl.col("tok").str.ends_with(".")).alias("abbr"))
    abbreviations = tokens.filter("abbr")["tok"].unique().to_list()
    tokens = tokens.filter(~pl.col("abbr") | pl.col("tok").is_in([a for a in abbreviations
                                                                 if _common_abbreviation(a.lower())]))
    tokens = tokens.with_columns(
        ((pl.col("i") != pl.col("i").shift(1)) | pl.col("sep").shift(1)).fill_null(True).alias("start"))
    words = tokens.filter(~pl.col("sep")).select("i", "tok", "start")
    words = words.join(_word_features(words["tok"].unique().to_list()), on="tok", how="left", maintain_order="left")
    same_next = pl.col("i") == pl.col("i").shift(-1)
    return words.with_columns(
        (same_next & pl.col("up1").shift(-1) & ~pl.col("start").shift(-1)).fill_null(False).alias("next_cap"),
        (pl.col("upper").sum().over("i") > 0.6 * pl.len().over("i")).alias("all_caps"))


def _is_name() -> pl.Expr:
    """langid.evidence's rule: a capitalised word is a name inside a sentence, and at its start when
    the next word is capitalised too; an acronym is one anywhere; nothing is in an all-capitals text."""
    inside = (~pl.col("start") | pl.col("next_cap")) & ~pl.col("function")
    acronym = (pl.col("n") >= 2) & pl.col("upper")
    return ~pl.col("low1") & ~pl.col("all_caps") & pl.col("up1") & (inside | acronym)


def _word_features(distinct: list[str]) -> pl.DataFrame:
    """Per distinct word, with Python's own string methods (the reference's): the case of its first
    letter and of the whole word, its length and script, whether it is an English function word,
    and what it says (`word_class` of its lowercase form; used for the words that are not names)."""
    lows = [w.lower() for w in distinct]
    classes = [word_class(w) for w in lows]
    columns = list(zip(*classes, strict=True)) if classes else [()] * len(_CLASSES)
    return pl.DataFrame({
        "tok": distinct,
        "low1": [w[0].islower() for w in distinct],
        "up1": [w[0].isupper() for w in distinct],
        "upper": [w.isupper() for w in distinct],
        "n": [len(w) for w in distinct],
        "latin": [_is_latin(w[0]) for w in distinct],
        "function": [w in EN_FUNCTION for w in lows],
        **{c: list(v) for c, v in zip(_CLASSES, columns, strict=True)},
    }, schema={"tok": pl.String, "low1": pl.Boolean, "up1": pl.Boolean, "upper": pl.Boolean, "n": pl.Int64,
               "latin": pl.Boolean, "function": pl.Boolean, **{c: pl.Int64 for c in _CLASSES}})
