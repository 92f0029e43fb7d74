"""Shared fixtures. Prefect runs in ephemeral mode with the quiet, fast settings from
../shared/notes/prefect.md, in a temporary PREFECT_HOME, set before anything imports prefect."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from newsclean.prefect_settings import QUIET_RUN

_PREFECT_HOME = tempfile.mkdtemp(prefix="newsclean-prefect-")
# the CLI's own quiet settings (newsclean.prefect_settings), here forced over anything exported
for key, value in {**QUIET_RUN, "PREFECT_HOME": _PREFECT_HOME, "PREFECT_LOGGING_LEVEL": "WARNING"}.items():
    os.environ[key] = value

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "raw"
DATA = Path(__file__).resolve().parent / "data"
SEEDS = ("000_6dbcae5c325ce0e5.txt", "001_a3c7c12e9b20c0c1.txt")


def _find_expected() -> Path:
    shared = REPO.parent / "shared" / "seeds" / "expected.json"
    return shared if shared.exists() else DATA / "seeds_expected.json"


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads(_find_expected().read_text(encoding="utf-8"))


def copy_seeds(raw: Path) -> Path:
    """A raw folder holding the two seed pages (created if needed)."""
    raw.mkdir(parents=True, exist_ok=True)
    for name in SEEDS:
        shutil.copy(RAW / name, raw / name)
    return raw


def run_pipeline(raw: Path, out: Path, *extra: str) -> int:
    """The `newsclean run` command, in-process (one ephemeral Prefect server per test session)."""
    from newsclean.cli import main

    return main(["run", "--raw", str(raw), "--out", str(out), "--quiet", *extra])


@pytest.fixture(scope="session")
def seed_output(tmp_path_factory) -> Path:
    """One pipeline run over the seed pages, shared by the read-only tests."""
    raw = copy_seeds(tmp_path_factory.mktemp("seedraw"))
    out = tmp_path_factory.mktemp("seedrun") / "output"
    assert run_pipeline(raw, out) == 0
    return out


@pytest.fixture
def s3_server(tmp_path):
    """moto's S3-compatible server on 127.0.0.1, stopped by PID afterwards."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen([str(exe), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    env = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield url
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_PREFECT_HOME, ignore_errors=True)
