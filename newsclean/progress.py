"""Progress of a run as people see it: a bar redrawn in place on a terminal, one log line per
finished shard step elsewhere (files, CI)."""
from __future__ import annotations

import logging
import os
import sys
import time

log = logging.getLogger("newsclean")


class Progress:
    """Shard steps done out of all, with the current step's pages/s and an ETA for the run."""

    def __init__(self, n_shards: int, n_pages: int, steps_per_shard: int = 3, stream=None):
        self.total = n_shards * steps_per_shard
        self.done = 0
        self.n_shards, self.n_pages = n_shards, n_pages
        self.t0 = time.perf_counter()
        self.step_pages = 0
        self.step_t0 = self.t0
        self.stream = stream if stream is not None else sys.stderr
        self.bar = _is_terminal(self.stream) and log.isEnabledFor(logging.INFO)

    def expect(self, total: int) -> None:
        """The number of shard steps, once ingest has cut the shards into parts."""
        self.total = max(total, self.done)

    def start_step(self) -> None:
        self.step_pages, self.step_t0 = 0, time.perf_counter()

    def shard_done(self, summary: dict) -> None:
        self.done += 1
        self.step_pages += summary["pages"]
        now = time.perf_counter()
        rate = self.step_pages / max(now - self.step_t0, 1e-9)
        eta = (now - self.t0) / self.done * (self.total - self.done)
        if self.bar:
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} shard steps · "
                              f"{summary['step']} {rate:,.0f} pages/s · ETA {_fmt_seconds(eta)}   ")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
            return
        log.info("%-7s shard %s · %d/%d steps · %s pages · %s pages/s · ETA %s", summary["step"], summary["shard"],
                 self.done, self.total, f"{summary['pages']:,}", f"{rate:,.0f}", _fmt_seconds(eta))


def _is_terminal(stream) -> bool:
    """A bar only for a person watching: not when output goes to a file or a CI log."""
    if os.environ.get("CI") or os.environ.get("NEWSCLEAN_NO_PROGRESS_BAR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _fmt_seconds(s: float) -> str:
    return f"{s:.0f}s" if s < 90 else f"{s / 60:.0f}m"
