"""WARC and Common Crawl WET files: `conversion` records (WET text) and `response` records with
HTML (WARC) are pages; every other record is counted and skipped with its reason.

Parsed by name, not by position (cc_net's lesson): a record is `WARC/1.x`, header lines until a
blank line, then `Content-Length` bytes. A header that cannot be read quarantines that record and
the reader moves on to the next line that starts a record; a file cut short keeps the records
before the cut and quarantines the rest with the byte it broke at. Gzip per record (as Common Crawl
writes it) is read as one stream by the compression layer.
"""
from __future__ import annotations

import datetime as dt
import gzip
import re
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from transforms.html import parse_iso_time

from . import InputParams, Problem, Record, Skip

MAX_HEADER_LINES = 256
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
HTML_TYPES = ("text/html", "application/xhtml+xml")


class WarcReader:
    name = "warc"
    single_page = False

    def accepts(self, name: str, head: bytes) -> bool:
        return head.lstrip(b"\r\n").startswith(b"WARC/")

    def records(self, stream: BinaryIO, name: str, params: InputParams,
                max_record_bytes: int) -> Iterator[Record | Problem | Skip]:
        index = 0
        pending = None  # a line already read that starts the next record (after a resync)
        while True:
            line = pending if pending is not None else _next_nonblank(stream)
            pending = None
            if not line:
                return
            if not line.startswith(b"WARC/"):
                yield Problem(index, "corrupt_record", "no WARC version line where a record should start; "
                                                       "skipped to the next record")
                index += 1
                pending = _resync(stream)
                continue
            headers = _headers(stream)
            length = _length(headers)
            if headers is None or length is None:
                yield Problem(index, "corrupt_record", "unreadable WARC header (no valid Content-Length); "
                                                       "skipped to the next record", _id(headers))
                index += 1
                pending = _resync(stream)
                continue
            if length > max_record_bytes:
                _discard(stream, length)
                yield Problem(index, "too_large", f"record of {length:,} bytes is over the limit of "
                                                  f"{max_record_bytes:,}", _id(headers))
                index += 1
                continue
            block = stream.read(length)
            if len(block) < length:
                yield Problem(index, "truncated", f"file ends inside this record ({len(block):,} of {length:,} "
                                                  "bytes)", _id(headers))
                return
            yield page_of(index, headers, block)
            index += 1


def _next_nonblank(stream: BinaryIO) -> bytes:
    while True:
        line = stream.readline()
        if not line or line.strip():
            return line


def _resync(stream: BinaryIO) -> bytes | None:
    """Read on to the next line that starts a record; returns it (None at the end)."""
    while True:
        line = stream.readline()
        if not line:
            return None
        if line.startswith(b"WARC/1."):
            return line


def _headers(stream: BinaryIO) -> dict[str, str] | None:
    """Header lines until the blank line, by name (lower-cased); None when they do not parse."""
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADER_LINES):
        line = stream.readline()
        if not line:
            return None
        text = line.decode("utf-8", errors="replace").rstrip("\r\n")
        if not text:
            return headers
        name, sep, value = text.partition(":")
        if not sep:
            return None
        headers[name.strip().lower()] = value.strip()
    return None


def _length(headers: dict[str, str] | None) -> int | None:
    try:
        n = int(headers["content-length"]) if headers is not None else -1
    except (KeyError, ValueError):
        return None
    return n if n >= 0 else None


def _id(headers: dict[str, str] | None) -> str | None:
    return (headers or {}).get("warc-record-id")


def _discard(stream: BinaryIO, n: int) -> None:
    while n > 0:
        chunk = stream.read(min(n, 1 << 20))
        if not chunk:
            return
        n -= len(chunk)


def page_of(index: int, headers: dict[str, str], block: bytes) -> Record | Problem | Skip:
    """A WET conversion record's text or a response record's HTML as a Record; other records Skip."""
    kind = headers.get("warc-type", "").lower()
    common = dict(url=headers.get("warc-target-uri") or None, fetched_at=_warc_date(headers.get("warc-date")),
                  record_id=headers.get("warc-record-id"))
    if kind == "conversion":
        return Record(index, block, "text", charset="utf-8",
                      lang_hint=headers.get("warc-identified-content-language"), **common)
    if kind != "response":
        return Skip(index, f"warc {kind or 'untyped'} record")
    if not headers.get("content-type", "").lower().startswith("application/http"):
        return Skip(index, f"response of {headers.get('content-type') or 'no content type'}")
    return _http_page(index, block, common)


def _http_page(index: int, block: bytes, common: dict) -> Record | Problem | Skip:
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = block.partition(b"\n\n")
    lines = head.decode("latin-1").splitlines()
    status = lines[0].split() if lines else []
    code = status[1] if len(status) > 1 else ""
    http = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:]) if k}
    ctype = http.get("content-type", "").lower()
    if not code.startswith("2"):
        return Skip(index, f"http {code or 'status unreadable'}")
    if not ctype.startswith(HTML_TYPES):
        return Skip(index, f"http {ctype.split(';')[0] or 'without content type'}")
    try:
        body = _decoded_body(body, http)
    except (ValueError, OSError, zlib.error) as exc:
        return Problem(index, "undecodable", f"HTTP body could not be decoded: {exc}", common["record_id"])
    charset = _CHARSET.search(ctype)
    return Record(index, body, "html", charset=charset.group(1) if charset else None, **common)


def _decoded_body(body: bytes, http: dict[str, str]) -> bytes:
    """Undo chunked transfer and gzip/deflate content encoding (Common Crawl has already done both and
    renamed the headers X-Crawler-*; other crawlers store the body as it came)."""
    if "chunked" in http.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    encoding = http.get("content-encoding", "").lower()
    if encoding in ("gzip", "x-gzip"):
        return gzip.decompress(body)
    if encoding == "deflate":
        try:
            return zlib.decompress(body)
        except zlib.error:
            return zlib.decompress(body, -zlib.MAX_WBITS)
    if encoding == "br":
        import brotli  # installed with FastWARC (Resiliparse)

        return brotli.decompress(body)
    if encoding not in ("", "identity"):
        raise ValueError(f"content encoding {encoding} is not supported")
    return body


def _dechunk(body: bytes) -> bytes:
    out, pos = [], 0
    while True:
        end = body.find(b"\r\n", pos)
        if end < 0:
            raise ValueError("chunked body without a chunk size line")
        size = int(body[pos:end].split(b";")[0].strip() or b"0", 16)
        if size == 0:
            return b"".join(out)
        out.append(body[end + 2: end + 2 + size])
        pos = end + 2 + size + 2


def _warc_date(value: str | None) -> dt.datetime | None:
    return parse_iso_time(value)
