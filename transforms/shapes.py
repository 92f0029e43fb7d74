"""Line shapes for a whole shard at once, as polars expressions (the vectorised `line_shape`).

`transforms.lines.line_shape` reads one line at a time in Python: ~20 regular-expression tests and
a loop over the words for stopwords, 50-150 µs a line. A shard holds tens of thousands of distinct
lines (on real pages nearly every body paragraph is distinct), so here the same features are
computed over a column of all the shard's distinct lines with polars string expressions, which run
in Rust on all cores. The result is the same `Shape` per line, exactly: tests compare it field by
field with `line_shape` on the seeds, the generated corpora and adversarial lines.

The patterns are `transforms.patterns`' own, translated for Rust's regex engine: `re.I` becomes
`(?i)`, and the digit look-arounds `(?<!\\d)`/`(?!\\d)` (unsupported there) become `(?:^|\\D)` /
`(?:\\D|$)`, which is the same test wherever only *whether* a pattern occurs is asked.
"""
from __future__ import annotations

import dataclasses
import re
import sys

import polars as pl

from . import patterns as P
from .engines import engines_differ
from .lines import _SHORT, _TAIL, Shape, line_shape
from .stopwords import EN_STOPWORDS, VI_STOPWORDS

# Characters Python's str.isdigit() counts beyond the decimal digits (superscripts, circled digits):
# Rust's \d is Unicode Nd only.
_EXTRA_DIGITS = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isdigit() and not c.isdecimal())


def rust_pattern(p: re.Pattern, anchored: bool = False, exists_only: bool = False) -> str:
    """A Python pattern as polars (Rust regex) syntax. `anchored`: as re.match (at the start).
    `exists_only`: look-arounds on digits rewritten, valid for contains() only."""
    text = _python_word_classes(p.pattern)
    if exists_only:
        text = text.replace(r"(?<!\d)", r"(?:^|\D)").replace(r"(?!\d)", r"(?:\D|$)")
    if "(?<" in text.replace("(?<!", "(?<") or "(?=" in text or "(?!" in text:
        raise ValueError(f"look-around in {p.pattern!r}: not supported by polars")
    if anchored and not text.startswith("^"):
        text = f"^(?:{text})"
    return ("(?i)" if p.flags & re.IGNORECASE else "") + text


def _python_word_classes(pattern: str) -> str:
    """Python's \\w is letters, numbers (all of Unicode N) and _, Rust's adds marks and drops No/Nl:
    spell Python's out (lines with marks are shaped by line_shape, see `shapes_for`)."""
    pattern = pattern.replace(r"[^\W\d_]", r"[\p{L}\p{Nl}\p{No}]")  # a letter, Python's way
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt == "w":
                out.append(r"\p{L}\p{N}_" if in_class else r"[\p{L}\p{N}_]")
            elif nxt == "W":
                if in_class:
                    raise ValueError(f"\\W inside a class in {pattern!r}")
                out.append(r"[^\p{L}\p{N}_]")
            else:
                out.append(ch + nxt)
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class and pattern[i - 1] != "[" and pattern[i - 2:i] != "[^":
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def without_word_boundaries(pattern: str) -> str:
    """The pattern with every \\b taken out: it matches wherever the pattern does, and more."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            if pattern[i + 1] != "b":
                out.append(pattern[i:i + 2])
            i += 2
            continue
        out.append(pattern[i])
        i += 1
    return "".join(out)


def _candidates(expr: pl.Expr, pattern: str) -> pl.Expr:
    """`expr` on the rows where the pattern can match, null elsewhere. A Unicode \\b makes Rust's
    regex leave its fast engines on non-ASCII text (40 µs a Vietnamese line for the widget words,
    most of the shape pass); the same pattern without \\b runs on them, and rules out most lines."""
    loose = without_word_boundaries(pattern)
    return expr if loose == pattern else pl.when(expr.str.contains(loose)).then(expr)


def _contains(expr: pl.Expr, p: re.Pattern, anchored: bool = False) -> pl.Expr:
    pattern = rust_pattern(p, anchored=anchored, exists_only=True)
    return _candidates(expr, pattern).str.contains(pattern).fill_null(False)


def _extract(expr: pl.Expr, p: re.Pattern, anchored: bool = False) -> pl.Expr:
    pattern = rust_pattern(p, anchored=anchored)
    return _candidates(expr, pattern).str.extract(pattern, 1)


# the sign-off at the end of a line's tail: keep the tail up to and including its first character
_SIGN_OFF_CUT = "(" + P.SIGN_OFF_TAIL.pattern[: P.SIGN_OFF_TAIL.pattern.index("]") + 1] + ")" + \
    P.SIGN_OFF_TAIL.pattern[P.SIGN_OFF_TAIL.pattern.index("]") + 1:]
_QUOTES_END = "\"'”’») "


def shape_frame(texts: pl.Series) -> pl.DataFrame:
    """One row per line in `texts` (stripped lines), the Shape fields as columns, in Shape's order."""
    df = _form(pl.DataFrame({"text": texts.cast(pl.String)}).with_row_index("_row"))
    df = _with_furniture(df).sort("_row")
    fields = list(Shape.__dataclass_fields__)
    floats = ("stop_", "title_case", "digit_share", "widget_cover")
    return df.select("text", *[pl.col(f).cast(pl.Float64) if f.startswith(floats) else pl.col(f) for f in fields])


