"""Incremental runs: only new and changed raw files are processed, the dataset holds every page once,
the state travels with the output, `--full` rebuilds; duplicates are marked across runs."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import polars as pl
import pytest

from conftest import DATA, REPO, copy_seeds, run_pipeline

pytestmark = pytest.mark.flow

HOLDOUT = ["dantri_cho-tet.txt", "tuoitrenews_en.txt", "laodong_luong.txt"]
VOLATILE = ["run_id", "processed_at"]


def _read(out: Path, table: str) -> pl.DataFrame:
    return pl.read_parquet(out / table / "*.parquet")


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _raw(tmp_path: Path) -> Path:
    raw = copy_seeds(tmp_path / "raw")
    for name in HOLDOUT:
        shutil.copy(DATA / "holdout" / name, raw / name)
    return raw


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Run 1 on five pages; then one new page and one changed page; run 2."""
    tmp = tmp_path_factory.mktemp("incr")
    raw, out = _raw(tmp), tmp / "out"
    assert run_pipeline(raw, out) == 0
    first = {t: _read(out, t) for t in ("documents", "passages", "removed")}
    first_manifest = _manifest(out)
    shutil.copy(DATA / "holdout2" / "vir_en.txt", raw / "vir_en.txt")               # new
    changed = raw / "laodong_luong.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("lương", "tiền lương", 1), encoding="utf-8")
    assert run_pipeline(raw, out) == 0
    return raw, out, first, first_manifest


def test_second_run_processes_exactly_the_new_and_changed_page(two_runs):
    raw, out, first, first_manifest = two_runs
    r = _manifest(out)["counts"]["this_run"]
    assert r["mode"] == "incremental" and r["previous_run_id"] == first_manifest["run_id"]
    assert (r["new"], r["changed"], r["unchanged"], r["gone"]) == (1, 1, 4, 0)
    assert r["documents_written"] == 2 and r["documents_carried"] == 4
    docs = _read(out, "documents")
    this_run = docs.filter(pl.col("run_id") == _manifest(out)["run_id"])["raw_path"].sort().to_list()
    assert this_run == ["laodong_luong.txt", "vir_en.txt"]


def test_dataset_holds_every_page_once(two_runs):
    raw, out, first, _ = two_runs
    docs = _read(out, "documents")
    files = sorted(p.name for p in raw.iterdir())
    assert sorted(docs["raw_path"].to_list()) == files
    assert docs["doc_id"].n_unique() == docs.height
    passages, removed = _read(out, "passages"), _read(out, "removed")
    assert set(passages["doc_id"]) == set(docs["doc_id"]) and set(removed["doc_id"]) <= set(docs["doc_id"])
    assert passages["passage_id"].n_unique() == passages.height
    # the changed page's old rows are gone, its new reading is there
    old_id = first["documents"].filter(pl.col("raw_path") == "laodong_luong.txt")["doc_id"].item()
    new = docs.filter(pl.col("raw_path") == "laodong_luong.txt")
    assert old_id not in set(passages["doc_id"]) and new["doc_id"].item() != old_id
    assert "tiền lương" in " ".join(passages.filter(pl.col("doc_id") == new["doc_id"].item())["text"].to_list())
    m = _manifest(out)
    assert m["counts"]["documents"] == docs.height == len([e for e in m["inputs"] if e["outcome"] == "document"])


def test_unchanged_rows_are_carried_over_untouched(two_runs):
    raw, out, first, _ = two_runs
    keep = first["documents"].filter(pl.col("raw_path") != "laodong_luong.txt")["doc_id"].to_list()
    for table, key in (("documents", ["doc_id"]), ("passages", ["doc_id", "seq"]), ("removed", ["doc_id",
                                                                                                "line_start"])):
        a = first[table].filter(pl.col("doc_id").is_in(keep)).sort(key)
        b = _read(out, table).filter(pl.col("doc_id").is_in(keep)).sort(key)
        assert a.equals(b.select(a.columns)), table


def test_full_rebuild_gives_the_same_dataset(two_runs, tmp_path):
    raw, out, _, _ = two_runs
    full = tmp_path / "full"
    shutil.copytree(out, full)
    assert run_pipeline(raw, full, "--full") == 0
    assert _manifest(full)["counts"]["this_run"]["mode"] == "full"
    assert _manifest(full)["counts"]["this_run"]["new"] == 6
    for table, key in (("documents", ["doc_id"]), ("passages", ["doc_id", "seq"]), ("removed", ["doc_id",
                                                                                                "line_start"])):
        a = _read(out, table).sort(key)
        b = _read(full, table).sort(key)
        if table == "documents":
            a, b = a.drop(VOLATILE), b.drop(VOLATILE)
        assert a.equals(b), table


