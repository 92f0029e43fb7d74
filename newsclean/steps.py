"""One function per pipeline step over one shard, reading and writing the run's work folder.

Steps take paths and return small summaries (never frames), so Prefect neither hashes nor pickles
data, and a step runs the same in a thread, a process or on a Dask worker that sees the same
filesystem. The flow in `flows/pipeline.py` only orders these calls.

Work folder layout (inside the run's staging folder, removed before the swap):
    docs/NNNNN.parquet        ingested, normalised documents of shard N
    keys/NNNNN.parquet        (doc, site, line hash, page hash) rows for repetition counting
    status/NNNNN.parquet      new / changed / unchanged / failed per input (incremental runs)
    quarantine/NNNNN.parquet  inputs that could not be read or cleaned
    carry.json                which earlier rows this run keeps (see newsclean.state)
    repetition.parquet        furniture lines found over the whole dataset
    clean/{passages,removed,meta}/NNNNN.parquet
    final/{documents,passages,removed,signatures}/NNNNN.parquet
    duplicates.parquet        duplicate marks over the whole dataset
The staging folder's `state/` (line keys and signatures of every document) is part of the output.
"""
from __future__ import annotations

import functools
import json
import time
from pathlib import Path

import polars as pl

from transforms.dedup import SIGNATURE_SCHEMA, find_duplicates, signatures
from transforms.langid import detect_passages, document_languages
from transforms.pages import clean_documents
from transforms.repetition import KEY_SCHEMA, RepetitionIndex, count_repetition, shard_line_keys
from transforms.schema import RANKED_SIGNATURES

from . import state
from .config import Config
from .rawfiles import DOC_SCHEMA, QUARANTINE_SCHEMA, read_files


def timed_step(fn):
    """Add the step's `span` (epoch seconds at start and end) to its summary: the flow adds up the
    time some step function was running (its own work), so orchestration is measured, not guessed.
    Epoch time because a step may run in another process or on another machine."""
    @functools.wraps(fn)
    def run(*args, **kwargs) -> dict:
        began = time.time()
        summary = fn(*args, **kwargs)
        return dict(summary, span=(began, time.time()))
    return run


def work_seconds(spans: list[tuple[float, float]]) -> float:
    """Seconds during which at least one of the spans was running (their union's length)."""
    total, end = 0.0, float("-inf")
    for a, b in sorted(spans):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def _part(work: Path, kind: str, shard: int) -> Path:
    path = work / kind / f"{shard:05d}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _write(frame: pl.DataFrame, path: Path) -> None:
    tmp = path.with_suffix(".parquet.partial")
    frame.write_parquet(tmp, compression="zstd", compression_level=1, statistics=False)
    tmp.replace(path)


@timed_step
def ingest_shard(shard: int, rel_paths: list[str], cfg: Config, work: Path, known: dict[str, str] | None = None) -> dict:
    """Read, decode and normalise a shard's raw files; emit its line keys for repetition counts.
    Files whose (path, sha256) is in `known` were processed by an earlier run: only hashed."""
    t0 = time.perf_counter()
    docs, quarantine, status = read_files(cfg.raw, rel_paths, cfg.max_file_mb, known)
    _write(docs, _part(work, "docs", shard))
    _write(quarantine, _part(work, "quarantine", shard))
    _write(status, _part(work, "status", shard))
    _write(shard_line_keys(docs), _part(work, "keys", shard))
    by_status = dict(status.group_by("status").len().iter_rows())
    return {"shard": shard, "step": "ingest", "pages": len(rel_paths), "documents": docs.height,
            "quarantined": quarantine.height, "bytes": int(docs["raw_size"].sum() or 0),
            "status": by_status, "seconds": time.perf_counter() - t0}


def save_inputs(work: Path, found: list, previous_inputs: dict[str, dict]) -> None:
    """What discovery found and what the previous run held, as files for the write step: passed as
    task arguments they would be walked by Prefect item by item (seconds per 100,000 inputs)."""
    from .rawfiles import found_frame

    _write(found_frame(found), work / "found.parquet")
    (work / "previous_inputs.json").write_text(json.dumps(previous_inputs, ensure_ascii=False), encoding="utf-8")


