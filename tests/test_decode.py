"""Decoding and normalisation: every encoding the issues name, and what must be refused."""
from __future__ import annotations

import unicodedata

import pytest

from makers import to_cp1258_form
from transforms.decode import DecodeError, decode_and_normalize, normalize_text

VI = "Việt Nam – Thủ tướng dự lễ kỷ niệm. Các đại biểu tham dự sự kiện.\nDòng thứ hai."


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("utf-16-le", b""), ("utf-16-be", b""),
])
def test_unicode_encodings_decode_to_the_same_text(encoding, prefix):
    got = decode_and_normalize(prefix + VI.encode(encoding))
    assert got.text == VI


def test_windows_1258_vietnamese_is_read():
    # decoding then NFC gives the precomposed text
    data = to_cp1258_form(VI).encode("cp1258", errors="strict")
    got = decode_and_normalize(data)
    assert got.encoding == "cp1258"
    assert got.text == VI


def test_normalisation_nfc_nbsp_line_endings_nul():
    raw = "Vie\u0302\u0323t\u00a0Nam\r\nline two\rline three\u202fend\x00"
    assert normalize_text(raw) == "Việt Nam\nline two\nline three end"
    assert normalize_text(normalize_text(raw)) == normalize_text(raw)


def test_nfd_input_is_recorded_as_repaired():
    got = decode_and_normalize(unicodedata.normalize("NFD", VI).encode("utf-8"))
    assert got.text == VI and "nfc" in got.repairs


def test_mojibake_is_repaired_and_recorded():
    clean = "Việt Nam chào đón các đại biểu quốc tế tới dự hội nghị."
    broken = clean.encode("utf-8").decode("cp1252")   # "Viá»‡t Nam ..." as the issue shows it
    assert broken.startswith("Viá»‡t Nam")
    got = decode_and_normalize(broken.encode("utf-8"))
    assert got.text == clean and "mojibake_repaired" in got.repairs
    untouched = decode_and_normalize("Café à Paris, déjà vu — São Paulo".encode("utf-8"))
    assert untouched.repairs == [] and untouched.text == "Café à Paris, déjà vu — São Paulo"


@pytest.mark.parametrize("data,reason", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"PK\x03\x04\x14\x00\x00\x00", "binary"),
    (bytes(range(0, 32)) * 20, "binary"),
    (b"\xef\xbb\xbfVi\xe1\xbb\x87t Nam \xe1\x41 broken", "undecodable"),  # found by the fuzzer
    ("Ceci est du texte latin-1: café déjà garçon \u00ff".encode("latin-1") + b"\x81", "undecodable"),
])
def test_unreadable_bytes_raise_with_a_reason(data, reason):
    with pytest.raises(DecodeError) as err:
        decode_and_normalize(data)
    assert err.value.reason == reason


def test_utf8_that_went_through_latin1_is_repaired_not_quarantined_as_binary():
    text = "Hà Nội mở rộng tuyến xe buýt điện đến các huyện ngoại thành.\nViệt Nam tăng trưởng.\n"
    twice = text.encode("utf-8").decode("latin-1").encode("utf-8")  # C1 controls where the letters were
    got = decode_and_normalize(twice)
    assert got.text == text and got.encoding == "utf-8-via-latin-1"
