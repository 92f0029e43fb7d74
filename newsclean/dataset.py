"""Writing the output contract: Parquet/JSONL table files, and the all-or-nothing swap into place.

The tables' columns and row order come from `transforms.schema` (the one registry).

Parquet follows the project's format notes: zstd, statistics and the page index on, row groups well
under 100 MB, `timestamp[us, tz=UTC]`, no map columns, no hive folders, rows sorted.
A run builds its whole output in `<out>.tmp-<run_id>` beside the output folder and exchanges it
with the old output in one `renameat2(RENAME_EXCHANGE)` call where the kernel offers it, so a
reader or a crash sees either the previous dataset or the new one, never a mix.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import gzip
import hashlib
import io
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from transforms.schema import PUBLISHED

JSONL_TABLES = ("documents", "passages")
# Rows are buffered and sorted per output file: this bounds the write step's memory, whatever the
# corpus size (files of 100-500 MB are recommended; the in-memory frame is ~2x the file's size).
TARGET_FILE_BYTES = 128 * 1024 * 1024


def conform(frame: pl.DataFrame, table: str) -> pa.Table:
    """Cast a frame to the table's Arrow schema (column order, types); fails loudly on a gap."""
    schema = PUBLISHED[table].arrow
    missing = [f.name for f in schema if f.name not in frame.columns]
    if missing:
        raise ValueError(f"{table}: missing columns {missing}")
    arrow = frame.select([f.name for f in schema]).to_arrow()
    return arrow.cast(schema)


def sort_frame(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    t = PUBLISHED[table]
    return frame.sort(list(t.sort_by), nulls_last=t.nulls_last)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Sink(Protocol):
    """Where a table's rows go: `write` receives each sorted chunk (the table's columns, in order),
    `files` lists what was written as {"path", "rows", "format"} entries for the manifest. A new
    output format is a class here and a name in the writer's list of sinks."""

    def write(self, frame: pl.DataFrame) -> None: ...

    def files(self) -> list[dict]: ...


class ParquetParts:
    """`part-NNNNN.parquet` files in a folder, one per chunk: zstd, statistics and the page index,
    row groups of `row_group_rows`, the contract's Arrow types."""

    def __init__(self, folder: Path, table: str, row_group_rows: int):
        self.folder, self.table, self.row_group_rows = folder, table, row_group_rows
        self.parts: list[dict] = []
        folder.mkdir(parents=True, exist_ok=True)

    def write(self, frame: pl.DataFrame) -> None:
        path = self.folder / f"part-{len(self.parts):05d}.parquet"
        pq.write_table(conform(frame, self.table), path, compression="zstd", row_group_size=self.row_group_rows,
                       write_statistics=True, write_page_index=True)
        self.parts.append({"path": path, "rows": frame.height, "format": "parquet"})

    def files(self) -> list[dict]:
        return self.parts


class JsonLines:
    """One JSON Lines file (UTF-8, non-ASCII unescaped), chunks appended; gzipped with mtime 0 when
    the name ends in .gz, so the same rows give the same bytes."""

    def __init__(self, path: Path):
        self.path, self.rows = path, 0
        self.gzip = path.suffix == ".gz"
        path.write_bytes(b"")

    def write(self, frame: pl.DataFrame) -> None:
        with open(self.path, "ab") as fh:
            if not self.gzip:
                frame.write_ndjson(fh)
            else:
                buf = io.BytesIO()
                frame.write_ndjson(buf)
                with gzip.GzipFile(filename="", mode="ab", fileobj=fh, mtime=0) as gz:
                    gz.write(buf.getvalue())
        self.rows += frame.height

    def files(self) -> list[dict]:
        return [{"path": self.path, "rows": self.rows, "format": "jsonl.gz" if self.gzip else "jsonl"}]


class TableWriter:
    """Write one table from a stream of frames (one per shard) to its sinks: frames are buffered up to
    about TARGET_FILE_BYTES, then sorted and handed to every sink as one chunk, so memory stays flat
    as the corpus grows. Rows are sorted within each chunk."""

    def __init__(self, table: str, sinks: list[Sink], target_bytes: int = TARGET_FILE_BYTES):
        self.table, self.sinks, self.target = table, sinks, target_bytes
        self.buffer: list[pl.DataFrame] = []
        self.buffered = 0
        self.rows = 0
        self.chunks = 0

    def add(self, frame: pl.DataFrame) -> None:
        if frame.height == 0:
            return
        self.buffer.append(frame)
        self.buffered += frame.estimated_size()
        if self.buffered >= self.target:
            self._flush()

    def _flush(self) -> None:
        frame = pl.concat(self.buffer, how="vertical_relaxed") if self.buffer else PUBLISHED[self.table].empty()
        self.buffer, self.buffered = [], 0
        frame = sort_frame(frame, self.table).select(PUBLISHED[self.table].names)
        for sink in self.sinks:
            sink.write(frame)
        self.rows += frame.height
        self.chunks += 1

    def close(self) -> list[dict]:
        """Flush what is left (an empty table still gets one file) and list every sink's files."""
        if self.buffer or not self.chunks:
            self._flush()
        return [f for sink in self.sinks for f in sink.files()]


# --- all-or-nothing output -------------------------------------------------------------------------

_RENAME_EXCHANGE = 2


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux >= 3.15, glibc >= 2.28). False when unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    AT_FDCWD = -100
    res = fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if res == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def staging_dir(out: Path, run_id: str) -> Path:
    return out.parent / f"{out.name}.tmp-{run_id}"


def recover(out: Path) -> list[str]:
    """Tidy what an interrupted run left beside the output: unfinished staging folders are removed;
    if the output itself is missing but a previous one was set aside, it is put back."""
    notes = []
    parent = out.parent
    if not parent.exists():
        return notes
    old = sorted(parent.glob(f"{out.name}.old-*"))
    if not out.exists() and old:
        os.rename(old[-1], out)
        notes.append(f"restored previous output from {old[-1].name}")
        old = old[:-1]
    for p in old + sorted(parent.glob(f"{out.name}.tmp-*")):
        shutil.rmtree(p, ignore_errors=True)
        notes.append(f"removed unfinished {p.name}")
    return notes


def swap_into_place(staged: Path, out: Path, run_id: str) -> None:
    """Make `staged` the output. The previous output is deleted only after the swap."""
    for f in staged.rglob("*"):
        if f.is_file():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
    _fsync_dir(staged)
    if out.exists():
        if _renameat2_exchange(staged, out):
            _fsync_dir(out.parent)
            shutil.rmtree(staged, ignore_errors=True)  # now holds the previous output
            return
        old = out.parent / f"{out.name}.old-{run_id}"
        os.rename(out, old)           # a crash here leaves .old-*: `recover` puts it back
        os.rename(staged, out)
        _fsync_dir(out.parent)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staged, out)
        _fsync_dir(out.parent)


class OutputLocked(RuntimeError):
    pass


@contextmanager
def output_lock(out: Path):
    """One run per output folder at a time: a second run fails fast with a clear message."""
    lock_path = out.parent / f".{out.name}.lock"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fh = open(lock_path, "a+")
    except OSError as exc:
        raise OSError(exc.errno, f"cannot write the output folder {out}: {exc.strerror}") from exc
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.seek(0)
            holder = fh.read().strip() or "another run"
            raise OutputLocked(f"{out} is being written by {holder}; wait for it to finish (the lock is "
                               f"released when that process exits; there is no lock file to remove)") from exc
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        yield
    finally:
        fh.close()
