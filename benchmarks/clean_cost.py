"""The clean step's cost in process, this checkout against another revision, and whether they agree.

    .venv/bin/python benchmarks/clean_cost.py [--corpus benchmarks/corpora/real-2870] [--against REV]
                                              [--rounds 3] [--repeat 2]

Ingests the corpus once with this checkout's steps (plan, ingest, count: the work folder a run makes),
then times `transforms.pages.clean_documents` over every ingested shard, in a fresh process per
contender, alternating this checkout and `--against` (checked out with `git worktree add` in a temporary
folder and imported from there) for `--rounds` rounds. Each process cleans the shards `--repeat` times and
reports the fastest (the first pass also pays imports and the line model's load). The clean step's
tables (passages, removed lines, page metadata) of the two contenders are compared frame by frame: a
speed change must leave them identical, a cleaning change says how many rows it moved.

Why in process: the end-to-end run (`make bench`) adds start-up, the other steps and the worker pool;
this VM's run-to-run spread (±10-15%) hides a change of a few percent there. Alternating pairs on the
same ingested shards show the clean step's own difference. `--against` must read the ingested table
this checkout writes (revisions since f91d433, which added the stored line hashes).
"""
from __future__ import annotations

import argparse
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def prepare(corpus: Path, dest: Path) -> Path:
    """Plan, ingest and count the corpus into `dest` with this checkout; returns the pickled state."""
    sys.path.insert(0, str(ROOT))
    from newsclean import steps
    from newsclean.config import load_config

    cfg = load_config(None, raw=str(corpus), out=str(dest / "out"))
    plan = steps.plan(cfg)["plan"]
    parts = [p for i in range(plan.n_shards) for p in steps.ingest_shard(i, cfg, plan.work)["parts"]]
    steps.count_lines(cfg, plan.work)
    state = dest / "state.pkl"
    state.write_bytes(pickle.dumps((cfg, plan.work, parts)))
    return state


def time_clean(state: Path, code: Path, repeat: int, dump: Path) -> None:
    """In a process of its own: clean every shard `repeat` times with the code under `code`, print the
    fastest pass, and write the last pass's tables to `dump` (one parquet file per table and shard)."""
    sys.path.insert(0, str(code))
    import gc

    import polars as pl

    from transforms.pages import clean_documents
    from transforms.repetition import RepetitionIndex

    cfg, work, parts = pickle.loads(state.read_bytes())
    table = pl.read_parquet(work.repetition)
    shards = [pl.read_parquet(work.ingested(p)) for p in parts]
    gc.disable()  # as the steps run (newsclean.steps.collector_paused)
    times, out = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = []
        for docs in shards:
            sites = docs["site_key"].unique().to_list()
            mine = table.filter(pl.col("site_key").is_in(sites) | pl.col("site_key").is_null())
            out.append(clean_documents(docs, RepetitionIndex(mine), cfg.clean))
        times.append(time.perf_counter() - t0)
    dump.mkdir(parents=True, exist_ok=True)
    for i, shard in enumerate(out):
        for name in ("passages", "removed", "meta"):
            getattr(shard, name).write_parquet(dump / f"{name}-{i}.parquet")
    print(f"{min(times):.2f} " + " ".join(f"{t:.2f}" for t in times))


def compare_tables(a: Path, b: Path) -> dict[str, str]:
    """Per table: "identical", or how many rows each side has where they differ."""
    import polars as pl

    out = {}
    for table in ("passages", "removed", "meta"):
        x = pl.concat([pl.read_parquet(f) for f in sorted(a.glob(f"{table}-*.parquet"))])
        y = pl.concat([pl.read_parquet(f) for f in sorted(b.glob(f"{table}-*.parquet"))])
        if x.equals(y):
            out[table] = "identical"
        else:
            rows = x.join(y, on=x.columns, how="anti", nulls_equal=True).height
            out[table] = f"different ({x.height} vs {y.height} rows, {rows} of this checkout's not in the other)"
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "benchmarks" / "corpora" / "real-2870")
    ap.add_argument("--against", help="a git revision to compare with (default: time this checkout only)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--time", type=Path, help=argparse.SUPPRESS)   # internal: one timed process
    ap.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.time:
        time_clean(args.time, args.code, args.repeat, args.dump)
        return 0
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus} (make bench builds benchmarks/corpora/real-2870)", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="clean-cost-"))
    contenders = {"this checkout": ROOT}
    try:
        state = prepare(args.corpus.resolve(), tmp / "work")
        if args.against:
            tree = tmp / "against"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), args.against],
                           check=True)
            contenders[args.against] = tree
        for r in range(args.rounds):
            for name, code in contenders.items():
                dump = tmp / "out" / name.replace(" ", "_")
                got = subprocess.run([sys.executable, __file__, "--time", str(state), "--code", str(code),
                                      "--repeat", str(args.repeat), "--dump", str(dump)],
                                     capture_output=True, text=True, check=True, cwd=tmp)
                fastest, *passes = got.stdout.split()
                print(f"round {r + 1}  {name:14s} clean_documents {fastest} s (passes: {' '.join(passes)})", flush=True)
        if args.against:
            for table, verdict in compare_tables(tmp / "out" / "this_checkout", tmp / "out" / args.against).items():
                print(f"{table}: {verdict}")
    finally:
        if args.against:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tmp / "against")],
                           capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
