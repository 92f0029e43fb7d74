"""The `clean` step over a shard: ingested documents in, passages / removed lines / metadata out.

Plain function over polars frames so a flow, a test or a notebook can call it the same way. A page
whose reading raises is returned in `failed` with the exception's message instead of stopping the
shard (the flow quarantines it).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from .classify import KEPT_ROLES, CleanParams, PageState, apply_line_model, finish_page, rule_passes
from .linefeatures import COL, shard_features
from .linekinds import own_kinds
from .linemodel import load_model
from .lines import split_lines
from .repetition import RepetitionIndex, line_hashes, stored_line_hashes
from .schema import CLEAN_PASSAGES, PAGE_META, REMOVED
from .shapes import ShapeBook, shapes_for

PASSAGE_SCHEMA = CLEAN_PASSAGES.polars
REMOVED_SCHEMA = REMOVED.polars
META_SCHEMA = PAGE_META.polars


@dataclass
class CleanedShard:
    passages: pl.DataFrame
    removed: pl.DataFrame
    meta: pl.DataFrame
    failed: list[tuple[str, str]]   # (doc_id, error message)


def clean_documents(docs: pl.DataFrame, repetition: RepetitionIndex | None = None,
                    params: CleanParams | None = None) -> CleanedShard:
    """Classify every line of every document (columns doc_id, site_key, text, url)."""
    params = params or CleanParams()
    repetition = repetition or RepetitionIndex(None)
    passages: dict[str, list] = {k: [] for k in PASSAGE_SCHEMA}
    removed: dict[str, list] = {k: [] for k in REMOVED_SCHEMA}
    meta: dict[str, list] = {k: [] for k in META_SCHEMA}
    failed: list[tuple[str, str]] = []
    urls = docs["url"].to_list() if "url" in docs.columns else [None] * docs.height
    split: list[list | Exception] = []
    for text in docs["text"].to_list():
        try:
            split.append(split_lines(text))
        except Exception as exc:  # noqa: BLE001 - reported with its page below
            split.append(exc)
    # every distinct line of the shard shaped in one vectorised pass (the per-line cost of cleaning)
    shapes = shapes_for({ln.text for lines in split if not isinstance(lines, Exception) for ln in lines
                         if len(ln.text) <= params.max_line_chars})
    stored = stored_line_hashes(docs)
    if stored is None:
        hashes = line_hashes(ln.text for lines in split if not isinstance(lines, Exception) for ln in lines)
        stored = [None if isinstance(lines, Exception) else [hashes[ln.text] for ln in lines] for lines in split]
    # pass 1 for the shard's paragraphs at once; shorter lines are judged as pages meet them
    kinds: dict[str | tuple[str, bool], str] = own_kinds(shapes, params)
    states: list[tuple[str, str | None, PageState]] = []
    for doc_id, site, lines, url, page_hashes in zip(docs["doc_id"].to_list(), docs["site_key"].to_list(), split,
                                                     urls, stored, strict=True):
        try:
            if isinstance(lines, Exception):
                raise lines
            flags = repetition.shares(site, page_hashes)
            states.append((doc_id, url, rule_passes(lines, flags, params, shapes, kinds)))
        except Exception as exc:  # noqa: BLE001 - one bad page must not cost the shard
            failed.append((doc_id, f"{type(exc).__name__}: {exc}"))
    _line_model(states, params, failed, shapes)
    for doc_id, url, state in states:
        try:
            page = finish_page(state, url)
        except Exception as exc:  # noqa: BLE001
            failed.append((doc_id, f"{type(exc).__name__}: {exc}"))
            continue
        kept = [r for r in page.lines if r.role in KEPT_ROLES]
        gone = [r for r in page.lines if r.role not in KEPT_ROLES]
        _extend(passages, doc_id, kept, role=[r.role for r in kept], seq=range(len(kept)))
        _extend(removed, doc_id, gone, reason=[r.reason or r.role for r in gone])
        for k, v in (("doc_id", doc_id), ("title", page.title), ("published", page.published),
                     ("published_precision", page.published_precision), ("source_url", page.source_url),
                     ("publisher", page.publisher), ("publisher_site", page.publisher_site),
                     ("original_publisher", page.original_publisher), ("author", page.author),
                     ("body_end_marker", page.body_end_marker), ("n_lines", len(page.lines)),
                     ("n_removed", len(gone))):
            meta[k].append(v)
    return CleanedShard(
        passages=pl.DataFrame(passages, schema=PASSAGE_SCHEMA),
        removed=pl.DataFrame(removed, schema=REMOVED_SCHEMA),
        meta=pl.DataFrame(meta, schema=META_SCHEMA),
        failed=failed,
    )


def _line_model(states: list, params: CleanParams, failed: list, shapes: ShapeBook) -> None:
    """The line model over every page of the shard at once (one set of arrays, not one per page); a
    page whose features fail is quarantined like any other failure."""
    model = load_model() if params.use_line_model else None
    if model is None or not states:
        return
    try:
        X, seg = shard_features([state for _, _, state in states], shapes)
    except Exception:  # noqa: BLE001 - find the page that fails, quarantine it, go on with the rest
        ok = []
        for doc_id, url, state in states:
            try:
                shard_features([state])
                ok.append((doc_id, url, state))
            except Exception as exc:  # noqa: BLE001
                failed.append((doc_id, f"{type(exc).__name__}: {exc}"))
        states[:] = ok
        X, seg = shard_features([state for _, _, state in states], shapes)
    words = np.array([sh.n_words for _, _, state in states for sh in state.shapes], dtype=np.float32)
    p, spans = model.predict_shard(X, words, seg)
    heads = seg.split(X[:, COL["comment_head"]])
    for (_, _, state), page_p, page_heads, span in zip(states, seg.split(p), heads, spans, strict=True):
        apply_line_model(state, page_p, np.flatnonzero(page_heads > 0).tolist(), span)


def _extend(columns: dict[str, list], doc_id: str, readings: list, **extra) -> None:
    """Append one page's readings to column lists (a column at a time: per-row appends were a
    visible share of the clean step)."""
    lines = [r.line for r in readings]
    columns["doc_id"].extend([doc_id] * len(readings))
    columns["text"].extend([ln.text for ln in lines])
    columns["line_start"].extend([ln.line_no for ln in lines])
    columns["line_end"].extend([ln.line_no for ln in lines])
    columns["char_start"].extend([ln.char_start for ln in lines])
    columns["char_end"].extend([ln.char_end for ln in lines])
    columns["topic_score"].extend([r.score for r in readings])
    for name, values in extra.items():
        columns[name].extend(values)
