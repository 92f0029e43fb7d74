"""The pipeline's steps called one after another in this process, without Prefect: for evaluation,
benchmarks of the steps' own cost, and notebooks. Same functions, same work folder, same rows as a
`newsclean run`; no orchestration, no retries, no parallel shards."""
from __future__ import annotations

import shutil

import polars as pl

from . import dataset as D
from . import steps
from .config import Config
from .output import write_output


def run_steps(cfg: Config, write: bool = False) -> pl.DataFrame | dict:
    """Run plan, ingest, count, clean and detect on cfg.raw. Without `write`: the documents rows
    (this run's, before duplicate marks), and nothing is left on disk. With `write`: dedup and write
    too, the output swapped into cfg.out, and the manifest's summary returned."""
    plan = steps.plan(cfg)["plan"]
    work = plan.work
    try:
        parts = [p for i in range(plan.n_shards) for p in steps.ingest_shard(i, cfg, work)["parts"]]
        steps.count_lines(cfg, work)
        for part in parts:
            steps.clean_shard(part, cfg, work)
        for part in parts:
            steps.detect_shard(part, cfg, work, plan.run)
        if not write:
            files = work.all_final("documents")
            return pl.concat([pl.read_parquet(f) for f in files]) if files else pl.DataFrame()
        steps.deduplicate(cfg, work)
        manifest = write_output(cfg, work, plan.run, {}, {})
        D.swap_into_place(plan.staged, cfg.out, plan.run["run_id"])
        return manifest
    finally:
        shutil.rmtree(plan.staged, ignore_errors=True)  # gone already after a swap
