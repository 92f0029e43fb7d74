"""Raw files as records: one page each, with its bytes and what its container says about it.

A raw file is one page (a scraper's `.txt`, a browser copy, an `.html` file) or a container of many
(a Common Crawl WET or WARC file, a JSON Lines / CSV / Parquet export), possibly compressed. Each
format has a reader here with one contract (after datatrove's `BaseDiskReader.read_file`, stricter):

    accepts(name, head) -> bool     by the file name's suffix *and* its first (decompressed) bytes
    records(stream, name, params)   yields Record (a page), Problem (a record that cannot be read:
                                    it becomes a quarantine row) or Skip (a record that is not a page,
                                    counted in the manifest with its reason)

`READERS` is tried in order; the plain-text reader takes whatever no other reader accepts. Adding a
format is adding a reader to this package, to `READERS`, and its tests (files made by the format's
own writer library).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol


@dataclass(frozen=True)
class InputParams:
    """[input]: how records are read from exports, and which languages a corpus keeps."""
    # Export fields, first present wins (scrapers' common names): the page as text or as HTML, ...
    text_fields: tuple[str, ...] = ("text", "content", "body", "raw_content")
    html_fields: tuple[str, ...] = ("html", "raw_html", "content_html", "page_html")
    url_fields: tuple[str, ...] = ("url", "link", "uri", "source_url")
    fetched_fields: tuple[str, ...] = ("fetched_at", "crawled_at", "date", "timestamp", "fetch_time", "crawl_time")
    title_fields: tuple[str, ...] = ("title", "headline")
    published_fields: tuple[str, ...] = ("published", "published_at", "date_published", "pub_date")
    id_fields: tuple[str, ...] = ("id", "doc_id", "uuid", "record_id")
    # Keep only documents whose dominant language is one of these (e.g. ("vi", "en")); the rest go to
    # the `filtered` table. Empty: keep every language.
    languages: tuple[str, ...] = ()
    # Decompression bombs: past 64 MB out, at most this many bytes out per compressed byte read
    # (WET text compresses ~4x, HTML ~8x; bombs reach 1000x).
    max_compression_ratio: float = 100.0


@dataclass
class Record:
    """One page from a raw file."""
    index: int | None                # position in its file (None for a one-page file)
    data: bytes | str                # the page: bytes to decode, or text an export already decoded
    kind: str = "text"               # "text" (lines as given) or "html" (rendered to lines first)
    url: str | None = None           # where the page was fetched
    fetched_at: dt.datetime | None = None
    record_id: str | None = None     # WARC-Record-ID or the export's own id
    title: str | None = None         # a title the container states (an export's field)
    published: dt.datetime | None = None
    charset: str | None = None       # the charset the container declares for `data`
    lang_hint: str | None = None     # a language the container claims (WARC-Identified-Content-Language)
    encoding: str | None = None      # how an export's text was decoded (for str `data`)


@dataclass
class Problem:
    """A record (or the rest of a file) that could not be read: one quarantine row."""
    index: int | None
    reason: str
    detail: str
    record_id: str | None = None


@dataclass
class Skip:
    """A record that is not a page (warcinfo, a request, an image response): counted, not read."""
    index: int | None
    reason: str


class Reader(Protocol):
    name: str
    single_page: bool   # the whole file is one page (read at once, limited to max_file_mb)

    def accepts(self, name: str, head: bytes) -> bool: ...

    def records(self, stream: BinaryIO, name: str, params: InputParams,
                max_record_bytes: int) -> Iterator[Record | Problem | Skip]: ...


def _readers() -> list[Reader]:
    from .exports import CsvReader, JsonLinesReader, ParquetReader
    from .pages import HtmlReader, TextReader
    from .warc import WarcReader

    return [WarcReader(), ParquetReader(), JsonLinesReader(), CsvReader(), HtmlReader(), TextReader()]


READERS: list[Reader] = _readers()


def reader_for(name: str, head: bytes) -> Reader:
    """The first reader that accepts the file (the plain-text reader accepts anything)."""
    return next(r for r in READERS if r.accepts(name, head))
