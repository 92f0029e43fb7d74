"""Raw sources as records: every format made by its own writer library (warcio for WARC/WET, json +
zstandard, csv, pyarrow), compressed or not, and every kind of bad input ending as a quarantine row
with a reason, never as a lost or merged page."""
from __future__ import annotations

import bz2
import csv
import gzip
import json
import lzma

import polars as pl
import pytest

from makers import SEED_BYTES, html_page, to_cp1258_form, warc, wet
from newsclean.rawfiles import read_files
from newsclean.readers import InputParams
from transforms.decode import normalize_text
from transforms.html import html_to_page


def _skipped(status: pl.DataFrame, name: str) -> dict:
    return json.loads(status.filter(pl.col("raw_path") == name)["skipped"][0] or "{}")


def test_common_crawl_wet_gz_gives_one_document_per_conversion_record(tmp_path):
    wet(tmp_path / "CC-MAIN-x.warc.wet.gz", SEED_BYTES, langs=["eng", "eng,vie"])
    docs, bad, status = read_files(tmp_path, ["CC-MAIN-x.warc.wet.gz"], 64)
    assert bad.height == 0 and docs.height == 2
    assert docs["raw_record"].to_list() == [1, 2]  # record 0 is warcinfo: read, counted, not a page
    assert docs["url"].to_list() == ["https://site0.example.vn/a0.html", "https://site1.example.vn/a1.html"]
    assert docs["fetched_at"].dt.day().to_list() == [20, 21]
    assert all(rid.startswith("<urn:uuid:") for rid in docs["raw_record_id"])
    assert docs["doc_id"].n_unique() == 2 and docs["raw_sha256"].n_unique() == 1
    assert docs["text"][0].startswith(SEED_BYTES[0].decode("utf-8").split("\n")[0])
    assert status["format"].to_list() == ["warc+gzip"] and status["records"].to_list() == [3]
    assert _skipped(status, "CC-MAIN-x.warc.wet.gz") == {"warc warcinfo record": 1}


def test_the_same_wet_uncompressed_reads_the_same_pages(tmp_path):
    wet(tmp_path / "a.warc.wet.gz", SEED_BYTES)
    wet(tmp_path / "b.warc.wet", SEED_BYTES, gz=False)
    docs, _, status = read_files(tmp_path, ["a.warc.wet.gz", "b.warc.wet"], 64)
    a, b = (docs.filter(pl.col("raw_path") == n)["text"].to_list() for n in ("a.warc.wet.gz", "b.warc.wet"))
    assert a == b and len(a) == 2
    assert status["format"].to_list() == ["warc+gzip", "warc"]


