"""What an incremental run knows from the previous one, read from the output itself.

The state lives inside the output folder (so copying `output/` elsewhere keeps it):
- `manifest.json` lists every raw file the dataset holds with its sha256 (and ETag in object
  storage), its outcome and record counts, and the run that read it;
- the tables' `raw_path` column says which rows came from which file;
- `state/line_keys.parquet` keeps the line hashes of every page (repetition counts for new pages
  include the old ones: a site's menu is furniture even when a night brings one new page);
- `state/signatures.parquet` keeps every document's MinHash signature (new pages are compared with
  old ones for duplicates).
A raw file whose (path, sha256) the state holds is only hashed, and all its rows (every record of
a container) are carried over unchanged. A path whose bytes changed is read again whole and its old
rows are dropped. Rows of files that are no longer under the raw root are kept (an archive keeps
what it has collected).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from . import __version__
from .config import Config
from .layout import STATE_LINE_KEYS, STATE_SIGNATURES, OutputFolder

# Outcomes of a file that was read (its rows depend on its bytes only): the ones an unchanged file keeps.
READ_OUTCOMES = ("document", "quarantined", "filtered", "container")


@dataclass
class Previous:
    """The previous run's inputs (raw_path -> manifest entry), or nothing when rebuilding."""
    out: Path
    inputs: dict[str, dict] = field(default_factory=dict)
    run_id: str | None = None
    rebuild_reason: str | None = None

    @property
    def incremental(self) -> bool:
        return self.rebuild_reason is None

    def known(self) -> dict[str, dict]:
        """raw_path -> {sha256, etag, bytes} of files whose outcome depends on nothing but their bytes."""
        return {p: {"sha256": e["sha256"], "etag": e.get("etag"), "bytes": e.get("bytes")}
                for p, e in self.inputs.items() if e.get("sha256") and e.get("outcome") in READ_OUTCOMES}


def load_previous(cfg: Config) -> Previous:
    """The state of cfg.out, or the reason everything must be rebuilt."""
    manifest_path = OutputFolder(cfg.out).manifest
    if cfg.full:
        return Previous(cfg.out, rebuild_reason="--full asked for a rebuild")
    if not manifest_path.exists():
        return Previous(cfg.out, rebuild_reason="no previous dataset")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return Previous(cfg.out, rebuild_reason=f"previous manifest unreadable ({exc})")
    if manifest.get("pipeline_version") != __version__:
        return Previous(cfg.out, rebuild_reason=f"pipeline version changed ({manifest.get('pipeline_version')} -> "
                                                f"{__version__})")
    if manifest.get("method") != _jsonable(cfg.method_dict()):
        return Previous(cfg.out, rebuild_reason="cleaning, language or dedup settings changed")
    listed = {o["path"] for o in manifest.get("outputs", [])}
    for needed in (STATE_LINE_KEYS, STATE_SIGNATURES):
        if needed not in listed or not (cfg.out / needed).exists():
            return Previous(cfg.out, rebuild_reason=f"previous dataset has no {needed}")
    inputs = {e["raw_path"]: e for e in manifest.get("inputs", []) if e.get("raw_path")}
    return Previous(cfg.out, inputs=inputs, run_id=manifest.get("run_id"))


def _jsonable(d: dict) -> dict:
    return json.loads(json.dumps(d, default=str))


def carry_plan(prev: Previous, found_paths: set[str], status: pl.DataFrame, earlier: pl.DataFrame) -> dict:
    """Which earlier rows this run keeps, by raw file.

    A file read again with new bytes replaces all its rows. A file that is unchanged, or gone from the
    raw root, keeps all of them; one that cannot be read now keeps its documents (its new quarantine
    row says why it was not read again). `earlier` is the previous output's (doc_id, raw_path) of
    documents and filtered pages. Returns {"doc_paths", "doc_ids", "quarantine_paths", "gone"}."""
    read_again = set(status.filter(pl.col("raw_sha256").is_not_null() & (pl.col("status") != "unchanged"))
                     ["raw_path"].to_list())
    unchanged = set(status.filter(pl.col("status") == "unchanged")["raw_path"].to_list())
    gone = sorted(p for p in prev.inputs if p not in found_paths)
    doc_paths = sorted(p for p, e in prev.inputs.items() if e.get("outcome") in READ_OUTCOMES and p not in read_again)
    q_paths = sorted(p for p, e in prev.inputs.items()
                     if e.get("outcome") in READ_OUTCOMES and e.get("sha256") and (p in unchanged or p in gone))
    doc_ids = earlier.filter(pl.col("raw_path").is_in(doc_paths))["doc_id"].to_list() if doc_paths else []
    return {"doc_paths": doc_paths, "doc_ids": doc_ids, "quarantine_paths": q_paths, "gone": gone}


def previous_frame(path: Path, column: str, keep: list[str]) -> pl.DataFrame | None:
    """A state table of the previous output, restricted to the rows being carried over."""
    if not keep or not path.exists():
        return None
    return pl.read_parquet(path).filter(pl.col(column).is_in(keep))
