"""End-to-end benchmark: `newsclean run` on generated and real-page corpora of several sizes, against peers.

    .venv/bin/python benchmarks/run_all.py [--sizes 1000 10000 100000] [--workers 2] [--peers-max 10000]

For each size: generate the corpus once (benchmarks/corpora/N, deterministic), time `newsclean run`
end to end in a subprocess, sample the peak resident memory of its whole process tree (the pipeline,
Prefect's local server, worker processes), read each step's own work (the time its functions ran)
from the run's manifest and split the rest of the wall time in two: orchestration = the flow's wall
time minus the steps' own work (issue 5's definition: task submission and state, discovery, the
swap), and start-up = the process's wall time minus the flow's (Python and Prefect imports, the
temporary Prefect API, shut-down). Empty runs come first: the first creates Prefect's database
in a fresh PREFECT_HOME (once per machine), the second is the fixed cost of any run, and three more
run against a `prefect server start` the benchmark starts (the scheduled case: no temporary API).

Every contender starts with the corpus in the page cache: it is read once just before each timed run
(the read time is reported). Without that the comparison measures the disk: this VM pages out file
cache idle for 60 s (a DAMON `pageout` scheme), and reading the 100,000 files took 30-150 s cold and
4.6 s hot, so whoever ran after a long peer paid the disk.

Then, on the same corpus, the peers: (a) seeded langdetect on every line to Parquet, (b) the
like-for-like datatrove pipeline the project's owners wrote (`../shared/tools/peer_datatrove_full.py`:
reader -> Gopher repetition and quality -> C4 line filter -> FineWeb quality -> fastText language
filter -> 4-stage MinHash dedup -> Parquet + JSONL), with as many workers as newsclean. Appends a
table to benchmarks/RESULTS.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import generate  # noqa: E402


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run a command; wall seconds and peak RSS (bytes) of its process tree, sampled every 50 ms."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        root = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                procs = [root] + root.children(recursive=True)
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, err = proc.communicate()
    stop.set()
    t.join()
    wall = time.perf_counter() - t0
    return wall, peak, subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def warm(raw: Path) -> float:
    """Read every file of the corpus once (into the page cache); returns the seconds it took."""
    t0 = time.perf_counter()
    for folder, _, names in os.walk(raw):
        for name in names:
            with open(os.path.join(folder, name), "rb") as fh:
                while fh.read(1 << 20):
                    pass
    return time.perf_counter() - t0


def real_corpus(n: int, base: Path) -> tuple[Path, dict]:
    """Real pages (benchmarks/realcorpus.py): real-dev as it is, or scaled from it."""
    from realcorpus import build

    path = base / f"real-{n}"
    meta = base / f"real-{n}.json"
    if not meta.exists():
        build(n, path)
    return path, json.loads(meta.read_text())


def corpus(n: int, base: Path) -> tuple[Path, dict]:
    path = base / f"{n}"
    meta = base / f"{n}.duplicates.json"
    if not meta.exists():
        shutil.rmtree(path, ignore_errors=True)
        generate(n, path, seed=1)
    return path, json.loads(meta.read_text())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000], help="generated corpora")
    ap.add_argument("--real", type=int, nargs="*", default=[2870, 20000],
                    help="real-page corpora: real-dev (2870) and corpora scaled from it (benchmarks/realcorpus.py); "
                         "skipped when ../shared/data/real-dev is not there")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--peers-max", type=int, default=10000, help="run the peers on corpora up to this size")
    ap.add_argument("--peers", nargs="*", default=["langdetect script", "datatrove"],
                    help="which peers to run (e.g. only \"datatrove\" for a second worker count)")
    ap.add_argument("--corpora", type=Path, default=ROOT / "benchmarks" / "corpora")
    ap.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    a = ap.parse_args()
    rows, peers = [], [p for p in _peers() if p[0] in a.peers]
    scratch = Path(tempfile.mkdtemp(prefix="newsclean-bench-"))
    env = dict(os.environ, PREFECT_HOME=str(scratch / "prefect"))
    env.pop("PREFECT_LOGGING_LEVEL", None)
    empty = scratch / "empty"
    empty.mkdir()
    fixed = []
    for i in range(2):
        w, _, res = timed([str(BIN / "newsclean"), "run", "--raw", str(empty), "--out", str(scratch / f"empty-out-{i}"),
                           "--quiet"], env)
        if res.returncode:
            sys.exit(f"newsclean failed on an empty folder: {res.stderr[-2000:]}")
        fixed.append(w)
    served = with_running_server(env, empty, scratch)
    fixed.append(served)
    print(f"empty folder: first run {fixed[0]:.1f}s (creates Prefect's database), then {fixed[1]:.1f}s; against a "
          f"running Prefect server {', '.join(f'{w:.1f}' for w in served) or 'not measured'} s", flush=True)
    from realcorpus import REAL_DEV

    jobs = [("generated", n) for n in a.sizes] + [("real", n) for n in (a.real if REAL_DEV.is_dir() else [])]
    for kind, n in jobs:
        raw, meta = corpus(n, a.corpora) if kind == "generated" else real_corpus(n, a.corpora)
        mb = meta["bytes"] / 1e6
        out = scratch / f"out-{n}"
        cmd = [str(BIN / "newsclean"), "run", "--raw", str(raw), "--out", str(out), "--quiet", "--workers",
               str(a.workers)]
        first_read = warm(raw)
        wall, rss, res = timed(cmd + ["--full"], env)
        if res.returncode:
            sys.exit(f"newsclean failed on {n} pages: {res.stderr[-2000:]}")
        manifest = json.loads((out / "manifest.json").read_text())
        steps = manifest["step_work_seconds"]
        flow = float(_FLOW_TIME.search(res.stdout).group(1))
        orchestration, startup = flow - sum(steps.values()), wall - flow
        # the operator's nightly case with nothing new: every file hashed, every row carried over
        warm(raw)
        rerun, _, res2 = timed(cmd, env)
        if res2.returncode:
            sys.exit(f"incremental rerun failed on {n} pages: {res2.stderr[-2000:]}")
        row = {"corpus": kind, "pages": n, "mb": mb, "wall": wall, "pages_s": n / wall, "mb_s": mb / wall,
               "steps": steps,
               "orchestration": orchestration, "startup": startup, "first_read": first_read, "rss_mb": rss / 2**20,
               "rerun": rerun}
        for name, peer in peers:
            if n > a.peers_max:
                continue
            warm(raw)
            extra = ["--workers", str(a.workers)] if name == "datatrove" else []
            pw, prss, pres = timed([*peer, str(raw), str(scratch / f"{name}-{n}"), *extra])
            row[name] = {"wall": pw, "rss_mb": prss / 2**20, "ok": pres.returncode == 0,
                         "error": pres.stderr[-300:] if pres.returncode else None}
        rows.append(row)
        print(_line(row), flush=True)
        shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)
    _record(a, rows, fixed)


def with_running_server(env: dict, empty: Path, scratch: Path, runs: int = 3) -> list[float]:
    """Wall seconds of empty-folder runs against a running `prefect server start` (an operator's
    scheduled case: no temporary API to boot); empty when the server did not come up in 90 s."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api"
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(url + "/health", timeout=2).close()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    return []
                time.sleep(1)
        walls = []
        for i in range(runs):
            w, _, res = timed([str(BIN / "newsclean"), "run", "--raw", str(empty), "--out",
                               str(scratch / f"served-out-{i}"), "--quiet"], dict(env, PREFECT_API_URL=url))
            if res.returncode:
                sys.exit(f"newsclean failed against a running server: {res.stderr[-2000:]}")
            walls.append(w)
        return walls
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _peers() -> list[tuple[str, list[str]]]:
    """(name, command before its input and output folders) of each peer. datatrove's like-for-like
    pipeline is the project owners' script in ../shared, run in its own environment (`make bench`
    builds benchmarks/.peer-venv); skipped, with a note, when either is missing."""
    peers = [("langdetect script", [sys.executable, str(ROOT / "benchmarks" / "peer_langdetect.py")])]
    if DATATROVE_FULL.is_file() and PEER_PYTHON.is_file():
        peers.append(("datatrove", [str(PEER_PYTHON), str(DATATROVE_FULL)]))
    else:
        print(f"datatrove peer skipped: needs {DATATROVE_FULL} and {PEER_PYTHON} (make bench)", file=sys.stderr)
    return peers


