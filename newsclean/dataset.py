"""The output contract: table schemas, Parquet/JSONL writing, and the all-or-nothing swap into place.

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
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

TS = pa.timestamp("us", tz="UTC")

DOCUMENTS = pa.schema([
    ("doc_id", pa.string()), ("raw_path", pa.string()), ("raw_sha256", pa.string()), ("raw_size", pa.int64()),
    ("encoding", pa.string()), ("repairs", pa.list_(pa.string())), ("title", pa.string()), ("text", pa.string()),
    ("language", pa.string()), ("published", TS), ("published_precision", pa.string()),
    ("source_url", pa.string()), ("publisher", pa.string()), ("publisher_site", pa.string()),
    ("original_publisher", pa.string()), ("author", pa.string()), ("license", pa.string()), ("n_passages", pa.int32()),
    ("n_removed", pa.int32()), ("n_chars", pa.int64()), ("lang_chars_vi", pa.int64()), ("lang_chars_en", pa.int64()),
    ("lang_chars_other", pa.int64()), ("body_end_marker", pa.string()), ("duplicate_of", pa.string()),
    ("duplicate_similarity", pa.float32()), ("duplicate_kind", pa.string()), ("run_id", pa.string()),
    ("pipeline_version", pa.string()), ("processed_at", TS),
])
PASSAGES = pa.schema([
    ("doc_id", pa.string()), ("seq", pa.int32()), ("passage_id", pa.string()), ("role", pa.string()),
    ("text", pa.string()), ("lang", pa.string()), ("lang_score", pa.float32()), ("line_start", pa.int32()),
    ("line_end", pa.int32()), ("char_start", pa.int64()), ("char_end", pa.int64()), ("pair_seq", pa.int32()),
    ("topic_score", pa.float32()),
])
REMOVED = pa.schema([
    ("doc_id", pa.string()), ("line_start", pa.int32()), ("line_end", pa.int32()), ("char_start", pa.int64()),
    ("char_end", pa.int64()), ("text", pa.string()), ("reason", pa.string()), ("topic_score", pa.float32()),
])
QUARANTINE = pa.schema([
    ("raw_path", pa.string()), ("raw_sha256", pa.string()), ("raw_size", pa.int64()), ("error", pa.string()),
    ("detail", pa.string()),
])
TABLES = {"documents": DOCUMENTS, "passages": PASSAGES, "removed": REMOVED, "quarantine": QUARANTINE}
SORT_KEYS = {
    "documents": (["language", "published", "doc_id"], True),
    "passages": (["doc_id", "seq"], False),
    "removed": (["doc_id", "line_start"], False),
    "quarantine": (["raw_path"], False),
}
JSONL_TABLES = ("documents", "passages")
# Rows are buffered and sorted per output file: this bounds the write step's memory, whatever the
# corpus size (files of 100-500 MB are recommended; the in-memory frame is ~2x the file's size).
TARGET_FILE_BYTES = 128 * 1024 * 1024


def conform(frame: pl.DataFrame, table: str) -> pa.Table:
    """Cast a frame to the table's Arrow schema (column order, types); fails loudly on a gap."""
    schema = TABLES[table]
    missing = [f.name for f in schema if f.name not in frame.columns]
    if missing:
        raise ValueError(f"{table}: missing columns {missing}")
    arrow = frame.select([f.name for f in schema]).to_arrow()
    return arrow.cast(schema)


