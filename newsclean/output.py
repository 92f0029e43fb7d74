"""The `write` step: final tables, JSON Lines, manifest and dataset card into the staging folder.

In phases, each a function of its own: merge the quarantine, write the tables (this run's rows plus
the earlier rows the carry plan keeps, with duplicate marks over all documents), list the state
files, build the input ledger and the counts, render the card, checksum every file, write the
manifest. The manifest is written last: a staging folder without one is unfinished by definition.
"""
from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from transforms.schema import DOCUMENTS, DUPLICATES, PUBLISHED

from . import dataset as D
from .card import render_card
from .config import Config
from .layout import STATE_LINE_KEYS, STATE_SIGNATURES, OutputFolder, WorkFolder, read_json, write_json
from .rawfiles import QUARANTINE_SCHEMA, Found, quarantine_found
from .steps import load_found

DUP_COLUMNS = ("duplicate_of", "duplicate_similarity", "duplicate_kind")
# What each table's rows are counted by in the manifest: column -> counts key.
COUNTED_BY = {
    "documents": {"language": "documents_by_language", "duplicate_kind": "duplicates_by_kind"},
    "passages": {"lang": "passages_by_language", "role": "passages_by_role"},
    "removed": {"reason": "removed_by_reason"},
}


def write_output(cfg: Config, work: WorkFolder, run: dict, step_seconds: dict[str, float],
                 work_seconds: dict[str, float] | None = None) -> dict:
    """Write every table and file of the contract into the staging folder, shard by shard (memory
    stays flat). Returns the manifest's summary (run_id, counts, step_seconds, step_work_seconds):
    the full manifest lists every input and stays on disk. `step_seconds` are each step's wall time
    as the flow saw it (Prefect's per-task cost included), `work_seconds` the time its functions ran."""
    t0 = time.perf_counter()
    folder, previous = work.output, OutputFolder(cfg.out)
    carry, found = work.read_carry(), load_found(work)
    new_quarantine, quarantine = merge_quarantine(work, previous, carry, found)
    written = write_tables(folder, work, previous, cfg, carry, clean_failed_paths(new_quarantine))
    written.add_table(folder, write_quarantine(folder, quarantine, cfg.row_group_rows), "quarantine")
    written.outputs += state_outputs(folder)
    this_run = dict(read_json(work.this_run), quarantined=new_quarantine.height,
                    documents_written=written.new_documents.height)
    inputs = input_ledger(found, written.new_documents, new_quarantine, read_json(work.previous_inputs), carry,
                          run["run_id"])
    counts = dataset_counts(inputs, written, quarantine, this_run)
    render_card(folder.card, cfg, run, counts)
    written.outputs.append({"path": "README.md", "rows": None, "format": "markdown"})
    checksum(folder, written.outputs)
    step_seconds = dict(step_seconds, write=round(time.perf_counter() - t0, 3))
    work_seconds = dict(work_seconds or {}, write=step_seconds["write"])
    manifest = {
        "run_id": run["run_id"],
        "pipeline_version": run["pipeline_version"],
        "processed_at": run["processed_at"].isoformat().replace("+00:00", "Z"),
        "raw_root": str(cfg.raw),
        "config": cfg.to_dict(),
        "method": json.loads(json.dumps(cfg.method_dict(), default=str)),
        "counts": counts,
        "step_seconds": step_seconds,
        "step_work_seconds": work_seconds,
        "inputs": inputs,
        "outputs": written.outputs,
    }
    shutil.rmtree(work.root, ignore_errors=True)
    write_json(folder.manifest, manifest)
    return {k: manifest[k] for k in ("run_id", "counts", "step_seconds", "step_work_seconds")}