def load_inputs(work: Path) -> tuple[list, dict[str, dict]]:
    from .rawfiles import Found

    found = [Found(*row) for row in pl.read_parquet(work / "found.parquet").iter_rows()]
    previous = json.loads((work / "previous_inputs.json").read_text(encoding="utf-8"))
    return found, previous


def read_carry(work: Path) -> dict:
    path = work / "carry.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {
        "doc_ids": [], "doc_paths": [], "quarantine_paths": [], "gone": []}


@timed_step
def count_lines(cfg: Config, work: Path) -> dict:
    """Reduce all line keys (this run's pages and the kept earlier ones) to the table of furniture
    lines, and keep every page's keys as the output's state for the next run."""
    t0 = time.perf_counter()
    carry = read_carry(work)
    parts = [pl.scan_parquet(f) for f in sorted((work / "keys").glob("*.parquet"))]
    old = cfg.out / state.LINE_KEYS
    if carry["doc_ids"] and old.exists():
        parts.append(pl.scan_parquet(old).filter(pl.col("doc_id").is_in(carry["doc_ids"])))
    keys_out = work.parent / state.LINE_KEYS
    keys_out.parent.mkdir(parents=True, exist_ok=True)
    lf = pl.concat(parts, how="vertical_relaxed") if parts else pl.DataFrame(schema=KEY_SCHEMA).lazy()
    # shard order then the carried rows: deterministic without a sort (sorting 3M rows at 100k pages
    # held ~450 MB, the run's peak)
    lf.sink_parquet(keys_out, compression="zstd")
    p = cfg.clean
    table = count_repetition(pl.scan_parquet(keys_out), p.site_repeat_min_docs, p.site_repeat_min_share,
                             p.batch_repeat_min_docs, p.batch_repeat_min_share)
    _write(table, work / "repetition.parquet")
    return {"step": "count", "furniture_lines": table.height, "seconds": time.perf_counter() - t0}


@timed_step
def clean_shard(shard: int, cfg: Config, work: Path) -> dict:
    """Classify every line of the shard's documents; pages that raise go to quarantine."""
    t0 = time.perf_counter()
    docs = pl.read_parquet(_part(work, "docs", shard))
    rep_path = work / "repetition.parquet"
    table = pl.read_parquet(rep_path) if rep_path.exists() else None
    if table is not None and table.height:
        sites = docs["site_key"].unique().to_list()
        table = table.filter(pl.col("site_key").is_in(sites) | pl.col("site_key").is_null())
    cleaned = clean_documents(docs, RepetitionIndex(table), cfg.clean)
    _write(cleaned.passages, _part(work, "clean/passages", shard))
    _write(cleaned.removed, _part(work, "clean/removed", shard))
    _write(cleaned.meta, _part(work, "clean/meta", shard))
    if cleaned.failed:
        failed_ids = sorted({d for d, _ in cleaned.failed})
        rows = docs.filter(pl.col("doc_id").is_in(failed_ids)).select("doc_id", "raw_path", "raw_sha256", "raw_size")
        msg = dict(cleaned.failed)
        extra = rows.with_columns(pl.lit("clean_failed").alias("error"),
                                  pl.col("doc_id").replace_strict(msg, return_dtype=pl.String).alias("detail")).drop("doc_id")
        q = pl.concat([pl.read_parquet(_part(work, "quarantine", shard)), extra.select(list(QUARANTINE_SCHEMA))])
        _write(q, _part(work, "quarantine", shard))
    return {"shard": shard, "step": "clean", "pages": docs.height, "passages": cleaned.passages.height,
            "removed": cleaned.removed.height, "failed": len(cleaned.failed), "seconds": time.perf_counter() - t0}


