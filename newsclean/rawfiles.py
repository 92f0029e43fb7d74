"""Find raw files under the raw root and read them into an ingested frame (the `ingest` step's I/O).

Every file found ends as exactly one of: a document row, a quarantine row with a reason, or a
skipped entry (hidden files) listed in the manifest. Nothing is dropped silently.
Symlinks are never followed out of the raw root; folders reached through symlinks are not walked.
"""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from transforms.decode import DecodeError, decode_and_normalize
from transforms.repetition import site_key
from transforms.schema import FOUND, INGESTED, QUARANTINE, STATUS

DOC_SCHEMA = INGESTED.polars
QUARANTINE_SCHEMA = QUARANTINE.polars


def make_doc_id(raw_path: str, raw_sha256: str) -> str:
    """Stable id: the same bytes at the same place under the raw root give the same id everywhere."""
    return hashlib.sha256(f"{raw_sha256}\0{raw_path}".encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Found:
    rel_path: str           # POSIX path relative to the raw root
    problem: str | None     # None: readable candidate; else a quarantine/skip reason
    detail: str = ""


def discover(raw_root: Path, skip_hidden: bool = True) -> list[Found]:
    """All entries under the root, sorted by relative path (the order shards are cut in)."""
    root = raw_root.resolve()
    found: list[Found] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=None):
        base = Path(dirpath)
        keep_dirs = []
        for d in dirnames:
            rel = (base / d).relative_to(root).as_posix()
            if skip_hidden and d.startswith("."):
                found.append(Found(rel + "/", "skipped_hidden", "hidden folder not read"))
            elif (base / d).is_symlink():
                found.append(_symlink(root, base / d, rel))
            else:
                keep_dirs.append(d)
        dirnames[:] = sorted(keep_dirs)
        for name in filenames:
            path = base / name
            rel = path.relative_to(root).as_posix()
            if skip_hidden and name.startswith("."):
                found.append(Found(rel, "skipped_hidden", "hidden file not read"))
            elif path.is_symlink():
                found.append(_symlink(root, path, rel))
            else:
                found.append(Found(rel, None))
    return sorted(found, key=lambda f: f.rel_path)


def _symlink(root: Path, path: Path, rel: str) -> Found:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return Found(rel, "broken_symlink", f"symlink target missing: {os.readlink(path)}")
    if not target.is_relative_to(root):
        return Found(rel, "symlink_outside_root", f"points outside the raw root to {target}")
    if target.is_dir():
        return Found(rel, "skipped_symlink_dir", f"folder link inside the root ({target.relative_to(root)}) is read "
                                                 "there")
    return Found(rel, None)


def plan_shards(raw_root: Path, rel_paths: list[str], max_pages: int, max_bytes: int) -> list[list[str]]:
    """Cut the sorted paths into shards of at most `max_pages` files and `max_bytes` bytes (a file
    larger than `max_bytes` gets a shard of its own). Sizes come from stat; a file that cannot be
    stat'ed counts as empty here and is judged when it is read."""
    shards: list[list[str]] = []
    current: list[str] = []
    size = 0
    root = raw_root.resolve()
    for rel in rel_paths:
        try:
            n = os.stat(root / rel).st_size
        except OSError:
            n = 0
        if current and (len(current) >= max_pages or size + n > max_bytes):
            shards.append(current)
            current, size = [], 0
        current.append(rel)
        size += n
    if current:
        shards.append(current)
    return shards


class ReadProblem(Exception):
    def __init__(self, reason: str, detail: str, sha: str | None = None, size: int | None = None):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail, self.sha, self.size = reason, detail, sha, size


