"""The `ingest` step's reading: raw files to records to decoded, normalised page rows.

For each raw file of a shard: hash it (a file an earlier run read with the same sha256, or in object
storage the same ETag and size, is `unchanged` and not read further), recognise its compression and
format by its first bytes (`newsclean.readers`), and turn each record into one row of the ingested
table, a quarantine row with a reason, a `filtered` row (the language pre-filter), or a counted
skip. Rows are handed to `emit` in parts of at most `shard_size` pages and `shard_bytes` bytes of
text, so a container of 40,000 records streams through in bounded memory.
"""
from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

import polars as pl

from transforms.decode import DecodeError, decode_and_normalize, normalize_text
from transforms.html import html_to_page
from transforms.repetition import site_key
from transforms.schema import FILTERED, FOUND, INGESTED, QUARANTINE, STATUS

from .readers import InputParams, Problem, Record, Skip, reader_for
from .readers.compression import TooLarge, Truncated, decompressed, inner_name, sniff
from .sources import Found, LocalSource, ReadProblem, Source, source_for

DOC_SCHEMA = INGESTED.polars
QUARANTINE_SCHEMA = QUARANTINE.polars
STATUS_SCHEMA = STATUS.polars
HEAD = 1 << 16
# Decompressed bytes always allowed before the compression-ratio limit applies.
RATIO_FLOOR = 64 << 20


def make_doc_id(raw_path: str, raw_sha256: str, raw_record: int | None = None) -> str:
    """Stable id: the same bytes at the same place under the raw root (and the same record of a
    container) give the same id everywhere."""
    key = f"{raw_sha256}\0{raw_path}" + ("" if raw_record is None else f"\0{raw_record}")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class Rows:
    """Column lists of one table, appended a row at a time."""
    schema: dict

    def __post_init__(self):
        self.cols: dict[str, list] = {k: [] for k in self.schema}

    def add(self, **values) -> None:
        for k in self.cols:
            self.cols[k].append(values.get(k))

    def __len__(self) -> int:
        return len(next(iter(self.cols.values()), []))

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.cols, schema=self.schema)


@dataclass
class FileTally:
    """What one raw file gave: its format, how many records, and what was skipped and why."""
    format: str | None = None
    records: int = 0
    skipped: Counter = field(default_factory=Counter)
    failed: bool = False