def test_warc_html_responses_are_pages_and_other_records_are_counted_with_their_reason(tmp_path):
    page = html_page()
    chunked = b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (page[:100], page[100:]))
    warc(tmp_path / "crawl.warc.gz", [
        ("200 OK", [("Content-Type", "text/html; charset=utf-8")], html_page()),
        ("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], gzip.compress(html_page("Second"))),
        ("200 OK", [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")], chunked + b"0\r\n\r\n"),
        ("200 OK", [("Content-Type", "image/jpeg")], b"\xff\xd8\xff\xe0"),
        ("404 Not Found", [("Content-Type", "text/html")], b"<html><body>gone</body></html>"),
    ])
    docs, bad, status = read_files(tmp_path, ["crawl.warc.gz"], 64)
    assert bad.height == 0 and docs.height == 3
    assert docs["raw_record"].to_list() == [0, 1, 2]
    first = docs.row(0, named=True)
    assert first["url"] == "https://news.example.com/0" and first["hint_title"] == "Rice exports rise"
    assert "Vietnam exported more rice" in first["text"] and "Home" not in first["text"]  # <nav> is furniture
    assert "Copyright" not in first["text"]  # <footer> too
    assert "Second" in docs["text"][1] and "Vietnam exported" in docs["text"][2]  # gzip and chunked bodies decoded
    assert _skipped(status, "crawl.warc.gz") == {"http 404": 1, "http image/jpeg": 1, "warc request record": 1}


def test_html_markup_fills_title_time_and_url_and_the_declared_charset_is_honoured():
    head = ("<meta property='og:title' content='Giá lúa tăng'><meta property='article:published_time' "
            "content='2025-03-24T09:15:00+07:00'><link rel='canonical' href='https://vnexpress.net/gia-lua.html'>"
            "<meta charset='windows-1258'>")
    body = "<p>Giá lúa tại Đồng bằng sông Cửu Long tăng mạnh trong tuần qua khi thương lái đẩy mạnh thu mua.</p>"
    page = html_to_page(to_cp1258_form(html_page("Giá lúa tăng", body, head).decode()).encode("cp1258"))
    assert page.encoding == "windows-1258"
    assert normalize_text(page.title) == "Giá lúa tăng" and page.url == "https://vnexpress.net/gia-lua.html"
    assert page.published.isoformat() == "2025-03-24T02:15:00+00:00"
    assert "Đồng bằng sông Cửu Long" in normalize_text(page.text)


def test_html_markup_that_a_browser_shows_or_hides_is_followed():
    lead = "Người dân miền Tây đón mùa nước nổi với nhiều hoạt động văn hóa và mưu sinh trên sông nước."
    rest = "Mùa nước năm nay về sớm hơn mọi năm, mang theo phù sa và nguồn cá linh dồi dào cho bà con."
    about = "Our Brussels blog is produced by the Brussels bureau."
    body = (f"<div id='content-sidebar-wrap'><object data='v.swf'><p class='embedded-caption'>{lead}</p></object>"
            f"<p>{rest}</p>" + f"<p>{rest}</p>" * 3 + f"</div><div class='rightRail'><p>{about}</p></div>"
            + "".join(f"<a href='https://www.example.vn/{i}'>Tin {i}</a>" for i in range(3))
            + "<a href='https://ads.example.com/x'><img src='a.gif'></a>" * 5)
    page = html_to_page(html_page("Mùa nước nổi", body))
    assert lead in page.text  # an <object>'s fallback is what browsers show today
    assert rest in page.text  # a "sidebar" wrapper holding the article stays
    assert about not in page.text  # a side column does not
    assert page.site == "example.vn"  # the host its text links go to (image links, mostly ads, do not count)
    utf8 = html_page("Mùa nước nổi", f"<p>{rest} — “trích dẫn”</p>", "<meta charset='iso-8859-1'>")
    got = html_to_page(utf8)  # declared Latin-1, served UTF-8: read as the browser showed it
    assert got.encoding == "utf-8" and "— “trích dẫn”" in got.text
    latin = html_page("Café", "<p>Un café à Hanoï, s'il vous plaît, près du lac.</p>", "<meta charset='iso-8859-1'>")
    assert html_to_page(latin.decode().encode("latin-1")).encoding == "iso-8859-1"


def test_scraper_exports_jsonl_zst_csv_and_parquet_with_their_fields(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    import zstandard

    rows = [{"id": "a1", "url": "https://vnexpress.net/a", "title": "T", "text": SEED_BYTES[0].decode(),
             "date": "2025-03-25T10:00:00Z"},
            {"id": 7, "url": "https://vietnamnews.vn/b", "html": html_page().decode(), "timestamp": 1742900000}]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    (tmp_path / "x.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(lines))
    with open(tmp_path / "x.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "url", "content"])
        w.writeheader()
        w.writerow({"id": "c1", "url": "https://a.vn/1", "content": SEED_BYTES[1].decode()})
    pq.write_table(pa.table({"link": ["https://b.vn/2"], "body": [SEED_BYTES[0].decode()],
                             "crawled_at": pa.array([1742900000000], pa.int64())}), tmp_path / "x.parquet")
    docs, bad, status = read_files(tmp_path, ["x.jsonl.zst", "x.csv", "x.parquet"], 64)
    assert bad.height == 0 and docs.height == 4
    assert status["format"].to_list() == ["jsonl+zstd", "csv", "parquet"]
    j = docs.filter(pl.col("raw_path") == "x.jsonl.zst").sort("raw_record")
    assert j["raw_record_id"].to_list() == ["a1", "7"] and j["url"][1] == "https://vietnamnews.vn/b"
    assert j["fetched_at"][0].isoformat() == "2025-03-25T10:00:00+00:00"
    assert j["fetched_at"][1].year == 2025  # epoch seconds
    assert "Vietnam exported more rice" in j["text"][1]  # the html field, rendered
    p = docs.filter(pl.col("raw_path") == "x.parquet").row(0, named=True)
    assert p["url"] == "https://b.vn/2" and p["fetched_at"].year == 2025  # epoch milliseconds
    assert docs.filter(pl.col("raw_path") == "x.csv")["raw_record_id"].to_list() == ["c1"]


def test_the_field_mapping_comes_from_the_input_settings(tmp_path):
    (tmp_path / "y.jsonl").write_text(json.dumps({"key": "k1", "article": SEED_BYTES[1].decode(), "where": "https://z.vn"})
                                      + "\n", encoding="utf-8")
    params = InputParams(text_fields=("article",), id_fields=("key",), url_fields=("where",))
    docs, bad, _ = read_files(tmp_path, ["y.jsonl"], 64, params=params)
    assert docs["raw_record_id"].to_list() == ["k1"] and docs["url"].to_list() == ["https://z.vn"]
    _, bad, _ = read_files(tmp_path, ["y.jsonl"], 64)
    assert bad["error"].to_list() == ["no_text"] and "line 1 has none of the page fields" in bad["detail"][0]


def test_a_truncated_gzip_keeps_the_records_before_the_cut_and_says_where_it_broke(tmp_path):
    pages = [SEED_BYTES[i % 2] + f"\nRecord {i}.".encode() for i in range(6)]
    data = wet(tmp_path / "full.warc.wet.gz", pages).read_bytes()
    (tmp_path / "cut.warc.wet.gz").write_bytes(data[: int(len(data) * 0.7)])
    docs, bad, status = read_files(tmp_path, ["cut.warc.wet.gz"], 64)
    assert 1 <= docs.height < 6
    assert docs["raw_record"].to_list() == list(range(1, docs.height + 1))
    assert bad["error"].to_list() == ["truncated"] and "the records before the damage are kept" in bad["detail"][0]
    assert status["status"].to_list() == ["new"]


def test_a_corrupt_warc_header_quarantines_that_record_and_the_rest_is_read(tmp_path):
    pages = [SEED_BYTES[i % 2] + f"\nRecord {i}.".encode() for i in range(4)]
    data = wet(tmp_path / "ok.warc.wet", pages, gz=False).read_bytes()
    starts = [i for i in range(len(data)) if data.startswith(b"WARC/1.", i)]
    second_page = starts[2]
    header_end = data.index(b"\r\n\r\n", second_page)
    broken = data[:second_page] + data[second_page:header_end].replace(b"Content-Length", b"Content-Lenth") + \
        data[header_end:]
    (tmp_path / "bad.warc.wet").write_bytes(broken)
    docs, bad, _ = read_files(tmp_path, ["bad.warc.wet"], 64)
    assert bad["error"].to_list() == ["corrupt_record"] and bad["raw_record"].to_list() == [2]
    assert docs.height == 3 and docs["text"].str.contains("Record 0").any() and docs["text"].str.contains(
        "Record 3").any()


def test_a_jsonl_line_that_is_not_json_is_quarantined_with_its_line_number(tmp_path):
    good = json.dumps({"text": SEED_BYTES[0].decode()})
    (tmp_path / "e.jsonl").write_text(f"{good}\n\n{{broken\n[1, 2]\n{good}\n", encoding="utf-8")
    docs, bad, status = read_files(tmp_path, ["e.jsonl"], 64)
    assert docs["raw_record"].to_list() == [0, 4]
    assert dict(zip(bad["raw_record"], bad["error"], strict=True)) == {2: "invalid_json", 3: "invalid_row"}
    assert bad["detail"][0].startswith("line 3 is not JSON")


@pytest.mark.parametrize("encoding, text", [("cp1258", "Giá lúa tại Cần Thơ tăng mạnh trong tuần qua, nông dân phấn "
                                                        "khởi vì thu nhập cao hơn năm ngoái."),
                                            ("cp1252", "Café owners in Hà Noi said prices rose — again — this week.")])
def test_a_csv_in_a_legacy_encoding_is_read_as_its_letters(tmp_path, encoding, text):
    body = f"Tin tức\n\n{text}\n"
    with open(tmp_path / "legacy.csv", "w", newline="", encoding=encoding, errors="replace") as fh:
        w = csv.writer(fh)
        w.writerow(["url", "text"])
        w.writerow(["https://x.vn/1", body])
    docs, bad, _ = read_files(tmp_path, ["legacy.csv"], 64)
    expected = body.encode(encoding, errors="replace").decode(encoding)
    assert bad.height == 0 and docs["encoding"][0] == encoding and expected.strip() in docs["text"][0]


def test_a_record_over_the_size_limit_is_quarantined_and_the_rest_is_read(tmp_path):
    big = ("x" * 80 + "\n").encode() * 15_000  # ~1.2 MB
    wet(tmp_path / "big.warc.wet.gz", [SEED_BYTES[0], big, SEED_BYTES[1]])
    docs, bad, _ = read_files(tmp_path, ["big.warc.wet.gz"], max_file_mb=1)
    assert docs["raw_record"].to_list() == [1, 3]
    assert bad["error"].to_list() == ["too_large"] and bad["raw_record"].to_list() == [2]


def test_empty_containers_give_no_pages_and_say_so(tmp_path):
    wet(tmp_path / "only-info.warc.wet.gz", [])
    (tmp_path / "empty.jsonl.gz").write_bytes(gzip.compress(b""))
    (tmp_path / "blank.jsonl").write_text("\n\n", encoding="utf-8")
    docs, bad, status = read_files(tmp_path, ["only-info.warc.wet.gz", "empty.jsonl.gz", "blank.jsonl"], 64)
    assert docs.height == 0
    assert _skipped(status, "only-info.warc.wet.gz") == {"warc warcinfo record": 1}
    assert dict(zip(bad["raw_path"], bad["error"], strict=True)) == {"empty.jsonl.gz": "empty", "blank.jsonl": "empty"}


def test_a_decompression_bomb_is_stopped_and_quarantined(tmp_path):
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"\0" * (300 << 20), compresslevel=9))
    docs, bad, _ = read_files(tmp_path, ["bomb.txt.gz"], 1024)
    assert docs.height == 0 and bad["error"].to_list() == ["too_large"]
    assert "decompression bomb" in bad["detail"][0]


@pytest.mark.parametrize("suffix, compress", [(".bz2", bz2.compress), (".xz", lzma.compress)])
def test_bzip2_and_xz_are_recognised_by_their_magic_bytes(tmp_path, suffix, compress):
    (tmp_path / f"page.txt{suffix}").write_bytes(compress(SEED_BYTES[1]))
    (tmp_path / "no-suffix").write_bytes(compress(SEED_BYTES[1]))
    docs, bad, status = read_files(tmp_path, [f"page.txt{suffix}", "no-suffix"], 64)
    assert bad.height == 0 and docs["text"][0] == docs["text"][1]
    assert status["format"][0] == status["format"][1] == f"text+{suffix.lstrip('.').replace('bz2', 'bz2')}"


def test_a_suffix_alone_never_decides_the_format(tmp_path):
    (tmp_path / "notes.jsonl").write_text("Tiêu đề\n\nMột dòng văn bản thường, không phải JSON.\n", encoding="utf-8")
    (tmp_path / "page.warc").write_text("Not a WARC file at all.\n", encoding="utf-8")
    docs, bad, status = read_files(tmp_path, ["notes.jsonl", "page.warc"], 64)
    assert bad.height == 0 and status["format"].to_list() == ["text", "text"] and docs.height == 2


def test_html_main_content_keeps_what_a_reader_sees_of_the_article():
    para = ("Mùa nước năm nay về sớm hơn mọi năm, mang theo phù sa và nguồn cá linh dồi dào cho bà con "
            "vùng đầu nguồn An Giang và Đồng Tháp.")
    point = "Người dân nên gia cố nhà cửa, chuẩn bị áo phao và theo dõi bản tin thời tiết mỗi ngày."
    side = "".join(f"<h3><a href='/t{i}'>Tin khác số {i} về thời tiết miền Tây hôm nay</a></h3>" for i in range(6))
    # a list of sentences straight under <body> is the article's, not the site's navigation
    listed = html_to_page(html_page("Mùa nước nổi", f"<p>{para}</p><ul>{f'<li>{point}</li>' * 3}</ul><p>{para}</p>"))
    assert point in listed.text
    # a stray tag inside <noscript> does not pull the rest of the page out of sight
    hidden = html_to_page(html_page("Mùa nước nổi", f"<noscript><div id='leftcont'></noscript><p>{para}</p>"))
    assert para in hidden.text
    # the main-content heuristics misread a "permalink" container: the article stays, the cleaner decides
    body = (f"<div id='page'><div class='post permalink top'><div class='content'><div>{f'<p>{para}</p>' * 4}"
            f"</div></div></div><div class='more-news'>{side}</div></div>")
    misread = html_to_page(html_page("Mùa nước nổi", body))
    assert para in misread.text and "Tin khác số 5" in misread.text