def read_stable(path: Path, max_bytes: int, attempts: int = 3) -> bytes:
    """Read a regular file whole, making sure it did not change while being read."""
    for _ in range(attempts):
        try:
            # A FIFO or device would block open() or read() forever: look before opening, and open
            # without blocking in case it was swapped in between.
            if not stat.S_ISREG(os.stat(path).st_mode):
                raise ReadProblem("not_a_file", "not a regular file (device, socket or pipe)")
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError as exc:
            raise ReadProblem("vanished", "file disappeared before it could be read") from exc
        except PermissionError as exc:
            raise ReadProblem("unreadable", f"permission denied: {exc.strerror}") from exc
        except OSError as exc:
            raise ReadProblem("unreadable", f"{exc.strerror or exc}") from exc
        try:
            before = os.fstat(fd)
            if not stat.S_ISREG(before.st_mode):
                raise ReadProblem("not_a_file", "not a regular file (device, socket or pipe)")
            if before.st_size > max_bytes:
                raise ReadProblem("too_large", f"{before.st_size} bytes > limit {max_bytes}", size=before.st_size)
            chunks = []
            while True:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
            after = os.fstat(fd)
        except OSError as exc:
            raise ReadProblem("unreadable", f"{exc.strerror or exc}") from exc
        finally:
            os.close(fd)
        data = b"".join(chunks)
        if before.st_size == after.st_size == len(data) and before.st_mtime_ns == after.st_mtime_ns:
            try:
                now = os.stat(path)
            except FileNotFoundError:
                return data  # read completely, then removed: the bytes we have are whole
            if (now.st_size, now.st_mtime_ns) == (after.st_size, after.st_mtime_ns):
                return data
    raise ReadProblem("changed_during_read", f"file kept changing across {attempts} reads")


STATUS_SCHEMA = STATUS.polars


def read_files(raw_root: Path, rel_paths: list[str], max_file_mb: float,
               known: dict[str, str] | None = None) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Read, hash, decode and normalise files; (documents, quarantine, status) frames.

    `known` maps paths to the sha256 an earlier run processed: a file whose bytes hash the same is
    `unchanged` and not decoded again; others are `new` (path not seen) or `changed`. Files that
    cannot be read get status `failed` (and a quarantine row)."""
    docs: dict[str, list] = {k: [] for k in DOC_SCHEMA}
    bad: dict[str, list] = {k: [] for k in QUARANTINE_SCHEMA}
    status: dict[str, list] = {k: [] for k in STATUS_SCHEMA}
    known = known or {}
    root = raw_root.resolve()
    max_bytes = int(max_file_mb * 1024 * 1024)
    for rel in rel_paths:
        sha = size = None
        try:
            data = read_stable(root / rel, max_bytes)
            sha, size = hashlib.sha256(data).hexdigest(), len(data)
            if known.get(rel) == sha:
                for k, v in zip(STATUS_SCHEMA, (rel, sha, size, "unchanged"), strict=True):
                    status[k].append(v)
                continue
            if not data.strip():
                raise ReadProblem("empty", "file is empty" if not data else "file holds only whitespace")
            try:
                decoded = decode_and_normalize(data)
            except DecodeError as exc:
                raise ReadProblem(exc.reason, exc.detail) from exc
            if not decoded.text.strip():
                raise ReadProblem("empty", f"no text after decoding as {decoded.encoding}")
        except ReadProblem as problem:
            for k, v in (("raw_path", rel), ("raw_sha256", sha or problem.sha), ("raw_size", size or problem.size),
                         ("error", problem.reason), ("detail", problem.detail)):
                bad[k].append(v)
            for k, v in zip(STATUS_SCHEMA, (rel, sha or problem.sha, size or problem.size, "failed"), strict=True):
                status[k].append(v)
            continue
        for k, v in zip(STATUS_SCHEMA, (rel, sha, size, "changed" if rel in known else "new"), strict=True):
            status[k].append(v)
        for k, v in (("doc_id", make_doc_id(rel, sha)), ("raw_path", rel), ("raw_sha256", sha), ("raw_size", size),
                     ("encoding", decoded.encoding), ("repairs", decoded.repairs),
                     ("site_key", site_key(rel, decoded.text)), ("url", None), ("text", decoded.text)):
            docs[k].append(v)
    return (pl.DataFrame(docs, schema=DOC_SCHEMA), pl.DataFrame(bad, schema=QUARANTINE_SCHEMA),
            pl.DataFrame(status, schema=STATUS_SCHEMA))


def found_frame(found: list[Found]) -> pl.DataFrame:
    return pl.DataFrame({"rel_path": [f.rel_path for f in found], "problem": [f.problem for f in found],
                         "detail": [f.detail for f in found]},
                        schema=FOUND.polars)


def quarantine_found(found: list[Found]) -> pl.DataFrame:
    """Quarantine rows for entries that discovery already judged unreadable (not the skipped ones)."""
    rows = [f for f in found if f.problem and not f.problem.startswith("skipped")]
    return pl.DataFrame(
        {"raw_path": [f.rel_path for f in rows], "raw_sha256": [None] * len(rows), "raw_size": [None] * len(rows),
         "error": [f.problem for f in rows], "detail": [f.detail for f in rows]},
        schema=QUARANTINE_SCHEMA,
    )
