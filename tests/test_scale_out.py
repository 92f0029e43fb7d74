"""The same flow on N local worker processes and on a real Dask cluster gives the same rows."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from conftest import REPO, copy_seeds, run_pipeline

sys.path.insert(0, str(REPO / "benchmarks"))
BIN = Path(sys.executable).parent
pytestmark = [pytest.mark.flow, pytest.mark.slow]


def _tables(out: Path) -> dict[str, pl.DataFrame]:
    got = {}
    for t in ("documents", "passages", "removed", "quarantine"):
        df = pl.read_parquet(out / t / "*.parquet")
        got[t] = df.drop("run_id", "processed_at") if t == "documents" else df
    return got


def _check_timings(out: Path) -> None:
    """Every step's own work is recorded and lies inside the step's wall time as the flow saw it:
    shards running at the same time count once (a sum of their seconds would exceed it)."""
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    wall, own = m["step_seconds"], m["step_work_seconds"]
    assert set(own) == set(wall) == {"plan", "ingest", "count", "clean", "detect", "dedup", "write"}
    for step, seconds in own.items():
        assert 0 < seconds <= wall[step] + 0.02, (step, seconds, wall[step])


@pytest.fixture(scope="module")
def corpus_and_reference(tmp_path_factory):
    from corpus import generate

    raw = tmp_path_factory.mktemp("scale") / "raw"
    copy_seeds(generate(400, raw, seed=9) and raw)
    ref = raw.parent / "single"
    assert run_pipeline(raw, ref, "--shard-size", "100") == 0
    _check_timings(ref)
    return raw, _tables(ref)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_local_worker_processes_give_the_same_rows(corpus_and_reference, tmp_path):
    raw, reference = corpus_and_reference
    out = tmp_path / "out"
    assert run_pipeline(raw, out, "--shard-size", "100", "--workers", "2") == 0
    _check_timings(out)
    got = _tables(out)
    for t, frame in reference.items():
        assert got[t].equals(frame), t


def test_a_real_dask_cluster_gives_the_same_rows(corpus_and_reference, tmp_path):
    raw, reference = corpus_and_reference
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        from distributed import Client

        deadline = time.time() + 60
        while True:
            try:
                client = Client(address, timeout=2)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        for i in range(2):
            procs.append(subprocess.Popen([str(BIN / "dask"), "worker", address, "--nworkers", "1", "--nthreads", "1",
                                           "--no-dashboard", "--name", f"w{i}"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        client.wait_for_workers(2, timeout=90)
        out = tmp_path / "out"
        assert run_pipeline(raw, out, "--shard-size", "100", "--dask-address", address) == 0
        # the shard tasks really ran on the cluster: the scheduler saw them
        seen = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
        assert any("ingest" in name for name in seen) and any("clean" in name for name in seen), seen
        client.close()
        _check_timings(out)
        got = _tables(out)
        for t, frame in reference.items():
            assert got[t].equals(frame), t
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(p.pid, signal.SIGKILL)
                p.wait()
    assert all(p.poll() is not None for p in procs)
