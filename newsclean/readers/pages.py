"""One-page files: plain page text (what scrapers and browser copies give) and HTML pages."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from . import InputParams, Problem, Record

_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S)
_HTML_TAG = re.compile(rb"<(?:html|head|body|div|p|meta|title|script|table)[\s>/]", re.I)
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


def read_limited(stream: BinaryIO, max_bytes: int, index: int | None = None) -> bytes | Problem:
    """The whole stream, or a too_large problem past `max_bytes`."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        return Problem(index, "too_large", f"page is over the limit of {max_bytes:,} bytes")
    return data


class TextReader:
    """A page of text, one line per block: the reader every other reader leaves files to."""
    name = "text"
    single_page = True

    def accepts(self, name: str, head: bytes) -> bool:
        return True

    def records(self, stream: BinaryIO, name: str, params: InputParams,
                max_record_bytes: int) -> Iterator[Record | Problem]:
        data = read_limited(stream, max_record_bytes)
        yield data if isinstance(data, Problem) else Record(None, data, "text")


class HtmlReader:
    """An HTML page: an .html/.htm file whose first bytes are markup, or any file that starts with a
    doctype or <html> tag; rendered to line text by transforms.html."""
    name = "html"
    single_page = True

    def accepts(self, name: str, head: bytes) -> bool:
        body = head.removeprefix(b"\xef\xbb\xbf")
        if _HTML_START.match(body):
            return True
        return name.lower().endswith(HTML_SUFFIXES) and bool(_HTML_TAG.search(body[:4096]))

    def records(self, stream: BinaryIO, name: str, params: InputParams,
                max_record_bytes: int) -> Iterator[Record | Problem]:
        data = read_limited(stream, max_record_bytes)
        yield data if isinstance(data, Problem) else Record(None, data, "html")
