"""Raw files made by each format's own writer library (warcio for WARC and WET), for the reader tests."""
from __future__ import annotations

import io
import unicodedata

from conftest import RAW, SEEDS

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258_form(text: str) -> str:
    """Windows-1258 has ê, ơ, ư, ă... precomposed but writes the five tones as combining marks."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out)


SEED_BYTES = [(RAW / name).read_bytes() for name in SEEDS]
ARTICLE = ("<p>Vietnam exported more rice in the first quarter than in any quarter before, the ministry said on "
           "Monday, as prices held firm in Asian markets.</p><p>Farmers in the Mekong Delta said the harvest was good "
           "and that traders bought at higher prices than last year, helped by new orders.</p>")


def html_page(title: str = "Rice exports rise", body: str = ARTICLE, head: str = "") -> bytes:
    return (f"<html><head><title>{title}</title>{head}</head><body><nav><a href='/'>Home</a> <a href='/w'>World</a>"
            f"</nav><h1>{title}</h1>{body}<footer>Copyright 2025 News</footer></body></html>").encode()


def wet(path, pages: list[bytes], gz: bool = True, langs: list[str] | None = None):
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test", "isPartOf": "CC-MAIN-2025-13"}))
        for i, page in enumerate(pages):
            headers = {"Content-Type": "text/plain", "WARC-Date": f"2025-03-2{i % 10}T01:02:03Z",
                       "WARC-Identified-Content-Language": (langs or ["eng"] * len(pages))[i]}
            w.write_record(w.create_warc_record(f"https://site{i}.example.vn/a{i}.html", "conversion",
                                                payload=io.BytesIO(page), warc_headers_dict=headers))
    return path


def warc(path, responses: list[tuple[str, list, bytes]]):
    """A WARC of HTTP responses: (status line, headers, body), plus one request record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for i, (status, headers, body) in enumerate(responses):
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(f"https://news.example.com/{i}", "response",
                                                payload=io.BytesIO(body), http_headers=http))
        req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example.com")], is_http_request=True)
        w.write_record(w.create_warc_record("https://news.example.com/", "request", payload=io.BytesIO(b""),
                                            http_headers=req))
    return path


