"""One function per pipeline step, reading and writing the run's work folder (`newsclean.layout`).

Steps take paths and return small summaries (never frames), so Prefect neither hashes nor pickles
data, and a step runs the same in a thread, a process or on a Dask worker that sees the same
filesystem. The flow in `flows/pipeline.py` only orders these calls:

    plan -> ingest (per shard) -> count -> clean (per shard) -> detect (per shard) -> dedup -> write
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from transforms.dedup import SIGNATURE_SCHEMA, find_duplicates, signatures
from transforms.langid import detect_passages, document_languages
from transforms.pages import clean_documents
from transforms.repetition import (
    KEY_SCHEMA,
    RepetitionIndex,
    count_repetition,
    page_line_hashes,
    page_lines,
    shard_line_keys,
)
from transforms.schema import RANKED_SIGNATURES

from . import dataset as D
from . import state
from .config import Config
from .layout import OutputFolder, WorkFolder, read_json, write_json, write_parquet
from .rawfiles import DOC_SCHEMA, QUARANTINE_SCHEMA, STATUS_SCHEMA, ShardReader, found_frame
from .runinfo import run_info
from .sources import Found, pages_per_shard, plan_shards, source_for


def timed_step(fn):
    """Add the step's `span` (epoch seconds at start and end) to its summary: the flow adds up the
    time some step function was running (its own work), so orchestration is measured, not guessed.
    Epoch time because a step may run in another process or on another machine."""
    @functools.wraps(fn)
    def run(*args, **kwargs) -> dict:
        began = time.time()
        with collector_paused():
            summary = fn(*args, **kwargs)
        return dict(summary, span=(began, time.time()))
    return run


class _CollectorPause:
    """Python's cyclic garbage collector off while any step runs. A step makes millions of small
    objects (lines, shapes, readings) that live until it ends and are freed by reference counting;
    the collector's repeated passes over them were ~12% of the clean step on real pages. Counted, as
    steps of one process may run in threads at once; the collector's state before is restored."""

    def __init__(self):
        self._lock, self._users, self._was_enabled = threading.Lock(), 0, False

    @contextlib.contextmanager
    def __call__(self):
        with self._lock:
            if self._users == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._was_enabled:
                    gc.enable()


collector_paused = _CollectorPause()


def work_seconds(spans: list[tuple[float, float]]) -> float:
    """Seconds during which at least one of the spans was running (their union's length)."""
    total, end = 0.0, float("-inf")
    for a, b in sorted(spans):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


@dataclass(frozen=True)
class RunPlan:
    """What `plan` decided: the run's identity, its staging folder and shards, and its mode."""
    run: dict
    staged: Path
    n_found: int
    n_readable: int
    n_shards: int
    previous_run_id: str | None
    rebuild_reason: str | None
    recovered: tuple[str, ...] = ()

    @property
    def work(self) -> WorkFolder:
        return OutputFolder(self.staged).work

    @property
    def mode(self) -> str:
        return f"incremental over {self.previous_run_id}" if self.rebuild_reason is None else \
            f"full ({self.rebuild_reason})"


@timed_step
def plan(cfg: Config) -> dict:
    """Tidy what an interrupted run left, read the previous run's state, find the raw files, name
    the run and cut its shards; everything later steps need goes into the work folder."""
    recovered = tuple(D.recover(cfg.out))
    prev = state.load_previous(cfg)
    found = source_for(cfg.raw).discover(cfg.skip_hidden)
    readable = [f.rel_path for f in found if f.problem is None]
    # the run id's tag: what was read, where it goes and what it builds on (two runs in one second
    # differ by their output or their previous run)
    digest = hashlib.sha256("\n".join([str(cfg.out.resolve()), prev.run_id or "", *readable]).encode()).hexdigest()
    run = run_info(digest)
    staged = D.staging_dir(cfg.out, run["run_id"])
    work = OutputFolder(staged).work
    work.root.mkdir(parents=True, exist_ok=True)
    shards = plan_shards(found, pages_per_shard(len(readable), cfg.shard_size, cfg.workers), cfg.shard_bytes)
    known = prev.known()
    by_path = {f.rel_path: f for f in found}
    write_json(work.plan, {"previous_run_id": prev.run_id, "rebuild_reason": prev.rebuild_reason,
                           "shards": len(shards)})
    for i, paths in enumerate(shards):
        work.shard_plan(i).parent.mkdir(parents=True, exist_ok=True)
        write_json(work.shard_plan(i), {"files": [dataclasses.asdict(by_path[p]) for p in paths],
                                        "known": {p: known[p] for p in paths if p in known}})
    write_parquet(found_frame(found), work.found)
    write_json(work.previous_inputs, prev.inputs)
    return {"step": "plan", "plan": RunPlan(run, staged, len(found), len(readable), len(shards), prev.run_id,
                                            prev.rebuild_reason, recovered)}


