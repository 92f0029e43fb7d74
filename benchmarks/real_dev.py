"""Cleaning figures on real pages nobody here wrote: `../shared/data/real-dev/` (research-use data, read
from `../shared/`, never copied into this repository).

    python benchmarks/real_dev.py [--input text|html|both] [--sets l3s-gn1 dragnet ...] [--every N]
                                  [--trafilatura] [--per-doc FILE] [--json FILE]

Every page of a set is cleaned in one batch (repetition across a site's pages counts, as in a real
run) through the pipeline's own steps (`newsclean.inprocess`), and the documents' `text` (the body
passages joined by blank lines) is scored against the human main-text gold with the extraction
benchmark's word-4-gram F1 (`../shared/tools/score_extraction.py`). Pages are split by site (the host
of the page's URL) into two halves, `A` and `B`, by a hash of the host: a rule tuned on pages of
one half is reported on the other. `--input html` feeds the original HTML (the HTML reader) instead
of the browser's text; `--trafilatura` adds trafilatura on the same HTML as the anchor.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL_DEV = SHARED / "data" / "real-dev"
SCORER = SHARED / "tools" / "score_extraction.py"
SETS = ("l3s-gn1", "dragnet", "cleanportaleval", "readability", "cleaneval")


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_extraction", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def site_half(url: str | None, page_id: str) -> str:
    """A or B by a hash of the page's host (pages without a URL by their own id)."""
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.removeprefix("www.") or page_id
    return "AB"[hashlib.sha1(host.encode()).digest()[0] % 2]


def load_gold(sets: tuple[str, ...], every: int) -> list[dict]:
    rows = [json.loads(line) for line in (REAL_DEV / "gold.jsonl").open(encoding="utf-8")]
    rows = [g for g in rows if g["set"] in sets]
    return rows[::every]


def stage(gold: list[dict], mode: str, folder: Path) -> None:
    """One raw folder per set (a batch of its own), holding each page as text or HTML."""
    for g in gold:
        d = folder / g["set"]
        d.mkdir(parents=True, exist_ok=True)
        if mode == "text":
            shutil.copyfile(REAL_DEV / "pages" / f"{g['id']}.txt", d / f"{g['id']}.txt")
        else:
            html = gzip.decompress((REAL_DEV / "html" / f"{g['id']}.html.gz").read_bytes())
            (d / f"{g['id']}.html").write_bytes(html)


def predict(folder: Path, titles: dict[str, str] | None = None) -> tuple[dict[str, str], float, int]:
    """{page id: body text} for every page under folder (each set folder one batch), seconds, pages;
    each page's title into `titles` when given."""
    from newsclean.config import load_config
    from newsclean.inprocess import run_steps

    preds: dict[str, str] = {}
    seconds = pages = 0
    for set_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        cfg = load_config(None, raw=set_dir, out=folder / f"{set_dir.name}.out")
        t0 = time.perf_counter()
        docs = run_steps(cfg)
        seconds += time.perf_counter() - t0
        pages += docs.height
        for raw_path, text, title in docs.select("raw_path", "text", "title").iter_rows():
            preds[Path(raw_path).stem] = text or ""
            if titles is not None:
                titles[Path(raw_path).stem] = title or ""
    return preds, seconds, pages


def title_proxy(gold: list[dict], titles: dict[str, str]) -> dict[str, float]:
    """Per set, the share of pages whose title is the gold text's first line (compared as lower-case
    words, one containing the other). A proxy: most l3s-gn1 and cleanportaleval gold texts open with
    the headline, but dragnet's often with a date or the site's name and readability's with the lead,
    so only changes on one set are meaningful, not the level."""
    def words(text: str) -> str:
        return " ".join(re.findall(r"\w+", (text or "").lower()))

    hits: dict[str, list[int]] = defaultdict(list)
    for g in gold:
        first, title = words(g["gold_body"].split("\n", 1)[0]), words(titles.get(g["id"], ""))
        hits[g["set"]].append(int(bool(title and first) and (title in first or first in title)))
    return {s: sum(v) / len(v) for s, v in sorted(hits.items())}