def _form(df: pl.DataFrame) -> pl.DataFrame:
    """The features every line gets: words, length, sentence ending, stopword shares, case, digits,
    caption credits."""
    vi, en = sorted(VI_STOPWORDS), sorted(EN_STOPWORDS)
    t = pl.col("text")
    df = df.with_columns(
        t.str.extract_all(rust_pattern(P.WORD)).alias("_words"),
        t.str.slice(-_TAIL).alias("_tail0"),
        t.str.count_matches(r"\p{L}").alias("_letters"),
        (t.str.count_matches(r"\p{Nd}") + (t.str.count_matches(f"[{re.escape(_EXTRA_DIGITS)}]")
                                          if _EXTRA_DIGITS else 0)).alias("_digits"),
    ).with_columns(
        pl.col("_words").list.len().cast(pl.Int64).alias("n_words"),
        pl.col("_tail0").str.replace(_SIGN_OFF_CUT, "$1").alias("_tail"),
    )
    words_low = pl.col("_words").list.eval(pl.element().str.to_lowercase())
    n = pl.max_horizontal(pl.col("n_words"), pl.lit(1))
    tail = pl.col("_tail")
    stripped_end = tail.str.strip_chars_end(_QUOTES_END)
    return df.with_columns(
        n_chars=t.str.len_chars().cast(pl.Int64),
        ends_sentence=_contains(tail, P.SENTENCE_END),
        ends_sentence_period=(stripped_end.str.ends_with(".") | stripped_end.str.ends_with("…")
                              | stripped_end.str.ends_with("!") | stripped_end.str.ends_with("。")
                              | stripped_end.str.ends_with("！")) & ~stripped_end.str.ends_with(".."),
        stop_vi=words_low.list.eval(pl.element().is_in(vi)).list.sum() / n,
        stop_en=words_low.list.eval(pl.element().is_in(en)).list.sum() / n,
        title_case=pl.col("_words").list.eval(pl.element().str.contains(r"^\p{Uppercase}")).list.sum() / n,
        clauses=_contains(t, P.CLAUSE),
        digit_share=pl.col("_digits") / pl.max_horizontal(pl.col("_letters") + pl.col("_digits"), pl.lit(1)),
        caption=(_contains(tail, P.CAPTION_PAREN) | _contains(tail, P.CAPTION_BY)
                 | _contains(tail, P.CAPTION_ILLUSTRATIVE)
                 | (_contains(tail, P.CAPTION_SUFFIX) & (pl.col("n_words") >= 4))
                 | _contains(t, P.CAPTION_PREFIX, anchored=True)),
    )


