"""`newsclean publish` to a folder, to S3 (a local moto server) and to the Hub (stubbed commit), and
`newsclean report` opened in headless Chromium."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import pytest

from conftest import DATA, REPO, copy_seeds, run_pipeline

pytestmark = pytest.mark.flow


def _main(*args: str) -> int:
    from newsclean.cli import main

    return main(list(args))


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """A dataset with duplicates: the seeds, two hand-written pages and a small generated corpus."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import generate

    tmp = tmp_path_factory.mktemp("pub")
    raw = copy_seeds(tmp / "raw")
    for name in ("dantri_cho-tet.txt", "tuoitrenews_en.txt"):
        shutil.copy(DATA / "holdout" / name, raw / name)
    generate(120, raw / "gen", seed=3)
    (raw / "gen.duplicates.json").unlink()  # ground truth beside the corpus, not a page
    out = tmp / "output"
    assert run_pipeline(raw, out) == 0
    return raw, out


def _sums_ok(folder: Path) -> None:
    got = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert got.returncode == 0, got.stdout + got.stderr


def test_local_release_has_every_file_and_loads_everywhere(dataset, tmp_path, capsys):
    raw, out = dataset
    target = tmp_path / "releases"
    before = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _main("publish", "--version", "1.0.0", "--to", str(target), "--out", str(out),
                 "--build-dir", str(tmp_path / "build")) == 0
    rel = target / "1.0.0"
    for name in ("README.md", "croissant.json", "CHANGELOG.md", "release.json", "SHA256SUMS",
                 "data/documents.jsonl.gz", "data/passages.jsonl.gz"):
        assert (rel / name).exists(), name
    _sums_ok(rel)
    docs_out = pl.read_parquet(out / "documents" / "*.parquet").filter(pl.col("n_chars") > 0)
    info = json.loads((rel / "release.json").read_text())
    assert info["counts"]["documents"] == docs_out.height and info["previous_version"] is None
    assert info["counts"]["duplicates_marked"] == docs_out["duplicate_of"].is_not_null().sum() > 0

    # the card's YAML header: license, languages, configs pointing at the data files, size category
    card = (rel / "README.md").read_text(encoding="utf-8")
    header = card.split("---\n")[1]
    assert "license: cc-by-4.0" in header and "- vi\n- en" in header and "size_categories:\n- n<1K" in header
    assert "- config_name: documents\n  data_files: data/documents/*.parquet\n  default: true" in header
    assert "- config_name: passages\n  data_files: data/passages/*.parquet" in header
    # what the card says is what ships: no removed/ in a release, the count line adds up, the
    # shingle size is the configuration's; released_at is the release's time, not the run's
    assert "in `removed/`" not in card and not (rel / "removed").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    c = manifest["counts"]
    no_body = info["excluded"]["documents_without_body"]
    left_out = f" ({no_body} left out: no article body)" if no_body else ""
    assert (f"- {c['inputs']} inputs: {info['counts']['documents']} documents{left_out}, "
            f"{c['quarantined']} quarantined, {c['skipped']} skipped") in card
    assert c["inputs"] == info["counts"]["documents"] + no_body + c["quarantined"] + c["skipped"]
    from transforms.dedup import DedupParams

    assert f"the body's {DedupParams().shingle}-word" in card
    # same format as the manifest's times, so they compare as strings; a run and its release may share a second
    assert info["released_at"] >= before >= manifest["processed_at"]
    assert info["data_processed_at"] == manifest["processed_at"]
    assert not (tmp_path / "build" / "release-1.0.0").exists()  # the target holds it; no copy left behind

    import datasets
    import duckdb
    import pandas as pd

    ds = datasets.load_dataset("parquet", data_files=str(rel / "data/documents/*.parquet"), split="train",
                               cache_dir=str(tmp_path / "hf-cache"))
    assert ds.num_rows == docs_out.height and set(ds.column_names) >= {"doc_id", "text", "published", "duplicate_of"}
    pas = datasets.load_dataset("parquet", data_files=str(rel / "data/passages/*.parquet"), split="train",
                                cache_dir=str(tmp_path / "hf-cache"))
    assert pas.num_rows == info["counts"]["passages"]
    n = duckdb.sql("select count(*), count(distinct doc_id) "
                   f"from read_parquet('{rel}/data/documents/*.parquet')").fetchall()[0]
    assert n == (docs_out.height, docs_out.height)
    frame = pd.read_parquet(rel / "data" / "documents")
    assert str(frame["published"].dtype) == "datetime64[us, UTC]"
    with gzip.open(rel / "data/documents.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    assert len(rows) == docs_out.height and any("ạ" in r["text"] or "ế" in r["text"] for r in rows)


def test_croissant_metadata_validates_and_loads_records_offline(dataset, tmp_path):
    raw, out = dataset
    target = tmp_path / "rel"
    assert _main("publish", "--version", "1.0.0", "--to", str(target), "--out", str(out),
                 "--build-dir", str(tmp_path / "build")) == 0
    import mlcroissant as mlc

    ds = mlc.Dataset(jsonld=str(target / "1.0.0" / "croissant.json"))
    assert ds.metadata.version == "1.0.0"
    records = list(ds.records("documents"))
    docs = pl.read_parquet(target / "1.0.0" / "data" / "documents" / "*.parquet")
    assert len(records) == docs.height
    ids = {r["documents/doc_id"].decode() if isinstance(r["documents/doc_id"], bytes) else r["documents/doc_id"]
           for r in records}
    assert ids == set(docs["doc_id"])


def test_next_release_has_a_changelog_and_versions_are_immutable(dataset, tmp_path):
    raw, out = dataset
    target, build = tmp_path / "releases", tmp_path / "build"
    assert _main("publish", "--version", "1.0.0", "--to", str(target), "--out", str(out), "--build-dir",
                 str(build)) == 0
    raw2, out2 = tmp_path / "raw2", tmp_path / "out2"
    shutil.copytree(raw, raw2)
    shutil.copytree(out, out2)
    shutil.copy(DATA / "holdout" / "laodong_luong.txt", raw2 / "laodong_luong.txt")
    assert run_pipeline(raw2, out2) == 0
    assert _main("publish", "--version", "1.1.0", "--to", str(target), "--out", str(out2), "--build-dir", str(build),
                 "--exclude-duplicates") == 0
    info = json.loads((target / "1.1.0" / "release.json").read_text())
    first = json.loads((target / "1.0.0" / "release.json").read_text())
    assert info["previous_version"] == "1.0.0" and info["excluded"]["duplicates"] > 0
    released = pl.read_parquet(target / "1.1.0" / "data/documents/*.parquet")
    assert released["duplicate_of"].null_count() == info["counts"]["documents"]
    log = (target / "1.1.0" / "CHANGELOG.md").read_text()
    change = info["counts"]["documents"] - first["counts"]["documents"]
    assert "Compared with 1.0.0" in log
    assert f"| documents | {first['counts']['documents']} | {info['counts']['documents']} | {change:+d} |" in log
    assert "## 1.0.0" in log  # the history continues
    # the same version again, or an older one: refused, nothing written
    assert _main("publish", "--version", "1.1.0", "--to", str(target), "--out", str(out2), "--build-dir",
                 str(build)) == 1
    assert _main("publish", "--version", "0.9.0", "--to", str(target), "--out", str(out2), "--build-dir",
                 str(build)) == 1
    assert sorted(p.name for p in target.iterdir()) == ["1.0.0", "1.1.0"]


def test_publish_refuses_a_damaged_output(dataset, tmp_path, capsys):
    raw, out = dataset
    bad = tmp_path / "bad"
    shutil.copytree(out, bad)
    part = next((bad / "passages").glob("*.parquet"))
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0xFF
    part.write_bytes(bytes(data))
    target = tmp_path / "releases"
    assert _main("publish", "--version", "1.0.0", "--to", str(target), "--out", str(bad),
                 "--build-dir", str(tmp_path / "build")) == 1
    err = capsys.readouterr().err
    assert "publish refused" in err and "checksum: passages/" in err
    assert not target.exists()


def test_release_row_checks_catch_duplicate_ids_and_empty_text():
    from newsclean.publish import check_release_rows

    docs = pl.DataFrame({"doc_id": ["a", "a", "b"], "text": ["x", "y", "  "]})
    passages = pl.DataFrame({"doc_id": ["a", "c"], "passage_id": ["a-0000", "a-0000"], "text": ["x", ""]})
    failures = check_release_rows(docs, passages)
    assert any("duplicated doc_id" in f for f in failures)
    assert any("duplicated passage_id" in f for f in failures)
    assert any("empty text: 1 documents" in f for f in failures)
    assert any("empty text: 1 passages" in f for f in failures)
    assert any("not in the release" in f for f in failures)
    ok = check_release_rows(pl.DataFrame({"doc_id": ["a"], "text": ["x"]}),
                            pl.DataFrame({"doc_id": ["a"], "passage_id": ["a-0000"], "text": ["x"]}))
    assert ok == []


def test_s3_release_uploads_verifies_and_chains(dataset, tmp_path, s3_server):
    import boto3

    raw, out = dataset
    s3 = boto3.client("s3", endpoint_url=s3_server)
    s3.create_bucket(Bucket="corpus")
    build = tmp_path / "build"
    assert _main("publish", "--version", "1.0.0", "--to", "s3://corpus/news/vi-en", "--out", str(out),
                 "--build-dir", str(build), "--endpoint-url", s3_server) == 0
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="corpus")["Contents"]}
    sums = s3.get_object(Bucket="corpus", Key="news/vi-en/1.0.0/SHA256SUMS")["Body"].read().decode()
    listed = [line.split("  ", 1) for line in sums.splitlines()]
    assert {f"news/vi-en/1.0.0/{rel}" for _, rel in listed} | {"news/vi-en/1.0.0/SHA256SUMS"} == keys
    for digest, rel in listed:  # what the server holds verifies against the release's checksums
        body = s3.get_object(Bucket="corpus", Key=f"news/vi-en/1.0.0/{rel}")["Body"].read()
        assert hashlib.sha256(body).hexdigest() == digest, rel
    # a second version reads the first from the bucket for its changelog; the first is not rewritten
    assert _main("publish", "--version", "1.0.1", "--to", "s3://corpus/news/vi-en", "--out", str(out),
                 "--build-dir", str(build), "--endpoint-url", s3_server) == 0
    info = json.loads(s3.get_object(Bucket="corpus", Key="news/vi-en/1.0.1/release.json")["Body"].read())
    assert info["previous_version"] == "1.0.0"
    assert _main("publish", "--version", "1.0.1", "--to", "s3://corpus/news/vi-en", "--out", str(out),
                 "--build-dir", str(build), "--endpoint-url", s3_server) == 1


