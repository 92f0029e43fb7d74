"""What a line looks like in its page, as numbers: the features the line model reads.

Everything the rule passes already know about a line (its shape, its kind alone and after
repetition, the role the rules gave it) plus where it stands: its place in the page and relative to
the article's anchor and end marker, how much article prose lies before and after it, what its
neighbours are, how dense prose is around it, and whether it looks like a comment's header
("Name said...", "Name — July 10, 2012 at 2:12 am") or follows one. Language-independent beyond the
vi/en stopword shares the shapes carry.
"""
from __future__ import annotations

from itertools import chain, repeat
from operator import attrgetter

import numpy as np
import polars as pl

from .classify import Kind, PageState
from .segments import Segments
from .shapes import ShapeBook

KINDS = list(Kind.ALL)
ROLES = ("title", "body", "caption", "boilerplate", "trailing_unrelated")
WINDOW = 3
OFFSETS = (-2, -1, 1, 2)

SHAPE_FLAGS = ("ends_sentence", "ends_sentence_period", "has_url", "url_only", "has_date", "relative_time", "caption",
               "social_cta", "copyright", "counter", "breadcrumb", "email_or_phone")


def feature_names() -> list[str]:
    names = ["log_words", "log_chars", "stop_vi", "stop_en", "stop", "title_case", "digit_share", "widget_cover",
             "source_url", "domain", "prose", "headline_like", "blank_before", "comment_head", "repeated",
             "pos", "from_end_of_page", "rel_anchor", "rel_end", "before_anchor", "after_end", "has_anchor",
             "prose_before", "prose_after", "comment_heads_before", "n_lines_log", "topic_score",
             "window_prose", "window_words", "block_words_log", "block_rank"]
    names += list(SHAPE_FLAGS)
    names += [f"kind_{k}" for k in KINDS] + [f"role_{r}" for r in ROLES]
    for off in OFFSETS:
        names += [f"n{off}_log_words", f"n{off}_prose", f"n{off}_ends_sentence", f"n{off}_short", f"n{off}_date",
                  f"n{off}_comment_head", f"n{off}_body"]
    return names


NAMES = feature_names()
COL = {name: i for i, name in enumerate(NAMES)}
KIND_COL = {k: COL[f"kind_{k}"] for k in KINDS}
ROLE_COL = {r: COL[f"role_{r}"] for r in ROLES}


def page_features(s: PageState) -> np.ndarray:
    """One row of NAMES per line of the page (float32)."""
    return shard_features([s])[0]


