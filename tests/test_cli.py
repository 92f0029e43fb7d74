"""The console script: help, exit codes, detect-lang's contract."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsclean.cli import main

BIN = Path(sys.executable).parent / "newsclean"


def test_help_explains_itself():
    out = subprocess.run([str(BIN), "run", "--help"], capture_output=True, text=True, check=True).stdout
    for flag in ("--raw", "--out", "--config", "--shard-size"):
        assert flag in out
    top = subprocess.run([str(BIN), "--help"], capture_output=True, text=True, check=True).stdout
    assert "run" in top and "detect-lang" in top


def test_missing_raw_folder_is_one_clear_line(tmp_path, capsys):
    code = main(["run", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code != 0
    assert "does not exist" in err and "Traceback" not in err


def test_bad_config_file_is_reported(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text("shard_sise = 5\n")
    code = main(["run", "--raw", str(tmp_path), "--out", str(tmp_path / "o"), "--config", str(cfg)])
    assert code != 0
    assert "unknown setting 'shard_sise'" in capsys.readouterr().err


def test_detect_lang_writes_one_json_object_per_line(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("Các đại biểu tham dự sự kiện.\nDelegates attending the event. (Photo: mod.gov.vn)\n\n"
                   "Il presidente ha detto che la situazione è grave.\n", encoding="utf-8")
    res = subprocess.run([str(BIN), "detect-lang", str(src)], capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["lang"] for r in rows] == ["vi", "en", "other", "other"]
    assert rows[0]["text"] == "Các đại biểu tham dự sự kiện."
    assert all(0.0 <= r["score"] <= 1.0 for r in rows)
    again = subprocess.run([str(BIN), "detect-lang"], input=src.read_text(encoding="utf-8"), capture_output=True,
                           text=True, check=True)
    assert again.stdout == res.stdout


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux-only")
def test_the_early_local_api_server_dies_with_a_killed_run(tmp_path):
    """`newsclean run` launches Prefect's temporary API server before importing Prefect; killing the
    run with SIGKILL (no atexit, no finally) must not leave that server running."""
    import os
    import signal
    import time

    from conftest import copy_seeds

    raw = copy_seeds(tmp_path / "raw")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    proc = subprocess.Popen([str(BIN), "run", "--raw", str(raw), "--out", str(tmp_path / "out"), "--quiet"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    servers: list[int] = []
    while time.monotonic() < deadline and not servers:
        servers = [c for c in _children(proc.pid)
                   if "uvicorn" in Path(f"/proc/{c}/cmdline").read_bytes().decode(errors="replace")]
        time.sleep(0.05)
    assert servers, "no local API server was started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(s) for s in servers):
        time.sleep(0.1)
    assert not any(_alive(s) for s in servers), "the local API server outlived the killed run"