def test_hub_release_is_one_commit_and_a_tag_and_the_token_is_never_printed(dataset, tmp_path, monkeypatch, capsys):
    from huggingface_hub import CommitOperationAdd, HfApi

    raw, out = dataset
    token = "hf_secretTOKEN1234567890"
    monkeypatch.setenv("HF_TOKEN", token)
    calls: dict[str, list] = {"create_commit": [], "create_tag": [], "create_repo": []}

    def no_refs(self, repo_id, **kw):
        raise RuntimeError("offline: repository has no refs yet")

    def create_commit(self, **kw):
        assert self.token == token  # the token reaches the client, from the environment
        calls["create_commit"].append(kw)
        return type("CommitInfo", (), {"oid": "abc123"})()

    monkeypatch.setattr(HfApi, "list_repo_refs", no_refs)
    monkeypatch.setattr(HfApi, "create_commit", create_commit)
    monkeypatch.setattr(HfApi, "create_tag", lambda self, repo_id, **kw: calls["create_tag"].append((repo_id, kw)))
    monkeypatch.setattr(HfApi, "create_repo", lambda self, repo_id, **kw: calls["create_repo"].append((repo_id, kw)))
    build = tmp_path / "build"

    # --dry-run: prints the operations, calls nothing
    assert _main("publish", "--version", "1.0.0", "--to", "hf://datasets/acme/vi-en-news", "--out", str(out),
                 "--build-dir", str(build), "--dry-run") == 0
    dry = capsys.readouterr().out
    assert not any(calls.values())
    assert "CommitOperationAdd" in dry and "data/documents/part-00000.parquet" in dry and "SHA256SUMS" in dry

    assert _main("publish", "--version", "1.0.0", "--to", "hf://datasets/acme/vi-en-news", "--out", str(out),
                 "--build-dir", str(build), "--keep-build") == 0
    printed = capsys.readouterr()
    assert token not in printed.out + printed.err
    assert len(calls["create_commit"]) == 1
    commit = calls["create_commit"][0]
    assert commit["repo_id"] == "acme/vi-en-news" and commit["repo_type"] == "dataset"
    assert commit["commit_message"] == "Release v1.0.0"
    rel = build / "release-1.0.0"
    sums = dict(reversed(line.split("  ", 1)) for line in (rel / "SHA256SUMS").read_text().splitlines())
    ops = commit["operations"]
    assert all(isinstance(o, CommitOperationAdd) for o in ops)
    paths = [o.path_in_repo for o in ops]
    assert sorted(paths) == sorted(list(sums) + ["SHA256SUMS"])
    assert paths[-1] == "release.json" and paths.index("SHA256SUMS") > paths.index("data/documents.jsonl.gz")
    for o in ops:
        if o.path_in_repo != "SHA256SUMS":
            assert hashlib.sha256(Path(o.path_or_fileobj).read_bytes()).hexdigest() == sums[o.path_in_repo]
    assert calls["create_tag"] == [("acme/vi-en-news", {"tag": "v1.0.0", "repo_type": "dataset", "revision": "abc123",
                                                        "tag_message": "newsclean release 1.0.0"})]
    assert calls["create_repo"][0][0] == "acme/vi-en-news"


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_report_renders_in_headless_chromium_with_the_dataset_numbers(dataset, tmp_path):
    browser = _chromium()
    if browser is None:
        if os.environ.get("NEWSCLEAN_REQUIRE_BROWSER"):
            pytest.fail("chromium is required (CI installs Debian's chromium) but was not found")
        pytest.skip("chromium not installed (apt-get install chromium); CI installs it and runs this test")
    raw, out = dataset
    page = tmp_path / "report.html"
    assert _main("report", "--out", str(out), "--to", str(page)) == 0
    dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    assert 'data-rendered="true"' in dom  # the page's script ran
    docs = pl.read_parquet(out / "documents" / "*.parquet")
    passages = pl.read_parquet(out / "passages" / "*.parquet")
    removed = pl.read_parquet(out / "removed" / "*.parquet")

    def shown(key):
        return int(re.search(rf'id="n-{key}">([\d,]+)<', dom).group(1).replace(",", ""))

    assert shown("documents") == docs.height and shown("passages") == passages.height
    assert shown("removed_lines") == removed.height
    assert shown("duplicates") == docs["duplicate_of"].is_not_null().sum()

    def bars(chart):
        block = re.search(rf'id="chart-{chart}".*?</svg>', dom, re.S).group(0)
        return {html_unescape(k): int(v) for k, v in re.findall(r'data-label="([^"]*)" data-value="(\d+)"', block)}

    assert bars("passage-languages") == dict(passages.group_by("lang").len().iter_rows())
    assert bars("removed-reasons") == dict(removed.group_by("reason").len().iter_rows())
    assert sum(bars("document-lengths").values()) == docs.height
    months = docs.filter(pl.col("published").is_not_null()).group_by(pl.col("published").dt.strftime("%Y-%m")).len()
    assert {k: v for k, v in bars("months").items() if k != "(none)"} == dict(months.iter_rows())


def html_unescape(s: str) -> str:
    import html

    return html.unescape(s)