def shard_features(states: list[PageState], book: ShapeBook | None = None) -> tuple[np.ndarray, Segments]:
    """One row of NAMES per line of every page of a shard (float32), and the pages' segments. One
    array operation per feature for the whole shard (see transforms.segments). `book`: the shard's
    shapes as `shapes_for` gave them, read as one frame (the same values, faster)."""
    seg = Segments([s.n for s in states])
    X = np.zeros((seg.total, len(NAMES)), dtype=np.float32, order="F")  # filled a column at a time
    if seg.total == 0:
        return X, seg
    col = COL
    # one C-level pass per value over the shard's lines (map, fromiter): a Python tuple a line
    # was most of the line model's cost; shape values are read once per distinct shape
    shapes = [x for s in states for x in s.shapes]
    shape = _per_shape(shapes) if book is None else _from_book(book, states, shapes)
    readings = [r for s in states for r in s.readings]
    kind = _index_of(KIND_COL, chain.from_iterable(s.kinds for s in states), seg.total)
    own = _index_of(KIND_COL, chain.from_iterable(s.own for s in states), seg.total)
    role = _index_of(ROLE_COL, map(_role, readings), seg.total)
    words = shape[:, 0]
    body, prose = role == ROLE_COL["body"], kind == KIND_COL[Kind.PROSE]
    X[:, SHAPE_COLUMNS] = shape[:, 2:]
    X[:, col["blank_before"]] = np.fromiter(map(_blank_before, (ln for s in states for ln in s.lines)),
                                           dtype=np.float32, count=seg.total)
    X[:, col["repeated"]] = kind == KIND_COL[Kind.REPEATED]
    X[:, col["topic_score"]] = np.fromiter((-1.0 if r.score is None else r.score for r in readings),
                                           dtype=np.float32, count=seg.total)
    rows = np.arange(seg.total)
    X[rows, own] = 1.0
    X[rows, role] = 1.0
    X[:, col["log_words"]] = np.log1p(words)
    X[:, col["log_chars"]] = np.log1p(X[:, col["log_chars"]])
    X[:, col["stop"]] = np.maximum(X[:, col["stop_vi"]], X[:, col["stop_en"]])
    prose_words = np.where(prose, words, 0).astype(np.float32)
    total_prose = np.maximum(seg.page_sum(prose_words), 1.0)
    cum = seg.cumsum(prose_words) - prose_words
    block, rank = _prose_blocks(prose.tolist(), words.tolist(), seg)
    anchor = seg.per_line([s.anchor if s.anchor is not None else -1 for s in states]).astype(np.float32)
    end = seg.per_line([s.end for s in states]).astype(np.float32)
    n = seg.n.astype(np.float32)
    idx = seg.pos.astype(np.float32)
    # a comment's header stands below the article's first paragraph: above it, "Posted by timothy on
    # ..." or "Jan 12, 2008 2:04 AM (3 days ago)" heads the article itself
    heads = (shape[:, 1] > 0) & (idx > anchor)
    X[:, col["comment_head"]] = heads
    X[:, col["pos"]] = idx / n
    X[:, col["from_end_of_page"]] = (n - idx) / n
    X[:, col["has_anchor"]] = anchor >= 0
    X[:, col["rel_anchor"]] = np.where(anchor >= 0, (idx - anchor) / n, -1.0)
    X[:, col["rel_end"]] = (idx - end) / n
    X[:, col["before_anchor"]] = idx < anchor
    X[:, col["after_end"]] = idx >= end
    X[:, col["prose_before"]] = cum / total_prose
    X[:, col["prose_after"]] = (total_prose - cum - prose_words) / total_prose
    X[:, col["comment_heads_before"]] = np.minimum(seg.cumsum(heads.astype(np.float32)) - heads, 10)
    X[:, col["n_lines_log"]] = np.log1p(n)
    X[:, col["window_prose"]] = seg.window_sum(prose.astype(np.float32), WINDOW)[0] / (2 * WINDOW + 1)
    X[:, col["window_words"]] = np.log1p(seg.window_sum(prose_words, WINDOW)[0])
    X[:, col["block_words_log"]] = np.log1p(block)
    X[:, col["block_rank"]] = rank
    short = np.isin(kind, [KIND_COL[k] for k in _SHORT_KINDS]).astype(np.float32)
    dated = np.maximum(X[:, col["has_date"]], X[:, col["relative_time"]])
    ends = X[:, col["ends_sentence"]]
    for off in OFFSETS:
        for name, values in ((f"n{off}_log_words", np.log1p(words)), (f"n{off}_prose", prose.astype(np.float32)),
                             (f"n{off}_ends_sentence", ends), (f"n{off}_short", short), (f"n{off}_date", dated),
                             (f"n{off}_comment_head", heads.astype(np.float32)),
                             (f"n{off}_body", body.astype(np.float32))):
            X[:, col[name]] = seg.shift(values, off)
    return X, seg


# columns filled from a line's shape (after its two leading working values, words and comment head)
SHAPE_VALUES = ("n_chars", "stop_vi", "stop_en", "title_case", "digit_share", "widget_cover", "prose", "headline_like",
                *SHAPE_FLAGS)
SHAPE_COLUMNS = [COL["log_chars"], *(COL[name] for name in SHAPE_VALUES[1:]), COL["source_url"], COL["domain"]]
_SHAPE_GETTERS = [attrgetter(name) for name in ("n_words", "comment_head", *SHAPE_VALUES)] + [
    lambda x: x.source_url is not None, lambda x: x.domain is not None]
