"""Benchmark corpora of real pages: `real-dev` itself, and larger corpora built from it.

    .venv/bin/python benchmarks/realcorpus.py --pages 20000 --out benchmarks/corpora/real-20000

Up to 2,870 pages: the `real-dev` pages as they are (browser text of real news, blog and web pages,
12 KB a page on average), read from ../shared (research-use data: built into the git-ignored
benchmarks/corpora/, never committed). Beyond that, page j is real page j mod 2,870 with every
paragraph (a line of 80+ characters) swapped for a paragraph drawn from another page of the same
set, and a site folder of its own (site-NNN/) so that repetition counts see sites of realistic
size: no two pages share their paragraphs in the same order, so per-line caches cannot flatter
the run as they do on the generated corpus, while the lines' shapes, lengths and furniture stay
those of real pages. Deterministic (seeded).
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL_DEV = ROOT.parent / "shared" / "data" / "real-dev" / "pages"
PARAGRAPH = 80      # characters: a line this long is a paragraph to swap
SITES = 400         # site folders of a scaled corpus (real-dev's l3s pages come from 408 sites)


def build(n: int, out: Path, source: Path = REAL_DEV, seed: int = 7) -> dict:
    files = sorted(source.glob("*.txt"))
    if not files:
        raise SystemExit(f"error: no real-dev pages under {source}")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    sets = [f.name.split("-", 1)[0] for f in files]
    pool: dict[str, list[str]] = {}
    for s, t in zip(sets, texts, strict=True):
        pool.setdefault(s, []).extend(ln for ln in t.split("\n") if len(ln) >= PARAGRAPH)
    rng = random.Random(seed)
    total = 0
    for j in range(n):
        k = j % len(files)
        if n <= len(files):
            dest, text = out / files[k].name, texts[k]
        else:
            lines = texts[k].split("\n")
            paragraphs = pool[sets[k]]
            text = "\n".join(rng.choice(paragraphs) if len(ln) >= PARAGRAPH else ln for ln in lines)
            dest = out / f"site-{j % SITES:03d}" / f"{sets[k]}-{j:06d}.txt"
            dest.parent.mkdir(exist_ok=True)
        data = text.encode("utf-8")
        dest.write_bytes(data)
        total += len(data)
    meta = {"pages": n, "bytes": total, "source": "real-dev", "scaled": n > len(files)}
    (out.parent / f"{out.name}.json").write_text(json.dumps(meta))
    return meta


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2870)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    meta = build(a.pages, a.out)
    print(f"{meta['pages']} pages, {meta['bytes'] / 1e6:.1f} MB -> {a.out}")


if __name__ == "__main__":
    main()