@timed_step
def ingest_shard(shard: int, cfg: Config, work: WorkFolder) -> dict:
    """Read a shard's raw files into records, decode and normalise them, and write them in parts of at
    most shard_size pages / shard_bytes of text, each with its line keys for repetition counts.
    Files an earlier run read with the same sha256 (or ETag) are only hashed."""
    t0 = time.perf_counter()
    mine = read_json(work.shard_plan(shard))
    parts: list[str] = []
    pages = 0

    def emit(docs: pl.DataFrame) -> None:
        nonlocal pages
        part = f"{shard:05d}-{len(parts):04d}"
        lines = [page_lines(text) for text in docs["text"].to_list()]
        docs = docs.with_columns(pl.Series("line_hashes", page_line_hashes(lines), dtype=DOC_SCHEMA["line_hashes"]))
        write_parquet(docs, work.ingested(part))
        write_parquet(shard_line_keys(docs, lines), work.line_keys(part))
        parts.append(part)
        pages += docs.height

    reader = ShardReader(source_for(cfg.raw), cfg.max_file_mb, cfg.input, mine["known"], emit, cfg.shard_size,
                         cfg.shard_bytes, cfg.lang)
    for f in mine["files"]:
        reader.read(Found(**f))
    reader.flush()
    status = reader.status.frame()
    write_parquet(reader.quarantine.frame(), work.quarantine(f"{shard:05d}"))
    write_parquet(status, work.status(shard))
    write_parquet(reader.filtered.frame(), work.filtered(f"{shard:05d}"))
    by_status = dict(status.group_by("status").len().iter_rows())
    return {"shard": shard, "step": "ingest", "parts": parts, "pages": pages + len(reader.filtered),
            "files": len(mine["files"]), "quarantined": len(reader.quarantine), "status": by_status,
            "seconds": time.perf_counter() - t0}


def load_found(work: WorkFolder) -> list[Found]:
    return [Found(**row) for row in pl.read_parquet(work.found).iter_rows(named=True)]


def _keep_earlier_rows(cfg: Config, work: WorkFolder) -> dict:
    """Which earlier rows this run keeps (newsclean.state.carry_plan), written as carry.json, and
    what this run found (new / changed / unchanged / gone), written as this_run.json."""
    ran = read_json(work.plan)
    prev = state.Previous(cfg.out, read_json(work.previous_inputs), ran["previous_run_id"], ran["rebuild_reason"])
    parts = work.all_status()
    status = pl.concat([pl.read_parquet(f) for f in parts]) if parts else pl.DataFrame(schema=STATUS_SCHEMA)
    found = load_found(work)
    carry = state.carry_plan(prev, {f.rel_path for f in found}, status, earlier_ids(OutputFolder(cfg.out)))
    write_json(work.carry, carry)
    by = dict(status.group_by("status").len().iter_rows()) if status.height else {}
    this_run = {"mode": "incremental" if prev.incremental else "full", "rebuild_reason": prev.rebuild_reason,
                "previous_run_id": prev.run_id, "inputs_seen": len(found), "new": int(by.get("new", 0)),
                "changed": int(by.get("changed", 0)), "unchanged": int(by.get("unchanged", 0)),
                "unreadable": int(by.get("failed", 0)), "gone": len(carry["gone"]),
                "documents_carried": len(carry["doc_ids"])}
    write_json(work.this_run, this_run)
    return carry


def earlier_ids(previous: OutputFolder) -> pl.DataFrame:
    """(doc_id, raw_path) of the previous dataset's documents and filtered pages."""
    frames = [pl.scan_parquet(p).select("doc_id", "raw_path") for table in ("documents", "filtered")
              for p in (previous.parts(table) if previous.manifest.exists() else [])]
    empty = pl.DataFrame(schema={"doc_id": pl.String, "raw_path": pl.String})
    return pl.concat(frames).collect() if frames else empty


