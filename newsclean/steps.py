"""One function per pipeline step over one shard, reading and writing the run's work folder.

Steps take paths and return small summaries (never frames), so Prefect neither hashes nor pickles
data, and a step runs the same in a thread, a process or on a Dask worker that sees the same
filesystem. The flow in `flows/pipeline.py` only orders these calls.

Work folder layout (inside the run's staging folder, removed before the swap):
    docs/NNNNN.parquet        ingested, normalised documents of shard N
    keys/NNNNN.parquet        (site, line hash, page hash) triples for repetition counting
    quarantine/NNNNN.parquet  inputs that could not be read or cleaned
    repetition.parquet        furniture lines found over the whole batch
    clean/{passages,removed,meta}/NNNNN.parquet
    final/{documents,passages,removed}/NNNNN.parquet
"""
from __future__ import annotations

import time
from pathlib import Path

import polars as pl

from transforms.langid import detect_passages, document_languages
from transforms.pages import clean_documents
from transforms.repetition import RepetitionIndex, count_repetition, shard_line_keys

from .config import Config
from .rawfiles import DOC_SCHEMA, QUARANTINE_SCHEMA, read_files


def _part(work: Path, kind: str, shard: int) -> Path:
    path = work / kind / f"{shard:05d}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _write(frame: pl.DataFrame, path: Path) -> None:
    tmp = path.with_suffix(".parquet.partial")
    frame.write_parquet(tmp, compression="zstd", compression_level=1, statistics=False)
    tmp.replace(path)


def ingest_shard(shard: int, rel_paths: list[str], cfg: Config, work: Path) -> dict:
    """Read, decode and normalise a shard's raw files; emit its line keys for repetition counts."""
    t0 = time.perf_counter()
    docs, quarantine = read_files(cfg.raw, rel_paths, cfg.max_file_mb)
    _write(docs, _part(work, "docs", shard))
    _write(quarantine, _part(work, "quarantine", shard))
    _write(shard_line_keys(docs), _part(work, "keys", shard))
    return {"shard": shard, "step": "ingest", "pages": len(rel_paths), "documents": docs.height,
            "quarantined": quarantine.height, "bytes": int(docs["raw_size"].sum() or 0),
            "seconds": time.perf_counter() - t0}


def count_lines(cfg: Config, work: Path) -> dict:
    """Reduce all shards' line keys to the table of furniture lines."""
    t0 = time.perf_counter()
    files = sorted((work / "keys").glob("*.parquet"))
    triples = pl.scan_parquet(files) if files else pl.DataFrame(schema={"site_key": pl.String, "key": pl.UInt64, "page": pl.UInt64}).lazy()
    p = cfg.clean
    table = count_repetition(triples, p.site_repeat_min_docs, p.site_repeat_min_share,
                             p.batch_repeat_min_docs, p.batch_repeat_min_share)
    _write(table, work / "repetition.parquet")
    return {"step": "count", "furniture_lines": table.height, "seconds": time.perf_counter() - t0}


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
    _write(documents, _part(work, "final/documents", shard))
    _write(passages, _part(work, "final/passages", shard))
    _write(removed, _part(work, "final/removed", shard))
    by_lang = passages.group_by("lang").len().to_dict(as_series=False)
    return {"shard": shard, "step": "detect", "pages": documents.height, "passages": passages.height,
            "passages_by_lang": dict(zip(by_lang.get("lang", []), by_lang.get("len", []))),
            "seconds": time.perf_counter() - t0}
