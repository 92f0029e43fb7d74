"""Shared fixtures. Prefect runs in ephemeral mode with the quiet, fast settings from
../shared/notes/prefect.md, in a temporary PREFECT_HOME, set before anything imports prefect."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
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


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_PREFECT_HOME, ignore_errors=True)
