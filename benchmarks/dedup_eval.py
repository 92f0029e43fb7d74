"""Measure duplicate marking against a generated corpus's known duplicates.

    python benchmarks/dedup_eval.py --pages 3000 [--seed 7] [--sweep]

Generates a corpus (benchmarks/corpus.py: exact copies under another site, near copies with a
sentence added, syndicated copies of a story in another site's layout with a paragraph dropped and
words changed), runs `newsclean run` on it, and scores the `duplicate_of` marks:
- recall: share of known (copy, source) pairs that end in one duplicate group;
- precision: share of marked (document, kept document) pairs that are truly copies of one page
  (same group in the ground truth's transitive closure).
`--sweep` re-clusters the stored signatures at other thresholds (no rerun) and prints the curve.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from corpus import generate  # noqa: E402

from transforms.dedup import SIGNATURE_SCHEMA, DedupParams, find_duplicates, signatures  # noqa: E402


def truth_groups(truth: dict) -> dict[str, str]:
    """raw_path -> group root over all known copy pairs (transitive closure)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for kind in ("exact_duplicates", "near_duplicates", "syndicated"):
        for a, b in truth.get(kind, []):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {p: find(p) for p in parent} | {find(p): find(p) for p in list(parent)}


def score(docs: pl.DataFrame, dups: pl.DataFrame, truth: dict) -> dict:
    path_of = dict(zip(docs["doc_id"], docs["raw_path"], strict=True))
    group = truth_groups(truth)
    pred_root: dict[str, str] = {}
    for d, kept in zip(dups["doc_id"], dups["duplicate_of"], strict=True):
        pred_root[path_of[d]] = path_of[kept]
    root = lambda p: pred_root.get(p, p)  # noqa: E731
    marked = list(zip(dups["doc_id"], dups["duplicate_of"], strict=True))
    tp = sum(1 for d, k in marked if group.get(path_of[d], path_of[d]) == group.get(path_of[k], path_of[k])
             and path_of[d] in group)
    out = {"marked": len(marked), "precision": round(tp / len(marked), 4) if marked else 1.0}
    for kind in ("exact_duplicates", "near_duplicates", "syndicated"):
        pairs = [(a, b) for a, b in truth.get(kind, []) if a in set(path_of.values()) and b in set(path_of.values())]
        hit = sum(1 for a, b in pairs if root(a) == root(b))
        out[f"recall_{kind}"] = round(hit / len(pairs), 4) if pairs else None
        out[f"n_{kind}"] = len(pairs)
    allp = [(a, b) for k in ("exact_duplicates", "near_duplicates", "syndicated") for a, b in truth.get(k, [])]
    out["recall"] = round(sum(1 for a, b in allp if root(a) == root(b)) / len(allp), 4) if allp else 1.0
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=HERE / "corpora")
    ap.add_argument("--sweep", action="store_true")
    ap.add_argument("--thresholds", default="0.5,0.6,0.7,0.8,0.9", help="thresholds the sweep tries")
    ap.add_argument("--no-run", action="store_true", help="reuse the output of an earlier run on the same corpus")
    ap.add_argument("--shingles", default="", help="comma-separated shingle sizes to sweep too (signatures "
                                                   "recomputed from the documents' text), e.g. 3,4,5")
    a = ap.parse_args()
    raw = a.work / f"dedup-{a.pages}-{a.seed}"
    out = a.work / f"dedup-{a.pages}-{a.seed}-out"
    truth_path = raw.parent / f"{raw.name}.duplicates.json"
    if not truth_path.exists():
        generate(a.pages, raw, seed=a.seed)
    truth = json.loads(truth_path.read_text())
    t0 = time.perf_counter()
    if not (a.no_run and (out / "manifest.json").exists()):
        subprocess.run([sys.executable, "-m", "newsclean.cli", "run", "--raw", str(raw), "--out", str(out), "--quiet",
                        "--full"], check=True, cwd=HERE.parent, stdout=subprocess.DEVNULL)
    print(f"pipeline: {a.pages} pages in {time.perf_counter() - t0:.1f}s")
    docs = pl.read_parquet(out / "documents")
    dups = docs.filter(pl.col("duplicate_of").is_not_null()).select("doc_id", "duplicate_of")
    print(json.dumps({"threshold": DedupParams().threshold, **score(docs, dups, truth)}))
    if a.sweep:
        sigs = pl.read_parquet(out / "state" / "signatures.parquet")
        variants = [(DedupParams().shingle, sigs)]
        for k in (int(x) for x in a.shingles.split(",") if x):
            fresh = signatures(docs["doc_id"].to_list(), docs["text"].to_list(), DedupParams(shingle=k))
            variants.append((k, fresh.join(sigs.select("doc_id", "published", "seen"), on="doc_id")))
        for k, sg in variants:
            for th in (float(x) for x in a.thresholds.split(",")):
                t1 = time.perf_counter()
                got = find_duplicates(sg.select(list(SIGNATURE_SCHEMA)), sg.select("doc_id", "published", "seen"),
                                      DedupParams(threshold=th, shingle=k))
                print(json.dumps({"shingle": k, "threshold": th, **score(docs, got, truth),
                                  "seconds": round(time.perf_counter() - t1, 2)}))


if __name__ == "__main__":
    main()