def test_state_travels_with_the_output_and_gone_files_are_kept(two_runs, tmp_path):
    raw, out, _, _ = two_runs
    moved = tmp_path / "elsewhere" / "output"
    shutil.copytree(out, moved)
    raw2 = tmp_path / "raw2"
    shutil.copytree(raw, raw2)
    (raw2 / "tuoitrenews_en.txt").unlink()
    assert run_pipeline(raw2, moved) == 0
    m = _manifest(moved)
    r = m["counts"]["this_run"]
    assert (r["new"], r["changed"], r["unchanged"], r["gone"]) == (0, 0, 5, 1)
    gone = [e for e in m["inputs"] if e["raw_path"] == "tuoitrenews_en.txt"]
    assert gone and gone[0]["present"] is False and gone[0]["outcome"] == "document"
    assert "tuoitrenews_en.txt" in _read(moved, "documents")["raw_path"].to_list()


def test_changed_settings_force_a_rebuild(two_runs, tmp_path):
    raw, out, _, _ = two_runs
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    cfg = tmp_path / "c.toml"
    cfg.write_text("[dedup]\nthreshold = 0.8\n", encoding="utf-8")
    assert run_pipeline(raw, copy, "--config", str(cfg)) == 0
    r = _manifest(copy)["counts"]["this_run"]
    assert r["mode"] == "full" and "settings changed" in r["rebuild_reason"]


def test_duplicates_marked_on_generated_corpus_and_across_runs(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import generate
    from dedup_eval import score

    raw, out = tmp_path / "corpus", tmp_path / "out"
    truth = generate(600, raw, seed=5)
    # hold back a few copies: they arrive in a second run and must be matched with earlier pages
    pairs = truth["exact_duplicates"][:3] + truth["near_duplicates"][:3]
    later = [a for a, _ in pairs]
    parked = tmp_path / "parked"
    for rel in later:
        (parked / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(raw / rel, parked / rel)
    assert run_pipeline(raw, out) == 0
    for rel in later:
        shutil.move(parked / rel, raw / rel)
    assert run_pipeline(raw, out) == 0
    assert _manifest(out)["counts"]["this_run"]["new"] == len(later)
    docs = _read(out, "documents")
    dups = docs.filter(pl.col("duplicate_of").is_not_null())
    got = score(docs, dups.select("doc_id", "duplicate_of"), truth)
    assert got["precision"] >= 0.95 and got["recall"] >= 0.95, got
    # each late copy is linked with its earlier source (whichever of the two was published first is kept)
    kept = {d: k or d for d, k in zip(docs["doc_id"], docs["duplicate_of"], strict=True)}
    id_of = dict(zip(docs["raw_path"], docs["doc_id"], strict=True))
    for copy, source in pairs:
        assert kept[id_of[copy]] == kept[id_of[source]], (copy, source)
    assert set(dups["duplicate_kind"]) <= {"exact", "near"}
    assert dups.filter(pl.col("duplicate_kind") == "exact")["duplicate_similarity"].min() == 1.0
    assert set(dups["duplicate_of"]).isdisjoint(set(dups["doc_id"]))  # kept documents are never duplicates
    assert _manifest(out)["counts"]["duplicates"] == dups.height


def test_run_summary_is_a_prefect_artifact_with_the_manifest_numbers(two_runs):
    from prefect.client.orchestration import get_client

    raw, out, _, _ = two_runs
    m = _manifest(out)
    with get_client(sync_client=True) as client:  # the summary artifacts (other tests' runs too)
        arts = client.request("POST", "/artifacts/filter", json={
            "artifacts": {"key": {"any_": ["newsclean-run-summary"]}}, "limit": 200, "offset": 0,
            "sort": "CREATED_DESC"}).json()
    ours = [a for a in arts if f"`{m['run_id']}`" in a["data"]]
    assert len(ours) == 1 and ours[0]["type"] == "markdown"
    text = ours[0]["data"]
    assert m["run_id"] in text
    r = m["counts"]["this_run"]
    assert f"| {r['inputs_seen']} | {r['new']} | {r['changed']} | {r['unchanged']} | {r['gone']} |" in text
    for lang, n in m["counts"]["documents_by_language"].items():
        assert f"| {lang} | {n} | {m['counts']['passages_by_language'][lang]} |" in text
    for reason, n in m["counts"]["removed_by_reason"].items():
        assert f"| {reason} | {n} |" in text


def test_progress_is_a_bar_on_a_terminal_and_log_lines_elsewhere(monkeypatch, caplog):
    import io
    import logging

    from newsclean.progress import Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("CI", raising=False)
    logging.getLogger("newsclean").setLevel(logging.INFO)
    tty = Tty()
    p = Progress(2, 2000, steps_per_shard=1, stream=tty)
    for i in range(2):
        p.shard_done({"step": "clean", "shard": i, "pages": 1000})
    assert "\r[" in tty.getvalue() and "2/2 shard steps" in tty.getvalue() and tty.getvalue().endswith("\n")
    monkeypatch.setenv("CI", "true")
    ci = Tty()
    p = Progress(1, 1000, steps_per_shard=1, stream=ci)
    p.shard_done({"step": "clean", "shard": 0, "pages": 1000})
    assert ci.getvalue() == ""
