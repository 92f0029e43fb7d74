"""Bad input and faults (issue 7): every input ends as rows or a quarantine row, nothing is lost,
the output is never half-written. Real files, real processes, no file-system mocks."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import polars as pl
import pytest

from conftest import RAW, REPO, SEEDS, copy_seeds, run_pipeline
from newsclean.dataset import sha256_file
from newsclean.localserver import EarlyAPI
from newsclean.rawfiles import read_files

sys.path.insert(0, str(REPO / "benchmarks"))
BIN = Path(sys.executable).parent / "newsclean"
VI = "Việt Nam chào đón các đại biểu quốc tế tới dự hội nghị về phát triển bền vững."


def _read(out: Path, table: str) -> pl.DataFrame:
    return pl.read_parquet(out / table / "*.parquet")


def verify_output(out: Path) -> dict:
    """A complete dataset: every file the manifest lists has its checksum, and nothing else is there."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {o["path"] for o in manifest["outputs"]} | {"manifest.json"}
    present = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert present == listed, present ^ listed
    for o in manifest["outputs"]:
        assert sha256_file(out / o["path"]) == o["sha256"], o["path"]
    return manifest


@pytest.mark.flow
def test_every_input_kind_ends_as_rows_or_a_quarantine_row(tmp_path):
    raw = tmp_path / "raw"
    deep = raw / "a" / "b" / "c" / "d" / "e" / "f"
    deep.mkdir(parents=True)
    seed = (RAW / SEEDS[1]).read_bytes()
    text = seed.decode("utf-8")
    files = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n   \r\n",
        "photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 8,
        "doc.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 8,
        "archive.zip": b"PK\x03\x04" + bytes(range(256)) * 8,
        "nul-inside.txt": seed[:400] + b"\x00\x00" + seed[400:],
        "invalid-utf8.txt": "Ceci n'est pas de l'UTF-8: café \xff déjà".encode("latin-1") + b"\x81\x9d\x8f",
        "utf16-bom.txt": text.encode("utf-16"),
        "utf16-nobom.txt": text.encode("utf-16-le"),
        "cp1258.txt": ("Thời sự\n\n" + VI + "\n").encode("cp1258", errors="strict") if False else None,
        "nfd.txt": unicodedata.normalize("NFD", text).encode("utf-8"),
        "mojibake.txt": text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"),
        "cr-only.txt": seed.replace(b"\n", b"\r"),
        "tên tệp có dấu cách.txt": seed,
        "a/b/c/d/e/f/deep.txt": seed,
    }
    from test_decode import to_cp1258_form

    files["cp1258.txt"] = to_cp1258_form("Tin tức\n\n" + VI + "\n" + VI + "\n").encode("cp1258")
    for name, data in files.items():
        (raw / name).write_bytes(data)
    os.mkfifo(raw / "a-fifo")
    (raw / "link-out.txt").symlink_to(RAW / SEEDS[0])
    (raw / "link-broken.txt").symlink_to(tmp_path / "nowhere.txt")
    (raw / ".hidden.txt").write_bytes(seed)
    out = tmp_path / "out"
    assert run_pipeline(raw, out) == 0
    manifest = verify_output(out)
    outcome = {i["raw_path"]: i["outcome"] if i["outcome"] != "quarantined" else i["error"] for i in manifest["inputs"]}
    assert outcome == {
        "empty.txt": "empty", "blank.txt": "empty", "photo.jpg": "binary", "doc.pdf": "binary",
        "archive.zip": "binary", "invalid-utf8.txt": "undecodable", "a-fifo": "not_a_file",
        "link-out.txt": "symlink_outside_root", "link-broken.txt": "broken_symlink", ".hidden.txt": "skipped_hidden",
        "nul-inside.txt": "document", "utf16-bom.txt": "document", "utf16-nobom.txt": "document",
        "cp1258.txt": "document", "nfd.txt": "document", "mojibake.txt": "document", "cr-only.txt": "document",
        "tên tệp có dấu cách.txt": "document", "a/b/c/d/e/f/deep.txt": "document",
    }
    c = manifest["counts"]
    assert c["inputs"] == c["documents"] + c["quarantined"] + c["skipped"]
    docs = _read(out, "documents")
    by_path = {r["raw_path"]: r for r in docs.iter_rows(named=True)}
    title = "Việt Nam – Russia diplomatic ties observed in Moscow"
    for name in ("nul-inside.txt", "utf16-bom.txt", "utf16-nobom.txt", "nfd.txt", "cr-only.txt", "mojibake.txt",
                 "tên tệp có dấu cách.txt", "a/b/c/d/e/f/deep.txt"):
        assert by_path[name]["title"] == title, name
    assert "nul_removed" in by_path["nul-inside.txt"]["repairs"]
    assert "mojibake_repaired" in by_path["mojibake.txt"]["repairs"]
    assert by_path["cp1258.txt"]["encoding"] == "cp1258" and VI in by_path["cp1258.txt"]["text"]
    # the same text read from every encoding gives the same passages
    passages = _read(out, "passages")
    texts = {n: passages.filter(pl.col("doc_id") == by_path[n]["doc_id"])["text"].to_list()
             for n in ("utf16-bom.txt", "nfd.txt", "cr-only.txt", "a/b/c/d/e/f/deep.txt")}
    assert len({tuple(v) for v in texts.values()}) == 1


