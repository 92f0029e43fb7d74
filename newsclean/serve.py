"""`newsclean serve`: the pipeline as a Prefect deployment on a schedule, with nothing set up beforehand.

Schedules need a Prefect server (in ephemeral mode `flow.serve` only warns "Cannot schedule flows on an
ephemeral server" and runs nothing). When no PREFECT_API_URL is configured, `serve` starts a local
`prefect server start` on 127.0.0.1 (its database in the state folder), waits until it answers
/api/health, then serves the deployment. On Ctrl-C (or SIGTERM) the deployment stops first, the
server second (stopping the server first makes the runner hang at shutdown). With PREFECT_API_URL set,
the deployment is served to that server and nothing is started.
"""
from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

log = logging.getLogger("newsclean")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class LocalServer:
    """A `prefect server start` subprocess with its home (SQLite database, logs) in `home`."""

    def __init__(self, home: Path, host: str = "127.0.0.1", port: int | None = None):
        self.home, self.host = home, host
        self.port = port or free_port(host)
        self.proc: subprocess.Popen | None = None
        self.log_path = home / "server.log"

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 180.0) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, PREFECT_HOME=str(self.home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
                   DO_NOT_TRACK="1", PREFECT_API_URL="")
        # the scheduler looks for due runs every 60 s by default: short intervals need a shorter loop
        env.setdefault("PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS", "5")
        env.pop("PREFECT_API_URL")
        logf = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", self.host, "--port", str(self.port)],
            stdout=logf, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        (self.home / "server.pid").write_text(str(self.proc.pid))
        (self.home / "server.url").write_text(self.ui_url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the local Prefect server exited with code {self.proc.returncode}; "
                                   f"see {self.log_path}")
            if self.healthy():
                return
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the local Prefect server did not become healthy in {timeout:.0f}s; see {self.log_path}")

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def stop(self, timeout: float = 30.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        except ProcessLookupError:
            pass


def serve(raw: Path, out: Path, config: Path | None, cron: str | None, interval: float | None, state: Path,
          name: str = "newsclean", full: bool = False) -> int:
    """Serve the pipeline on a schedule until interrupted; returns an exit code."""
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        server = LocalServer(state.resolve() / "prefect")
        log.info("starting a local Prefect server on %s (database in %s) ...", server.ui_url, server.home)
        t0 = time.perf_counter()
        server.start()
        log.info("server healthy after %.1fs; UI and runs: %s", time.perf_counter() - t0, server.ui_url)
        os.environ["PREFECT_API_URL"] = server.api_url
        os.environ.setdefault("PREFECT_HOME", str(server.home))
    else:
        log.info("serving to the configured server %s", os.environ["PREFECT_API_URL"])

    def _terminate(signum, frame):  # SIGTERM stops like Ctrl-C: deployment first, then the server
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    try:
        from flows.pipeline import scheduled_flow

        params = {"raw": str(raw.resolve()), "out": str(out.resolve()),
                  "config": str(config.resolve()) if config else None, "full": full}
        schedule = f"cron {cron!r}" if cron else f"every {interval:g}s"
        log.info("deployment %s/%s: %s, raw %s -> out %s", "newsclean-scheduled", name, schedule, params["raw"], params["out"])
        scheduled_flow.serve(name=name, cron=cron, interval=interval, parameters=params, print_starting_message=False)
    except KeyboardInterrupt:
        log.info("stopping: deployment first, then the server")
    finally:
        if server is not None:
            server.stop()
            log.info("local Prefect server stopped")
    return 0
