"""Scraper exports: JSON Lines, CSV/TSV and Parquet, one row one page.

Which field holds what comes from `[input]` (InputParams): the first present of the text fields, else
of the HTML fields, is the page; url, fetch time, title, publication time and id come from theirs.
A row with no page field, a line that is not JSON, a row that is not an object: one quarantine row
each, naming the line or row. Times may be ISO 8601 or epoch seconds (or milliseconds).
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Iterator
from typing import BinaryIO

from transforms.html import parse_iso_time

from . import InputParams, Problem, Record

_VI_ONLY = re.compile("[ăĂđĐơƠưƯ₫\u0300\u0301\u0303\u0309\u0323]")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json", ".jsonlines")
CSV_SUFFIXES = (".csv", ".tsv")


def _field(row: dict, names: tuple[str, ...]):
    """The first non-empty value among `names` (matched without regard to case)."""
    lowered = {str(k).lower(): v for k, v in row.items()}
    for name in names:
        v = lowered.get(name)
        if v is not None and v != "":
            return v
    return None


def to_time(value) -> dt.datetime | None:
    """An export's time: ISO 8601 text, epoch seconds or milliseconds, or a datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).astimezone(dt.timezone.utc)
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().replace(".", "", 1).isdigit()):
        seconds = float(value)
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        try:
            return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_iso_time(str(value))


def row_record(index: int, row: dict, params: InputParams, where: str, encoding: str | None) -> Record | Problem:
    """A page from one export row, or the problem that stops it."""
    text, kind = _field(row, params.text_fields), "text"
    if text is None:
        text, kind = _field(row, params.html_fields), "html"
    rid = _field(row, params.id_fields)
    rid = None if rid is None else str(rid)
    if not isinstance(text, str):
        fields = ", ".join(params.text_fields + params.html_fields)
        what = "has none of the page fields" if text is None else "has a page field that is not text"
        return Problem(index, "no_text", f"{where} {what} ({fields})", rid)
    url = _field(row, params.url_fields)
    title = _field(row, params.title_fields)
    return Record(index, text, kind, url=str(url) if url is not None else None,
                  fetched_at=to_time(_field(row, params.fetched_fields)), record_id=rid,
                  title=str(title) if title is not None else None,
                  published=to_time(_field(row, params.published_fields)), encoding=encoding)


class JsonLinesReader:
    name = "jsonl"
    single_page = False

    def accepts(self, name: str, head: bytes) -> bool:
        if not name.lower().endswith(JSONL_SUFFIXES):
            return False
        first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if first != b"{":
            return False
        line = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
        try:
            return isinstance(json.loads(line), dict)
        except ValueError:
            return len(line) == len(head.lstrip(b"\xef\xbb\xbf \t\r\n"))  # the first line is longer than the head

    def records(self, stream: BinaryIO, name: str, params: InputParams,
                max_record_bytes: int) -> Iterator[Record | Problem]:
        for index, raw in enumerate(_lines(stream, max_record_bytes)):
            if raw is None:
                yield Problem(index, "too_large", f"line {index + 1} is over the limit of {max_record_bytes:,} bytes")
                continue
            if not raw.strip():
                continue
            try:
                row = json.loads(raw.decode("utf-8-sig" if index == 0 else "utf-8"))
            except UnicodeDecodeError as exc:
                yield Problem(index, "undecodable", f"line {index + 1} is not UTF-8 ({exc.reason} at byte {exc.start})")
                continue
            except ValueError as exc:
                yield Problem(index, "invalid_json", f"line {index + 1} is not JSON: {exc}")
                continue
            if not isinstance(row, dict):
                yield Problem(index, "invalid_row", f"line {index + 1} is a JSON {type(row).__name__}, not an object")
                continue
            yield row_record(index, row, params, f"line {index + 1}", "utf-8")


def _lines(stream: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """Lines of a stream, each at most `limit` bytes (None stands for a longer one, skipped)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(1 << 20)
            yield None
            continue
        yield line


def text_encoding(head: bytes) -> str:
    """How a CSV export is encoded: a BOM, UTF-8 if its head decodes, else the legacy code page its
    letters fit (Windows-1258 for Vietnamese, Windows-1252 otherwise, as Excel writes)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut by the end of the head
            return "utf-8"
    # The two code pages differ only where Windows-1258 has Vietnamese letters and tone marks.
    return "cp1258" if _VI_ONLY.search(head.decode("cp1258", errors="replace")) else "cp1252"


class CsvReader:
    name = "csv"
    single_page = False

    def accepts(self, name: str, head: bytes) -> bool:
        if not name.lower().endswith(CSV_SUFFIXES):
            return False
        first = head.decode(text_encoding(head), errors="replace").lstrip("\ufeff").split("\n", 1)[0].lower()
        return bool(first.strip())

    def records(self, stream: BinaryIO, name: str, params: InputParams,
                max_record_bytes: int) -> Iterator[Record | Problem]:
        encoding = text_encoding(stream.peek(1 << 16)[: 1 << 16] if hasattr(stream, "peek") else b"")
        text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
        csv.field_size_limit(min(max_record_bytes, sys.maxsize))
        reader = csv.DictReader(text, delimiter="\t" if name.lower().endswith(".tsv") else ",")
        index = 0
        try:
            for index, row in enumerate(reader):
                yield row_record(index, row, params, f"row {index + 1} (line {reader.line_num})", encoding)
        except UnicodeDecodeError as exc:
            yield Problem(index + 1, "undecodable", f"after row {index + 1}: not {encoding} ({exc.reason}); "
                                                   "the rest of the file was not read")
        except csv.Error as exc:
            yield Problem(index + 1, "invalid_row", f"after row {index + 1} (line {reader.line_num}): {exc}; "
                                                    "the rest of the file was not read")


class ParquetReader:
    name = "parquet"
    single_page = False

    def accepts(self, name: str, head: bytes) -> bool:
        return head.startswith(b"PAR1")

    def records(self, stream: BinaryIO, name: str, params: InputParams,
                max_record_bytes: int) -> Iterator[Record | Problem]:
        import pyarrow.parquet as pq

        source = stream if stream.seekable() else io.BytesIO(stream.read())
        try:
            pf = pq.ParquetFile(source)
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds for a damaged file
            yield Problem(None, "undecodable", f"not a readable Parquet file: {exc}")
            return
        wanted = {n.lower() for n in (params.text_fields + params.html_fields + params.url_fields
                                      + params.fetched_fields + params.title_fields + params.published_fields
                                      + params.id_fields)}
        columns = [c for c in pf.schema_arrow.names if c.lower() in wanted]
        index = 0
        for batch in pf.iter_batches(batch_size=256, columns=columns or None):
            for row in batch.to_pylist():
                yield row_record(index, row, params, f"row {index + 1}", None)
                index += 1
