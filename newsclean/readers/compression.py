"""Compressed raw files, recognised by their first bytes and read as a stream with a limit.

gzip (multi-member included: Common Crawl gzips every WARC record on its own), zstd, bzip2 and xz.
Decompression bombs are stopped by a limit on what comes out: past `floor` bytes, output may be at
most `max_ratio` times the compressed bytes read so far (text compresses 3-10x, a bomb 1000x).
"""
from __future__ import annotations

import bz2
import gzip
import io
import lzma
from typing import BinaryIO

MAGIC = ((b"\x1f\x8b", "gzip"), (b"\x28\xb5\x2f\xfd", "zstd"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"))
SUFFIXES = (".gz", ".gzip", ".zst", ".zstd", ".bz2", ".xz")


class TooLarge(Exception):
    """More came out of the decompressor than the limits allow."""


class Truncated(Exception):
    """The compressed stream ended before its end marker (a cut download)."""


def sniff(head: bytes) -> str | None:
    """The compression a file's first bytes announce, or None."""
    return next((kind for magic, kind in MAGIC if head.startswith(magic)), None)


def inner_name(name: str) -> str:
    """The file name without its compression suffix: `x.warc.wet.gz` -> `x.warc.wet`."""
    low = name.lower()
    for suffix in SUFFIXES:
        if low.endswith(suffix):
            return name[: -len(suffix)]
    return name


class _Counting(io.RawIOBase):
    """Counts the compressed bytes the decompressor has pulled."""

    def __init__(self, raw: BinaryIO):
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        chunk = self.raw.read(len(b))
        n = len(chunk)
        b[:n] = chunk
        self.count += n
        return n


class Limited(io.RawIOBase):
    """The decompressed stream, refusing to go past the limits (TooLarge) and reporting a cut
    stream as Truncated."""

    def __init__(self, inner, counted: _Counting, floor: int, max_ratio: float):
        self.inner, self.counted, self.floor, self.max_ratio = inner, counted, floor, max_ratio
        self.out = 0

    def readable(self) -> bool:
        return True

    def read1(self, n: int) -> bytes:
        return self.inner.read1(n) if hasattr(self.inner, "read1") else self.inner.read(n)

    def readinto(self, b) -> int:
        try:
            # read1: one decompressed chunk at a time, so a cut stream gives up everything before the cut
            chunk = self.read1(len(b))
        except EOFError as exc:
            raise Truncated(f"compressed data ends early ({exc}) after {self.out:,} bytes") from exc
        except (OSError, ValueError) as exc:  # gzip.BadGzipFile, zlib.error, zstd errors, lzma errors
            raise Truncated(f"compressed data is damaged after {self.out:,} bytes ({exc})") from exc
        n = len(chunk)
        b[:n] = chunk
        self.out += n
        if self.out > self.floor and self.out > self.max_ratio * max(self.counted.count, 1):
            raise TooLarge(f"{self.out:,} bytes out of {self.counted.count:,} compressed: over the "
                           f"{self.max_ratio:g}:1 limit (a decompression bomb?)")
        return n


def decompressed(raw: BinaryIO, kind: str, floor: int, max_ratio: float) -> BinaryIO:
    """A buffered stream of `raw`'s decompressed bytes (`kind` from `sniff`)."""
    counted = _Counting(raw)
    source = io.BufferedReader(counted, 1 << 16)
    if kind == "gzip":
        inner = gzip.GzipFile(fileobj=source, mode="rb")
    elif kind == "bz2":
        inner = bz2.BZ2File(source, "rb")
    elif kind == "xz":
        inner = lzma.LZMAFile(source, "rb")
    else:
        import zstandard

        inner = zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True, closefd=False)
    return io.BufferedReader(Limited(inner, counted, floor, max_ratio), 1 << 16)