class ShardReader:
    """Reads one shard's files; `emit(frame)` receives each full part of ingested rows."""

    def __init__(self, source: Source, max_file_mb: float, params: InputParams, known: dict[str, dict],
                 emit: Callable[[pl.DataFrame], None], part_pages: int, part_bytes: int, lang_params=None):
        self.source, self.params, self.known, self.emit = source, params, known, emit
        self.max_bytes = int(max_file_mb * 1024 * 1024)
        self.part_pages, self.part_bytes, self.lang_params = part_pages, part_bytes, lang_params
        self.docs, self.quarantine = Rows(DOC_SCHEMA), Rows(QUARANTINE_SCHEMA)
        self.status, self.filtered = Rows(STATUS_SCHEMA), Rows(FILTERED.polars)
        self.buffered = 0

    def read(self, found: Found) -> None:
        rel, tally = found.rel_path, FileTally()
        sha, size = None, found.size
        try:
            if self._unchanged_object(found):
                prev = self.known[rel]
                self._status(rel, prev.get("sha256"), found.size, "unchanged", tally, found.etag)
                return
            sha, size = self._read_file(found, tally)
        except ReadProblem as problem:
            self._quarantine(rel, problem.sha or sha, size if problem.size is None else problem.size, None, None,
                             problem.reason, problem.detail)
            tally.failed = True
        if tally.failed and sha is None:
            self._status(rel, None, size, "failed", tally, found.etag)
        elif sha is not None and self.known.get(rel, {}).get("sha256") == sha and tally.format is None:
            self._status(rel, sha, size, "unchanged", tally, found.etag)
        else:
            status = "failed" if tally.failed else ("changed" if rel in self.known else "new")
            self._status(rel, sha, size, status, tally, found.etag)

    def _unchanged_object(self, found: Found) -> bool:
        prev = self.known.get(found.rel_path)
        return bool(prev and found.etag and prev.get("etag") == found.etag and prev.get("bytes") == found.size)

    def _read_file(self, found: Found, tally: FileTally) -> tuple[str | None, int | None]:
        """(sha256, size) of a file, its records read unless an earlier run read the same bytes."""
        rel = found.rel_path
        if found.size is not None and found.size <= self.max_bytes:  # the common case: read at once
            data = self.source.read_whole(rel, self.max_bytes)
            sha = hashlib.sha256(data).hexdigest()
            if self.known.get(rel, {}).get("sha256") != sha:
                self._records(rel, sha, len(data), io.BufferedReader(io.BytesIO(data)), tally, whole=True)
            return sha, len(data)
        # A large file (a container): hashed in a first pass (ids need the sha256, and an unchanged
        # file is only hashed), then streamed; the second pass's hash must agree.
        sha, size = self._hash(rel)
        if self.known.get(rel, {}).get("sha256") == sha:
            return sha, size
        with self.source.open(rel) as raw:
            hashing = _Hashing(raw)
            self._records(rel, sha, size, io.BufferedReader(hashing, HEAD), tally, whole=False)
            for _ in iter(lambda: hashing.read(1 << 20), b""):
                pass  # what the reader left unread still counts for the hash
        if hashing.hexdigest() != sha:
            raise ReadProblem("changed_during_read", "file changed while it was read; its records from this run "
                              "are left out", size=size)
        return sha, size

    def _hash(self, rel: str) -> tuple[str, int]:
        h, n = hashlib.sha256(), 0
        with self.source.open(rel) as raw:
            for chunk in iter(lambda: raw.read(1 << 20), b""):
                h.update(chunk)
                n += len(chunk)
        return h.hexdigest(), n

    def _records(self, rel: str, sha: str, size: int | None, raw: BinaryIO, tally: FileTally, whole: bool) -> None:
        """Recognise the file's compression and format, then turn each record into a row."""
        head = raw.peek(HEAD)[:HEAD]
        kind = sniff(head)
        stream = decompressed(raw, kind, RATIO_FLOOR, self.params.max_compression_ratio) if kind else raw
        name = inner_name(rel) if kind else rel
        try:
            inner_head = stream.peek(HEAD)[:HEAD]
            reader = reader_for(name, inner_head)
            tally.format = reader.name + (f"+{kind}" if kind else "")
            if reader.single_page and not whole and not kind:
                raise ReadProblem("too_large", f"{size} bytes > limit {self.max_bytes}", size=size)
            for item in reader.records(stream, name, self.params, self.max_bytes):
                tally.records += 1
                if isinstance(item, Skip):
                    tally.skipped[item.reason] += 1
                elif isinstance(item, Problem):
                    self._quarantine(rel, sha, size, item.index, item.record_id, item.reason, item.detail)
                else:
                    self._row(rel, sha, size, item)
        except TooLarge as exc:
            self._quarantine(rel, sha, size, None, None, "too_large", str(exc))
        except Truncated as exc:
            self._quarantine(rel, sha, size, None, None, "truncated", f"{exc}; the records before the damage are kept")

    def _row(self, rel: str, sha: str, size: int | None, rec: Record) -> None:
        """One page: an ingested row, or a quarantine or filtered row."""
        try:
            text, encoding, repairs, hints = _page_text(rec)
        except DecodeError as exc:
            self._quarantine(rel, sha, size, rec.index, rec.record_id, exc.reason, exc.detail)
            return
        if not text.strip():
            empty = rec.index is None and not (rec.data.strip() if isinstance(rec.data, bytes) else rec.data)
            self._quarantine(rel, sha, size, rec.index, rec.record_id, "empty",
                             ("file is empty" if not rec.data else "file holds only whitespace") if empty
                             else "no text after decoding")
            return
        doc_id = make_doc_id(rel, sha, rec.index)
        url = rec.url or hints.get("url")
        if self.params.languages and self._prefiltered(doc_id, rel, rec, url, text):
            return
        self.docs.add(doc_id=doc_id, raw_path=rel, raw_record=rec.index, raw_record_id=rec.record_id,
                      raw_sha256=sha, raw_size=size, encoding=encoding, repairs=repairs, url=url,
                      fetched_at=rec.fetched_at, hint_title=rec.title or hints.get("title"),
                      hint_published=rec.published or hints.get("published"),
                      site_key=site_key(rel, text, url, hints.get("site")), text=text)
        self.buffered += len(text)
        if len(self.docs) >= self.part_pages or self.buffered >= self.part_bytes:
            self.flush()

    def _prefiltered(self, doc_id: str, rel: str, rec: Record, url: str | None, text: str) -> bool:
        """The language pre-filter (the Common Crawl case): a page the container marks as one of the
        kept languages goes on to cleaning; any other page is dropped here only when this project's
        detector, on the page's longest lines, finds a language the corpus does not keep."""
        from transforms.langid import prefilter_language

        lang, reason = prefilter_language(text, rec.lang_hint, self.params.languages, self.lang_params)
        if reason is None:
            return False
        self.filtered.add(doc_id=doc_id, raw_path=rel, raw_record=rec.index, url=url, language=lang, reason=reason)
        return True

    def flush(self) -> None:
        if len(self.docs):
            self.emit(self.docs.frame())
        self.docs, self.buffered = Rows(DOC_SCHEMA), 0

    def _quarantine(self, rel, sha, size, index, record_id, reason, detail) -> None:
        self.quarantine.add(raw_path=rel, raw_record=index, raw_record_id=record_id, raw_sha256=sha, raw_size=size,
                            error=reason, detail=detail)

    def _status(self, rel, sha, size, status, tally: FileTally, etag) -> None:
        self.status.add(raw_path=rel, raw_sha256=sha, raw_size=size, status=status, format=tally.format,
                        records=tally.records, etag=etag,
                        skipped=json.dumps(dict(sorted(tally.skipped.items()))) if tally.skipped else None)


