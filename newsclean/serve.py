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
import time
from pathlib import Path

from .localserver import LocalServer

log = logging.getLogger("newsclean")


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

    stop_file = state.resolve() / "stopping"
    stop_file.parent.mkdir(parents=True, exist_ok=True)
    stop_file.unlink(missing_ok=True)

    def _interrupt(signum, frame):
        """Ctrl-C or SIGTERM: from this moment no scheduled run does any work (Prefect's runner may
        still launch a slot that was due while it shuts down); then stop as Ctrl-C does."""
        if not stop_file.exists():
            stop_file.touch()
            log.warning("stopping: no new run will start; waiting for Prefect's runner to pause the deployment "
                        "(a run in progress finishes first), then stopping the server")
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        from flows.pipeline import scheduled_flow

        params = {"raw": str(raw.resolve()), "out": str(out.resolve()),
                  "config": str(config.resolve()) if config else None, "full": full, "stop_file": str(stop_file)}
        schedule = f"cron {cron!r}" if cron else f"every {interval:g}s"
        log.info("deployment %s/%s: %s, raw %s -> out %s", "newsclean-scheduled", name, schedule, params["raw"],
                 params["out"])
        scheduled_flow.serve(name=name, cron=cron, interval=interval, parameters=params, print_starting_message=False)
    except KeyboardInterrupt:
        pass  # Prefect's runner usually handles it and returns; either way the server stops below
    finally:
        if server is not None:
            stop_file.touch()
            t0 = time.perf_counter()
            server.stop()
            log.warning("local Prefect server stopped (%.1fs)", time.perf_counter() - t0)
    return 0
