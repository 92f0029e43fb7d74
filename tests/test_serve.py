"""`newsclean serve` with no server configured: it starts a local Prefect server, runs the pipeline on
its schedule, and on Ctrl-C stops the deployment and then the server."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import REPO, copy_seeds

pytestmark = [pytest.mark.slow, pytest.mark.flow]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_interval_runs_on_schedule_then_stops_cleanly(tmp_path):
    raw = copy_seeds(tmp_path / "raw")
    out, state = tmp_path / "out", tmp_path / "state"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "client-home")
    proc = subprocess.Popen([sys.executable, "-m", "newsclean.cli", "serve", "--interval", "15", "--raw", str(raw),
                             "--out", str(out), "--state", str(state)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    server_pid = None
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not (out / "manifest.json").exists():
            assert proc.poll() is None, proc.stdout.read()
            time.sleep(2)
        assert (out / "manifest.json").exists(), "no scheduled run wrote a dataset within 240 s"
        server_pid = int((state / "prefect" / "server.pid").read_text())
        url = (state / "prefect" / "server.url").read_text()
        assert (state / "prefect" / "prefect.db").exists()  # the server's database is in the state folder
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["counts"]["documents"] == 2
        # the server knows the run: a completed flow run of the served deployment
        for _ in range(30):
            req = urllib.request.Request(f"{url}/api/flow_runs/filter", method="POST",
                                         data=json.dumps({"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}},
                                                          "limit": 10}).encode(),
                                         headers={"Content-Type": "application/json"})
            runs = json.loads(urllib.request.urlopen(req, timeout=10).read())
            if any(r.get("deployment_id") for r in runs):
                break
            time.sleep(2)
        assert any(r.get("deployment_id") for r in runs), runs
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            # Prefect's runner lets a run in progress finish, and may launch one more slot that was due
            # (it returns at once: the stop file); each is a flow-run process, 30-60 s on a loaded
            # two-core CI machine. 90 s was once too short there (2026-12-03, fresh-clone CI).
            code = proc.wait(180)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    log = proc.stdout.read()
    assert code == 0, log
    assert "local Prefect server stopped" in log
    assert "stopping: no new run will start" in log
    assert "newsclean: scheduled run " in log and " documents in " in log  # newsclean's own line per run
    if server_pid:
        for _ in range(20):
            if not _alive(server_pid):
                break
            time.sleep(0.5)
        assert not _alive(server_pid), "the local Prefect server outlived serve"
