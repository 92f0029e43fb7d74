"""The whole pipeline on the raw sources a corpus builder holds: a folder mixing Common Crawl WET, WARC,
exports, HTML and text pages; the same from object storage (moto's S3 on 127.0.0.1); the language
pre-filter. One document per page record, every record accounted for, reruns incremental."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from conftest import RAW, SEEDS, run_pipeline
from makers import SEED_BYTES, html_page, warc, wet

pytestmark = pytest.mark.flow
BIN = Path(sys.executable).parent
GERMAN = ("Die Regierung hat am Montag neue Regeln für den Handel mit Reis vorgestellt, die ab dem nächsten Monat "
          "gelten sollen. Die Bauern im Süden des Landes begrüßten die Entscheidung und sagten, dass die Preise "
          "in diesem Jahr stabil bleiben würden, wenn das Wetter mitspielt.")


def _mixed(raw: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import zstandard

    (raw / "cc").mkdir(parents=True)
    wet(raw / "cc" / "CC-MAIN-1.warc.wet.gz", SEED_BYTES)
    warc(raw / "crawl.warc.gz", [("200 OK", [("Content-Type", "text/html")], html_page()),
                                  ("200 OK", [("Content-Type", "image/png")], b"\x89PNG")])
    rows = [{"id": "j1", "url": "https://vnexpress.net/j1", "text": SEED_BYTES[0].decode()}, {"id": "j2"}]
    (raw / "export.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()))
    with open(raw / "export.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["url", "text"])
        w.writerow(["https://a.vn/c1", SEED_BYTES[1].decode()])
    pq.write_table(pa.table({"url": ["https://b.vn/p1"], "html": [html_page("Parquet page").decode()]}),
                   raw / "export.parquet")
    (raw / "page.html").write_bytes(html_page("A page on its own"))
    for name in SEEDS:
        shutil.copy(RAW / name, raw / name)
    return raw


def _tables(out: Path) -> dict[str, pl.DataFrame]:
    return {t: pl.read_parquet(out / t / "*.parquet") for t in ("documents", "passages", "removed", "quarantine",
                                                                "filtered")}


def test_a_folder_of_every_format_gives_one_document_per_page_and_reruns_incrementally(tmp_path, seed_output,
                                                                                        capsys):
    raw, out = _mixed(tmp_path / "raw"), tmp_path / "out"
    assert run_pipeline(raw, out) == 0
    t = _tables(out)
    docs = t["documents"]
    per_file = dict(docs.group_by("raw_path").len().iter_rows())
    assert per_file == {"cc/CC-MAIN-1.warc.wet.gz": 2, "crawl.warc.gz": 1, "export.jsonl.zst": 1, "export.csv": 1,
                        "export.parquet": 1, "page.html": 1, SEEDS[0]: 1, SEEDS[1]: 1}
    records = docs.filter(pl.col("raw_record").is_not_null())
    assert records["url"].null_count() == 0 and records.filter(pl.col("raw_path").str.contains("warc"))[
        "fetched_at"].null_count() == 0
    assert records.filter(pl.col("raw_path").str.contains("warc"))["raw_record_id"].null_count() == 0
    assert docs.filter(pl.col("raw_path") == "page.html")["title"].to_list() == ["A page on its own"]
    m = json.loads((out / "manifest.json").read_text())
    c = m["counts"]
    assert c["records"] == c["documents"] + c["quarantined"] + c["filtered"] + c["skipped_records"] == 13
    assert c["quarantined_by_error"] == {"no_text": 1} and c["skipped_records"] == 3  # warcinfo, a PNG, a request
    entry = next(e for e in m["inputs"] if e["raw_path"] == "export.jsonl.zst")
    assert (entry["outcome"], entry["records"], entry["documents"], entry["quarantined"]) == ("container", 2, 1, 1)
    # the seed pages read as they do alone: same passages, roles and offsets
    for name in SEEDS:
        mine = t["passages"].join(docs.filter(pl.col("raw_path") == name).select("doc_id"), on="doc_id")
        alone = pl.read_parquet(seed_output / "passages" / "*.parquet").join(
            pl.read_parquet(seed_output / "documents" / "*.parquet").filter(pl.col("raw_path") == name)
            .select("doc_id"), on="doc_id")
        assert mine.select("role", "text", "char_start").equals(alone.select("role", "text", "char_start"))
    # offsets point into the page's text as `newsclean show` prints it, for records and HTML too
    from newsclean.cli import main

    capsys.readouterr()
    for doc in docs.filter(pl.col("raw_path").is_in(["crawl.warc.gz", "export.parquet"])).iter_rows(named=True):
        main(["show", doc["raw_path"], "--raw", str(raw), "--record", str(doc["raw_record"])])
        text = capsys.readouterr().out
        for p in t["passages"].filter(pl.col("doc_id") == doc["doc_id"]).iter_rows(named=True):
            assert text[p["char_start"]:p["char_end"]] == p["text"]
    # a rerun only hashes: nothing new, the same rows
    assert run_pipeline(raw, out) == 0
    m2 = json.loads((out / "manifest.json").read_text())
    assert m2["counts"]["this_run"]["unchanged"] == 8 and m2["counts"]["this_run"]["new"] == 0
    again = _tables(out)
    for name, frame in t.items():
        cols = [c for c in frame.columns if c not in ("run_id", "processed_at")]
        assert again[name].select(cols).sort(cols[:2]).equals(frame.select(cols).sort(cols[:2])), name


def test_the_language_prefilter_drops_other_languages_by_our_detector_and_records_them(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    german = f"Nachrichten\n\n{GERMAN}\n\n{GERMAN}\n".encode()
    vietnamese = (RAW.parent / "tests" / "data" / "holdout" / "dantri_cho-tet.txt").read_bytes()
    wet(raw / "cc.warc.wet.gz", [german, SEED_BYTES[0], vietnamese], langs=["deu", "eng", ""])
    assert run_pipeline(raw, out, "--languages", "vi,en") == 0
    t = _tables(out)
    assert sorted(t["documents"]["raw_record"].to_list()) == [2, 3]  # English (header), Vietnamese (our detector)
    f = t["filtered"]
    assert f["raw_record"].to_list() == [1] and f["language"].to_list() == ["other"]
    assert f["reason"][0].startswith("prefilter: other") and "deu" in f["reason"][0]
    c = json.loads((out / "manifest.json").read_text())["counts"]
    assert c["filtered"] == 1 and c["records"] == c["documents"] + c["quarantined"] + c["filtered"] + c[
        "skipped_records"]
    assert c["filtered_by_language"] == {"other": 1}


def _env(s3_server: str) -> dict:
    return dict(os.environ, AWS_ENDPOINT_URL=s3_server, CI="1")


def test_raw_files_in_object_storage_and_incremental_runs_by_etag(tmp_path, s3_server):
    import boto3

    s3 = boto3.client("s3", endpoint_url=s3_server)
    s3.create_bucket(Bucket="crawl")
    local = _mixed(tmp_path / "raw")
    for p in sorted(local.rglob("*")):
        if p.is_file():
            s3.put_object(Bucket="crawl", Key=f"2025/{p.relative_to(local).as_posix()}", Body=p.read_bytes())
    out = tmp_path / "out"
    cmd = [str(BIN / "newsclean"), "run", "--raw", "s3://crawl/2025", "--out", str(out), "--quiet"]
    first = subprocess.run(cmd, env=_env(s3_server), capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    m = json.loads((out / "manifest.json").read_text())
    assert m["raw_root"] == "s3://crawl/2025" and m["counts"]["documents"] == 9
    assert all(e.get("etag") for e in m["inputs"])
    s3.put_object(Bucket="crawl", Key="2025/page.html", Body=html_page("A changed page"))
    second = subprocess.run(cmd, env=_env(s3_server), capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    r = json.loads((out / "manifest.json").read_text())["counts"]["this_run"]
    assert (r["unchanged"], r["changed"], r["new"]) == (7, 1, 0)
    docs = pl.read_parquet(out / "documents" / "*.parquet")
    assert docs.filter(pl.col("raw_path") == "page.html")["title"].to_list() == ["A changed page"]


def test_an_unreachable_or_missing_raw_location_is_one_clear_line_and_the_output_stays(tmp_path, s3_server):
    out = tmp_path / "out"
    assert run_pipeline(RAW, out) == 0
    before = (out / "manifest.json").read_bytes()
    for raw, env in (("s3://no-such-bucket/x", _env(s3_server)),
                     ("s3://crawl/x", dict(_env(s3_server), AWS_ENDPOINT_URL="http://127.0.0.1:9"))):
        got = subprocess.run([str(BIN / "newsclean"), "run", "--raw", raw, "--out", str(out)], env=env,
                             capture_output=True, text=True, timeout=120)
        assert got.returncode != 0
        lines = got.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"newsclean: error: cannot list {raw}"), got.stderr
        assert "Traceback" not in got.stderr
    assert (out / "manifest.json").read_bytes() == before


def test_a_container_that_changes_while_it_is_read_is_left_out_whole(tmp_path, monkeypatch):
    from newsclean import rawfiles

    raw = tmp_path / "raw"
    raw.mkdir()
    path = wet(raw / "live.warc.wet.gz", SEED_BYTES)
    real = rawfiles._Hashing.readinto

    def grow_while_read(self, b):  # another process appends to the file after the first pass hashed it
        if not getattr(self, "grown", False):
            self.grown = True
            with open(path, "ab") as fh:
                fh.write(io.BytesIO(path.read_bytes()[:100]).read())
        return real(self, b)

    monkeypatch.setattr(rawfiles._Hashing, "readinto", grow_while_read)
    docs, bad, status = rawfiles.read_files(raw, ["live.warc.wet.gz"], max_file_mb=0.001)
    assert status["status"].to_list() == ["failed"] and bad["error"].to_list()[-1] == "changed_during_read"
