"""`newsclean report`: one self-contained HTML page about a dataset, with plots.

The numbers are computed here with polars from the output's Parquet and embedded as JSON; a small
inline script draws them as SVG bar charts (no network, no library), so the page opens anywhere,
including a browser with no internet. Every bar carries its value as text and in `data-value`.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import polars as pl

LENGTH_BINS = [0, 250, 500, 1000, 2000, 4000, 8000, 16000]


def _pairs(frame: pl.DataFrame, col: str, top: int | None = None, sort_by_value: bool = True) -> list[list]:
    if frame.height == 0:
        return []
    got = frame.group_by(col).len()
    if sort_by_value:
        got = got.sort(["len", col], descending=[True, False], nulls_last=True)
    else:
        got = got.sort(col, nulls_last=True)
    rows = [[("(none)" if k is None else str(k)), int(v)] for k, v in got.iter_rows()]
    if top is not None and len(rows) > top:
        rows = rows[:top] + [[f"(other {len(rows) - top})", sum(v for _, v in rows[top:])]]
    return rows


def _histogram(lengths: pl.Series) -> list[list]:
    edges = LENGTH_BINS
    out = []
    for lo, hi in zip(edges, edges[1:] + [None], strict=True):
        n = int(((lengths >= lo) & (lengths < hi)).sum()) if hi is not None else int((lengths >= lo).sum())
        out.append([f"{lo:,}–{hi - 1:,}" if hi is not None else f"≥{lo:,}", n])
    return out


def report_numbers(out: Path) -> dict:
    """Everything the page shows, from the output's tables."""
    docs = pl.read_parquet(out / "documents" / "*.parquet",
                           columns=["doc_id", "publisher", "published", "language", "n_chars", "duplicate_of"])
    passages = pl.read_parquet(out / "passages" / "*.parquet", columns=["lang", "role", "text"])
    removed = pl.read_parquet(out / "removed" / "*.parquet", columns=["reason"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    months = docs.with_columns(pl.col("published").dt.strftime("%Y-%m").alias("month"))
    return {
        "run_id": manifest["run_id"],
        "documents": docs.height,
        "passages": passages.height,
        "removed_lines": removed.height,
        "duplicates": int(docs["duplicate_of"].is_not_null().sum()),
        "quarantined": manifest["counts"]["quarantined"],
        "charts": [
            {"id": "publishers", "title": "Documents per publisher", "bars": _pairs(docs, "publisher", top=25)},
            {"id": "months", "title": "Documents per month published (UTC)",
             "bars": _pairs(months, "month", sort_by_value=False)},
            {"id": "doc-languages", "title": "Documents by language", "bars": _pairs(docs, "language")},
            {"id": "passage-languages", "title": "Passages by language", "bars": _pairs(passages, "lang")},
            {"id": "passage-roles", "title": "Passages by role", "bars": _pairs(passages, "role")},
            {"id": "removed-reasons", "title": "Removed lines by reason", "bars": _pairs(removed, "reason")},
            {"id": "document-lengths", "title": "Document body length (characters)",
             "bars": _histogram(docs["n_chars"])},
            {"id": "passage-lengths", "title": "Passage length (characters)",
             "bars": _histogram(passages["text"].str.len_chars())},
        ],
    }


SCRIPT = """
const data = JSON.parse(document.getElementById('report-data').textContent);
for (const key of ['documents', 'passages', 'removed_lines', 'duplicates', 'quarantined']) {
  document.getElementById('n-' + key).textContent = data[key].toLocaleString('en-US');
}
const NS = 'http://www.w3.org/2000/svg';
for (const chart of data.charts) {
  const box = document.getElementById('chart-' + chart.id);
  if (!chart.bars.length) { box.append('no rows'); continue; }
  const max = Math.max(...chart.bars.map(b => b[1]), 1), row = 22, labelW = 230, barW = 420;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('width', labelW + barW + 90); svg.setAttribute('height', chart.bars.length * row + 4);
  chart.bars.forEach(([label, value], i) => {
    const g = document.createElementNS(NS, 'g');
    g.setAttribute('class', 'bar'); g.setAttribute('data-label', label); g.setAttribute('data-value', value);
    const t = document.createElementNS(NS, 'text');
    t.setAttribute('x', labelW - 6); t.setAttribute('y', i * row + 15); t.setAttribute('text-anchor', 'end');
    t.textContent = label.length > 34 ? label.slice(0, 33) + '…' : label;
    const r = document.createElementNS(NS, 'rect');
    r.setAttribute('x', labelW); r.setAttribute('y', i * row + 3);
    r.setAttribute('width', Math.max(1, Math.round(barW * value / max))); r.setAttribute('height', row - 6);
    const v = document.createElementNS(NS, 'text');
    v.setAttribute('class', 'value'); v.setAttribute('x', labelW + Math.round(barW * value / max) + 6);
    v.setAttribute('y', i * row + 15); v.textContent = value.toLocaleString('en-US');
    g.append(t, r, v); svg.append(g);
  });
  box.append(svg);
}
document.body.setAttribute('data-rendered', 'true');
"""

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
.numbers { display: flex; gap: 2rem; flex-wrap: wrap; }
.numbers div { font-size: 0.9rem; } .numbers span { display: block; font-size: 1.6rem; font-weight: 600; }
section { margin-top: 2rem; } rect { fill: #3b7dd8; } text { font-size: 12px; } .value { fill: #444; }
"""


def render_html(numbers: dict) -> str:
    cards = "".join(f'<div>{label}<span id="n-{key}">–</span></div>'
                    for key, label in (("documents", "documents"), ("passages", "passages"),
                                       ("removed_lines", "removed lines"), ("duplicates", "duplicates marked"),
                                       ("quarantined", "quarantined inputs")))
    sections = "".join(f'<section><h2>{html.escape(c["title"])}</h2><div id="chart-{c["id"]}" '
                       'class="chart"></div></section>'
                       for c in numbers["charts"])
    payload = json.dumps(numbers, ensure_ascii=False).replace("</", "<\\/")
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>newsclean report '
            f'{html.escape(numbers["run_id"])}'
            f'</title><style>{STYLE}</style></head><body><h1>newsclean dataset report</h1>'
            f'<p>run <code>{html.escape(numbers["run_id"])}</code></p><div class="numbers">{cards}</div>{sections}'
            '<script id="report-data" '
            f'type="application/json">{payload}</script><script>{SCRIPT}</script></body></html>\n')


def write_report(out: Path, dest: Path) -> dict:
    numbers = report_numbers(out)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(render_html(numbers), encoding="utf-8")
    return numbers
