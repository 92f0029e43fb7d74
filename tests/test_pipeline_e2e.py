"""The flow end to end, asserted from what it writes (Parquet, JSONL, manifest), not from internals."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from conftest import RAW, SEEDS, copy_seeds, run_pipeline
from transforms.schema import PUBLISHED

pytestmark = pytest.mark.flow
VN = dt.timezone(dt.timedelta(hours=7))
KEPT = {"title", "body", "caption"}


def _read(out: Path, table: str) -> pl.DataFrame:
    return pl.read_parquet(out / table / "*.parquet")


def test_seed_pages_read_exactly_as_expected(seed_output, expected):
    docs, passages, removed = (_read(seed_output, t) for t in ("documents", "passages", "removed"))
    name_of = {d: Path(p).name for d, p in zip(docs["doc_id"], docs["raw_path"], strict=True)}
    for name, page in expected.items():
        doc = docs.filter(pl.col("raw_path") == name).row(0, named=True)
        got_role, got_lang = {}, {}
        for p in passages.filter(pl.col("doc_id") == doc["doc_id"]).iter_rows(named=True):
            for line in range(p["line_start"], p["line_end"] + 1):
                got_role[line], got_lang[line] = p["role"], p["lang"]
        for r in removed.filter(pl.col("doc_id") == doc["doc_id"]).iter_rows(named=True):
            for line in range(r["line_start"], r["line_end"] + 1):
                got_role[line] = "trailing_unrelated" if r["reason"].startswith("trailing") else "boilerplate"
        for want in page["lines"]:
            assert got_role.get(want["line"]) == want["role"], (name, want)
            if want["role"] in KEPT and want["lang"]:
                assert got_lang[want["line"]] == want["lang"], (name, want)
        # every non-empty line accounted for exactly once
        assert sorted(got_role) == sorted(r["line"] for r in page["lines"])
        published = doc["published"].astimezone(VN)
        want_pub = page["published"]
        assert published.strftime("%Y-%m-%dT%H:%M" if "T" in want_pub else "%Y-%m-%d") == want_pub
        assert doc["source_url"] == page["source_url"]
        assert doc["original_publisher"] == page["original_publisher"]
        assert doc["publisher_site"] == page["publisher_site"]
        pairs = passages.filter((pl.col("doc_id") == doc["doc_id"]) & pl.col("pair_seq").is_not_null())
        got_pairs = sorted({tuple(sorted((a, b))) for a, b in zip(pairs["line_start"], pairs["line_start"].to_list(),
                                                                  strict=True)})
        lines_by_seq = dict(zip(*passages.filter(pl.col("doc_id") == doc["doc_id"]).select("seq", "line_start"),
                                strict=True))
        got_pairs = sorted({tuple(sorted((ls, lines_by_seq[ps]))) for ls, ps in zip(pairs["line_start"],
                                                                                    pairs["pair_seq"], strict=True)})
        assert got_pairs == sorted(tuple(p) for p in page["caption_pairs"])
    assert set(name_of.values()) == set(expected)


def test_schema_is_the_contract(seed_output):
    for table, registered in PUBLISHED.items():
        files = sorted((seed_output / table).glob("*.parquet"))
        assert files, table
        for f in files:
            meta = pq.ParquetFile(f)
            assert meta.schema_arrow.equals(registered.arrow), (table, meta.schema_arrow)
            assert meta.metadata.row_group(0).column(0).compression == "ZSTD"
            if meta.metadata.num_rows:
                assert meta.metadata.row_group(0).column(0).has_offset_index  # page index written
    docs = _read(seed_output, "documents")
    assert docs.schema["published"] == pl.Datetime("us", "UTC")
    assert docs["doc_id"].n_unique() == docs.height
    passages = _read(seed_output, "passages")
    assert set(passages["role"]) <= KEPT
    assert set(passages["lang"]) <= {"vi", "en", "other"}
    assert passages["lang_score"].min() >= 0 and passages["lang_score"].max() <= 1
    assert passages.select(["doc_id", "seq"]).is_unique().all()


def test_rows_are_sorted(seed_output):
    passages = _read(seed_output, "passages")
    assert passages.select(["doc_id", "seq"]).to_dicts() == passages.sort("doc_id", "seq").select(["doc_id",
                                                                                                   "seq"]).to_dicts()


def test_passage_offsets_point_into_normalised_raw_text(seed_output):
    from transforms.decode import decode_and_normalize

    docs = _read(seed_output, "documents")
    passages = _read(seed_output, "passages")
    removed = _read(seed_output, "removed")
    for doc in docs.iter_rows(named=True):
        text = decode_and_normalize((RAW / doc["raw_path"]).read_bytes()).text
        for table in (passages, removed):
            for r in table.filter(pl.col("doc_id") == doc["doc_id"]).iter_rows(named=True):
                assert text[r["char_start"]:r["char_end"]] == r["text"]
                assert text.split("\n")[r["line_start"] - 1].strip() == r["text"]


def test_document_text_is_body_joined_by_blank_lines(seed_output):
    docs = _read(seed_output, "documents")
    passages = _read(seed_output, "passages")
    for doc in docs.iter_rows(named=True):
        body = passages.filter((pl.col("doc_id") == doc["doc_id"]) & (pl.col("role") == "body")).sort("seq")
        assert doc["text"] == "\n\n".join(body["text"])
        assert doc["n_passages"] == passages.filter(pl.col("doc_id") == doc["doc_id"]).height
        assert doc["language"] == "en"
        assert doc["lang_chars_en"] > 0


def test_jsonl_matches_parquet_and_keeps_vietnamese_unescaped(seed_output):
    raw = (seed_output / "passages.jsonl").read_text(encoding="utf-8")
    assert "Các đại biểu tham dự sự kiện" in raw and "\\u" not in raw
    rows = [json.loads(line) for line in raw.splitlines()]
    assert len(rows) == _read(seed_output, "passages").height
    docs = [json.loads(line) for line in (seed_output / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(d["processed_at"].endswith(("Z", "+00:00")) for d in docs)


def test_manifest_lists_inputs_outputs_and_config(seed_output):
    from newsclean.dataset import sha256_file

    m = json.loads((seed_output / "manifest.json").read_text(encoding="utf-8"))
    assert {i["raw_path"] for i in m["inputs"]} == set(SEEDS)
    assert all(i["outcome"] == "document" and len(i["sha256"]) == 64 for i in m["inputs"])
    assert m["config"]["shard_size"] == 10_000 and "clean" in m["config"] and "lang" in m["config"]
    for o in m["outputs"]:
        assert sha256_file(seed_output / o["path"]) == o["sha256"]
        if o["format"] == "parquet":
            assert pq.ParquetFile(seed_output / o["path"]).metadata.num_rows == o["rows"]
    card = (seed_output / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\nlicense:") and "language:\n- vi\n- en" in card
    assert "| en | 2 |" in card


def test_reads_with_correct_types_in_duckdb_pandas_polars(seed_output):
    import duckdb
    import pandas as pd

    docs_glob = str(seed_output / "documents" / "*.parquet")
    con = duckdb.connect()
    types = dict(con.execute(f"DESCRIBE SELECT * FROM read_parquet('{docs_glob}')").fetchall() and
                 [(r[0], r[1]) for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{docs_glob}')").fetchall()])
    assert types["published"] == "TIMESTAMP WITH TIME ZONE"
    assert types["n_passages"] == "INTEGER" and types["doc_id"] == "VARCHAR"
    n_vi = con.execute(f"SELECT count(*) FROM read_parquet('{seed_output}/passages/*.parquet') "
                       "WHERE lang='vi'").fetchone()[0]
    assert n_vi == 1

    pdf = pd.read_parquet(seed_output / "documents")
    assert str(pdf["published"].dtype).startswith("datetime64[us, UTC]")
    assert str(pdf["processed_at"].dtype).startswith("datetime64[us, UTC]")
    assert pdf["n_passages"].dtype.name == "int32"

    pdocs = pl.read_parquet(seed_output / "documents" / "*.parquet")
    assert pdocs.schema["processed_at"] == pl.Datetime("us", "UTC")
    assert pdocs.schema["repairs"] == pl.List(pl.String)


def test_second_run_gives_same_ids_and_rows(seed_output, tmp_path):
    raw = copy_seeds(tmp_path / "raw")
    out = tmp_path / "out"
    assert run_pipeline(raw, out) == 0
    volatile = ["run_id", "processed_at"]
    for table in ("documents", "passages", "removed", "quarantine"):
        a = _read(seed_output, table)
        b = _read(out, table)
        if table == "documents":
            a, b = a.drop(volatile), b.drop(volatile)
        assert a.equals(b), table


def test_bad_inputs_are_quarantined_and_previous_output_survives_failure(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    (raw / "site-a").mkdir(parents=True)
    shutil.copy(RAW / SEEDS[1], raw / "site-a" / "page.txt")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    latin1 = "Ceci n'est pas de l'UTF-8: café, déjà vu, garçon. \xff\xfe".encode("latin-1")[:-2] + b"\x81\x8d"
    (raw / "latin1.txt").write_bytes(latin1)
    (raw / "crlf-bom.txt").write_bytes(b"\xef\xbb\xbf" + (RAW / SEEDS[0]).read_bytes().replace(b"\n", b"\r\n"))
    out = tmp_path / "out"
    assert run_pipeline(raw, out) == 0
    q = _read(out, "quarantine")
    assert dict(zip(q["raw_path"], q["error"], strict=True)) == {"empty.txt": "empty", "image.png": "binary",
                                                                 "latin1.txt": "undecodable"}
    docs = _read(out, "documents")
    assert sorted(docs["raw_path"]) == ["crlf-bom.txt", "site-a/page.txt"]
    crlf = docs.filter(pl.col("raw_path") == "crlf-bom.txt").row(0, named=True)
    assert crlf["encoding"] == "utf-8-sig" and crlf["title"].startswith("Celebrating 75 years")
    manifest = json.loads((out / "manifest.json").read_text())
    assert {i["outcome"] for i in manifest["inputs"]} == {"document", "quarantined"}
    before = (out / "manifest.json").read_bytes()

    # A run that fails half-way (a step raises) leaves the output exactly as it was, and no debris.
    import newsclean.steps

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(newsclean.steps, "detect_passages", boom)
    assert run_pipeline(raw, out, "--full") != 0  # a run with pages to clean: the patched step runs
    assert (out / "manifest.json").read_bytes() == before
    assert not list(tmp_path.glob("out.tmp-*")) and not list(tmp_path.glob("out.old-*"))


def test_work_seconds_counts_overlapping_shards_once():
    from newsclean.steps import work_seconds

    # two shards in parallel threads (0-3 and 1-4), then a gap, then one more (6-7)
    assert work_seconds([(6.0, 7.0), (0.0, 3.0), (1.0, 4.0)]) == pytest.approx(5.0)
    assert work_seconds([(0.0, 5.0), (1.0, 2.0)]) == pytest.approx(5.0)  # one inside another
    assert work_seconds([]) == 0.0