def _with_furniture(df: pl.DataFrame) -> pl.DataFrame:
    """Furniture tests only on the short lines they apply to, as line_shape does: Unicode word
    boundaries make some of these patterns slow in Rust's regex engine on long Vietnamese lines."""
    t, tail, few = pl.col("text"), pl.col("_tail"), pl.col("n_words")
    has_url = _contains(t, P.URL)
    url_free = t.str.replace_all(rust_pattern(P.URL), "").str.strip_chars(" :-–—|()[]")
    short = df.filter(few <= _SHORT).select("_row", "n_words", "text").with_columns(
        has_url=has_url,
        url_only=has_url & (url_free.str.len_chars() < 3),
        relative_time=_contains(t, P.RELATIVE_TIME, anchored=True),
        social_cta=(few <= 25) & _contains(t, P.SOCIAL_CTA),
        copyright=_contains(t, P.COPYRIGHT),
        counter=(few <= 4) & _contains(t, P.COUNTER),
        source_url=_extract(t, P.SOURCE_LINE, anchored=True).str.strip_chars_end(".,;"),
        domain=_extract(t, P.DOMAIN),
        email_or_phone=_contains(t, P.EMAIL) | _contains(t, P.PHONE),
    )
    heads = short.filter(few <= 16).select("_row", comment_head=_contains(t, P.COMMENT_HEAD))
    tiny = short.filter(few <= 12).select(
        "_row",
        breadcrumb=_contains(t, P.BREADCRUMB),
        _covered=_candidates(t, rust_pattern(P.WIDGET_WORDS)).str.extract_all(rust_pattern(P.WIDGET_WORDS))
        .list.eval(pl.element().str.len_chars()).list.sum(),
    )
    # Two slow patterns only where they can match at all: every date has a digit, every agency
    # credit says photo or ảnh.
    dated = short.filter(t.str.contains(r"\d")).select("_row", has_date=_contains(t, P.ANY_DATE))
    agency = df.filter(tail.str.contains("(?i)photo|ảnh")).select("_row", _agency=_contains(tail, P.CAPTION_AGENCY))
    flags = ["has_url", "url_only", "has_date", "relative_time", "social_cta", "copyright", "counter",
             "email_or_phone", "breadcrumb", "comment_head"]
    return (df.join(short.drop("n_words", "text"), on="_row", how="left").join(tiny, on="_row", how="left")
            .join(heads, on="_row", how="left")
            .join(dated, on="_row", how="left").join(agency, on="_row", how="left")
            .with_columns(pl.col(flags).fill_null(False),
                          caption=pl.col("caption") | pl.col("_agency").fill_null(False),
                          widget_cover=pl.col("_covered").fill_null(0) / pl.max_horizontal(pl.col("_letters"),
                                                                                           pl.lit(1))))


class ShapeBook(dict):
    """{line: Shape} for a shard's distinct lines, and the same shapes as one frame (`frame`, row
    `row[line]`) for code that reads a field of every line at once: the line model's features read
    ~20 fields, and reading them off 100k Shape objects cost more than computing them. `shapes` is
    in the frame's row order."""

    def __init__(self, frame: pl.DataFrame, shapes: dict[str, Shape]):
        super().__init__(shapes)
        self.frame = frame
        self.row = {text: i for i, text in enumerate(shapes)}


def shapes_for(texts) -> ShapeBook:
    """Shape of every distinct line among `texts`, computed in one vectorised pass."""
    series = pl.Series("text", list(texts), dtype=pl.String).unique()
    odd = series.str.contains(engines_differ())
    frame = shape_frame(series.filter(~odd))
    out = {row[0]: Shape(*row[1:]) for row in frame.iter_rows()}
    slow = {t: line_shape(t) for t in series.filter(odd).to_list()}
    if slow:
        frame = pl.concat([frame, pl.DataFrame([(t, *dataclasses.astuple(x)) for t, x in slow.items()],
                                               schema=frame.schema, orient="row")])
        out.update(slow)
    return ShapeBook(frame, out)
