"""Where raw files live: a local folder, or object storage and other filesystems through fsspec
(`s3://bucket/prefix`, `gs://...`, `file://...`). A source lists its files (with sizes and, in
object storage, ETags) and opens them as streams.

Every file found ends as exactly one of: records read from it (documents, quarantine rows, filtered
rows, skipped records), a quarantine row with a reason, or a skipped entry (hidden files) listed in
the manifest. Nothing is dropped silently. Locally, symlinks are never followed out of the root and
folders reached through symlinks are not walked; a file that changes while it is read is noticed.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol


@dataclass(frozen=True)
class Found:
    rel_path: str           # POSIX path relative to the raw root
    problem: str | None     # None: readable candidate; else a quarantine/skip reason
    detail: str = ""
    size: int | None = None  # bytes, when listing told
    etag: str | None = None  # object storage's ETag (local files: None)


class SourceError(Exception):
    """The raw root itself cannot be listed (missing, unreachable, permission denied)."""


class ReadProblem(Exception):
    def __init__(self, reason: str, detail: str, sha: str | None = None, size: int | None = None):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail, self.sha, self.size = reason, detail, sha, size


class Source(Protocol):
    root: str

    def discover(self, skip_hidden: bool = True) -> list[Found]: ...

    def open(self, rel: str) -> BinaryIO: ...

    def read_whole(self, rel: str, max_bytes: int) -> bytes: ...

    def unchanged_since_open(self, rel: str, token) -> bool: ...

    def token(self, rel: str): ...


def is_url(raw) -> bool:
    return "://" in str(raw)


def source_for(raw) -> Source:
    return FsspecSource(str(raw)) if is_url(raw) else LocalSource(Path(raw))


class LocalSource:
    def __init__(self, root: Path):
        self.path = root
        self.root = str(root)
        self._resolved: Path | None = None

    def check(self) -> None:
        if not self.path.is_dir():
            raise SourceError(f"raw folder {self.path} does not exist or is not a folder")

    def discover(self, skip_hidden: bool = True) -> list[Found]:
        """All entries under the root, sorted by relative path (the order shards are cut in). Walked
        with os.scandir and plain strings: pathlib objects per entry cost 0.1 ms a file (10 s at
        100,000 files); a folder that cannot be listed is passed over, as os.walk does."""
        self.check()
        root = self.path.resolve()
        found: list[Found] = []

        def walk(folder: str, prefix: str) -> None:
            try:
                with os.scandir(folder) as it:
                    entries = list(it)
            except OSError:
                return
            subfolders = []
            for e in entries:
                rel = prefix + e.name
                hidden = skip_hidden and e.name.startswith(".")
                if _is_dir(e):  # a link to a folder counts as a folder, as in os.walk
                    if hidden:
                        found.append(Found(rel + "/", "skipped_hidden", "hidden folder not read"))
                    elif e.is_symlink():
                        found.append(_symlink(root, Path(e.path), rel))
                    else:
                        subfolders.append(e.name)
                elif hidden:
                    found.append(Found(rel, "skipped_hidden", "hidden file not read"))
                elif e.is_symlink():
                    found.append(_symlink(root, Path(e.path), rel))
                else:
                    found.append(Found(rel, None, size=_entry_size(e)))
            for name in sorted(subfolders):
                walk(os.path.join(folder, name), prefix + name + "/")

        walk(str(root), "")
        return sorted(found, key=lambda f: f.rel_path)

    @property
    def resolved(self) -> Path:
        """The root with links resolved, once (per file it was a visible share of reading small files)."""
        if self._resolved is None:
            self._resolved = self.path.resolve()
        return self._resolved

    def open(self, rel: str) -> BinaryIO:
        """A stream of a regular file (a FIFO or a device would block: refused before opening)."""
        path = self.resolved / rel
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                raise ReadProblem("not_a_file", "not a regular file (device, socket or pipe)")
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError as exc:
            raise ReadProblem("vanished", "file disappeared before it could be read") from exc
        except PermissionError as exc:
            raise ReadProblem("unreadable", f"permission denied: {exc.strerror}") from exc
        except OSError as exc:
            raise ReadProblem("unreadable", f"{exc.strerror or exc}") from exc
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise ReadProblem("not_a_file", "not a regular file (device, socket or pipe)")
        return os.fdopen(fd, "rb", buffering=1 << 16)

    def read_whole(self, rel: str, max_bytes: int) -> bytes:
        return read_stable(self.resolved / rel, max_bytes)

    def token(self, rel: str):
        st = os.stat(self.resolved / rel)
        return st.st_size, st.st_mtime_ns

    def unchanged_since_open(self, rel: str, token) -> bool:
        try:
            return self.token(rel) == token
        except FileNotFoundError:
            return True  # read completely, then removed: the bytes we have are whole


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _entry_size(entry: os.DirEntry) -> int | None:
    try:
        return entry.stat().st_size
    except OSError:
        return None


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _symlink(root: Path, path: Path, rel: str) -> Found:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return Found(rel, "broken_symlink", f"symlink target missing: {os.readlink(path)}")
    if not target.is_relative_to(root):
        return Found(rel, "symlink_outside_root", f"points outside the raw root to {target}")
    if target.is_dir():
        return Found(rel, "skipped_symlink_dir", f"folder link inside the root ({target.relative_to(root)}) is "
                                                 "read there")
    return Found(rel, None, size=_size(target))


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


class FsspecSource:
    """Object storage or another fsspec filesystem. Listing gives sizes and ETags, so an unchanged
    object is recognised without downloading it."""

    def __init__(self, url: str):
        import fsspec

        self.root = url.rstrip("/")
        self.fs, self.base = fsspec.core.url_to_fs(self.root)
        self.base = self.base.rstrip("/")

    def check(self) -> None:
        self.discover()

    def discover(self, skip_hidden: bool = True) -> list[Found]:
        try:
            listing = self.fs.find(self.base, detail=True, withdirs=False)
        except Exception as exc:  # noqa: BLE001 - each filesystem raises its own kinds
            raise SourceError(f"cannot list {self.root}: {type(exc).__name__}: {exc}") from exc
        if not listing and not self.fs.exists(self.base):
            raise SourceError(f"raw location {self.root} does not exist or holds nothing")
        found = []
        for full, info in listing.items():
            path = PurePosixPath(full)
            rel = path.relative_to(self.base).as_posix() if full != self.base else path.name
            if skip_hidden and any(part.startswith(".") for part in PurePosixPath(rel).parts):
                found.append(Found(rel, "skipped_hidden", "hidden file not read"))
                continue
            etag = info.get("ETag") or info.get("etag") or info.get("md5Hash")
            found.append(Found(rel, None, size=info.get("size"), etag=str(etag).strip('"') if etag else None))
        return sorted(found, key=lambda f: f.rel_path)

    def _full(self, rel: str) -> str:
        return f"{self.base}/{rel}"

    def open(self, rel: str) -> BinaryIO:
        try:
            return self.fs.open(self._full(rel), "rb", block_size=1 << 22)
        except FileNotFoundError as exc:
            raise ReadProblem("vanished", "object disappeared before it could be read") from exc
        except PermissionError as exc:
            raise ReadProblem("unreadable", f"permission denied: {exc}") from exc
        except OSError as exc:
            raise ReadProblem("unreadable", f"{exc}") from exc

    def read_whole(self, rel: str, max_bytes: int) -> bytes:
        with self.open(rel) as fh:
            data = fh.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ReadProblem("too_large", f"more than {max_bytes} bytes")
        return data

    def token(self, rel: str):
        return None

    def unchanged_since_open(self, rel: str, token) -> bool:
        return True


# With several workers, a run is cut into at least this many shards per worker (so none sits idle
# while another finishes a long one), but never into shards smaller than MIN_SHARD_PAGES files:
# each task costs ~35 ms of orchestration and repeats per-shard set-up.
SHARDS_PER_WORKER = 2
MIN_SHARD_PAGES = 200


def pages_per_shard(n_files: int, shard_size: int, workers: int) -> int:
    """Files per shard: `shard_size`, or fewer when that would leave workers without a shard."""
    if workers <= 1 or n_files == 0:
        return shard_size
    return max(1, min(shard_size, max(MIN_SHARD_PAGES, -(-n_files // (workers * SHARDS_PER_WORKER)))))


def plan_shards(found: list[Found], max_pages: int, max_bytes: int) -> list[list[str]]:
    """Cut the readable files, in order, into shards of at most `max_pages` files and `max_bytes`
    bytes (a file larger than `max_bytes`, such as a container of many pages, gets a shard of its
    own; its pages are split into parts as they are read). Sizes come from listing; a file whose
    size is unknown counts as empty here and is judged when it is read."""
    shards: list[list[str]] = []
    current: list[str] = []
    size = 0
    for f in found:
        if f.problem is not None:
            continue
        n = f.size or 0
        if current and (len(current) >= max_pages or size + n > max_bytes):
            shards.append(current)
            current, size = [], 0
        current.append(f.rel_path)
        size += n
    if current:
        shards.append(current)
    return shards