@pytest.mark.slow
def test_a_single_50_mb_line_is_removed_not_fatal(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "huge.txt").write_bytes((VI + " ").encode("utf-8") * (50_000_000 // len((VI + " ").encode("utf-8"))))
    docs, bad, _ = read_files(raw, ["huge.txt"], 64)
    from transforms.pages import clean_documents

    cleaned = clean_documents(docs)
    assert bad.height == 0 and cleaned.failed == []
    assert cleaned.removed["reason"].to_list() == ["boilerplate:oversized_line"]
    assert cleaned.passages.height == 0


def test_unreadable_file_is_quarantined_for_an_unprivileged_reader(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to drop to another user")
    raw = Path(tempfile.mkdtemp(prefix="nc-perm-"))  # pytest's tmp folders are closed to other users
    os.chmod(raw, 0o755)
    (raw / "ok.txt").write_bytes((RAW / SEEDS[0]).read_bytes())
    (raw / "secret.txt").write_bytes((RAW / SEEDS[0]).read_bytes())
    os.chmod(raw / "ok.txt", 0o644)
    os.chmod(raw / "secret.txt", 0)
    code = (
        "import os, sys, json\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from pathlib import Path; from newsclean.rawfiles import read_files\n"
        f"read_files(Path({str(raw)!r}), ['ok.txt'], 64)  # warm every lazy import while still root\n"
        "os.setgid(65534); os.setuid(65534)\n"
        f"d, q, _ = read_files(Path({str(raw)!r}), ['ok.txt', 'secret.txt'], 64)\n"
        "print(json.dumps([d['raw_path'].to_list(), q.select('raw_path', 'error').rows()]))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    shutil.rmtree(raw, ignore_errors=True)
    assert res.returncode == 0, res.stderr
    docs, quarantined = json.loads(res.stdout)
    assert docs == ["ok.txt"] and quarantined == [["secret.txt", "unreadable"]]


def test_a_file_that_keeps_changing_is_quarantined_and_a_vanished_one_too(tmp_path):
    """A writer process rewrites the file in place while we read it (size constant, mtime moving);
    48 MB take long enough to read that every attempt sees at least one change."""
    path = tmp_path / "changing.txt"
    path.write_bytes(b"a line of text that is being rewritten\n" * 1_200_000)
    writer = subprocess.Popen([sys.executable, "-c", (
        "import os, sys\n"
        f"fd = os.open({str(path)!r}, os.O_WRONLY)\n"
        "print('ready', flush=True)\n"
        "i = 0\n"
        "while True:\n"
        "    os.pwrite(fd, b'ab'[i % 2:i % 2 + 1], (i * 4099) % 40_000_000)\n"
        "    i += 1\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(0.05)
        docs, bad, _ = read_files(tmp_path, ["changing.txt", "gone.txt"], 64)
    finally:
        writer.kill()
        writer.wait()
    assert dict(zip(bad["raw_path"], bad["error"], strict=True)) == {"changing.txt": "changed_during_read",
                                                                     "gone.txt": "vanished"}
    # once it stops changing, the same file reads fine
    docs, bad, _ = read_files(tmp_path, ["changing.txt"], 64)
    assert docs.height == 1 and bad.height == 0


@pytest.mark.flow
def test_a_page_that_makes_a_transform_raise_is_quarantined_and_its_shard_goes_on(tmp_path, monkeypatch):
    import transforms.pages

    real = transforms.pages.rule_passes

    def explode_on_marker(lines, *a, **k):
        if any("EXPLODE" in ln.text for ln in lines):
            raise RuntimeError("transform failed on purpose")
        return real(lines, *a, **k)

    monkeypatch.setattr(transforms.pages, "rule_passes", explode_on_marker)
    raw = copy_seeds(tmp_path / "raw")
    (raw / "bad.txt").write_text("Title\n\nEXPLODE here in a long enough paragraph of text.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_pipeline(raw, out) == 0
    q = _read(out, "quarantine")
    assert q.rows() and q.select("raw_path", "error").rows() == [("bad.txt", "clean_failed")]
    assert "RuntimeError: transform failed on purpose" in q["detail"][0]
    assert sorted(_read(out, "documents")["raw_path"]) == sorted(SEEDS)
    manifest = verify_output(out)
    assert {i["raw_path"]: i["outcome"] for i in manifest["inputs"]}["bad.txt"] == "quarantined"


@pytest.mark.flow
def test_disk_full_is_a_clear_error_and_the_previous_output_survives(tmp_path):
    mnt = tmp_path / "small"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        raw = copy_seeds(tmp_path / "raw")
        out = mnt / "out"
        assert run_pipeline(raw, out) == 0
        before = (out / "manifest.json").read_bytes()
        from corpus import generate

        generate(300, raw / "more", seed=3)
        res = subprocess.run([str(BIN), "run", "--raw", str(raw), "--out", str(out), "--quiet"],
                             capture_output=True, text=True, timeout=300, env=_env(tmp_path / "ph"))
        assert res.returncode != 0
        assert "No space left on device" in res.stderr and "Traceback" not in res.stderr
        assert (out / "manifest.json").read_bytes() == before
        verify_output(out)
        assert not [p for p in mnt.iterdir() if p.name != "out" and not p.name.startswith(".out.lock")]
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _env(prefect_home: Path, api_url: str | None = None) -> dict:
    env = dict(os.environ, PREFECT_HOME=str(prefect_home))
    env.pop("PREFECT_LOGGING_LEVEL", None)  # what an operator sees: the CLI's own defaults
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def _corpus(tmp_path: Path, pages: int) -> Path:
    from corpus import generate

    raw = tmp_path / "raw"
    generate(pages, raw, seed=5)
    return copy_seeds(raw)


def _start(raw: Path, out: Path, home: Path, api_url: str | None = None) -> subprocess.Popen:
    return subprocess.Popen([str(BIN), "run", "--raw", str(raw), "--out", str(out), "--quiet", "--shard-size", "150"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(home, api_url),
                            start_new_session=True)


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 120) -> bool:
    """SIGKILL the run's whole process group as soon as `ready()` is true; False if it finished first."""
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            return False
        if ready():
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.002)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError("kill point never reached")


def _staged(out: Path, *parts: str):
    def ready():
        return any((s.joinpath(*parts)).exists() for s in out.parent.glob(f"{out.name}.tmp-*"))
    return ready


@pytest.mark.slow
def test_kill_9_at_any_point_leaves_old_or_new_output_and_rerun_matches(tmp_path):
    raw = _corpus(tmp_path, 300)
    home = Path(tempfile.mkdtemp(prefix="nc-prefect-kill-"))
    # the uninterrupted reference starts from the same previous dataset (the seeds), then adds the corpus
    reference = tmp_path / "reference"
    assert run_pipeline(RAW, reference) == 0
    ref = _start(raw, reference, home)  # Prefect's temporary server, as an operator's run starts it
    assert ref.wait(timeout=300) == 0, ref.stderr.read()
    # the killed runs and the rerun use one running API server (as a scheduled deployment does): the
    # kill is of the run's own processes, and eight server boots would be most of this test's time
    api = EarlyAPI(home=home).launch()
    api.ready(120)
    try:
        out = tmp_path / "out"
        assert run_pipeline(RAW, out) == 0  # a previous dataset (the seeds) that must survive every kill
        previous = (out / "manifest.json").read_bytes()
        points = {
            "staging created": _staged(out),
            "ingest written": _staged(out, "_work", "keys"),
            "clean running": _staged(out, "_work", "clean"),
            "detect running": _staged(out, "_work", "final"),
            "writing tables": _staged(out, "documents"),
            "manifest written": _staged(out, "manifest.json"),
        }
        killed = []
        for name, ready in points.items():
            proc = _start(raw, out, home, api.api_url)
            if _kill_when(proc, ready):
                killed.append(name)
            manifest = verify_output(out)  # never a mix: one complete dataset or the other
            assert (out / "manifest.json").read_bytes() == previous or manifest["counts"]["documents"] == 302
            if (out / "manifest.json").read_bytes() != previous:
                previous = (out / "manifest.json").read_bytes()
        print("killed at:", killed)
        assert len(killed) >= 4, killed
        final = _start(raw, out, home, api.api_url)
        assert final.wait(timeout=300) == 0, final.stderr.read()
    finally:
        api.stop()
    verify_output(out)
    assert not list(tmp_path.glob("out.tmp-*")) and not list(tmp_path.glob("out.old-*"))
    for table in ("documents", "passages", "removed", "quarantine"):
        a, b = _read(reference, table), _read(out, table)
        if table == "documents":
            a, b = a.drop("run_id", "processed_at"), b.drop("run_id", "processed_at")
        assert a.equals(b), table
    shutil.rmtree(home, ignore_errors=True)


@pytest.mark.slow
def test_a_second_run_on_the_same_output_is_refused(tmp_path):
    raw = _corpus(tmp_path, 1000)  # a run long enough to be caught in the middle on a loaded machine
    home = Path(tempfile.mkdtemp(prefix="nc-prefect-lock-"))
    out = tmp_path / "out"
    first = _start(raw, out, home)
    try:
        deadline = time.time() + 120
        while not list(tmp_path.glob("out.tmp-*")) and time.time() < deadline:
            time.sleep(0.01)
        second = subprocess.run([str(BIN), "run", "--raw", str(raw), "--out", str(out)], capture_output=True,
                                text=True, timeout=120, env=_env(tmp_path / "other-home"))
        assert second.returncode == 2
        assert "is being written by pid" in second.stderr and "Traceback" not in second.stderr
    finally:
        assert first.wait(timeout=300) == 0
    verify_output(out)
    shutil.rmtree(home, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.flow
def test_100000_tiny_files(tmp_path):
    raw = tmp_path / "raw"
    for i in range(100_000):
        d = raw / f"d{i // 1000:03d}"
        if i % 1000 == 0:
            d.mkdir(parents=True)
        page = f"Tin {i}\n\nNgười dân đón Tết với nhiều hoạt động văn hóa số {i}.\n"
        (d / f"p{i:06d}.txt").write_bytes(page.encode())
    out = tmp_path / "out"
    assert run_pipeline(raw, out) == 0
    manifest = verify_output(out)
    assert manifest["counts"]["inputs"] == manifest["counts"]["documents"] == 100_000
    assert _read(out, "documents")["doc_id"].n_unique() == 100_000


@pytest.mark.flow
def test_read_only_output_location_is_a_clear_error_and_the_previous_output_survives(tmp_path):
    parent = tmp_path / "ro"
    parent.mkdir()
    raw = copy_seeds(tmp_path / "raw")
    out = parent / "out"
    assert run_pipeline(raw, out) == 0
    before = (out / "manifest.json").read_bytes()
    # root ignores permission bits, so make the folder immutable (even for root) instead
    if subprocess.run(["chattr", "+i", str(parent)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available on this filesystem")
    try:
        res = subprocess.run([str(BIN), "run", "--raw", str(raw), "--out", str(out)], capture_output=True, text=True,
                             timeout=300, env=_env(tmp_path / "ph"))
    finally:
        subprocess.run(["chattr", "-i", str(parent)], capture_output=True)
    assert res.returncode != 0
    assert "Operation not permitted" in res.stderr and "Traceback" not in res.stderr
    assert (out / "manifest.json").read_bytes() == before
    verify_output(out)
