"""The newsclean flow: ingest -> count repetition -> clean -> detect language -> write.

Orchestration only. Each task is one step over one shard of documents (cfg.shard_size pages or
cfg.shard_bytes bytes) and
takes paths, returning a small summary; the work itself lives in `newsclean.steps`.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
import time
from pathlib import Path

import polars as pl
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed

from newsclean import dataset as D
from newsclean import state, steps
from newsclean.config import Config
from newsclean.output import write_output
from newsclean.rawfiles import STATUS_SCHEMA, discover, plan_shards
from newsclean.runinfo import run_info

log = logging.getLogger("newsclean")

# Retries are for transient I/O (a network filesystem hiccup); deterministic page failures are
# quarantined inside the steps and never raise.
TASK_OPTS = dict(cache_policy=NO_CACHE, persist_result=False, retries=2, retry_delay_seconds=2)

ingest_task = task(steps.ingest_shard, name="ingest", **TASK_OPTS)
count_task = task(steps.count_lines, name="count-repetition", **TASK_OPTS)
clean_task = task(steps.clean_shard, name="clean", **TASK_OPTS)
detect_task = task(steps.detect_shard, name="detect-language", **TASK_OPTS)
dedup_task = task(steps.deduplicate, name="deduplicate", **TASK_OPTS)
write_task = task(write_output, name="write", **TASK_OPTS)


class Progress:
    """Progress of a run: a bar redrawn in place on a terminal; one log line per finished shard step
    elsewhere (files, CI), with the step's pages/s so far and an ETA for the run."""

    def __init__(self, n_shards: int, n_pages: int, steps_per_shard: int = 3, stream=None):
        self.total = n_shards * steps_per_shard
        self.done = 0
        self.n_shards, self.n_pages = n_shards, n_pages
        self.t0 = time.perf_counter()
        self.step_pages = 0
        self.step_t0 = self.t0
        self.stream = stream if stream is not None else sys.stderr
        self.bar = _is_terminal(self.stream) and log.isEnabledFor(logging.INFO)

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
        log.info("%-7s shard %d/%d · %s pages · %s pages/s · ETA %s", summary["step"], summary["shard"] + 1,
                 self.n_shards, f"{summary['pages']:,}", f"{rate:,.0f}", _fmt_seconds(eta))


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


def _wait(futures, progress: Progress, timings: dict, step: str) -> list[dict]:
    """Collect a step's shard summaries as they finish; the step's time is its wall time (shards
    of one step run concurrently, so their own times overlap)."""
    out = []
    for fut in as_completed(futures):
        summary = fut.result()
        progress.shard_done(summary)
        out.append(summary)
    timings[step] = time.perf_counter() - progress.step_t0
    return sorted(out, key=lambda s: s.get("shard", 0))


@flow(name="newsclean", log_prints=False, validate_parameters=False)
def newsclean_flow(cfg: Config) -> dict:
    """Run the whole pipeline from cfg.raw into cfg.out; returns the run's summary (run_id, counts,
    step_seconds, step_work_seconds, wall_seconds, orchestration_seconds = the flow's wall time minus
    the steps' own work, pages_read: small, as Prefect walks a flow's return value).

    Incremental unless cfg.full: raw files the output already holds (same path, same sha256) are
    only hashed, and their rows carried over; see newsclean.state."""
    t0 = time.perf_counter()
    for note in D.recover(cfg.out):
        log.warning("recovered: %s", note)
    prev = state.load_previous(cfg)
    found = discover(cfg.raw, cfg.skip_hidden)
    readable = [f.rel_path for f in found if f.problem is None]
    # the run id's tag: what was read, where it goes and what it builds on (two runs in one second
    # differ by their output or their previous run)
    digest = hashlib.sha256("\n".join([str(cfg.out.resolve()), prev.run_id or "", *readable]).encode()).hexdigest()
    run = run_info(digest)
    staged = D.staging_dir(cfg.out, run["run_id"])
    work = staged / "_work"
    work.mkdir(parents=True, exist_ok=True)
    shards = plan_shards(cfg.raw, readable, cfg.shard_size, cfg.shard_bytes)
    mode = f"incremental over {prev.run_id}" if prev.incremental else f"full ({prev.rebuild_reason})"
    log.info("run %s: %d files under %s, %d shard(s) of up to %d pages / %.0f MB; %s", run["run_id"], len(found),
             cfg.raw, len(shards), cfg.shard_size, cfg.shard_bytes / 2**20, mode)
    progress = Progress(len(shards), len(readable), steps_per_shard=3)
    timings: dict[str, float] = {}
    known = prev.known()

    try:
        progress.start_step()
        ingested = _wait([ingest_task.submit(i, paths, cfg, work, {p: known[p] for p in paths if p in known})
                          for i, paths in enumerate(shards)], progress, timings, "ingest")
        status = pl.concat([pl.read_parquet(f) for f in sorted((work / "status").glob("*.parquet"))]) if shards else \
            pl.DataFrame(schema=STATUS_SCHEMA)
        carry = state.carry_plan(prev, {f.rel_path for f in found}, status)
        D.write_json(work / "carry.json", carry)
        t_count = time.perf_counter()
        counted = count_task.submit(cfg, work).result()
        timings["count"] = time.perf_counter() - t_count
        progress.start_step()
        cleaned = _wait([clean_task.submit(i, cfg, work) for i in range(len(shards))], progress, timings, "clean")
        progress.start_step()
        detected = _wait([detect_task.submit(i, cfg, work, run) for i in range(len(shards))], progress, timings, "detect")
        t_dedup = time.perf_counter()
        deduped = dedup_task.submit(cfg, work).result()
        timings["dedup"] = time.perf_counter() - t_dedup
        timings = {k: round(v, 3) for k, v in timings.items()}
        # the steps' own work: time some step function was running, without Prefect's share
        own = {step: round(steps.work_seconds([s["span"] for s in summaries]), 3) for step, summaries in
               (("ingest", ingested), ("count", [counted]), ("clean", cleaned), ("detect", detected), ("dedup", [deduped]))}
        this_run = _this_run(prev, found, status, carry)
        steps.save_inputs(work, found, prev.inputs)
        manifest = write_task.submit(staged, work, cfg, run, timings, this_run, own).result()
        D.swap_into_place(staged, cfg.out, run["run_id"])
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)  # the previous output was never touched
        raise
    manifest["wall_seconds"] = round(time.perf_counter() - t0, 3)
    manifest["orchestration_seconds"] = round(manifest["wall_seconds"] - sum(manifest["step_work_seconds"].values()), 3)
    manifest["pages_read"] = sum(s["pages"] for s in ingested)
    _publish_summary(manifest)
    return manifest