DATATROVE_FULL = ROOT.parent / "shared" / "tools" / "peer_datatrove_full.py"
PEER_PYTHON = ROOT / "benchmarks" / ".peer-venv" / "bin" / "python"
_FLOW_TIME = re.compile(r"time: flow ([0-9.]+)s")


def _line(r: dict) -> str:
    s = r["steps"]
    peers = "  ".join(f"{k}: {r[k]['wall']:.1f}s ({r[k]['wall'] / r['wall']:.1f}x ours)" if r[k]["ok"]
                      else f"{k}: failed"
                      for k in ("langdetect script", "datatrove") if k in r)
    return (f"{r['corpus']:<9} {r['pages']:>7,} pages {r['mb']:7.1f} MB  wall {r['wall']:7.1f}s  "
            f"{r['pages_s']:6.0f} pages/s "
            f"{r['mb_s']:5.2f} MB/s  ingest {s.get('ingest', 0):.1f} count {s.get('count', 0):.1f} clean "
            f"{s.get('clean', 0):.1f} detect {s.get('detect', 0):.1f} dedup {s.get('dedup', 0):.1f} write "
            f"{s.get('write', 0):.1f}  orchestration "
            f"{r['orchestration']:.1f}s ({r['orchestration'] / r['wall']:.0%})  start-up {r['startup']:.1f}s  (corpus "
            f"read before: {r['first_read']:.1f}s)  peak RSS {r['rss_mb']:.0f} MB  "
            f"unchanged rerun {r['rerun']:.1f}s  {peers}")