_PROPERTIES = ("prose", "headline_like")
_SHORT_KINDS = (Kind.SHORT, Kind.HEADLINE)
_role = attrgetter("role")
_blank_before = attrgetter("blank_before")


def _per_shape(shapes: list) -> np.ndarray:
    """Each line's shape values (words, comment head, then SHAPE_COLUMNS), read once per distinct
    Shape object and spread to its lines by index."""
    distinct = list({id(x): x for x in shapes}.values())
    where = {id(x): i for i, x in enumerate(distinct)}
    table = np.empty((len(distinct), len(_SHAPE_GETTERS)), dtype=np.float32)
    for c, get in enumerate(_SHAPE_GETTERS):
        table[:, c] = np.fromiter(map(get, distinct), dtype=np.float32, count=len(distinct))
    return table[np.fromiter(map(where.__getitem__, map(id, shapes)), dtype=np.int64, count=len(shapes))]


def _from_book(book: ShapeBook, states: list[PageState], shapes: list) -> np.ndarray:
    """As `_per_shape`, with the values of every line in the book taken from its frame (the others,
    oversized lines, read off their Shape objects)."""
    frame = book.frame.select(
        *[pl.lit(0.0).alias(name) if name in _PROPERTIES else pl.col(name)
          for name in ("n_words", "comment_head", *SHAPE_VALUES)],
        pl.col("source_url").is_not_null(), pl.col("domain").is_not_null())
    # a last row of zeros for lines not in the book (index -1), replaced below
    table = np.concatenate([frame.cast(pl.Float32).to_numpy(), np.zeros((1, frame.width), dtype=np.float32)])
    for name in _PROPERTIES:  # computed properties of a Shape, not columns of the frame
        c = 2 + SHAPE_VALUES.index(name)
        table[:-1, c] = np.fromiter(map(_SHAPE_GETTERS[c], book.values()), dtype=np.float32, count=len(book))
    texts = (ln.text for s in states for ln in s.lines)
    rows = np.fromiter(map(book.row.get, texts, repeat(-1)), dtype=np.int64, count=len(shapes))
    out = table[rows]
    missing = np.flatnonzero(rows < 0)
    if missing.size:
        out[missing] = _per_shape([shapes[i] for i in missing.tolist()])
    return out


def _index_of(columns: dict[str, int], values, n: int) -> np.ndarray:
    """Each value's one-hot column (a kind's or a role's)."""
    return np.fromiter(map(columns.__getitem__, values), dtype=np.int64, count=n)


def comment_heads(X: np.ndarray) -> list[int]:
    """The lines a page's features mark as a comment's header."""
    return np.flatnonzero(X[:, COL["comment_head"]] > 0).tolist()


def _prose_blocks(prose: list[bool], words: list[float], seg: Segments) -> tuple[np.ndarray, np.ndarray]:
    """Each line's prose block (prose lines joined across at most two short non-prose lines, within
    its page): the block's prose words, and its rank by size on the page (0 = the largest block)."""
    size_out: list[float] = []
    rank_out: list[float] = []
    for start, length in zip(seg.starts.tolist(), seg.lengths.tolist(), strict=True):
        block_id = [-1] * length
        sizes: list[float] = []
        current, gap = -1, 0
        for i in range(length):
            if prose[start + i]:
                if current < 0 or gap > 2:
                    sizes.append(0.0)
                    current = len(sizes) - 1
                sizes[current] += words[start + i]
                block_id[i], gap = current, 0
            else:
                gap += 1
                if current >= 0 and gap <= 2:
                    block_id[i] = current
        rank_of = [0] * len(sizes)
        if len(sizes) > 1:  # the order the model was trained with (numpy's argsort, ties included)
            for r, b in enumerate(np.argsort(-np.array(sizes)).tolist()):
                rank_of[b] = r
        size_out += [sizes[b] if b >= 0 else 0.0 for b in block_id]
        rank_out += [min(rank_of[b], 5) if b >= 0 else 6 for b in block_id]
    return np.array(size_out, dtype=np.float32), np.array(rank_out, dtype=np.float32)
