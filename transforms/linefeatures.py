"""What a line looks like in its page, as numbers: the features the line model reads.

Everything the rule passes already know about a line (its shape, its kind alone and after
repetition, the role the rules gave it) plus where it stands: its place in the page and relative to
the article's anchor and end marker, how much article prose lies before and after it, what its
neighbours are, how dense prose is around it, and whether it looks like a comment's header
("Name said...", "Name — July 10, 2012 at 2:12 am") or follows one. Language-independent beyond the
vi/en stopword shares the shapes carry.
"""
from __future__ import annotations

import math

import numpy as np

from .classify import Kind, PageState
from .patterns import COMMENT_HEAD

KINDS = list(Kind)
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
    names += [f"kind_{k.value}" for k in KINDS] + [f"role_{r}" for r in ROLES]
    for off in OFFSETS:
        names += [f"n{off}_log_words", f"n{off}_prose", f"n{off}_ends_sentence", f"n{off}_short", f"n{off}_date",
                  f"n{off}_comment_head", f"n{off}_body"]
    return names


NAMES = feature_names()
COL = {name: i for i, name in enumerate(NAMES)}
KIND_COL = {k: COL[f"kind_{k.value}"] for k in KINDS}
ROLE_COL = {r: COL[f"role_{r}"] for r in ROLES}


def page_features(s: PageState) -> np.ndarray:
    """One row of NAMES per line of the page (float32)."""
    n = s.n
    X = np.zeros((n, len(NAMES)), dtype=np.float32)
    if n == 0:
        return X
    col = COL
    sh = s.shapes
    words = np.fromiter((x.n_words for x in sh), np.float32, n)
    prose = np.fromiter((k == Kind.PROSE for k in s.kinds), bool, n)
    heads = np.fromiter((x.n_words <= 16 and bool(COMMENT_HEAD.search(ln.text)) for ln, x in zip(s.lines, sh,
                                                                                               strict=True)), bool, n)
    body = np.fromiter((r.role == "body" for r in s.readings), bool, n)
    prose_words = np.where(prose, words, 0)
    total_prose = max(prose_words.sum(), 1.0)
    cum = np.cumsum(prose_words) - prose_words
    block, rank = _prose_blocks(prose, words)
    anchor = s.anchor if s.anchor is not None else -1
    # the line's own form, a column at a time (C-speed comprehensions, not a loop over cells)
    X[:, col["log_words"]] = np.log1p(words)
    X[:, col["log_chars"]] = np.log1p(np.fromiter((x.n_chars for x in sh), np.float32, n))
    for name in ("stop_vi", "stop_en", "title_case", "digit_share", "widget_cover", "prose", "headline_like",
                 *SHAPE_FLAGS):
        X[:, col[name]] = np.fromiter((getattr(x, name) for x in sh), np.float32, n)
    X[:, col["stop"]] = np.maximum(X[:, col["stop_vi"]], X[:, col["stop_en"]])
    X[:, col["source_url"]] = np.fromiter((x.source_url is not None for x in sh), np.float32, n)
    X[:, col["domain"]] = np.fromiter((x.domain is not None for x in sh), np.float32, n)
    X[:, col["blank_before"]] = np.fromiter((ln.blank_before for ln in s.lines), np.float32, n)
    X[:, col["comment_head"]] = heads
    X[:, col["repeated"]] = np.fromiter((k == Kind.REPEATED for k in s.kinds), np.float32, n)
    rows = np.arange(n)
    X[rows, np.fromiter((KIND_COL[k] for k in s.own), np.int64, n)] = 1.0
    X[rows, np.fromiter((ROLE_COL[r.role] for r in s.readings), np.int64, n)] = 1.0
    X[:, col["topic_score"]] = np.fromiter((-1.0 if r.score is None else r.score for r in s.readings), np.float32, n)
    idx = np.arange(n, dtype=np.float32)
    X[:, col["pos"]] = idx / n
    X[:, col["from_end_of_page"]] = (n - idx) / n
    X[:, col["has_anchor"]] = anchor >= 0
    X[:, col["rel_anchor"]] = (idx - anchor) / n if anchor >= 0 else -1.0
    X[:, col["rel_end"]] = (idx - s.end) / n
    X[:, col["before_anchor"]] = idx < anchor
    X[:, col["after_end"]] = idx >= s.end
    X[:, col["prose_before"]] = cum / total_prose
    X[:, col["prose_after"]] = (total_prose - cum - prose_words) / total_prose
    X[:, col["comment_heads_before"]] = np.minimum(np.cumsum(heads) - heads, 10)
    X[:, col["n_lines_log"]] = math.log1p(n)
    X[:, col["window_prose"]] = _window_sum(prose.astype(np.float32)) / (2 * WINDOW + 1)
    X[:, col["window_words"]] = np.log1p(_window_sum(prose_words))
    X[:, col["block_words_log"]] = np.log1p(block)
    X[:, col["block_rank"]] = rank
    short = np.array([k in (Kind.SHORT, Kind.HEADLINE) for k in s.kinds], dtype=np.float32)
    dated = np.array([sh.has_date or sh.relative_time for sh in s.shapes], dtype=np.float32)
    ends = np.array([sh.ends_sentence for sh in s.shapes], dtype=np.float32)
    for off in OFFSETS:
        for name, values in ((f"n{off}_log_words", np.log1p(words)), (f"n{off}_prose", prose.astype(np.float32)),
                             (f"n{off}_ends_sentence", ends), (f"n{off}_short", short), (f"n{off}_date", dated),
                             (f"n{off}_comment_head", heads.astype(np.float32)),
                             (f"n{off}_body", body.astype(np.float32))):
            X[:, col[name]] = _shift(values, off)
    return X


def _window_sum(values: np.ndarray) -> np.ndarray:
    """Sum of values[i - WINDOW .. i + WINDOW] (clipped at the page's edges)."""
    cs = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
    idx = np.arange(len(values))
    return (cs[np.minimum(idx + WINDOW + 1, len(values))] - cs[np.maximum(idx - WINDOW, 0)]).astype(np.float32)


def _shift(values: np.ndarray, off: int) -> np.ndarray:
    """values[i + off], -1 past the page's edges."""
    out = np.full(values.shape, -1.0, dtype=np.float32)
    if off > 0:
        out[:-off] = values[off:]
    else:
        out[-off:] = values[:off]
    return out


def _prose_blocks(prose: np.ndarray, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each line's prose block (prose lines joined across at most two short non-prose lines): the
    block's prose words, and its rank by size on the page (0 = the largest block)."""
    n = len(prose)
    block_id = np.full(n, -1)
    sizes: list[float] = []
    current, gap = -1, 0
    for i in range(n):
        if prose[i]:
            if current < 0 or gap > 2:
                sizes.append(0.0)
                current = len(sizes) - 1
            sizes[current] += words[i]
            block_id[i], gap = current, 0
        else:
            gap += 1
            if current >= 0 and gap <= 2:
                block_id[i] = current
    order = np.argsort(-np.array(sizes)) if sizes else np.array([], dtype=int)
    rank_of = np.empty(len(sizes), dtype=np.float32)
    rank_of[order] = np.arange(len(sizes))
    size = np.array([sizes[b] if b >= 0 else 0.0 for b in block_id], dtype=np.float32)
    rank = np.array([min(rank_of[b], 5) if b >= 0 else 6 for b in block_id], dtype=np.float32)
    return size, rank
