"""Write the cleaning dev set: pages in 14 outlet layouts with their gold readings.

    python benchmarks/make_devset.py [--out tests/data/devset] [--seed 7]

Deterministic from the seed. Writes NAME.txt files and gold.jsonl in the JSON Lines format that
../shared/tools/score_run.py and `newsclean eval` read. Several pages per outlet (so repetition
across a site has something to find), pages with no furniture, pages with on-topic paragraphs
after the sign-off and with other stories glued after the end, Windows line endings and NFD text.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pagegen import LAYOUTS, TRAILING_LAYOUTS, make_page, stories  # noqa: E402

TRAILING_MODES = ["unrelated", "extra", "both", "none"]


def build(seed: int, pages_per_layout: int = 4) -> list:
    rng = random.Random(seed)
    pages = []
    n = 0
    for site, (lang, _) in LAYOUTS.items():
        pool = stories(lang)
        k = pages_per_layout if not site.startswith("bare") else 2
        for j in range(k):
            story = pool[(n * 3 + j) % len(pool)]
            trailing = TRAILING_MODES[(n + j) % len(TRAILING_MODES)] if site in TRAILING_LAYOUTS else "none"
            crlf = (n + j) % 7 == 3
            nfd = (n + j) % 11 == 5
            pages.append(make_page(site, story, random.Random(rng.random()), f"{site}_{j:02d}", trailing, crlf, nfd))
        n += 1
    return pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "tests" / "data" / "devset")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    pages = build(a.seed)
    with open(a.out / "gold.jsonl", "w", encoding="utf-8") as gold:
        for p in pages:
            (a.out / f"{p.name}.txt").write_bytes(p.text().encode("utf-8"))
            gold.write(json.dumps(p.gold(), ensure_ascii=False) + "\n")
    print(f"wrote {len(pages)} pages and gold.jsonl to {a.out}")


if __name__ == "__main__":
    main()
