"""Bytes to normalised text: the only place that decides how a raw file is read.

Every later offset (`char_start`, `char_end`) and line number refers to the text this module returns,
so the rules here are the provenance contract:

* decode: UTF-8 (with or without BOM), UTF-16 (BOM, or BOM-less when the NUL pattern says so),
  Windows-1258 for legacy Vietnamese files; anything else raises `DecodeError` with a reason;
* repair UTF-8-read-as-Latin-1 mojibake ("Viá»‡t Nam") with ftfy, and say so;
* normalise: Unicode NFC, no-break spaces to spaces, CRLF and lone CR to LF, NUL bytes dropped.

Line numbers survive normalisation: only CRLF -> LF changes the line structure, and CRLF counts as a
single break both before and after.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Characters that render as a space but break word splitting and hashing.
NO_BREAK_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2060": ""}

# Letters that only Vietnamese uses among Latin scripts (precomposed, NFC).
_VI_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")
_VI_TONED = re.compile(r"[ạảãàáặẳẵằắậẩẫầấẹẻẽèéệểễềếịỉĩìíọỏõòóộổỗồốợởỡờớụủũùúựửữừứỵỷỹỳýđ]", re.I)
# Typical byte-level traces of UTF-8 decoded as Latin-1/Windows-1252.
_MOJIBAKE = re.compile("[\u00c2-\u00c6\u00e1\u00e2]"
                       "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]")


class DecodeError(ValueError):
    """Raised when bytes cannot be read as text; `reason` is a short machine-readable code."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class Decoded:
    text: str                       # normalised text
    encoding: str                   # how the bytes were read
    repairs: list[str] = field(default_factory=list)  # what was changed beyond plain normalisation


def _looks_binary(data: bytes) -> str | None:
    """Return a reason when the bytes are clearly not a text file (magic numbers, control bytes)."""
    magic = {
        b"%PDF": "pdf", b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg", b"GIF8": "gif",
        b"PK\x03\x04": "zip", b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\x7fELF": "elf",
        b"RIFF": "riff", b"\x00\x00\x01\x00": "ico", b"OggS": "ogg", b"7z\xbc\xaf": "7z",
    }
    for sig, kind in magic.items():
        if data.startswith(sig):
            return kind
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """BOM-less UTF-16 shows as NUL in every other byte for Latin text; pick the side."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even = sample[0::2].count(0) / max(1, len(sample) // 2)
    odd = sample[1::2].count(0) / max(1, len(sample) // 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _control_share(text: str) -> float:
    """Share of control characters (not tab/newline/CR/FF/VT) in the first 20,000 characters."""
    if not text:
        return 0.0
    head = text[:20000]
    return len(_CONTROL.findall(head)) / len(head)


def vietnamese_share(text: str) -> float:
    """Share of non-ASCII letters that are Vietnamese letters: tells cp1258 from random bytes."""
    non_ascii = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    if not non_ascii:
        return 0.0
    vi = sum(1 for ch in non_ascii if ch in _VI_LETTERS or _VI_TONED.match(ch))
    return vi / len(non_ascii)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode raw bytes; return (text, encoding). Raises DecodeError with a reason."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise DecodeError("undecodable", f"UTF-8 BOM but invalid UTF-8 at byte {exc.start + 3}") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise DecodeError("undecodable", f"UTF-16 BOM but invalid UTF-16 at byte {exc.start}") from exc
    kind = _looks_binary(data)
    if kind:
        raise DecodeError("binary", f"file starts with the signature of {kind} data")
    bom_less = _utf16_without_bom(data)
    if bom_less:
        try:
            return data.decode(bom_less), bom_less
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        if _control_share(text.replace("\x00", "")) > 0.05:
            repaired = _utf8_through_latin1(text)
            if repaired is None:
                raise DecodeError("binary", "more than 5% control characters")
            return repaired, "utf-8-via-latin-1"
        return text, "utf-8"
    # Not UTF-8: a legacy single-byte Vietnamese encoding is the one we can read with confidence.
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        text = None
    if text is not None and _control_share(text) < 0.01 and vietnamese_share(text) >= 0.6:
        return text, "cp1258"
    raise DecodeError(
        "undecodable",
        f"not UTF-8 (invalid byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}), "
        "not UTF-16, not Windows-1258 Vietnamese",
    )


_C1 = re.compile("[\x80-\x9f]")


def _utf8_through_latin1(text: str) -> str | None:
    """UTF-8 text that was once decoded as Latin-1 and written out again as UTF-8: its Vietnamese
    letters became C1 control characters ("Vi\xe1\xbb\x87t"). Undone when the controls are C1 and
    the text reads as UTF-8 once encoded back to Latin-1; None when it is not that."""
    if not _C1.search(text):
        return None
    try:
        fixed = text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return fixed if _control_share(fixed) < 0.01 else None


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 read as Latin-1/cp1252 when its traces are present; ftfy does the byte juggling."""
    if not _MOJIBAKE.search(text):
        return text, False
    import ftfy  # imported lazily: most files never need it

    fixed = ftfy.fix_encoding(text)
    return fixed, fixed != text


def normalize_text(text: str) -> str:
    """NFC, no-break spaces to spaces, CRLF/CR to LF, NUL dropped. Idempotent."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for ch, repl in NO_BREAK_SPACES.items():
        if ch in text:
            text = text.replace(ch, repl)
    return unicodedata.normalize("NFC", text)


def decode_and_normalize(data: bytes) -> Decoded:
    """The whole read path for one raw file."""
    text, encoding = decode_bytes(data)
    repairs: list[str] = []
    if "\x00" in text:
        repairs.append("nul_removed")
    text, fixed = repair_mojibake(text)
    if fixed:
        repairs.append("mojibake_repaired")
    if not unicodedata.is_normalized("NFC", text):
        repairs.append("nfc")
    text = normalize_text(text)
    return Decoded(text=text, encoding=encoding, repairs=repairs)
