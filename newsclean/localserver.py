"""Local Prefect API servers started as subprocesses, without importing Prefect in this process.

Two kinds:
- `LocalServer` (`prefect server start`): the full server with its scheduler, for `newsclean serve`
  (schedules need one).
- `EarlyAPI`: the same temporary API Prefect's ephemeral mode starts (uvicorn, the server app in
  ephemeral mode, its SQLite database in $PREFECT_HOME), but launched the moment `newsclean run`
  starts. Prefect's own ephemeral start first imports the whole server package in the client
  process (≈2.5 s) and only then launches the subprocess (≈4.5 s until healthy), one after the
  other; launched early, the server boots on one core while this process imports Prefect, polars
  and the transforms, lists the raw files and reads the previous run on the other. The client then
  sees PREFECT_API_URL and never imports the server. Stopped when the run ends, like Prefect's.
"""
from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from newsclean import prefect_settings


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM when the run's process dies, even by kill -9 (no orphan)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class _Subprocess:
    """An API server subprocess on host:port, its own process group, polled on /api/health."""

    what = "the local Prefect server"

    def __init__(self, host: str = "127.0.0.1", port: int | None = None):
        self.host = host
        self.port = port or free_port(host)
        self.proc: subprocess.Popen | None = None

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def wait_healthy(self, timeout: float, poll: float, hint: str = "") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                code = None if self.proc is None else self.proc.returncode
                raise RuntimeError(f"{self.what} exited with code {code} before answering{hint}")
            if self.healthy():
                return
            time.sleep(poll)
        self.stop()
        raise RuntimeError(f"{self.what} did not become healthy in {timeout:.0f}s{hint}")

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


class LocalServer(_Subprocess):
    """A `prefect server start` subprocess with its home (SQLite database, logs) in `home`."""

    def __init__(self, home: Path, host: str = "127.0.0.1", port: int | None = None):
        super().__init__(host, port)
        self.home = home
        self.log_path = home / "server.log"

    def start(self, timeout: float = 180.0) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, PREFECT_HOME=str(self.home), **prefect_settings.PRIVATE)
        # the scheduler looks for due runs every 60 s by default: short intervals need a shorter loop
        env.setdefault("PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS", "5")
        env.pop("PREFECT_API_URL", None)
        with open(self.log_path, "ab") as logf:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "prefect", "server", "start", "--host", self.host, "--port", str(self.port)],
                stdout=logf, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        (self.home / "server.pid").write_text(str(self.proc.pid))
        (self.home / "server.url").write_text(self.ui_url)
        self.wait_healthy(timeout, 0.5, f"; see {self.log_path}")


class EarlyAPI(_Subprocess):
    """Prefect's temporary (ephemeral) API server, launched before Prefect is imported."""

    what = "Prefect's temporary local API server"
    _shared: "EarlyAPI | None" = None

    def __init__(self, host: str = "127.0.0.1", port: int | None = None, home: Path | None = None):
        super().__init__(host, port)
        self.home = home  # its database's folder; None: this process's PREFECT_HOME

    @classmethod
    def shared(cls) -> "EarlyAPI":
        """This process's server, launched on first use and stopped at exit (as Prefect's own
        ephemeral server is): several runs in one process (tests, notebooks) share it."""
        if cls._shared is None or cls._shared.proc is None or cls._shared.proc.poll() is not None:
            import atexit

            cls._shared = cls().launch()
            atexit.register(cls._shared.stop)
        return cls._shared

    def launch(self) -> "EarlyAPI":
        spec = importlib.util.find_spec("prefect")
        app_dir = Path(spec.origin).parent.parent  # what Prefect passes as --app-dir
        env = dict(os.environ, PREFECT_UI_ENABLED="0", PREFECT__SERVER_EPHEMERAL="1", PREFECT__SERVER_FINAL="1")
        env.pop("PREFECT_API_URL", None)
        if self.home is not None:
            env["PREFECT_HOME"] = str(self.home)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(app_dir), "--factory",
             "prefect.server.api.server:create_app", "--host", self.host, "--port", str(self.port),
             "--log-level", "error", "--lifespan", "on"],
            env=env, stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_die_with_parent)
        return self

    def ready(self, timeout: float) -> None:
        """Wait until the server answers; one relaunch on another port if it lost the port race."""
        try:
            self.wait_healthy(timeout, 0.05)
        except RuntimeError:
            if self.proc is None or self.proc.poll() is None:
                raise
            self.port = free_port(self.host)
            self.launch().wait_healthy(timeout, 0.05)