@timed_step
def count_lines(cfg: Config, work: WorkFolder) -> dict:
    """The reduction between ingest and clean: decide which earlier rows stay, then reduce all line
    keys (this run's pages and the kept earlier ones) to the table of furniture lines, keeping every
    page's keys as the output's state for the next run."""
    t0 = time.perf_counter()
    carry = _keep_earlier_rows(cfg, work)
    parts = [pl.scan_parquet(f) for f in work.all_line_keys()]
    old = OutputFolder(cfg.out).line_keys
    if carry["doc_ids"] and old.exists():
        parts.append(pl.scan_parquet(old).filter(pl.col("doc_id").is_in(carry["doc_ids"])))
    keys_out = work.output.line_keys
    keys_out.parent.mkdir(parents=True, exist_ok=True)
    lf = pl.concat(parts, how="vertical_relaxed") if parts else pl.DataFrame(schema=KEY_SCHEMA).lazy()
    # shard order then the carried rows: deterministic without a sort (sorting 3M rows at 100k pages
    # held ~450 MB, the run's peak)
    lf.sink_parquet(keys_out, compression="zstd")
    p = cfg.clean
    table = count_repetition(pl.scan_parquet(keys_out), p.site_repeat_min_docs, p.site_repeat_min_share,
                             p.batch_repeat_min_docs, p.batch_repeat_min_share)
    write_parquet(table, work.repetition)
    return {"step": "count", "furniture_lines": table.height, "seconds": time.perf_counter() - t0}


@timed_step
def clean_shard(part: str, cfg: Config, work: WorkFolder) -> dict:
    """Classify every line of a part's documents; pages that raise go to quarantine."""
    t0 = time.perf_counter()
    docs = pl.read_parquet(work.ingested(part))
    table = pl.read_parquet(work.repetition) if work.repetition.exists() else None
    if table is not None and table.height:
        sites = docs["site_key"].unique().to_list()
        table = table.filter(pl.col("site_key").is_in(sites) | pl.col("site_key").is_null())
    cleaned = clean_documents(docs, RepetitionIndex(table), cfg.clean)
    for name in ("passages", "removed", "meta"):
        write_parquet(getattr(cleaned, name), work.cleaned(name, part))
    if cleaned.failed:
        msg = dict(cleaned.failed)
        rows = docs.filter(pl.col("doc_id").is_in(sorted(msg))).select(
            "raw_path", "raw_record", "raw_record_id", "raw_sha256", "raw_size",
            pl.lit("clean_failed").alias("error"), pl.col("doc_id").replace_strict(msg, return_dtype=pl.String).alias(
                "detail"))
        write_parquet(rows.select(list(QUARANTINE_SCHEMA)), work.quarantine(part))
    return {"shard": part, "step": "clean", "pages": docs.height, "passages": cleaned.passages.height,
            "removed": cleaned.removed.height, "failed": len(cleaned.failed), "seconds": time.perf_counter() - t0}


@timed_step
def detect_shard(part: str, cfg: Config, work: WorkFolder, run: dict) -> dict:
    """Language of every kept passage; assemble the part's final documents/passages/removed rows.
    With a language filter (`[input] languages`), documents whose body is in another language go to
    the filtered table with their passages and removed lines left out."""
    t0 = time.perf_counter()
    # provenance columns only: the documents' text was consumed by clean and is not needed again
    provenance = [c for c in DOC_SCHEMA if c not in ("text", "site_key", "line_hashes")]
    docs = pl.read_parquet(work.ingested(part), columns=provenance)
    passages = detect_passages(pl.read_parquet(work.cleaned("passages", part)), cfg.lang)
    documents = assemble_documents(docs, pl.read_parquet(work.cleaned("meta", part)), passages, run)
    removed = pl.read_parquet(work.cleaned("removed", part))
    if cfg.input.languages:
        out = documents.filter(pl.col("language").is_not_null() & ~pl.col("language").is_in(cfg.input.languages))
        write_parquet(out.select("doc_id", "raw_path", "raw_record", "url", "language",
                                 pl.lit("language").alias("reason")), work.filtered(part))
        documents = documents.filter(~pl.col("doc_id").is_in(out["doc_id"].implode()))
        passages = passages.filter(~pl.col("doc_id").is_in(out["doc_id"].implode()))
        removed = removed.filter(~pl.col("doc_id").is_in(out["doc_id"].implode()))
    passages = passages.with_columns(
        (pl.col("doc_id") + "-" + pl.col("seq").cast(pl.String).str.zfill(4)).alias("passage_id"))
    sigs = signatures(documents["doc_id"].to_list(), documents["text"].to_list(), cfg.dedup).join(
        documents.select("doc_id", "published", pl.col("processed_at").alias("seen")), on="doc_id")
    write_parquet(documents, work.final("documents", part))
    write_parquet(passages, work.final("passages", part))
    write_parquet(removed, work.final("removed", part))
    write_parquet(sigs, work.final("signatures", part))
    by_lang = passages.group_by("lang").len().to_dict(as_series=False)
    return {"shard": part, "step": "detect", "pages": documents.height, "passages": passages.height,
            "passages_by_lang": dict(zip(by_lang.get("lang", []), by_lang.get("len", []), strict=True)),
            "seconds": time.perf_counter() - t0}


