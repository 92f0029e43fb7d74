"""Profile a real `newsclean run` with py-spy (sampling: no instrumentation overhead, every thread and
subprocess, Prefect's server included) and print where the time goes.

    .venv/bin/python benchmarks/profile_run.py [--pages 10000] [--real N] [--rate 50] [--workers 1]

Runs `newsclean run --full` on benchmarks/corpora/N (generated when missing; with `--real N`, the
real-page corpus of N pages, `benchmarks/realcorpus.py`, as `make bench` builds it) under
`py-spy record --subprocesses --format raw`, keeps the raw samples in benchmarks/profiles/ (git-ignored;
open them with flamegraph.pl or speedscope) and prints three tables:
- samples per process (the pipeline, Prefect's local API server, worker processes);
- inclusive samples per pipeline step function (`newsclean/steps.py`) and per transform function;
- self samples by the innermost frame of this project's code (time spent in polars, numpy or the
  standard library counts towards the project function that called it): the list to optimise from.
A sample is 1/rate s of one process that was running; threads running at the same time (the thread
pool runs two shards at once) each add a sample, so shares are of CPU time, not of wall time.
"""
from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import generate  # noqa: E402
from run_all import real_corpus, warm  # noqa: E402

_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
OURS = ("transforms/", "newsclean/", "flows/")
# the functions flows/pipeline.py wraps as tasks, by step
STEP_FUNCTIONS = {"plan": "plan", "ingest_shard": "ingest", "count_lines": "count", "clean_shard": "clean",
                  "detect_shard": "detect", "deduplicate": "dedup", "write_output": "write"}


# Innermost frames that are a thread blocked, not working: py-spy's idle detection (the thread's OS
# state) still reports some of them, e.g. the API server's event loop in epoll between requests, the
# flow waiting for its shard futures. They would otherwise rank first.
WAITS = {("select", "selectors.py"), ("wait", "threading.py"), ("_wait_for_tstate_lock", "threading.py"),
         ("get", "queue.py"), ("wait", "concurrent/futures/_base.py"), ("_worker", "concurrent/futures/thread.py")}


def is_wait(frames: list[tuple[str, str]]) -> bool:
    if not frames:
        return False
    func, file = frames[-1]
    func = func.rsplit(".", 1)[-1]  # py-spy names methods Class.method
    return any(func == f and (file == w or file.endswith("/" + w)) for f, w in WAITS)


def parse_raw(path: Path) -> list[tuple[str, list[tuple[str, str]], int]]:
    """py-spy raw (collapsed) stacks: (process, [(function, file), ...] outermost first, samples)."""
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        process = ""
        while frames and frames[0].startswith("process "):  # parent;child;... for subprocesses
            process = frames.pop(0)
        parsed = []
        for f in frames:
            m = _FRAME.match(f)
            parsed.append((m["func"], m["file"]) if m else (f, ""))
        out.append((process, parsed, int(count)))
    return out


def _process_name(process: str) -> str:
    if "uvicorn" in process or "prefect server" in process:
        return "Prefect API server"
    if "multiprocessing" in process or "spawn_main" in process or "loky" in process:
        return "worker process"
    if "newsclean" in process or process.endswith(':""'):
        return "newsclean run (client, flow and tasks)"
    return process[:60]


def summarise(samples: list[tuple[str, list[tuple[str, str]], int]], top: int = 25) -> str:
    waiting = sum(n for _, frames, n in samples if is_wait(frames))
    samples = [s for s in samples if not is_wait(s[1])]
    total = sum(n for _, _, n in samples) or 1
    procs: collections.Counter = collections.Counter()
    steps: collections.Counter = collections.Counter()
    funcs: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    for process, frames, n in samples:
        procs[_process_name(process)] += n
        seen = set()
        for func, file in frames:
            key = f"{file.split('site-packages/')[-1]}:{func}"
            if key in seen:
                continue
            seen.add(key)
            if func in STEP_FUNCTIONS and any(file.endswith(f) for f in ("newsclean/steps.py", "newsclean/output.py")):
                steps[STEP_FUNCTIONS[func]] += n
            elif file.startswith("transforms/") or "/transforms/" in file:
                funcs[key] += n
        mine = [(func, file) for func, file in frames if any(o in file for o in OURS)]
        if mine:
            func, file = mine[-1]
            own[f"{file.split('/')[-1]}:{func}"] += n
        else:
            leaf = frames[-1][1].split("site-packages/")[-1] if frames else "?"
            own[f"(outside the project: {leaf.split('/')[0]})"] += n

    def table(title: str, counts: collections.Counter, limit: int) -> list[str]:
        rows = [f"\n{title}", "| samples | share | where |", "|---:|---:|---|"]
        rows += [f"| {v} | {v / total:.1%} | `{k}` |" for k, v in counts.most_common(limit)]
        return rows

    lines = [f"{total} samples ({waiting} more were threads blocked in a wait: left out)"]
    lines += table("per process", procs, 10)
    lines += table("per pipeline step (inclusive)", steps, 10)
    lines += table("per transform function (inclusive)", funcs, top)
    lines += table("innermost project frame (self, with the libraries it calls)", own, top)
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--rate", type=int, default=50, help="samples per second")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--real", type=int, default=None, help="profile the real-page corpus of this many pages instead")
    ap.add_argument("--corpora", type=Path, default=ROOT / "benchmarks" / "corpora")
    ap.add_argument("--keep", type=Path, default=ROOT / "benchmarks" / "profiles")
    args = ap.parse_args()
    spy = shutil.which("py-spy", path=str(BIN)) or shutil.which("py-spy")
    if not spy:
        sys.exit("py-spy is not installed: `make bench` installs benchmarks/requirements.txt")
    if args.real:
        raw, _ = real_corpus(args.real, args.corpora)
    else:
        raw = args.corpora / str(args.pages)
        if not raw.is_dir():
            generate(args.pages, raw, seed=1)
    args.keep.mkdir(parents=True, exist_ok=True)
    record = args.keep / f"run-{raw.name}-w{args.workers}.txt"
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PREFECT_HOME=os.environ.get("PREFECT_HOME", str(Path(tmp) / "prefect")))
        # as on an operator's machine: Prefect's database exists (its creation, once per machine, is
        # not what we profile) and the pages were just written (in the page cache)
        (Path(tmp) / "empty").mkdir()
        subprocess.run([str(BIN / "newsclean"), "run", "--raw", str(Path(tmp) / "empty"), "--out",
                        str(Path(tmp) / "warm-out"), "--quiet"], capture_output=True, env=env, check=True)
        warm(raw)
        cmd = [spy, "record", "--subprocesses", "--format", "raw", "--rate", str(args.rate), "-o", str(record),
               "--", str(BIN / "newsclean"), "run", "--raw", str(raw), "--out", str(Path(tmp) / "out"), "--full",
               "--quiet", "--workers", str(args.workers)]
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if done.returncode != 0 or not record.exists():
            sys.exit(f"profiling failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    print(f"raw samples: {record}")
    print(summarise(parse_raw(record)))


if __name__ == "__main__":
    main()
