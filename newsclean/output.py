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


def _parts(work: Path, kind: str) -> list[Path]:
    return sorted((work / kind).glob("*.parquet"))


def write_output(staged: Path, work: Path, cfg: Config, run: dict, found: list[Found],
                 step_seconds: dict[str, float]) -> dict:
    """Write every table and file of the contract into `staged`, shard by shard (memory stays flat);
    returns the manifest."""
    t0 = time.perf_counter()
    quarantine = pl.concat([pl.read_parquet(f) for f in _parts(work, "quarantine")] + [quarantine_found(found)],
                           how="vertical_relaxed").select(list(QUARANTINE_SCHEMA))
    bad_paths = quarantine["raw_path"].to_list()  # a page quarantined by `clean` is not a document
    outputs: list[dict] = []
    counts_by: dict[str, dict[str, int]] = {"documents_by_language": {}, "passages_by_language": {},
                                            "passages_by_role": {}, "removed_by_reason": {}}
    ids: list[pl.DataFrame] = []
    totals = {}
    for name, count_cols in (("documents", {"language": "documents_by_language"}),
                             ("passages", {"lang": "passages_by_language", "role": "passages_by_role"}),
                             ("removed", {"reason": "removed_by_reason"})):
        jsonl = staged / f"{name}.jsonl" if name in D.JSONL_TABLES else None
        writer = D.TableWriter(staged / name, name, cfg.row_group_rows, jsonl)
        for part in _parts(work, f"final/{name}"):
            frame = pl.read_parquet(part)
            if name == "documents" and bad_paths:
                frame = frame.filter(~pl.col("raw_path").is_in(bad_paths))
            if name == "documents":
                ids.append(frame.select("raw_path", "raw_sha256", "doc_id", "raw_size"))
            for col, key in count_cols.items():
                for k, v in _count(frame, col).items():
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

    counts = {
        "inputs": len(found),
        "documents": totals["documents"],
        "passages": totals["passages"],
        "removed_lines": totals["removed"],
        "quarantined": quarantine.height,
        "skipped": sum(1 for f in found if f.problem and f.problem.startswith("skipped")),
        **{k: dict(sorted(v.items())) for k, v in counts_by.items()},
        "quarantined_by_error": _count(quarantine, "error"),
    }
    render_card(staged / "README.md", cfg, run, counts)
    outputs.append({"path": "README.md", "rows": None, "format": "markdown"})

    docs_ids = pl.concat(ids) if ids else pl.DataFrame(schema={"raw_path": pl.String, "raw_sha256": pl.String,
                                                               "doc_id": pl.String, "raw_size": pl.Int64})
    inputs = _inputs(found, docs_ids, quarantine)
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
