"""Where a run's files live: the one owner of the output folder's and the work folder's layout.

An output folder (the published dataset, or the staging folder a run builds it in before the swap):

    documents/ passages/ removed/ quarantine/   part-NNNNN.parquet per table
    documents.jsonl  passages.jsonl             the same rows as JSON Lines
    state/line_keys.parquet, state/signatures.parquet   what the next incremental run needs
    manifest.json  README.md                     written last: a folder without a manifest is unfinished
    _work/                                       the run's scratch space, removed before the swap

The work folder (`_work/`) holds what the steps hand each other, one file per shard:

    plan/SSSSS.json               a shard's files and what the previous run knew of them (plan -> ingest)
    status/SSSSS.parquet          new / changed / unchanged / failed per raw file   (ingest -> count, write)
    docs/SSSSS-PPPP.parquet       ingested pages of one part of a shard             (ingest -> clean, detect)
    keys/SSSSS-PPPP.parquet       line keys for repetition counting                 (ingest -> count)
    quarantine/SSSSS[-PPPP].parquet  records that could not be read or cleaned      (ingest, clean -> write)
    filtered/SSSSS[-PPPP].parquet    pages the language filter left out             (ingest, detect -> write)
    clean/{passages,removed,meta}/SSSSS-PPPP.parquet                               (clean -> detect)
    final/{documents,passages,removed,signatures}/SSSSS-PPPP.parquet               (detect -> dedup, write)
A shard is a group of raw files; ingest cuts its pages into parts of bounded size (a container of
40,000 records gives many), and clean and detect run once per part. Run-wide files: plan.json (the
previous run and the shard count), found.parquet and previous_inputs.json (discovery and the previous
manifest's ledger), carry.json (which earlier rows stay), repetition.parquet (furniture lines),
duplicates.parquet (duplicate marks), this_run.json (new / changed / unchanged counts).

Steps receive a `WorkFolder` (a path underneath: it pickles to worker processes and Dask workers
that see the same filesystem) and ask it for paths by artifact, never by string.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

STATE_LINE_KEYS = "state/line_keys.parquet"
STATE_SIGNATURES = "state/signatures.parquet"


def write_parquet(frame: pl.DataFrame, path: Path) -> None:
    """A work file, written whole or not at all (a retried task never reads half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".parquet.partial")
    frame.write_parquet(tmp, compression="zstd", compression_level=1, statistics=False)
    tmp.replace(path)


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n",
                    encoding="utf-8")


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class OutputFolder:
    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def card(self) -> Path:
        return self.root / "README.md"

    def table(self, name: str) -> Path:
        return self.root / name

    def parts(self, name: str) -> list[Path]:
        """The table's Parquet files, in order."""
        return sorted(self.table(name).glob("*.parquet"))

    def jsonl(self, name: str) -> Path:
        return self.root / f"{name}.jsonl"

    @property
    def line_keys(self) -> Path:
        return self.root / STATE_LINE_KEYS

    @property
    def signatures(self) -> Path:
        return self.root / STATE_SIGNATURES

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @property
    def work(self) -> WorkFolder:
        return WorkFolder(self.root / "_work")


@dataclass(frozen=True)
class WorkFolder:
    root: Path

    def _shard(self, kind: str, key: int | str) -> Path:
        """A shard's file (`00003.parquet`) or a part's (`00003-0001.parquet`: ingest splits a shard
        into parts of bounded size, and the later steps run once per part)."""
        return self.root / kind / (f"{key:05d}.parquet" if isinstance(key, int) else f"{key}.parquet")

    def _all(self, kind: str) -> list[Path]:
        return sorted((self.root / kind).glob("*.parquet"))

    # per shard: written by one step, read by the next
    def ingested(self, shard: int) -> Path:
        return self._shard("docs", shard)

    def line_keys(self, shard: int) -> Path:
        return self._shard("keys", shard)

    def all_line_keys(self) -> list[Path]:
        return self._all("keys")

    def status(self, shard: int) -> Path:
        return self._shard("status", shard)

    def all_status(self) -> list[Path]:
        return self._all("status")

    def quarantine(self, key: int | str) -> Path:
        return self._shard("quarantine", key)

    def all_quarantine(self) -> list[Path]:
        return self._all("quarantine")

    def filtered(self, key: int | str) -> Path:
        """Pages the language filter left out (ingest's pre-filter, detect's final check)."""
        return self._shard("filtered", key)

    def all_filtered(self) -> list[Path]:
        return self._all("filtered")

    def cleaned(self, table: str, shard: int) -> Path:
        """`passages`, `removed` or `meta` of a shard after cleaning."""
        return self._shard(f"clean/{table}", shard)

    def final(self, table: str, shard: int) -> Path:
        """`documents`, `passages`, `removed` or `signatures` of a shard, ready for writing."""
        return self._shard(f"final/{table}", shard)

    def all_final(self, table: str) -> list[Path]:
        return self._all(f"final/{table}")

    # run-wide
    @property
    def plan(self) -> Path:
        return self.root / "plan.json"

    def shard_plan(self, shard: int) -> Path:
        """A shard's files (as discovery found them) and what the previous run knew of them."""
        return self.root / "plan" / f"{shard:05d}.json"

    @property
    def found(self) -> Path:
        return self.root / "found.parquet"

    @property
    def previous_inputs(self) -> Path:
        return self.root / "previous_inputs.json"

    @property
    def carry(self) -> Path:
        return self.root / "carry.json"

    @property
    def this_run(self) -> Path:
        return self.root / "this_run.json"

    @property
    def repetition(self) -> Path:
        return self.root / "repetition.parquet"

    @property
    def duplicates(self) -> Path:
        return self.root / "duplicates.parquet"

    @property
    def output(self) -> OutputFolder:
        """The staging folder this work folder belongs to (state files go there)."""
        return OutputFolder(self.root.parent)

    def read_carry(self) -> dict:
        return read_json(self.carry) if self.carry.exists() else {
            "doc_ids": [], "doc_paths": [], "quarantine_paths": [], "gone": []}
