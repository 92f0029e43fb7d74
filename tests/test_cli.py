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
    assert "unknown setting(s) shard_sise" in capsys.readouterr().err


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