def _page_text(rec: Record) -> tuple[str, str, list[str], dict]:
    """A record's normalised text, how it was decoded, what was repaired, and what HTML markup
    stated (title, published, url, site). Raises DecodeError."""
    if rec.kind == "html":
        page = html_to_page(rec.data, rec.charset)
        text = normalize_text(page.text)
        return text, page.encoding, [], {"title": page.title, "published": page.published, "url": page.url,
                                         "site": page.site}
    if isinstance(rec.data, str):
        text = normalize_text(rec.data)
        return text, rec.encoding or "utf-8", ["nfc"] if text != rec.data.replace("\r\n", "\n") else [], {}
    if not rec.data.strip():
        return "", "utf-8", [], {}
    decoded = decode_and_normalize(rec.data)
    return decoded.text, decoded.encoding, decoded.repairs, {}


class _Hashing(io.RawIOBase):
    """A raw stream that hashes what is read through it (a streamed file's sha256 in the same pass)."""

    def __init__(self, raw: BinaryIO):
        self.raw, self.h, self.count = raw, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        chunk = self.raw.read(len(b))
        n = len(chunk)
        b[:n] = chunk
        self.h.update(chunk)
        self.count += n
        return n

    def hexdigest(self) -> str:
        return self.h.hexdigest()


def read_files(raw, rel_paths: list[str], max_file_mb: float, known: dict[str, dict] | None = None,
               params: InputParams | None = None) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Read files into (documents, quarantine, status) frames held in memory: the whole of `ingest`
    for a few files (tests, evaluation). `known` maps paths to the previous run's input entries."""
    source = raw if not isinstance(raw, (str, bytes)) and hasattr(raw, "discover") else source_for(raw)
    listed = {f.rel_path: f for f in source.discover()} if isinstance(source, LocalSource) else {}
    parts: list[pl.DataFrame] = []
    reader = ShardReader(source, max_file_mb, params or InputParams(), known or {}, parts.append, 1 << 62, 1 << 62)
    for rel in rel_paths:
        reader.read(listed.get(rel) or Found(rel, None, size=_local_size(source, rel)))
    reader.flush()
    docs = pl.concat(parts) if parts else pl.DataFrame(schema=DOC_SCHEMA)
    return docs, reader.quarantine.frame(), reader.status.frame()


def _local_size(source: Source, rel: str) -> int | None:
    try:
        return source.token(rel)[0] if isinstance(source, LocalSource) else None
    except OSError:
        return None


def found_frame(found: list[Found]) -> pl.DataFrame:
    return pl.DataFrame({"rel_path": [f.rel_path for f in found], "problem": [f.problem for f in found],
                         "detail": [f.detail for f in found], "size": [f.size for f in found],
                         "etag": [f.etag for f in found]}, schema=FOUND.polars)


def quarantine_found(found: list[Found]) -> pl.DataFrame:
    """Quarantine rows for entries that discovery already judged unreadable (not the skipped ones)."""
    rows = Rows(QUARANTINE_SCHEMA)
    for f in found:
        if f.problem and not f.problem.startswith("skipped"):
            rows.add(raw_path=f.rel_path, error=f.problem, detail=f.detail)
    return rows.frame()