def sort_frame(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    keys, nulls_last = SORT_KEYS[table]
    return frame.sort(keys, nulls_last=nulls_last)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class TableWriter:
    """Write one table from a stream of frames (one per shard): frames are buffered up to about
    TARGET_FILE_BYTES, then sorted and written as the next part file (and appended to the JSONL
    file), so memory stays flat as the corpus grows. Rows are sorted within each part."""

    def __init__(self, folder: Path, table: str, row_group_rows: int, jsonl: Path | None = None,
                 target_bytes: int = TARGET_FILE_BYTES):
        self.folder, self.table, self.row_group_rows, self.jsonl = folder, table, row_group_rows, jsonl
        self.target = target_bytes
        self.buffer: list[pl.DataFrame] = []
        self.buffered = 0
        self.parts: list[dict] = []
        self.rows = 0
        folder.mkdir(parents=True, exist_ok=True)
        if jsonl is not None:
            jsonl.write_bytes(b"")

    def add(self, frame: pl.DataFrame) -> None:
        if frame.height == 0:
            return
        self.buffer.append(frame)
        self.buffered += frame.estimated_size()
        if self.buffered >= self.target:
            self._flush()

    def _flush(self) -> None:
        frame = pl.concat(self.buffer, how="vertical_relaxed") if self.buffer else pl.from_arrow(TABLES[self.table].empty_table())
        self.buffer, self.buffered = [], 0
        frame = sort_frame(frame, self.table)
        path = self.folder / f"part-{len(self.parts):05d}.parquet"
        pq.write_table(conform(frame, self.table), path, compression="zstd", row_group_size=self.row_group_rows,
                       write_statistics=True, write_page_index=True)
        if self.jsonl is not None:
            with open(self.jsonl, "ab") as fh:
                frame.select([f.name for f in TABLES[self.table]]).write_ndjson(fh)
        self.parts.append({"path": path, "rows": frame.height})
        self.rows += frame.height

    def close(self) -> list[dict]:
        if self.buffer or not self.parts:
            self._flush()
        return self.parts


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
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    fh = open(lock_path, "a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.seek(0)
            holder = fh.read().strip() or "another run"
            raise OutputLocked(f"{out} is being written by {holder}; wait for it to finish or remove nothing "
                               f"(the lock is released when that process exits)") from exc
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        yield
    finally:
        fh.close()


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n",
                    encoding="utf-8")


# What every column means: rendered into the dataset card, checked against the README by a test.
COLUMN_DOCS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "Stable id: first 16 hex digits of sha256(raw_sha256 + NUL + raw_path); same bytes at the same path give the same id on every run and machine.",
        "raw_path": "Path of the raw file relative to the raw root (POSIX separators).",
        "raw_sha256": "sha256 of the raw file's bytes, before any decoding.",
        "raw_size": "Size of the raw file in bytes.",
        "encoding": "How the bytes were decoded: utf-8, utf-8-sig, utf-16, utf-16-le/-be, cp1258.",
        "repairs": "What normalisation changed beyond the usual: nul_removed, mojibake_repaired, nfc.",
        "title": "The article's headline (the title line's text), or null.",
        "text": "The kept body passages in order, joined by blank lines (titles and captions are in passages).",
        "language": "Dominant language of the body by characters: vi, en or other; null when there is no body.",
        "published": "Publication time in UTC (timestamp[us, UTC]); pages print Vietnam time (UTC+7) unless they say otherwise; null when the page gives none.",
        "published_precision": "day, minute or second: how much of `published` the page printed (a date alone is stored as local midnight).",
        "source_url": "URL the page names as its source (`Source: URL`, `Nguồn: URL`), or null.",
        "publisher": "Who published the story: original_publisher when known, else publisher_site.",
        "publisher_site": "The site the page was taken from, when the page names it (e.g. a domain in its header line).",
        "original_publisher": "The outlet the story comes from: a sign-off (— VNS, Theo TTXVN), a byline naming the source site, or the source URL's host.",
        "author": "Author from a byline, when the page gives one.",
        "license": "License of the dataset's compilation and annotations for this row (the configured `license`); the page's text remains its publisher's (see `publisher`, `source_url`).",
        "n_passages": "Number of kept passages (title, body, caption) of this page.",
        "n_removed": "Number of removed lines of this page (rows in removed/).",
        "n_chars": "Characters in `text`.",
        "lang_chars_vi": "Characters of kept passages detected as Vietnamese.",
        "lang_chars_en": "Characters of kept passages detected as English.",
        "lang_chars_other": "Characters of kept passages in other languages.",
        "body_end_marker": "What ended the article body (source_line, signoff:VNS, widget:comment, ...), or null.",
        "duplicate_of": "For a duplicate (the same story again, whole or lightly edited, on this or another site): the doc_id of the kept document of its group (the one published first); null for kept and unique documents.",
        "duplicate_similarity": "Estimated Jaccard similarity of the body's 5-word shingles with the kept document (MinHash, 128 hashes); 1.0 for exact duplicates; null when not a duplicate.",
        "duplicate_kind": "exact (same body after lower-casing and dropping punctuation) or near (similarity at or above the threshold); null when not a duplicate.",
        "run_id": "Id of the run that processed the page (an incremental run keeps earlier rows with their run_id).",
        "pipeline_version": "newsclean version that wrote the row.",
        "processed_at": "Start time of that run, UTC.",
    },
    "passages": {
        "doc_id": "The document this passage belongs to.",
        "seq": "0-based order of the passage within its document.",
        "passage_id": "Stable passage id: doc_id-seq (seq zero-padded to 4 digits).",
        "role": "title, body or caption.",
        "text": "The passage text exactly as in the normalised raw text between char_start and char_end.",
        "lang": "vi, en or other.",
        "lang_score": "Confidence of `lang` in [0, 1]; low values mark passages worth a second look.",
        "line_start": "First line of the passage in the raw file, 1-based.",
        "line_end": "Last line of the passage in the raw file, 1-based, inclusive.",
        "char_start": "Offset of the passage's first character in the decoded, normalised raw text.",
        "char_end": "Offset one past the passage's last character.",
        "pair_seq": "For a caption with its translation on the next line (vi/en): the partner's seq; else null.",
        "topic_score": "For paragraphs after the body's end: share of their content terms found in the body; else null.",
    },
    "removed": {
        "doc_id": "The document the line was removed from.",
        "line_start": "First removed line, 1-based.",
        "line_end": "Last removed line, 1-based, inclusive.",
        "char_start": "Offset into the normalised raw text.",
        "char_end": "Offset one past the end.",
        "text": "The removed text.",
        "reason": "boilerplate:<kind> (site_header, dateline, widget, related_headlines, repeated, source, navigation, short, ...) or trailing_unrelated.",
        "topic_score": "For trailing_unrelated paragraphs: their coherence with the body.",
    },
    "quarantine": {
        "raw_path": "Path of the input relative to the raw root.",
        "raw_sha256": "sha256 of its bytes when they could be read, else null.",
        "raw_size": "Its size in bytes when known.",
        "error": "Short reason: empty, binary, undecodable, too_large, unreadable, vanished, changed_during_read, symlink_outside_root, broken_symlink, clean_failed, ...",
        "detail": "A sentence saying what was found.",
    },
}