def assemble_documents(docs: pl.DataFrame, meta: pl.DataFrame, passages: pl.DataFrame, run: dict) -> pl.DataFrame:
    """One row per cleaned page: provenance, what the cleaner read off the page (a title or time the
    container or markup states fills in where the text gives none), the body text (body passages
    joined by blank lines), language counts and the run's identity."""
    langs = document_languages(passages)
    body = (
        passages.filter(pl.col("role") == "body")
        .group_by("doc_id").agg(pl.col("text").sort_by("seq").str.join("\n\n").alias("text"))
    )
    counts = passages.group_by("doc_id").agg(pl.len().cast(pl.Int32).alias("n_passages"))
    return (
        docs.join(meta, on="doc_id", how="inner")
        .join(body, on="doc_id", how="left").join(langs, on="doc_id", how="left").join(counts, on="doc_id", how="left")
        .with_columns(
            pl.col("text").fill_null(""),
            pl.col("n_passages").fill_null(0),
            *(pl.col(f"lang_chars_{x}").fill_null(0) for x in ("vi", "en", "other")),
            pl.coalesce("title", "hint_title").alias("title"),
            pl.when(pl.col("published").is_null() & pl.col("hint_published").is_not_null())
            .then(_precision(pl.col("hint_published"))).otherwise(pl.col("published_precision"))
            .alias("published_precision"),
            pl.coalesce("published", "hint_published").alias("published"),
            pl.lit(run["run_id"]).alias("run_id"),
            pl.lit(run["pipeline_version"]).alias("pipeline_version"),
            pl.lit(run["processed_at"]).cast(pl.Datetime("us", "UTC")).alias("processed_at"),
        )
        .with_columns(pl.col("text").str.len_chars().cast(pl.Int64).alias("n_chars"))
    )


def _precision(t: pl.Expr) -> pl.Expr:
    """day, minute or second: what a stated time gives (midnight sharp is taken as a date alone)."""
    return (pl.when((t.dt.hour() == 0) & (t.dt.minute() == 0) & (t.dt.second() == 0)).then(pl.lit("day"))
            .when(t.dt.second() != 0).then(pl.lit("second")).otherwise(pl.lit("minute")))


@timed_step
def deduplicate(cfg: Config, work: WorkFolder) -> dict:
    """Mark exact and near duplicates over the whole dataset (this run's documents and the kept
    earlier ones), and keep every document's signature as the output's state."""
    t0 = time.perf_counter()
    carry = work.read_carry()
    parts = [pl.read_parquet(f) for f in work.all_final("signatures")]
    old = state.previous_frame(OutputFolder(cfg.out).signatures, "doc_id", carry["doc_ids"])
    if old is not None:
        parts.append(old)
    schema = RANKED_SIGNATURES.polars
    sigs = (pl.concat([p.select(list(schema)).cast(schema) for p in parts]) if parts else pl.DataFrame(schema=schema))
    sigs = sigs.unique("doc_id", keep="first").sort("doc_id")
    dups = find_duplicates(sigs.select(list(SIGNATURE_SCHEMA)), sigs.select("doc_id", "published", "seen"), cfg.dedup)
    sig_out = work.output.signatures
    sig_out.parent.mkdir(parents=True, exist_ok=True)
    sigs.write_parquet(sig_out, compression="zstd")
    write_parquet(dups, work.duplicates)
    kinds = dict(dups.group_by("duplicate_kind").len().iter_rows()) if dups.height else {}
    return {"step": "dedup", "documents": sigs.height, "duplicates": {k: int(v) for k, v in kinds.items()},
            "seconds": time.perf_counter() - t0}
