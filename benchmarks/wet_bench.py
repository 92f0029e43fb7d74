"""Common Crawl-shaped input: a generated `.warc.wet.gz` of N records (pages of the benchmark corpus),
read by newsclean's reader beside the fastest WARC parsers, and the whole run beside the same pages
as a folder of `.txt` files.

    .venv/bin/python benchmarks/wet_bench.py [--records 50000] [--memory-sizes 10000 50000] [--no-run]

Reported (and appended to benchmarks/RESULTS.md):
- ingest throughput in records/s and MB/s (compressed and text): newsclean's ingest of the container
  (hash pass, gzip, WARC parsing, decoding, normalisation, line keys; parts written to disk) and, as
  anchors, FastWARC and warcio iterating the same file and reading every record's payload (parsing
  only: no decoding, no output);
- peak memory of newsclean's ingest on containers of different sizes: it must not grow with the
  container (records stream into parts of bounded size);
- the whole `newsclean run` (steps' own work, pages/s) on the container and on the same pages as a
  folder of text files.
Needs `make bench`'s packages (fastwarc comes with the project; warcio is a dev dependency).
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import json
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import generate  # noqa: E402
from run_all import timed, warm  # noqa: E402


def make_wet(pages: list[Path], dest: Path) -> Path:
    """A WET file as Common Crawl writes it: a warcinfo record, then one gzip member per conversion record."""
    from warcio.warcwriter import WARCWriter

    with open(dest, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        w.write_record(w.create_warcinfo_record(dest.name, {"software": "newsclean benchmark"}))
        for i, page in enumerate(pages):
            headers = {"Content-Type": "text/plain", "WARC-Date": "2025-03-01T00:00:00Z",
                       "WARC-Identified-Content-Language": "vie" if i % 2 else "eng"}
            w.write_record(w.create_warc_record(f"https://site{i % 50}.example/{page.stem}", "conversion",
                                                payload=io.BytesIO(page.read_bytes()), warc_headers_dict=headers))
    return dest


def text_bytes(path: Path) -> int:
    with gzip.open(path, "rb") as fh:
        return sum(len(chunk) for chunk in iter(lambda: fh.read(1 << 20), b""))


def time_fastwarc(path: Path) -> tuple[float, int]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    t0 = time.perf_counter()
    n = 0
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh, record_types=WarcRecordType.conversion):
            rec.reader.read()
            n += 1
    return time.perf_counter() - t0, n


def time_warcio(path: Path) -> tuple[float, int]:
    from warcio.archiveiterator import ArchiveIterator

    t0 = time.perf_counter()
    n = 0
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type == "conversion":
                rec.content_stream().read()
                n += 1
    return time.perf_counter() - t0, n


INGEST = """
import json, sys, tempfile, time
from pathlib import Path
from newsclean.config import load_config
from newsclean import steps
from newsclean.layout import OutputFolder
raw, out = Path(sys.argv[1]), Path(tempfile.mkdtemp()) / "out"
cfg = load_config(None, raw=raw, out=out)
plan = steps.plan(cfg)["plan"]
t0 = time.perf_counter()
s = [steps.ingest_shard(i, cfg, plan.work) for i in range(plan.n_shards)]
print(json.dumps({"seconds": time.perf_counter() - t0, "pages": sum(x["pages"] for x in s),
                  "parts": sum(len(x["parts"]) for x in s)}))