def _this_run(prev: state.Previous, found: list, status: pl.DataFrame, carry: dict) -> dict:
    by = dict(status.group_by("status").len().iter_rows()) if status.height else {}
    return {"mode": "incremental" if prev.incremental else "full", "rebuild_reason": prev.rebuild_reason,
            "previous_run_id": prev.run_id, "inputs_seen": len(found), "new": int(by.get("new", 0)),
            "changed": int(by.get("changed", 0)), "unchanged": int(by.get("unchanged", 0)),
            "unreadable": int(by.get("failed", 0)), "gone": len(carry["gone"]),
            "documents_carried": len(carry["doc_ids"])}


def _publish_summary(manifest: dict) -> None:
    """The run's summary as a Prefect markdown artifact (the same numbers are in manifest.json)."""
    from prefect.artifacts import create_markdown_artifact

    try:
        create_markdown_artifact(key="newsclean-run-summary", markdown=summary_markdown(manifest),
                                 description=f"newsclean run {manifest['run_id']}")
    except Exception as exc:  # noqa: BLE001 - a summary that cannot be stored must not fail the run
        log.warning("could not store the run summary artifact: %s", exc)


def summary_markdown(manifest: dict) -> str:
    """Markdown tables: this run's inputs, the dataset's documents and passages by language, and
    removed lines by reason."""
    c, r = manifest["counts"], manifest["counts"]["this_run"]
    rows = [f"# newsclean run `{manifest['run_id']}` ({r['mode']})", "",
            "| inputs seen | new | changed | unchanged | gone | quarantined | documents carried |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {r['inputs_seen']} | {r['new']} | {r['changed']} | {r['unchanged']} | {r['gone']} | "
            f"{r['quarantined']} | {r['documents_carried']} |", "",
            "| language | documents | passages |", "|---|---:|---:|"]
    langs = sorted(set(c["documents_by_language"]) | set(c["passages_by_language"]))
    rows += [f"| {lang} | {c['documents_by_language'].get(lang, 0)} | {c['passages_by_language'].get(lang, 0)} |"
             for lang in langs]
    rows += [f"| **all** | {c['documents']} | {c['passages']} |", "", "| removed because | lines |", "|---|---:|"]
    rows += [f"| {k} | {v} |" for k, v in sorted(c["removed_by_reason"].items(), key=lambda kv: -kv[1])]
    rows += ["", f"Duplicates marked: {c['duplicates']} ({', '.join(f'{k} {v}' for k, v in c['duplicates_by_kind'].items()) or 'none'})."]
    return "\n".join(rows) + "\n"


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
def scheduled_flow(raw: str = "raw", out: str = "output", config: str | None = None, full: bool = False) -> dict:
    """What `newsclean serve` runs on its schedule: an incremental run of the pipeline (the output's
    lock keeps a slow run and the next scheduled one from writing at the same time)."""
    from newsclean.config import load_config

    cfg = load_config(Path(config) if config else None, raw=Path(raw), out=Path(out), full=full or None)
    if not cfg.raw.is_dir():
        raise ValueError(f"raw folder {cfg.raw} does not exist or is not a folder")
    with D.output_lock(cfg.out):
        manifest = newsclean_flow.with_options(task_runner=task_runner(cfg))(cfg)
    return {"run_id": manifest["run_id"], "this_run": manifest["counts"]["this_run"],
            "documents": manifest["counts"]["documents"]}