def merge_quarantine(work: WorkFolder, previous: OutputFolder, carry: dict,
                     found: list[Found]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(this run's quarantine rows, all quarantine rows): the steps' rows, what discovery judged
    unreadable, and the earlier rows the carry plan keeps."""
    new = pl.concat([pl.read_parquet(f) for f in work.all_quarantine()] + [quarantine_found(found)],
                    how="vertical_relaxed").select(list(QUARANTINE_SCHEMA))
    kept = [pl.read_parquet(f).filter(pl.col("raw_path").is_in(carry["quarantine_paths"]))
            for f in _previous_parts(previous, "quarantine")] if carry["quarantine_paths"] else []
    return new, pl.concat([new, *(q.select(list(QUARANTINE_SCHEMA)) for q in kept)], how="vertical_relaxed")


def clean_failed_paths(new_quarantine: pl.DataFrame) -> list[str]:
    """Pages quarantined by this run's `clean` step: they are not documents."""
    return new_quarantine.filter(pl.col("error") == "clean_failed")["raw_path"].to_list()


@dataclass
class Written:
    """What the table writers produced: output entries, per-column counts, rows per table, and the
    (raw_path, raw_sha256, doc_id, raw_size) of the documents this run wrote."""
    outputs: list[dict] = field(default_factory=list)
    counts_by: dict[str, dict[str, int]] = field(default_factory=lambda: {
        "documents_by_language": {}, "passages_by_language": {}, "passages_by_role": {}, "removed_by_reason": {},
        "duplicates_by_kind": {}})
    rows: dict[str, int] = field(default_factory=dict)
    new_documents: pl.DataFrame = field(
        default_factory=lambda: DOCUMENTS.empty().select("raw_path", "raw_sha256", "doc_id", "raw_size"))

    def add_table(self, folder: OutputFolder, writer: D.TableWriter, name: str) -> None:
        for f in writer.close():
            self.outputs.append({"path": folder.relative(f["path"]), "rows": f["rows"], "format": f["format"]})
        self.rows[name] = writer.rows

    def count(self, name: str, frame: pl.DataFrame) -> None:
        for col, key in COUNTED_BY.get(name, {}).items():
            for k, v in _count(frame, col).items():
                if k != "None":
                    self.counts_by[key][k] = self.counts_by[key].get(k, 0) + v


def write_tables(folder: OutputFolder, work: WorkFolder, previous: OutputFolder, cfg: Config, carry: dict,
                 clean_failed: list[str]) -> Written:
    """documents, passages and removed: the earlier parts' kept rows, then this run's shards."""
    written = Written()
    dups = pl.read_parquet(work.duplicates) if work.duplicates.exists() else DUPLICATES.empty()
    keep_ids = carry["doc_ids"]
    new_ids: list[pl.DataFrame] = []
    for name in ("documents", "passages", "removed"):
        writer = D.TableWriter(name, output_sinks(folder, name, cfg.row_group_rows))
        sources = [(p, False) for p in (_previous_parts(previous, name) if keep_ids else [])]
        sources += [(p, True) for p in work.all_final(name)]
        for part, is_new in sources:
            frame = pl.read_parquet(part)
            if not is_new:
                frame = frame.filter(pl.col("doc_id").is_in(keep_ids))
            if name == "documents":
                if is_new and clean_failed:
                    frame = frame.filter(~pl.col("raw_path").is_in(clean_failed))
                if is_new:
                    new_ids.append(frame.select("raw_path", "raw_sha256", "doc_id", "raw_size"))
                frame = (frame.drop(DUP_COLUMNS, strict=False).join(dups, on="doc_id", how="left")
                         .with_columns(pl.lit(cfg.license).alias("license")))
            frame = frame.select(PUBLISHED[name].names)
            written.count(name, frame)
            writer.add(frame)
        written.add_table(folder, writer, name)
    if new_ids:
        written.new_documents = pl.concat(new_ids)
    return written


def output_sinks(folder: OutputFolder, name: str, row_group_rows: int) -> list[D.Sink]:
    """Every table as Parquet parts; documents and passages as JSON Lines too."""
    sinks: list[D.Sink] = [D.ParquetParts(folder.table(name), name, row_group_rows)]
    if name in D.JSONL_TABLES:
        sinks.append(D.JsonLines(folder.jsonl(name)))
    return sinks


def write_quarantine(folder: OutputFolder, quarantine: pl.DataFrame, row_group_rows: int) -> D.TableWriter:
    writer = D.TableWriter("quarantine", output_sinks(folder, "quarantine", row_group_rows))
    writer.add(quarantine)
    return writer


def state_outputs(folder: OutputFolder) -> list[dict]:
    """The state files the next incremental run needs, as manifest output entries."""
    out = []
    for rel in (STATE_LINE_KEYS, STATE_SIGNATURES):
        path = folder.root / rel
        if path.exists():
            out.append({"path": rel, "rows": pl.scan_parquet(path).select(pl.len()).collect().item(),
                        "format": "parquet-state"})
    return out


def dataset_counts(inputs: list[dict], written: Written, quarantine: pl.DataFrame, this_run: dict) -> dict:
    return {
        "inputs": len(inputs),
        "documents": written.rows["documents"],
        "passages": written.rows["passages"],
        "removed_lines": written.rows["removed"],
        "quarantined": quarantine.height,
        "skipped": sum(1 for e in inputs if e["outcome"].startswith("skipped")),
        "duplicates": sum(written.counts_by["duplicates_by_kind"].values()),
        **{k: dict(sorted(v.items())) for k, v in written.counts_by.items()},
        "quarantined_by_error": _count(quarantine, "error"),
        "this_run": this_run,
    }


def checksum(folder: OutputFolder, outputs: list[dict]) -> None:
    for o in outputs:
        p = folder.root / o["path"]
        o["sha256"], o["bytes"] = D.sha256_file(p), p.stat().st_size


def _previous_parts(previous: OutputFolder, table: str) -> list[Path]:
    return previous.parts(table) if previous.manifest.exists() else []


def _count(frame: pl.DataFrame, column: str) -> dict[str, int]:
    if frame.height == 0:
        return {}
    got = frame.group_by(column).len().sort(column, nulls_last=True).to_dict(as_series=False)
    return {str(k): int(v) for k, v in zip(got[column], got["len"], strict=True)}


def input_ledger(found: list[Found], docs: pl.DataFrame, quarantine: pl.DataFrame, previous: dict[str, dict],
                 carry: dict, run_id: str) -> list[dict]:
    """One entry per input the dataset accounts for: this run's files (new readings, or the earlier
    entry when unchanged) and the earlier files no longer under the raw root (`present: false`)."""
    by_doc = {r["raw_path"]: r for r in docs.iter_rows(named=True)}
    by_q = {r["raw_path"]: r for r in quarantine.iter_rows(named=True)}
    kept_docs = set(carry["doc_paths"])
    out = []
    for f in found:
        prev = previous.get(f.rel_path)
        if f.rel_path in by_doc:
            r = by_doc[f.rel_path]
            out.append({"raw_path": f.rel_path, "sha256": r["raw_sha256"], "bytes": r["raw_size"],
                        "outcome": "document", "doc_id": r["doc_id"], "run_id": run_id})
        elif f.rel_path in by_q:
            r = by_q[f.rel_path]
            entry = {"raw_path": f.rel_path, "sha256": r["raw_sha256"], "bytes": r["raw_size"],
                     "outcome": "quarantined", "error": r["error"], "detail": r["detail"], "run_id": run_id}
            if prev and f.rel_path in kept_docs:  # unreadable now: its earlier reading stays
                entry["kept_document"] = prev["doc_id"]
            out.append(entry)
        elif prev is not None and f.problem is None:
            out.append(dict(prev, present=True))
        else:
            out.append({"raw_path": f.rel_path, "sha256": None, "bytes": None, "outcome": f.problem or "missing",
                        "detail": f.detail, "run_id": run_id})
    for path in carry["gone"]:
        out.append(dict(previous[path], present=False))
    return sorted(out, key=lambda e: e["raw_path"])