"""


def time_ingest(raw: Path) -> tuple[dict, float]:
    """newsclean's ingest step alone, in a fresh process: its result and the process's peak RSS (MB)."""
    warm(raw)
    wall, rss, done = timed([sys.executable, "-c", INGEST, str(raw)])
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1]), rss / 2**20


def time_run(raw: Path, out: Path) -> dict:
    warm(raw)
    wall, rss, done = timed([str(BIN / "newsclean"), "run", "--raw", str(raw), "--out", str(out), "--quiet", "--full"])
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    m = json.loads((out / "manifest.json").read_text())
    work = sum(m["step_work_seconds"].values())
    return {"wall": wall, "work": work, "documents": m["counts"]["documents"], "rss_mb": rss / 2**20,
            "steps": m["step_work_seconds"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=50_000)
    ap.add_argument("--memory-sizes", type=int, nargs="+", default=[10_000, 50_000])
    ap.add_argument("--no-run", action="store_true", help="skip the whole-run comparison")
    ap.add_argument("--corpora", type=Path, default=ROOT / "benchmarks" / "corpora")
    ap.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    a = ap.parse_args()
    n = max([a.records, *a.memory_sizes])
    pages_dir = a.corpora / f"wet-pages-{n}"
    if not pages_dir.exists():
        generate(n, pages_dir, seed=5)
    pages = sorted(p for p in pages_dir.rglob("*.txt"))
    lines = [f"\n## {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC · WET input · "
             f"{platform.processor() or platform.machine()}, Python {platform.python_version()}\n"]
    with tempfile.TemporaryDirectory(prefix="wet-bench-") as tmp:
        tmp = Path(tmp)
        memory = {}
        for size in sorted(set(a.memory_sizes + [a.records])):
            raw = tmp / f"wet-{size}"
            raw.mkdir()
            wet = make_wet(pages[:size], raw / f"CC-BENCH-{size}.warc.wet.gz")
            got, rss = time_ingest(raw)
            memory[size] = (got, rss, wet.stat().st_size, text_bytes(wet))
        got, rss, gz_bytes, txt_bytes = memory[a.records]
        wet = tmp / f"wet-{a.records}" / f"CC-BENCH-{a.records}.warc.wet.gz"
        fw, fw_n = time_fastwarc(wet)
        wi, wi_n = time_warcio(wet)
        mb, tmb = gz_bytes / 2**20, txt_bytes / 2**20
        lines += [f"{a.records:,} records, {mb:.1f} MB gzipped, {tmb:.1f} MB of text.\n",
                  "| reader | seconds | records/s | MB/s gzipped | MB/s text | what it does |",
                  "|---|---:|---:|---:|---:|---|"]
        for name, secs, what in (("newsclean ingest", got["seconds"], "hash pass, parse, decode, normalise, "
                                  "line keys, parts to disk"),
                                 ("FastWARC", fw, "parse and read payloads"), ("warcio", wi,
                                                                               "parse and read payloads")):
            lines.append(f"| {name} | {secs:.1f} | {a.records / secs:,.0f} | {mb / secs:.1f} | {tmb / secs:.1f} | "
                         f"{what} |")
        lines += ["", "Peak memory of newsclean's ingest (one process) by container size: "
                  + ", ".join(f"{s:,} records {m[1]:.0f} MB ({m[0]['parts']} parts)" for s, m in sorted(memory.items()))
                  + "."]
        if not a.no_run:
            folder = tmp / "txt"
            shutil.copytree(pages_dir, folder, ignore=lambda d, names: [x for x in names if x.endswith(".json")])
            keep = {p.relative_to(pages_dir) for p in pages[: a.records]}
            for p in folder.rglob("*.txt"):
                if p.relative_to(folder) not in keep:
                    p.unlink()
            as_wet = time_run(wet.parent, tmp / "out-wet")
            as_txt = time_run(folder, tmp / "out-txt")
            lines += ["", "| input | documents | steps' own work s | pages/s | wall s | peak RSS MB |",
                      "|---|---:|---:|---:|---:|---:|"]
            for name, r in (("one .warc.wet.gz", as_wet), ("folder of .txt", as_txt)):
                lines.append(f"| {name} | {r['documents']:,} | {r['work']:.1f} | {r['documents'] / r['work']:,.0f} | "
                             f"{r['wall']:.1f} | {r['rss_mb']:.0f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(a.results, "a", encoding="utf-8") as fh:
        fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
