"""Pass 1 for a whole shard at once: each distinct line's own kind, as polars expressions (the
vectorised `classify.line_kind`).

`line_kind` is a chain of tests on a line's shape and text, first match wins, run in Python once per
distinct line: on real pages nearly every paragraph is distinct, so it ran once per paragraph. Here
the same chain runs over the shard's shape frame (`shapes.ShapeBook.frame`). A line is left to
`line_kind` when the chain reaches a test only Python asks: a byline whose name is read word by
word, and a name/outlet sign-off whose pattern Rust's engine cannot spell (a few lines a page); so
are lines on whose characters the two regex engines disagree, and lines among a page's first three
(a domain there makes a site header), which the cache keys apart.

The result fills the shard's kind cache (`classify.rule_passes`' `kinds`, keyed by text for lines past
the third), so the passes read it as if `line_kind` had run: tests compare the two on real, generated
and arbitrary lines.
"""
from __future__ import annotations

import polars as pl

from . import patterns as P
from .classify import COMMENT_POLICY_MAX_WORDS, END_WIDGET, CleanParams, Kind
from .engines import engines_differ
from .shapes import ShapeBook, rust_pattern

# Letters Python's re.IGNORECASE matches to ASCII letters and Rust's (?i) does not (or the reverse):
# lines holding one are left to `line_kind`.
_CASE_ODD = "İıſK"


def _match(p) -> pl.Expr:
    return pl.col("text").str.contains(rust_pattern(p, anchored=True))


def _search(p) -> pl.Expr:
    return pl.col("text").str.contains(rust_pattern(p))


def own_kinds(book: ShapeBook, params: CleanParams) -> dict[str, str]:
    """{line: its own kind} for the book's lines, as `line_kind` gives it for a line past a page's
    third; lines it must read itself are left out."""
    frame = book.frame.filter(~pl.col("text").str.contains(engines_differ())
                              & ~pl.col("text").str.contains(f"[{_CASE_ODD}]"))
    if frame.is_empty():
        return {}
    n = pl.col("n_words")
    ends, tc = pl.col("ends_sentence"), pl.col("title_case")
    stop = pl.max_horizontal("stop_vi", "stop_en")
    # Shape.prose and Shape.headline_like
    prose = ~(~ends & ((tc >= 0.7) | ((tc >= 0.4) & ~pl.col("clauses")))) & (
        ((n >= 12) & ends & (stop >= 0.12)) | ((n >= 25) & (stop >= 0.2))
        | ((n >= 15) & pl.col("ends_sentence_period") & (tc <= 0.35) & (pl.col("digit_share") < 0.2)))
    headline_like = (n >= 3) & (n <= 40) & ~pl.col("ends_sentence_period") & ~pl.col("url_only")
    source = pl.col("source_url").is_not_null() & (pl.col("source_url") != "")
    widget_max = params.widget_max_words
    dated = pl.col("has_date") | pl.col("relative_time")
    python_only = pl.lit(None, dtype=pl.String)
    # P.run_together_list: five or more items between separators, few of them sentences
    items = pl.col("text").str.count_matches(P.ITEM_SEPARATOR) + 1
    sentences = (pl.col("text").str.count_matches(P.SENTENCE_ITEM_END)
                 + pl.col("text").str.strip_chars_end().str.contains(r"[.!?]$").cast(pl.UInt32))
    run_together = ((items >= P.RUN_TOGETHER_MIN_ITEMS) & (n <= P.RUN_TOGETHER_MAX_ITEM_WORDS * items)
                    & (sentences <= items // 4))
    # the tests `line_kind` runs, in its order; where it reads a line with Python alone, the kind is
    # left to it (None)
    chain = [
        (source, Kind.SOURCE),
        (pl.col("url_only"), Kind.LINK),
        (pl.col("text").str.contains(r"^[^\p{L}\p{N}]+$"), Kind.SEPARATOR),  # SEPARATOR_ONLY: no letter or digit
        (pl.col("copyright") & (~prose | _match(P.COPYRIGHT_LEAD)), Kind.COPYRIGHT),
        (pl.col("counter"), Kind.WIDGET),
        ((n <= 30) & _match(P.INLINE_RELATED), Kind.RELATED_LINK),
        ((n <= 20) & _match(P.WIRE_CREDIT), Kind.CREDIT),
        ((n <= 8) & ~pl.col("ends_sentence_period") & ~pl.col("has_date") & _match(P.THEO_LINE), Kind.ATTRIBUTION),
        # AUTHOR_OUTLET ("Hồ Nguyễn/VOV-Miền Trung") needs a slash or a spaced dash: such lines go to Python
        ((n <= 8) & ~pl.col("has_date") & pl.col("text").str.contains(r"/|\s[-–]\s"), None),
        ((n <= 10) & (_match(P.BYLINE) | (~dated & _match(P.POSTED_BY))), None),  # is the name a name?
        (pl.col("caption"), Kind.CAPTION),
        (dated & (n <= params.dateline_max_words) & ~prose, Kind.DATELINE),
        ((pl.col("widget_cover") >= params.widget_min_cover) & (n <= widget_max), Kind.WIDGET),
        ((n <= widget_max) & _match(END_WIDGET), Kind.WIDGET),
        ((n <= 2 * widget_max) & _match(P.COMMENTS_CLOSED), Kind.WIDGET),
        ((n <= COMMENT_POLICY_MAX_WORDS) & _match(P.COMMENT_POLICY), Kind.WIDGET),
        ((n <= P.READER_CALL_MAX_WORDS) & _match(P.READER_CALL), Kind.WIDGET),
        ((n <= 80) & (_match(P.POST_FOOTER) | (pl.col("text").str.contains("ermalink")
                                               & _search(P.BOOKMARK_PERMALINK))), Kind.WIDGET),
        (pl.col("social_cta"), Kind.WIDGET),
        (pl.col("breadcrumb") & ~prose, Kind.NAVIGATION),
        (pl.col("email_or_phone") & ~prose, Kind.CONTACT),
        (~prose & _match(P.LIST_ITEM), Kind.LIST_ITEM),
        (prose & run_together, Kind.NAVIGATION),
        (prose, Kind.PROSE),
        (headline_like & (n <= params.max_title_words), Kind.HEADLINE),
    ]
    kind = pl.lit(Kind.SHORT)
    for test, name in reversed(chain):
        kind = pl.when(test).then(python_only if name is None else pl.lit(name)).otherwise(kind)
    out = frame.select("text", kind.alias("kind")).drop_nulls("kind")
    return dict(zip(out["text"].to_list(), out["kind"].to_list(), strict=True))
