"""The `write` step: final tables, JSON Lines, manifest and dataset card into the staging folder.

The manifest is written last: a staging folder without one is unfinished by definition.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import polars as pl

from . import dataset as D
from .card import render_card
from .config import Config
from .rawfiles import Found, QUARANTINE_SCHEMA, quarantine_found


def _collect(work: Path, kind: str) -> pl.DataFrame | None:
    files = sorted((work / kind).glob("*.parquet"))
    if not files:
        return None
    return pl.concat([pl.read_parquet(f) for f in files], how="vertical_relaxed")


def _empty(table: str) -> pl.DataFrame:
    return pl.from_arrow(D.TABLES[table].empty_table())


def write_output(staged: Path, work: Path, cfg: Config, run: dict, found: list[Found],
                 step_seconds: dict[str, float]) -> dict:
    """Write every table and file of the contract into `staged`; returns the manifest."""
    t0 = time.perf_counter()
    tables = {
        "documents": _collect(work, "final/documents"),
        "passages": _collect(work, "final/passages"),
        "removed": _collect(work, "final/removed"),
    }
    quarantine_parts = [q for q in (_collect(work, "quarantine"), quarantine_found(found)) if q is not None]
    tables["quarantine"] = pl.concat([q.select(list(QUARANTINE_SCHEMA)) for q in quarantine_parts])
    # A page quarantined by `clean` must not also appear as a document.
    if tables["documents"] is not None and tables["quarantine"].height:
        bad = tables["quarantine"]["raw_path"].to_list()
        tables["documents"] = tables["documents"].filter(~pl.col("raw_path").is_in(bad))
    tables = {k: (v if v is not None else _empty(k)) for k, v in tables.items()}

    outputs = []
    for name, frame in tables.items():
        for part in D.write_parquet(frame, staged / name, name, cfg.row_group_rows):
            outputs.append({"path": part["path"].relative_to(staged).as_posix(), "rows": part["rows"],
                            "format": "parquet"})
    for name in D.JSONL_TABLES:
        path = staged / f"{name}.jsonl"
        rows = D.write_jsonl(tables[name], path, name)
        outputs.append({"path": path.name, "rows": rows, "format": "jsonl"})

    docs, passages, removed, quarantine = (tables[k] for k in ("documents", "passages", "removed", "quarantine"))
    counts = {
        "inputs": len(found),
        "documents": docs.height,
        "passages": passages.height,
        "removed_lines": removed.height,
        "quarantined": quarantine.height,
        "skipped": sum(1 for f in found if f.problem and f.problem.startswith("skipped")),
        "documents_by_language": _count(docs, "language"),
        "passages_by_language": _count(passages, "lang"),
        "passages_by_role": _count(passages, "role"),
        "removed_by_reason": _count(removed, "reason"),
        "quarantined_by_error": _count(quarantine, "error"),
    }
    render_card(staged / "README.md", cfg, run, counts)
    outputs.append({"path": "README.md", "rows": None, "format": "markdown"})

    inputs = _inputs(found, docs, quarantine)
    for o in outputs:
        p = staged / o["path"]
        o["sha256"], o["bytes"] = D.sha256_file(p), p.stat().st_size
    step_seconds = dict(step_seconds, write=round(time.perf_counter() - t0, 3))
    manifest = {
        "run_id": run["run_id"],
        "pipeline_version": run["pipeline_version"],
        "processed_at": run["processed_at"].isoformat().replace("+00:00", "Z"),
        "raw_root": str(cfg.raw),
        "config": cfg.to_dict(),
        "counts": counts,
        "step_seconds": step_seconds,
        "inputs": inputs,
        "outputs": outputs,
    }
    shutil.rmtree(work, ignore_errors=True)
    D.write_json(staged / "manifest.json", manifest)
    return manifest


def _count(frame: pl.DataFrame, column: str) -> dict[str, int]:
    if frame.height == 0:
        return {}
    got = frame.group_by(column).len().sort(column, nulls_last=True).to_dict(as_series=False)
    return {str(k): int(v) for k, v in zip(got[column], got["len"])}


def _inputs(found: list[Found], docs: pl.DataFrame, quarantine: pl.DataFrame) -> list[dict]:
    by_doc = {r["raw_path"]: r for r in docs.select("raw_path", "raw_sha256", "doc_id", "raw_size").iter_rows(named=True)}
    by_q = {r["raw_path"]: r for r in quarantine.iter_rows(named=True)}
    out = []
    for f in found:
        if f.rel_path in by_doc:
            r = by_doc[f.rel_path]
            out.append({"raw_path": f.rel_path, "sha256": r["raw_sha256"], "bytes": r["raw_size"],
                        "outcome": "document", "doc_id": r["doc_id"]})
        elif f.rel_path in by_q:
            r = by_q[f.rel_path]
            out.append({"raw_path": f.rel_path, "sha256": r["raw_sha256"], "bytes": r["raw_size"],
                        "outcome": "quarantined", "error": r["error"], "detail": r["detail"]})
        else:
            out.append({"raw_path": f.rel_path, "sha256": None, "bytes": None, "outcome": f.problem or "missing",
                        "detail": f.detail})
    return out
