"""The newsclean flow: plan -> ingest -> count repetition -> clean -> detect language -> dedup -> write.

Orchestration only: which step runs when, on which shards, and how long each took. Each task is one
step over one shard of documents (cfg.shard_size pages or cfg.shard_bytes bytes) or one reduction
over all of them; it takes paths and returns a small summary. The work itself lives in
`newsclean.steps` and `newsclean.output`, the layout of the files they share in `newsclean.layout`.
"""
from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed

from newsclean import dataset as D
from newsclean import steps
from newsclean.config import Config
from newsclean.output import write_output
from newsclean.progress import Progress
from newsclean.sources import source_for
from newsclean.summary import summary_markdown

log = logging.getLogger("newsclean")

# Retries are for transient I/O (a network filesystem hiccup); deterministic page failures are
# quarantined inside the steps and never raise.
TASK_OPTS = dict(cache_policy=NO_CACHE, persist_result=False, retries=2, retry_delay_seconds=2)

plan_task = task(steps.plan, name="plan", **TASK_OPTS)
ingest_task = task(steps.ingest_shard, name="ingest", **TASK_OPTS)
count_task = task(steps.count_lines, name="count-repetition", **TASK_OPTS)
clean_task = task(steps.clean_shard, name="clean", **TASK_OPTS)
detect_task = task(steps.detect_shard, name="detect-language", **TASK_OPTS)
dedup_task = task(steps.deduplicate, name="deduplicate", **TASK_OPTS)
write_task = task(write_output, name="write", **TASK_OPTS)
swap_task = task(D.swap_into_place, name="swap-into-place", cache_policy=NO_CACHE, persist_result=False)


class Clock:
    """Each step's wall time as the flow sees it, and the spans its functions ran (their own work)."""

    def __init__(self):
        self.wall: dict[str, float] = {}
        self.spans: dict[str, list] = {}

    def each_shard(self, step: str, submit, shards, progress: Progress) -> list[dict]:
        """Submit a step's shard tasks (`submit(shard)` returns a future) and collect their summaries as
        they finish: shards of one step run concurrently, and the step's wall time starts before the
        first submission (a cluster starts a task as soon as it is submitted)."""
        progress.start_step()
        out = []
        for fut in as_completed([submit(i) for i in shards]):
            summary = fut.result()
            progress.shard_done(summary)
            out.append(summary)
        self._record(step, progress.step_t0, out)
        return sorted(out, key=lambda s: str(s.get("shard", "")))

    def once(self, step: str, call) -> dict:
        """A step that runs once (a reduction over all shards): `call()` returns its summary."""
        t0 = time.perf_counter()
        summary = call()
        self._record(step, t0, [summary])
        return summary

    def _record(self, step: str, t0: float, summaries: list[dict]) -> None:
        self.wall[step] = round(time.perf_counter() - t0, 3)
        self.spans[step] = [s["span"] for s in summaries]

    def own_work(self) -> dict[str, float]:
        return {step: round(steps.work_seconds(spans), 3) for step, spans in self.spans.items()}


