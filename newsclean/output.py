"""The `write` step: final tables, JSON Lines, manifest and dataset card into the staging folder.

In phases, each a function of its own: merge the quarantine, write the tables (this run's rows plus
the earlier rows the carry plan keeps, with duplicate marks over all documents), list the state
files, build the input ledger (one entry per raw file, with its records accounted for) and the
counts, render the card, checksum every file, write the manifest. The manifest is written last: a
staging folder without one is unfinished by definition.
"""
from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from transforms.schema import DUPLICATES, PUBLISHED, STATUS

from . import dataset as D
from .card import render_card
from .config import Config
from .layout import STATE_LINE_KEYS, STATE_SIGNATURES, OutputFolder, WorkFolder, read_json, write_json
from .rawfiles import QUARANTINE_SCHEMA, quarantine_found
from .readers import READERS
from .sources import Found
from .steps import load_found

DUP_COLUMNS = ("duplicate_of", "duplicate_similarity", "duplicate_kind")
# What each table's rows are counted by in the manifest: column -> counts key.
COUNTED_BY = {
    "documents": {"language": "documents_by_language", "duplicate_kind": "duplicates_by_kind"},
    "passages": {"lang": "passages_by_language", "role": "passages_by_role"},
    "removed": {"reason": "removed_by_reason"},
    "filtered": {"language": "filtered_by_language"},
}
SINGLE_PAGE = {r.name for r in READERS if r.single_page}