def trafilatura_predict(gold: list[dict]) -> dict[str, str]:
    import trafilatura

    out = {}
    for g in gold:
        html = gzip.decompress((REAL_DEV / "html" / f"{g['id']}.html.gz").read_bytes())
        out[g["id"]] = trafilatura.extract(html, include_comments=False, include_tables=True) or ""
    return out


def score(scorer, gold: list[dict], preds: dict[str, str]) -> dict[str, dict]:
    """bench F1 (and P, R) per set and per set and site half."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        tp, fp, fn = scorer.match(g["gold_body"], preds.get(g["id"], ""), 4)
        p, r, f1 = scorer.prf(tp, fp, fn)
        doc = {"tp": tp, "fp": fp, "fn": fn, "p": p, "r": r, "f1": f1, "exact": 0}
        half = site_half(g.get("url"), g["id"])
        for key in (g["set"], f"{g['set']}:{half}", "ALL"):
            groups[key].append(doc)
    return {k: scorer.aggregate(v) for k, v in groups.items()}


def report(name: str, agg: dict[str, dict], seconds: float | None = None, pages: int = 0) -> None:
    cost = f"  ({pages} pages, {seconds:.1f} s, {1000 * seconds / max(pages, 1):.1f} ms/page)" if seconds else ""
    print(f"\n{name}{cost}")
    print(f"  {'set':<20} {'n':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for key in sorted(agg, key=lambda k: (k == "ALL", k)):
        a = agg[key]
        print(f"  {key:<20} {a['n']:>5} {a['bench_p']:.3f}  {a['bench_r']:.3f}  {a['bench_f1']:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", choices=["text", "html", "both"], default="text")
    ap.add_argument("--sets", nargs="+", default=list(SETS))
    ap.add_argument("--every", type=int, default=1, help="every Nth page (a quick sample)")
    ap.add_argument("--trafilatura", action="store_true", help="also trafilatura on the original HTML")
    ap.add_argument("--per-doc", type=Path, help="write each page's F1 and prediction here (JSON Lines)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    if not (REAL_DEV / "gold.jsonl").exists():
        print(f"{REAL_DEV} not found: this benchmark needs the project's shared data", file=sys.stderr)
        return 2
    scorer = load_scorer()
    gold = load_gold(tuple(args.sets), args.every)
    figures = {}
    modes = ["text", "html"] if args.input == "both" else [args.input]
    for mode in modes:
        with tempfile.TemporaryDirectory(prefix=f"real-dev-{mode}-") as tmp:
            stage(gold, mode, Path(tmp))
            titles: dict[str, str] = {}
            preds, seconds, pages = predict(Path(tmp), titles)
        figures[mode] = score(scorer, gold, preds)
        report(f"newsclean from {mode}", figures[mode], seconds, pages)
        figures[f"{mode}_title_proxy"] = proxy = title_proxy(gold, titles)
        print("  title = the gold text's first line (a proxy, see title_proxy): "
              + "  ".join(f"{s} {v:.3f}" for s, v in proxy.items()))
        if args.per_doc:
            with open(args.per_doc.with_suffix(f".{mode}.jsonl"), "w", encoding="utf-8") as fh:
                for g in gold:
                    tp, fp, fn = scorer.match(g["gold_body"], preds.get(g["id"], ""), 4)
                    fh.write(json.dumps({"id": g["id"], "set": g["set"], "f1": scorer.prf(tp, fp, fn)[2],
                                         "text": preds.get(g["id"], "")}, ensure_ascii=False) + "\n")
    if args.trafilatura:
        figures["trafilatura_html"] = score(scorer, gold, trafilatura_predict(gold))
        report("trafilatura on the original HTML", figures["trafilatura_html"])
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