def _peer(r: dict, k: str) -> str:
    if k not in r:
        return "–"
    if not r[k]["ok"]:
        return "failed"
    return f"{r[k]['wall']:.1f}s = {r[k]['wall'] / r['wall']:.1f}× ours, {r[k]['rss_mb']:.0f} MB"


_STEPS = ("ingest", "clean", "detect")  # the per-page steps (count, dedup and write are reductions)


def _record(a, rows: list[dict], fixed: list[float]) -> None:
    machine = (f"{platform.machine()}, {psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
               f"Python {platform.python_version()}, {platform.platform()}")
    lines = [f"\n## {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC · workers={a.workers} · {machine}\n",
             f"Empty folder: {fixed[0]:.1f} s on a fresh PREFECT_HOME (Prefect creates its database), {fixed[1]:.1f} "
             f"s after; against a running Prefect server "
             f"{' / '.join(f'{w:.1f}' for w in fixed[2]) or 'not measured'} s. "
             "Step columns: the steps' own work (seconds some step function ran). Orchestration: the flow's wall time "
             "minus that work (% of wall). Start-up: the process's wall time minus the flow's. Each contender "
             "starts with the corpus in the page cache; 'first read' is how long reading it took before ours.\n",
             "| corpus | pages | MB | wall s | pages/s | MB/s | ingest | count | clean | detect | dedup | write "
             "| orchestration "
             "| start-up | first read s | peak RSS MB | unchanged rerun s | langdetect script | datatrove |",
             "|" + "---|" * 19]
    for r in rows:
        s = r["steps"]
        lines.append(f"| {r.get('corpus', 'generated')} "
                     f"| {r['pages']:,} | {r['mb']:.1f} | {r['wall']:.1f} | {r['pages_s']:.0f} | {r['mb_s']:.2f} | "
                     f"{s.get('ingest', 0):.1f} | {s.get('count', 0):.1f} | {s.get('clean', 0):.1f} | "
                     f"{s.get('detect', 0):.1f} | {s.get('dedup', 0):.1f} | {s.get('write', 0):.1f} | "
                     f"{r['orchestration']:.1f} "
                     f"({r['orchestration'] / r['wall']:.0%}) | {r['startup']:.1f} | {r['first_read']:.1f} | "
                     f"{r['rss_mb']:.0f} | {r['rerun']:.1f} | {_peer(r, 'langdetect script')} | "
                     f"{_peer(r, 'datatrove')} |")
    lines += ["", "Steps' own work per page (ms) and per MB of raw text (s), and pages/s of that work (start-up and "
              "orchestration left out):", "",
              "| corpus | pages | " + " | ".join(f"{k} ms/page | {k} s/MB" for k in _STEPS)
              + " | steps pages/s | steps MB/s |",
              "|" + "---|" * (2 * len(_STEPS) + 4)]
    for r in rows:
        s, work = r["steps"], sum(r["steps"].values())
        lines.append(f"| {r.get('corpus', 'generated')} | {r['pages']:,} | "
                     + " | ".join(f"{1000 * s.get(k, 0) / r['pages']:.2f} | {s.get(k, 0) / r['mb']:.3f}"
                                  for k in _STEPS)
                     + f" | {r['pages'] / work:.0f} | {r['mb'] / work:.2f} |")
    header = "" if a.results.exists() else (
        "# Benchmark results\n\n`make bench` (benchmarks/run_all.py). Machine and date per table.\n")
    with open(a.results, "a", encoding="utf-8") as fh:
        fh.write(header + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