def write_output(cfg: Config, work: WorkFolder, run: dict, step_seconds: dict[str, float],
                 work_seconds: dict[str, float] | None = None) -> dict:
    """Write every table and file of the contract into the staging folder, part by part (memory
    stays flat). Returns the manifest's summary (run_id, counts, step_seconds, step_work_seconds):
    the full manifest lists every input and stays on disk. `step_seconds` are each step's wall time
    as the flow saw it (Prefect's per-task cost included), `work_seconds` the time its functions ran."""
    t0 = time.perf_counter()
    folder, previous = work.output, OutputFolder(cfg.out)
    carry, found = work.read_carry(), load_found(work)
    status = read_status(work)
    new_quarantine, quarantine = merge_quarantine(work, previous, carry, found)
    failed = set(status.filter(pl.col("status") == "failed")["raw_path"].to_list())
    written = write_tables(folder, work, previous, cfg, carry, failed)
    written.add_table(folder, write_quarantine(folder, quarantine, cfg.row_group_rows), "quarantine")
    written.outputs += state_outputs(folder)
    this_run = dict(read_json(work.this_run), quarantined=new_quarantine.height,
                    documents_written=written.new_rows.filter(pl.col("table") == "documents").height,
                    filtered_written=written.new_rows.filter(pl.col("table") == "filtered").height)
    inputs = input_ledger(found, status, written.new_rows, new_quarantine, read_json(work.previous_inputs), carry,
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


def read_status(work: WorkFolder) -> pl.DataFrame:
    parts = work.all_status()
    return pl.concat([pl.read_parquet(f) for f in parts]) if parts else STATUS.empty()


def merge_quarantine(work: WorkFolder, previous: OutputFolder, carry: dict,
                     found: list[Found]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(this run's quarantine rows, all quarantine rows): the steps' rows, what discovery judged
    unreadable, and the earlier rows the carry plan keeps."""
    new = pl.concat([pl.read_parquet(f) for f in work.all_quarantine()] + [quarantine_found(found)],
                    how="vertical_relaxed").select(list(QUARANTINE_SCHEMA))
    kept = [pl.read_parquet(f).filter(pl.col("raw_path").is_in(carry["quarantine_paths"]))
            for f in _previous_parts(previous, "quarantine")] if carry["quarantine_paths"] else []
    return new, pl.concat([new, *(q.select(list(QUARANTINE_SCHEMA)) for q in kept)], how="vertical_relaxed")


@dataclass
class Written:
    """What the table writers produced: output entries, per-column counts, rows per table, and the
    (table, raw_path, doc_id, language, reason) of the documents and filtered pages this run wrote."""
    outputs: list[dict] = field(default_factory=list)
    counts_by: dict[str, dict[str, int]] = field(default_factory=lambda: {
        "documents_by_language": {}, "passages_by_language": {}, "passages_by_role": {}, "removed_by_reason": {},
        "duplicates_by_kind": {}, "filtered_by_language": {}})
    rows: dict[str, int] = field(default_factory=dict)
    new_rows: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=NEW_ROWS))

    def add_table(self, folder: OutputFolder, writer: D.TableWriter, name: str) -> None:
        for f in writer.close():
            self.outputs.append({"path": folder.relative(f["path"]), "rows": f["rows"], "format": f["format"]})
        self.rows[name] = writer.rows

    def count(self, name: str, frame: pl.DataFrame) -> None:
        for col, key in COUNTED_BY.get(name, {}).items():
            for k, v in _count(frame, col).items():
                if k != "None":
                    self.counts_by[key][k] = self.counts_by[key].get(k, 0) + v


NEW_ROWS = {"table": pl.String, "raw_path": pl.String, "raw_record": pl.Int32, "doc_id": pl.String,
            "language": pl.String, "reason": pl.String}


def write_tables(folder: OutputFolder, work: WorkFolder, previous: OutputFolder, cfg: Config, carry: dict,
                 failed: set[str]) -> Written:
    """documents, passages, removed and filtered: the earlier parts' kept rows, then this run's.
    Rows this run read from a file that then failed (it changed while read) are left out."""
    written = Written()
    dups = pl.read_parquet(work.duplicates) if work.duplicates.exists() else DUPLICATES.empty()
    keep_ids, new_rows, dropped = carry["doc_ids"], [], []
    for name in ("documents", "passages", "removed", "filtered"):
        writer = D.TableWriter(name, output_sinks(folder, name, cfg.row_group_rows))
        sources = [(p, False) for p in (_previous_parts(previous, name) if keep_ids else [])]
        sources += [(p, True) for p in (work.all_final(name) if name != "filtered" else work.all_filtered())]
        for part, is_new in sources:
            frame = pl.read_parquet(part)
            if not is_new:
                frame = frame.filter(pl.col("doc_id").is_in(keep_ids))
            elif name in ("documents", "filtered"):
                dropped += frame.filter(pl.col("raw_path").is_in(failed))["doc_id"].to_list()
                frame = frame.filter(~pl.col("raw_path").is_in(failed))
                new_rows.append(_new_rows(name, frame))
            elif dropped:
                frame = frame.filter(~pl.col("doc_id").is_in(dropped))
            if name == "documents":
                frame = (frame.drop(DUP_COLUMNS, strict=False).join(dups, on="doc_id", how="left")
                         .with_columns(pl.lit(cfg.license).alias("license")))
            frame = frame.select(PUBLISHED[name].names)
            written.count(name, frame)
            writer.add(frame)
        written.add_table(folder, writer, name)
    if new_rows:
        written.new_rows = pl.concat(new_rows)
    return written


def _new_rows(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    reason = pl.col("reason") if table == "filtered" else pl.lit(None, pl.String)
    return frame.select(pl.lit(table).alias("table"), "raw_path", "raw_record", "doc_id", "language",
                        reason.alias("reason")).cast(NEW_ROWS)


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
    """The dataset's numbers. Every record of every raw file present in the ledger is accounted for:
    records = documents + quarantined + filtered + skipped_records."""
    skipped_records = sum(sum(e.get("skipped_records", {}).values()) for e in inputs)
    return {
        "inputs": len(inputs),
        "records": sum(e.get("records", 1) for e in inputs if not e["outcome"].startswith("skipped")),
        "documents": written.rows["documents"],
        "passages": written.rows["passages"],
        "removed_lines": written.rows["removed"],
        "quarantined": quarantine.height,
        "filtered": written.rows["filtered"],
        "skipped": sum(1 for e in inputs if e["outcome"].startswith("skipped")),
        "skipped_records": skipped_records,
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


def input_ledger(found: list[Found], status: pl.DataFrame, new_rows: pl.DataFrame, quarantine: pl.DataFrame,
                 previous: dict[str, dict], carry: dict, run_id: str) -> list[dict]:
    """One entry per raw file the dataset accounts for: this run's files (what reading them gave, or
    the earlier entry when unchanged) and the earlier files no longer under the raw root
    (`present: false`). A one-page file's entry names its outcome (document, filtered, quarantined);
    a container's counts its records by outcome."""
    by_status = {r["raw_path"]: r for r in status.iter_rows(named=True)}
    rows_of = _by_path(new_rows.iter_rows(named=True))
    problems_of = _by_path(quarantine.iter_rows(named=True))
    kept_docs = set(carry["doc_paths"])
    out = []
    for f in found:
        prev, st = previous.get(f.rel_path), by_status.get(f.rel_path)
        if st is not None and st["status"] == "unchanged" and prev is not None:
            out.append(dict(prev, present=True))
        elif st is not None:
            entry = _entry(f.rel_path, st, rows_of.get(f.rel_path, []), problems_of.get(f.rel_path, []), run_id)
            if st["status"] == "failed" and prev and f.rel_path in kept_docs:
                # unreadable now: its earlier documents and filtered pages stay, beside the new problem
                kept = prev.get("documents", prev.get("outcome") == "document") + prev.get(
                    "filtered", 0 if prev.get("outcome") != "filtered" else 1)
                entry.update(kept_previous_rows=True, records=len(problems_of.get(f.rel_path, [])) + int(kept))
                if prev.get("doc_id"):
                    entry["kept_document"] = prev["doc_id"]
            out.append(entry)
        elif f.problem:
            q = problems_of.get(f.rel_path, [])
            entry = {"raw_path": f.rel_path, "sha256": None, "bytes": None, "outcome": f.problem, "detail": f.detail,
                     "run_id": run_id}
            out.append(entry if q or f.problem.startswith("skipped") else dict(entry, records=0))
    for path in carry["gone"]:
        out.append(dict(previous[path], present=False))
    return sorted(out, key=lambda e: e["raw_path"])


def _by_path(rows) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["raw_path"], []).append(r)
    return out


def _entry(path: str, st: dict, rows: list[dict], problems: list[dict], run_id: str) -> dict:
    """The ledger entry of a file this run read (or failed to read)."""
    entry = {"raw_path": path, "sha256": st["raw_sha256"], "bytes": st["raw_size"]}
    if st.get("etag"):
        entry["etag"] = st["etag"]
    single = (st["format"] or "text").split("+")[0] in SINGLE_PAGE and all(r["raw_record"] is None for r in rows)
    if single and len(rows) + len(problems) == 1:
        if rows and rows[0]["table"] == "documents":
            entry.update(outcome="document", doc_id=rows[0]["doc_id"])
        elif rows:
            entry.update(outcome="filtered", doc_id=rows[0]["doc_id"], language=rows[0]["language"],
                         reason=rows[0]["reason"])
        else:
            entry.update(outcome="quarantined", error=problems[0]["error"], detail=problems[0]["detail"])
        return dict(entry, format=st["format"], run_id=run_id) if st["format"] else dict(entry, run_id=run_id)
    tables = Counter(r["table"] for r in rows)
    entry.update(outcome="container" if st["status"] != "failed" or rows else "quarantined", format=st["format"],
                 records=len(rows) + len(problems) + sum(json.loads(st["skipped"] or "{}").values()),
                 documents=tables["documents"], filtered=tables["filtered"], quarantined=len(problems),
                 skipped_records=json.loads(st["skipped"] or "{}"), run_id=run_id)
    if entry["outcome"] == "quarantined" and problems:
        entry.update(error=problems[0]["error"], detail=problems[0]["detail"])
    return entry