@flow(name="newsclean", log_prints=False, validate_parameters=False)
def newsclean_flow(cfg: Config) -> dict:
    """Run the whole pipeline from cfg.raw into cfg.out; returns the run's summary (run_id, counts,
    step_seconds, step_work_seconds, wall_seconds, orchestration_seconds = the flow's wall time minus
    the steps' own work, pages_read: small, as Prefect walks a flow's return value).

    Incremental unless cfg.full: raw files the output already holds (same path, same sha256) are
    only hashed, and their rows carried over; see newsclean.state."""
    t0 = time.perf_counter()
    clock = Clock()
    plan = clock.once("plan", lambda: plan_task(cfg))["plan"]  # in the flow's process: it names the run
    _announce(plan, cfg)
    progress, work = Progress(plan.n_shards, plan.n_readable), plan.work
    try:
        shards = range(plan.n_shards)
        ingested = clock.each_shard("ingest", lambda i: ingest_task.submit(i, cfg, work), shards, progress)
        parts = [p for s in ingested for p in s["parts"]]  # ingest cuts big shards into parts
        progress.expect(len(ingested) + 2 * len(parts))
        clock.once("count", lambda: count_task.submit(cfg, work).result())
        clock.each_shard("clean", lambda p: clean_task.submit(p, cfg, work), parts, progress)
        clock.each_shard("detect", lambda p: detect_task.submit(p, cfg, work, plan.run), parts, progress)
        clock.once("dedup", lambda: dedup_task.submit(cfg, work).result())
        manifest = write_task.submit(cfg, work, plan.run, clock.wall, clock.own_work()).result()
        swap_task(plan.staged, cfg.out, plan.run["run_id"])  # in the flow's process, beside the output
    except BaseException:
        shutil.rmtree(plan.staged, ignore_errors=True)  # the previous output was never touched
        raise
    manifest["wall_seconds"] = round(time.perf_counter() - t0, 3)
    manifest["orchestration_seconds"] = round(manifest["wall_seconds"] - sum(manifest["step_work_seconds"].values()), 3)
    manifest["pages_read"] = sum(s["pages"] for s in ingested)
    manifest["shards"] = {"shards": plan.n_shards, "parts": len(parts), "workers": cfg.workers}
    _publish_summary(manifest)
    return manifest


def _announce(plan: steps.RunPlan, cfg: Config) -> None:
    for note in plan.recovered:
        log.warning("recovered: %s", note)
    log.info("run %s: %d files under %s, %d shard(s) of up to %d pages / %.0f MB; %s", plan.run["run_id"],
             plan.n_found, cfg.raw, plan.n_shards, cfg.shard_size, cfg.shard_bytes / 2**20, plan.mode)


def _publish_summary(manifest: dict) -> None:
    """The run's summary as a Prefect markdown artifact (the same numbers are in manifest.json)."""
    from prefect.artifacts import create_markdown_artifact

    try:
        create_markdown_artifact(key="newsclean-run-summary", markdown=summary_markdown(manifest),
                                 description=f"newsclean run {manifest['run_id']}")
    except Exception as exc:  # noqa: BLE001 - a summary that cannot be stored must not fail the run
        log.warning("could not store the run summary artifact: %s", exc)


def task_runner(cfg: Config):
    """Where shard tasks run: threads in this process, N local worker processes, or a Dask cluster.
    Cross-page repetition stays correct everywhere: counting is its own reduction step between
    ingest and clean, and every step reads and writes shard files in the run's staging folder."""
    if cfg.dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=cfg.dask_address)
    if cfg.workers > 1:
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=cfg.workers)
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=2)


def run_flow(cfg: Config) -> dict:
    """Run the flow with the task runner the configuration asks for."""
    return newsclean_flow.with_options(task_runner=task_runner(cfg))(cfg)


@flow(name="newsclean-scheduled", log_prints=False)
def scheduled_flow(raw: str = "raw", out: str = "output", config: str | None = None, full: bool = False,
                   stop_file: str | None = None) -> dict:
    """What `newsclean serve` runs on its schedule: an incremental run of the pipeline (the output's
    lock keeps a slow run and the next scheduled one from writing at the same time). A run that
    starts after serve was told to stop (`stop_file` exists) does nothing: Prefect's runner may
    still launch a slot that was due, but no pipeline work starts after Ctrl-C."""
    from newsclean.config import load_config

    if stop_file and Path(stop_file).exists():
        print("newsclean: scheduled run skipped: serve is stopping", flush=True)
        return {"skipped": "serve is stopping"}
    cfg = load_config(Path(config) if config else None, raw=Path(raw), out=Path(out), full=full or None)
    source_for(cfg.raw).check()
    with D.output_lock(cfg.out):
        manifest = newsclean_flow.with_options(task_runner=task_runner(cfg))(cfg)
    r = manifest["counts"]["this_run"]
    print(f"newsclean: scheduled run {manifest['run_id']}: {r['new']} new, {r['changed']} changed, "
          f"{r['unchanged']} unchanged, {r['gone']} gone, {r['quarantined']} quarantined; "
          f"{manifest['counts']['documents']} documents in {cfg.out}", flush=True)
    return {"run_id": manifest["run_id"], "this_run": r, "documents": manifest["counts"]["documents"]}
