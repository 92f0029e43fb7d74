"""Does this checkout write the same dataset as another commit? (refactors must not change a byte)

    python benchmarks/same_output.py --ref 115f8d4 RAW_DIR [RAW_DIR ...] [--tables-only]

For each raw folder, runs `newsclean run --full` with the commit `--ref` (checked out into a
temporary git worktree, run with this virtualenv) and with this checkout, both into the same output
path with SOURCE_DATE_EPOCH fixed (so run ids and times agree), and compares every file of the two
outputs byte for byte; manifest.json is compared without the timings (`step_seconds`,
`step_work_seconds`). `--tables-only` compares the rows of the Parquet tables instead (for changes
that add columns or files on purpose). Prints one line per folder and exits non-zero on a
difference.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMINGS = ("step_seconds", "step_work_seconds")


def run(src: Path | None, raw: Path, out: Path) -> None:
    """`newsclean run` with the code at `src` (None: this checkout)."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600", CI="1")
    if src is not None:
        env["PYTHONPATH"] = str(src)  # found before the editable install of this checkout
    cmd = [sys.executable, "-m", "newsclean.cli", "run", "--raw", str(raw), "--out", str(out), "--full", "--quiet"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"run failed ({src or 'this checkout'}): {done.stderr.strip()[-500:]}")


def files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}


def manifest_without_timings(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in TIMINGS:
        data.pop(key, None)
    return data


def table_rows(folder: Path, table: str):
    import polars as pl

    parts = sorted((folder / table).glob("*.parquet"))
    return pl.concat([pl.read_parquet(p) for p in parts]) if parts else None


def differences(a: Path, b: Path, tables_only: bool) -> list[str]:
    if tables_only:
        out = []
        for table in ("documents", "passages", "removed", "quarantine"):
            x, y = table_rows(a, table), table_rows(b, table)
            if x is None or y is None:
                out += [] if x is None and y is None else [f"{table}: present in one output only"]
                continue
            common = [c for c in x.columns if c in y.columns]
            if not x.select(common).equals(y.select(common)):
                out.append(f"{table}: rows differ (in columns {common})")
        return out
    fa, fb = files(a), files(b)
    out = [f"only in {side}: {rel}" for side, rels in (("before", fa.keys() - fb.keys()), ("after",
                                                                                           fb.keys() - fa.keys()))
           for rel in sorted(rels)]
    for rel in sorted(fa.keys() & fb.keys()):
        if rel == "manifest.json":
            if manifest_without_timings(fa[rel]) != manifest_without_timings(fb[rel]):
                out.append("manifest.json differs (timings aside)")
        elif fa[rel].read_bytes() != fb[rel].read_bytes():
            out.append(f"{rel} differs")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("raw", type=Path, nargs="+")
    ap.add_argument("--ref", required=True, help="the commit to compare with")
    ap.add_argument("--tables-only", action="store_true")
    args = ap.parse_args()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        tmp = Path(tmp)
        src = tmp / "ref"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(src), args.ref],
                       check=True, capture_output=True)
        try:
            for raw in args.raw:
                out = tmp / "out"
                run(src, raw.resolve(), out)
                before = tmp / "before"
                shutil.rmtree(before, ignore_errors=True)
                out.rename(before)
                run(None, raw.resolve(), out)
                diff = differences(before, out, args.tables_only)
                shutil.rmtree(out, ignore_errors=True)
                print(f"{raw}: {'identical' if not diff else 'DIFFERENT'}" + "".join(f"\n  {d}" for d in diff[:20]))
                failed += bool(diff)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(src)], capture_output=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
