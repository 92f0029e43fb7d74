"""What an incremental run knows from the previous one, read from the output itself.

The state lives inside the output folder (so copying `output/` elsewhere keeps it):
- `manifest.json` lists every input the dataset holds with its sha256, outcome, doc_id and the run
  that processed it;
- `state/line_keys.parquet` keeps the line hashes of every page (repetition counts for new pages
  include the old ones: a site's menu is furniture even when a night brings one new page);
- `state/signatures.parquet` keeps every document's MinHash signature (new pages are compared with
  old ones for duplicates).
A run reads a raw file whose (path, sha256) the state holds only to hash it; its rows are carried
over unchanged. A path whose bytes changed is processed again and its old rows are dropped. Rows of
files that are no longer under the raw root are kept (an archive keeps what it has collected).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from . import __version__
from .config import Config
from .layout import STATE_LINE_KEYS, STATE_SIGNATURES, OutputFolder


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

    def known(self) -> dict[str, str]:
        """raw_path -> sha256 of inputs whose outcome does not depend on anything but their bytes."""
        return {p: e["sha256"] for p, e in self.inputs.items()
                if e.get("sha256") and e.get("outcome") in ("document", "quarantined")}


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


def carry_plan(prev: Previous, found_paths: set[str], status: pl.DataFrame) -> dict:
    """Which earlier rows this run keeps.

    Documents are kept unless their path was read again with different bytes (its new reading
    replaces them) ; quarantine rows are kept for unchanged files and for files gone from the raw
    root. Returns {"doc_ids": [...], "doc_paths": [...], "quarantine_paths": [...], "gone": [...]}."""
    reread = {r["raw_path"] for r in status.iter_rows(named=True) if r["raw_sha256"] and r["status"] != "unchanged"}
    doc_ids, doc_paths, q_paths, gone = [], [], [], []
    unchanged = set(status.filter(pl.col("status") == "unchanged")["raw_path"].to_list())
    for path, e in prev.inputs.items():
        present = path in found_paths
        if not present:
            gone.append(path)
        if e.get("outcome") == "document" and path not in reread:
            doc_ids.append(e["doc_id"])
            doc_paths.append(path)
        elif e.get("outcome") == "quarantined" and e.get("sha256") and (path in unchanged or not present):
            q_paths.append(path)
    return {"doc_ids": doc_ids, "doc_paths": doc_paths, "quarantine_paths": q_paths, "gone": gone}


def previous_frame(path: Path, column: str, keep: list[str]) -> pl.DataFrame | None:
    """A state table of the previous output, restricted to the rows being carried over."""
    if not keep or not path.exists():
        return None
    return pl.read_parquet(path).filter(pl.col(column).is_in(keep))