@timed_step
def detect_shard(shard: int, cfg: Config, work: Path, run: dict) -> dict:
    """Language of every kept passage; assemble the shard's final documents/passages/removed rows."""
    t0 = time.perf_counter()
    # provenance columns only: the documents' text was consumed by clean and is not needed again
    docs = pl.read_parquet(_part(work, "docs", shard), columns=[c for c in DOC_SCHEMA if c not in ("text", "site_key", "url")])
    passages = detect_passages(pl.read_parquet(_part(work, "clean/passages", shard)), cfg.lang)
    removed = pl.read_parquet(_part(work, "clean/removed", shard))
    meta = pl.read_parquet(_part(work, "clean/meta", shard))
    langs = document_languages(passages)
    body = (
        passages.filter(pl.col("role") == "body")
        .group_by("doc_id").agg(pl.col("text").sort_by("seq").str.join("\n\n").alias("text"))
    )
    counts = passages.group_by("doc_id").agg(pl.len().cast(pl.Int32).alias("n_passages"))
    documents = (
        docs.join(meta, on="doc_id", how="inner")
        .join(body, on="doc_id", how="left").join(langs, on="doc_id", how="left").join(counts, on="doc_id", how="left")
        .with_columns(
            pl.col("text").fill_null(""),
            pl.col("n_passages").fill_null(0),
            *(pl.col(f"lang_chars_{x}").fill_null(0) for x in ("vi", "en", "other")),
            pl.lit(run["run_id"]).alias("run_id"),
            pl.lit(run["pipeline_version"]).alias("pipeline_version"),
            pl.lit(run["processed_at"]).cast(pl.Datetime("us", "UTC")).alias("processed_at"),
        )
        .with_columns(pl.col("text").str.len_chars().cast(pl.Int64).alias("n_chars"))
    )
    passages = passages.with_columns(
        (pl.col("doc_id") + "-" + pl.col("seq").cast(pl.String).str.zfill(4)).alias("passage_id"))
    sigs = signatures(documents["doc_id"].to_list(), documents["text"].to_list(), cfg.dedup).join(
        documents.select("doc_id", "published", pl.col("processed_at").alias("seen")), on="doc_id")
    _write(documents, _part(work, "final/documents", shard))
    _write(passages, _part(work, "final/passages", shard))
    _write(removed, _part(work, "final/removed", shard))
    _write(sigs, _part(work, "final/signatures", shard))
    by_lang = passages.group_by("lang").len().to_dict(as_series=False)
    return {"shard": shard, "step": "detect", "pages": documents.height, "passages": passages.height,
            "passages_by_lang": dict(zip(by_lang.get("lang", []), by_lang.get("len", []))),
            "seconds": time.perf_counter() - t0}


@timed_step
def deduplicate(cfg: Config, work: Path) -> dict:
    """Mark exact and near duplicates over the whole dataset (this run's documents and the kept
    earlier ones), and keep every document's signature as the output's state."""
    t0 = time.perf_counter()
    carry = read_carry(work)
    parts = [pl.read_parquet(f) for f in sorted((work / "final/signatures").glob("*.parquet"))]
    old = state.previous_frame(cfg.out, state.SIGNATURES, "doc_id", carry["doc_ids"])
    if old is not None:
        parts.append(old)
    schema = RANKED_SIGNATURES.polars
    sigs = (pl.concat([p.select(list(schema)).cast(schema) for p in parts]) if parts else pl.DataFrame(schema=schema))
    sigs = sigs.unique("doc_id", keep="first").sort("doc_id")
    dups = find_duplicates(sigs.select(list(SIGNATURE_SCHEMA)), sigs.select("doc_id", "published", "seen"), cfg.dedup)
    sig_out = work.parent / state.SIGNATURES
    sig_out.parent.mkdir(parents=True, exist_ok=True)
    sigs.write_parquet(sig_out, compression="zstd")
    _write(dups, work / "duplicates.parquet")
    kinds = dict(dups.group_by("duplicate_kind").len().iter_rows()) if dups.height else {}
    return {"step": "dedup", "documents": sigs.height, "duplicates": {k: int(v) for k, v in kinds.items()},
            "seconds": time.perf_counter() - t0}
