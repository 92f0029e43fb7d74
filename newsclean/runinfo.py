"""Run identity: id, version and time, derived once per run (injectable for reproducible bytes)."""
from __future__ import annotations

import datetime as dt
import hashlib
import os

from . import __version__


def run_info(input_digest: str, now: dt.datetime | None = None) -> dict:
    """`SOURCE_DATE_EPOCH` (the reproducible-builds convention) fixes the run time when set."""
    if now is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        now = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    now = now.astimezone(dt.timezone.utc).replace(microsecond=0)
    tag = hashlib.sha256(f"{input_digest}{__version__}".encode()).hexdigest()[:8]
    return {
        "run_id": f"{now:%Y%m%dT%H%M%SZ}-{tag}",
        "pipeline_version": __version__,
        "processed_at": now,
    }
