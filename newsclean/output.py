"""The `write` step: final tables, JSON Lines, manifest and dataset card into the staging folder.

The manifest is written last: a staging folder without one is unfinished by definition.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import polars as pl

from transforms.schema import DOCUMENTS, DUPLICATES, PUBLISHED

from . import dataset as D
from . import state
from .card import render_card
from .config import Config
from .rawfiles import Found, QUARANTINE_SCHEMA, quarantine_found
from .steps import load_inputs, read_carry


def _parts(work: Path, kind: str) -> list[Path]:
    return sorted((work / kind).glob("*.parquet"))


DUP_COLUMNS = ("duplicate_of", "duplicate_similarity", "duplicate_kind")


def _previous_parts(out: Path, table: str) -> list[Path]:
    return sorted((out / table).glob("*.parquet")) if (out / "manifest.json").exists() else []


def write_output(staged: Path, work: Path, cfg: Config, run: dict, step_seconds: dict[str, float],
                 this_run: dict | None = None, work_seconds: dict[str, float] | None = None) -> dict:
    """Write every table and file of the contract into `staged`, shard by shard (memory stays flat):
    this run's rows plus the earlier rows the carry plan keeps, with duplicate marks over all
    documents. Returns the manifest's summary (run_id, counts, step_seconds, step_work_seconds): the
    full manifest lists every input and stays on disk. `step_seconds` are each step's wall time as
    the flow saw it (Prefect's per-task cost included), `work_seconds` the time its functions ran."""
    t0 = time.perf_counter()
    carry = read_carry(work)
    found, previous_inputs = load_inputs(work)
    new_quarantine = pl.concat([pl.read_parquet(f) for f in _parts(work, "quarantine")] + [quarantine_found(found)],
                               how="vertical_relaxed").select(list(QUARANTINE_SCHEMA))
    kept_quarantine = [pl.read_parquet(f).filter(pl.col("raw_path").is_in(carry["quarantine_paths"]))
                       for f in _previous_parts(cfg.out, "quarantine")] if carry["quarantine_paths"] else []
    quarantine = pl.concat([new_quarantine, *(q.select(list(QUARANTINE_SCHEMA)) for q in kept_quarantine)],
                           how="vertical_relaxed")
    # a page quarantined by this run's `clean` is not a document
    clean_failed = new_quarantine.filter(pl.col("error") == "clean_failed")["raw_path"].to_list()
    dups_path = work / "duplicates.parquet"
    dups = pl.read_parquet(dups_path) if dups_path.exists() else DUPLICATES.empty()
    keep_ids = carry["doc_ids"]
    outputs: list[dict] = []
    counts_by: dict[str, dict[str, int]] = {"documents_by_language": {}, "passages_by_language": {},
                                            "passages_by_role": {}, "removed_by_reason": {},
                                            "duplicates_by_kind": {}}
    new_ids: list[pl.DataFrame] = []
    totals = {}
    for name, count_cols in (("documents", {"language": "documents_by_language", "duplicate_kind": "duplicates_by_kind"}),
                             ("passages", {"lang": "passages_by_language", "role": "passages_by_role"}),
                             ("removed", {"reason": "removed_by_reason"})):
        jsonl = staged / f"{name}.jsonl" if name in D.JSONL_TABLES else None
        writer = D.TableWriter(staged / name, name, cfg.row_group_rows, jsonl)
        sources = [(p, False) for p in (_previous_parts(cfg.out, name) if keep_ids else [])]
        sources += [(p, True) for p in _parts(work, f"final/{name}")]
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
            for col, key in count_cols.items():
                for k, v in _count(frame, col).items():
                    if k != "None":
                        counts_by[key][k] = counts_by[key].get(k, 0) + v
            writer.add(frame)
        for part in writer.close():
            outputs.append({"path": part["path"].relative_to(staged).as_posix(), "rows": part["rows"], "format": "parquet"})
        totals[name] = writer.rows
        if jsonl is not None:
            outputs.append({"path": jsonl.name, "rows": writer.rows, "format": "jsonl"})
    qwriter = D.TableWriter(staged / "quarantine", "quarantine", cfg.row_group_rows)
    qwriter.add(quarantine)
    for part in qwriter.close():
        outputs.append({"path": part["path"].relative_to(staged).as_posix(), "rows": part["rows"], "format": "parquet"})
    for rel in (state.LINE_KEYS, state.SIGNATURES):
        if (staged / rel).exists():
            outputs.append({"path": rel, "rows": pl.scan_parquet(staged / rel).select(pl.len()).collect().item(),
                            "format": "parquet-state"})

    docs_ids = pl.concat(new_ids) if new_ids else DOCUMENTS.empty().select("raw_path", "raw_sha256", "doc_id", "raw_size")
    inputs = _inputs(found, docs_ids, new_quarantine, previous_inputs, carry, run["run_id"])
    this_run = dict(this_run or {}, quarantined=new_quarantine.height,
                    documents_written=docs_ids.height)
    counts = {
        "inputs": len(inputs),
        "documents": totals["documents"],
        "passages": totals["passages"],
        "removed_lines": totals["removed"],
        "quarantined": quarantine.height,
        "skipped": sum(1 for e in inputs if e["outcome"].startswith("skipped")),
        "duplicates": sum(counts_by["duplicates_by_kind"].values()),
        **{k: dict(sorted(v.items())) for k, v in counts_by.items()},
        "quarantined_by_error": _count(quarantine, "error"),
        "this_run": this_run,
    }
    render_card(staged / "README.md", cfg, run, counts)
    outputs.append({"path": "README.md", "rows": None, "format": "markdown"})
    for o in outputs:
        p = staged / o["path"]
        o["sha256"], o["bytes"] = D.sha256_file(p), p.stat().st_size
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
        "outputs": outputs,
    }
    shutil.rmtree(work, ignore_errors=True)
    D.write_json(staged / "manifest.json", manifest)
    return {k: manifest[k] for k in ("run_id", "counts", "step_seconds", "step_work_seconds")}


def _count(frame: pl.DataFrame, column: str) -> dict[str, int]:
    if frame.height == 0:
        return {}
    got = frame.group_by(column).len().sort(column, nulls_last=True).to_dict(as_series=False)
    return {str(k): int(v) for k, v in zip(got[column], got["len"])}


def _inputs(found: list[Found], docs: pl.DataFrame, quarantine: pl.DataFrame, previous: dict[str, dict],
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
