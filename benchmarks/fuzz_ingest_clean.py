"""Fuzz ingest + clean for a bounded time and record the result in benchmarks/FUZZ.md.

    .venv/bin/python benchmarks/fuzz_ingest_clean.py [--seconds 120]

Feeds random bytes (raw, and mutated seed/dev-set pages: byte flips, truncation, encodings, NUL and
CR injection, line shuffles) through the exact read path of the pipeline (decode_and_normalize) and
the clean step (clean_documents). A failure is any exception other than DecodeError, a page that
clean quarantines, or a broken provenance invariant (offsets, every line accounted for once).
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

from transforms.decode import DecodeError, decode_and_normalize  # noqa: E402
from transforms.lines import split_lines  # noqa: E402
from transforms.pages import clean_documents  # noqa: E402


def corpus() -> list[bytes]:
    pages = [p.read_bytes() for p in (ROOT / "raw").glob("*.txt")]
    for folder in ("devset", "holdout", "holdout2", "pages"):
        pages += [p.read_bytes() for p in sorted((ROOT / "tests" / "data" / folder).glob("*.txt"))]
    return pages


def mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(8)
        if op == 0 and b:
            for _ in range(rng.randint(1, 20)):
                b[rng.randrange(len(b))] = rng.randrange(256)
        elif op == 1:
            b = b[: rng.randrange(len(b) + 1)]
        elif op == 2:
            pos = rng.randrange(len(b) + 1)
            b[pos:pos] = rng.choice([b"\x00", b"\r", b"\r\n", b"\xef\xbb\xbf", b"\xff\xfe",
                                     "\u00a0".encode()]) * rng.randint(1, 5)
        elif op == 3:
            lines = bytes(b).split(b"\n")
            rng.shuffle(lines)
            b = bytearray(b"\n".join(lines))
        elif op == 4:
            try:
                b = bytearray(bytes(b).decode("utf-8").encode(rng.choice(["utf-16", "utf-16-le", "cp1258",
                                                                          "utf-8-sig"]), errors="ignore"))
            except UnicodeDecodeError:
                pass
        elif op == 5:
            b = bytearray(rng.randbytes(rng.randint(0, 400))) + b
        elif op == 6:
            b = b * rng.randint(1, 3)
        else:
            pos = rng.randrange(len(b) + 1)
            b[pos:pos] = ("Source: https://x.vn/%d.html\n— VNS\nComment (0)\n" % rng.randrange(99)).encode()
    return bytes(b)


def check(data: bytes) -> None:
    try:
        text = decode_and_normalize(data).text
    except DecodeError:
        return
    out = clean_documents(pl.DataFrame({"doc_id": ["d"], "site_key": ["s"], "text": [text]}))
    if out.failed:
        raise AssertionError(f"clean quarantined the page: {out.failed}")
    covered = []
    for table in (out.passages, out.removed):
        for r in table.iter_rows(named=True):
            if text[r["char_start"]:r["char_end"]] != r["text"]:
                raise AssertionError("offsets do not point at the passage text")
            covered += range(r["line_start"], r["line_end"] + 1)
    if sorted(covered) != [ln.line_no for ln in split_lines(text)]:
        raise AssertionError("a non-empty line is missing or counted twice")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--record", type=Path, default=ROOT / "benchmarks" / "FUZZ.md")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    seeds = corpus()
    end = time.time() + a.seconds
    n = failures = 0
    first = None
    while time.time() < end:
        data = rng.randbytes(rng.randint(0, 3000)) if rng.random() < 0.15 else mutate(rng, rng.choice(seeds))
        try:
            check(data)
        except Exception:  # noqa: BLE001 - a fuzzer reports every failure
            failures += 1
            if first is None:
                first = (data[:200], traceback.format_exc(limit=3))
        n += 1
    line = (f"| {dt.date.today()} | {a.seconds:.0f} s | seed {a.seed} | {n:,} inputs | {failures} failures |"
            f" {len(seeds)} seed pages |")
    print(line)
    if first:
        print("first failure:", first[0], first[1], sep="\n")
    header = "# Fuzzing ingest + clean\n\n`.venv/bin/python benchmarks/fuzz_ingest_clean.py --seconds 120`\n\n" \
             "| date | time | seed | inputs | failures | corpus |\n|---|---|---|---|---|---|\n"
    old = a.record.read_text(encoding="utf-8") if a.record.exists() else header
    a.record.write_text(old + line + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
