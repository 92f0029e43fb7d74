"""Language identification on real text nobody here wrote: lingua's evaluation data.

    .venv/bin/python benchmarks/lingua_bench.py [--data ../shared/data/langid-lingua] [--json out.json]

For each file `<lang>-<kind>.txt` (sentences, word-pairs, single-words; one passage a line) it
prints newsclean's accuracy (vi and en must come out as themselves, every other language as
`other`), what the errors were called, passages per second, and the accuracy per `lang_score`
band over all passages (the score is meant to say how often a label is right). The data is
research-use and stays in ../shared (it is not copied into the repository).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.langid import detect_many  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "langid-lingua"
BANDS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.01)


def expected(lang: str) -> str:
    return lang if lang in ("vi", "en") else "other"


def load(data: Path) -> list[tuple[str, str, list[str]]]:
    """(language, kind, passages) per file, vi and en first."""
    out = []
    for path in sorted(data.glob("*-*.txt"), key=lambda p: (p.name[:2] not in ("vi", "en"), p.name)):
        lang, kind = path.stem.split("-", 1)
        texts = [t.strip() for t in path.read_text(encoding="utf-8").splitlines() if t.strip()]
        out.append((lang, kind, texts))
    return out


def bands(scored: list[tuple[float, bool]]) -> list[dict]:
    rows = []
    for lo, hi in zip(BANDS, BANDS[1:], strict=False):
        hits = [ok for s, ok in scored if lo <= s < hi]
        if hits:
            rows.append({"band": f"[{lo:.2f}, {min(hi, 1.0):.2f}{')' if hi <= 1 else ']'}", "n": len(hits),
                         "right": round(100 * sum(hits) / len(hits), 2)})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--errors", type=int, default=0, help="print up to N wrong passages per file")
    args = ap.parse_args()
    if not args.data.is_dir():
        sys.exit(f"error: {args.data} not found (the lingua evaluation data lives in ../shared/data/)")
    results, scored, total_n, total_s = [], [], 0, 0.0
    print(f"{'set':<22} {'n':>5} {'right %':>8}  errors called")
    for lang, kind, texts in load(args.data):
        t0 = time.perf_counter()
        got = detect_many(texts)
        seconds = time.perf_counter() - t0
        want = expected(lang)
        ok = [g == want for g, _ in got]
        scored += [(s, o) for (_, s), o in zip(got, ok, strict=True)]
        wrong = Counter(g for g, _ in got if g != want)
        acc = 100 * sum(ok) / len(ok)
        total_n, total_s = total_n + len(texts), total_s + seconds
        results.append({"lang": lang, "kind": kind, "n": len(texts), "right": round(acc, 2),
                        "errors": dict(wrong), "per_s": round(len(texts) / seconds)})
        print(f"{lang + ' ' + kind:<22} {len(texts):>5} {acc:>8.2f}  {dict(wrong) or ''}")
        for t, (g, s) in [(t, g) for t, g, o in zip(texts, got, ok, strict=True) if not o][: args.errors]:
            print(f"    {g} {s:.2f} | {t[:110]}")
    others = [r for r in results if r["lang"] not in ("vi", "en")]
    worst = min(others, key=lambda r: r["right"])
    mean = sum(r["right"] for r in others) / len(others)
    print(f"\nother languages -> other: min {worst['right']:.2f}% ({worst['lang']}), mean {mean:.2f}%")
    print(f"passages/s (detect_many, one process): {total_n / total_s:,.0f}")
    print("\naccuracy by lang_score band (all passages):")
    for row in bands(scored):
        print(f"  {row['band']:<14} n={row['n']:>6}  right {row['right']:.2f}%")
    if args.json:
        args.json.write_text(json.dumps({"sets": results, "bands": bands(scored),
                                         "passages_per_s": round(total_n / total_s)}, indent=1))


if __name__ == "__main__":
    main()
