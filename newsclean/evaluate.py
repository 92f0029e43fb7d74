"""Evaluate the cleaner against gold readings, the way the project's owners score a run.

Gold comes in either format `../shared/tools/score_run.py` reads: `expected.json` (per-line records,
keyed by file name) or JSON Lines with one page per line (`id`, `title`, `published`, `source_url`,
`body_paragraphs`, `captions`, `boilerplate_lines`, `trailing_unrelated`, `line_langs`: exact line
texts). Predictions come straight from the transforms (no Prefect), so an evaluation of 100 pages
takes a second: the same code path as the pipeline's ingest, clean and detect steps.

Figures (issue 3): kept-content precision/recall/F1 weighted by characters (kept = title + body +
caption), role accuracy over non-empty lines, trailing-unrelated removal rate, on-topic paragraphs
wrongly removed, metadata accuracy (published as a Vietnam-time date, source_url, title).
"""
from __future__ import annotations

import datetime as dt
import json
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from transforms.classify import KEPT_ROLES, CleanParams
from transforms.langid import LangParams, detect_passages
from transforms.pages import clean_documents
from transforms.repetition import RepetitionIndex, count_repetition, shard_line_keys

from .rawfiles import read_files
from .sources import LocalSource

VN = dt.timezone(dt.timedelta(hours=7))


def _norm(s: str) -> str:
    return unicodedata.normalize("NFC", s.replace("\u00a0", " ")).strip()


def _raw_lines(path: Path) -> list[str]:
    from transforms.decode import decode_and_normalize

    return decode_and_normalize(path.read_bytes()).text.split("\n")


def _put_roles(roles: dict[int, str], by_text: dict[str, list[int]], texts, role: str, where: str) -> None:
    """Give `role` to every raw line whose text is one of `texts` (gold lines are exact texts)."""
    for t in texts if isinstance(texts, list) else [texts]:
        if _norm(t) not in by_text:
            raise ValueError(f"{where}: gold line not in the raw file: {t[:60]!r}")
        for i in by_text[_norm(t)]:
            roles[i] = role


def load_gold(path: Path, raw_dir: Path) -> dict[str, dict]:
    """{file name relative to raw_dir: {roles, langs, published, source_url, title}}."""
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        out = {}
        for name, page in data.items():
            out[name] = dict(
                roles={r["line"]: r["role"] for r in page["lines"]},
                langs={r["line"]: r["lang"] for r in page["lines"] if r.get("lang")},
                published=page.get("published"), source_url=page.get("source_url"),
                title=next((r["text"] for r in page["lines"] if r["role"] == "title"), None),
            )
        return out
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        name = g["id"] + ".txt"
        by_text: dict[str, list[int]] = {}
        for i, t in enumerate(_raw_lines(raw_dir / name), 1):
            if _norm(t):
                by_text.setdefault(_norm(t), []).append(i)
        roles: dict[int, str] = {}
        langs: dict[int, str] = {}
        where = f"{path}: page {g['id']}"
        for key, role in (("boilerplate_lines", "boilerplate"), ("trailing_unrelated", "trailing_unrelated"),
                          ("captions", "caption"), ("body_paragraphs", "body")):
            _put_roles(roles, by_text, g.get(key, []), role, where)
        if g.get("title"):
            _put_roles(roles, by_text, [g["title"]], "title", where)
        for t, lang in (g.get("line_langs") or {}).items():
            for i in by_text.get(_norm(t), []):
                langs[i] = lang
        out[name] = dict(roles=roles, langs=langs, published=g.get("published"), source_url=g.get("source_url"),
                         title=g.get("title"))
    return out


@dataclass
class Prediction:
    roles: dict[int, str]
    langs: dict[int, str]
    published: dt.datetime | None
    source_url: str | None
    title: str | None
    scores: dict[int, float]


def predict(raw_dir: Path, clean: CleanParams | None = None, lang: LangParams | None = None,
            with_language: bool = True, one_by_one: bool = False) -> tuple[dict[str, Prediction], float]:
    """Read every file under raw_dir as one batch (or each page as a batch of its own, so that
    repetition across pages cannot help); returns predictions and seconds spent cleaning."""
    found = [f.rel_path for f in LocalSource(raw_dir).discover() if f.problem is None]
    if one_by_one:
        preds: dict[str, Prediction] = {}
        seconds = 0.0
        for rel in found:
            sub = _predict_docs(read_files(raw_dir, [rel], 64)[0], clean, lang, with_language)
            preds.update(sub[0])
            seconds += sub[1]
        return preds, seconds
    return _predict_docs(read_files(raw_dir, found, 64)[0], clean, lang, with_language)


def _predict_docs(docs: pl.DataFrame, clean: CleanParams | None, lang: LangParams | None,
                  with_language: bool) -> tuple[dict[str, Prediction], float]:
    clean = clean or CleanParams()
    t0 = time.perf_counter()
    table = count_repetition(shard_line_keys(docs), clean.site_repeat_min_docs, clean.site_repeat_min_share,
                             clean.batch_repeat_min_docs, clean.batch_repeat_min_share)
    cleaned = clean_documents(docs, RepetitionIndex(table), clean)
    seconds = time.perf_counter() - t0
    passages = detect_passages(cleaned.passages, lang) if with_language else cleaned.passages.with_columns(
        pl.lit(None, pl.String).alias("lang"))
    by_doc = {d: p for d, p in zip(docs["doc_id"], docs["raw_path"], strict=True)}
    preds = {p: Prediction({}, {}, None, None, None, {}) for p in by_doc.values()}
    for r in passages.iter_rows(named=True):
        pr = preds[by_doc[r["doc_id"]]]
        pr.roles[r["line_start"]] = r["role"]
        pr.langs[r["line_start"]] = r["lang"]
        if r["topic_score"] is not None:
            pr.scores[r["line_start"]] = r["topic_score"]
    for r in cleaned.removed.iter_rows(named=True):
        pr = preds[by_doc[r["doc_id"]]]
        pr.roles[r["line_start"]] = "trailing_unrelated" if r["reason"].startswith("trailing") else "boilerplate"
        if r["topic_score"] is not None:
            pr.scores[r["line_start"]] = r["topic_score"]
    for r in cleaned.meta.iter_rows(named=True):
        pr = preds[by_doc[r["doc_id"]]]
        pr.published, pr.source_url, pr.title = r["published"], r["source_url"], r["title"]
    return preds, seconds


def _score_metadata(name: str, g: dict, p: Prediction, meta: dict[str, list[int]], errors: list[str]) -> None:
    """Published day (Vietnam time), source URL and title against the gold; [pages, right] per field."""
    want_pub = str(g["published"])[:10] if g.get("published") else None
    got_pub = p.published.astimezone(VN).date().isoformat() if p.published else None
    for field, want, got in (("published", want_pub, got_pub), ("source_url", g.get("source_url"), p.source_url),
                             ("title", g.get("title"), p.title)):
        if want is None:
            continue  # figures count pages that carry the field
        meta[field][0] += 1
        meta[field][1] += want == got
        if want != got:
            errors.append(f"{name} {field}: gold={want} got={got}")


def score(gold: dict[str, dict], preds: dict[str, Prediction], raw_dir: Path) -> dict:
    tp = fp = fn = 0
    role_ok = role_n = 0
    tr_n = tr_removed = ontopic_n = ontopic_removed = 0
    lang_n = lang_ok = 0
    meta = {"published": [0, 0], "source_url": [0, 0], "title": [0, 0]}
    errors: list[str] = []
    for name, g in sorted(gold.items()):
        p = preds.get(name)
        if p is None:
            errors.append(f"{name}: no prediction (file missing or quarantined)")
            continue
        lines = _raw_lines(raw_dir / name)
        last_body = max((i for i, r in g["roles"].items() if r == "body"), default=0)
        for i, role in g["roles"].items():
            w = len(_norm(lines[i - 1]))
            got = p.roles.get(i, "missing")
            gk, pk = role in KEPT_ROLES, got in KEPT_ROLES
            tp += w * (gk and pk)
            fp += w * (pk and not gk)
            fn += w * (gk and not pk)
            role_n += 1
            role_ok += got == role
            if got != role:
                errors.append(f"{name}:{i} gold={role} got={got} :: {_norm(lines[i - 1])[:70]}")
            if role == "trailing_unrelated":
                tr_n += 1
                tr_removed += not pk
            # "on-topic paragraphs": body paragraphs in the last third of the article and after sign-offs
            if role == "body" and i >= last_body * 2 / 3:
                ontopic_n += 1
                ontopic_removed += got == "trailing_unrelated"
        for i, lang in g["langs"].items():
            if g["roles"].get(i) in KEPT_ROLES and p.roles.get(i) in KEPT_ROLES:
                lang_n += 1
                lang_ok += p.langs.get(i) == lang
        _score_metadata(name, g, p, meta, errors)
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / (tp + fn) if tp + fn else 0.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    return {
        "pages": len(gold),
        "kept_precision": round(P, 4), "kept_recall": round(R, 4), "kept_f1": round(F, 4),
        "role_accuracy": round(role_ok / max(role_n, 1), 4), "lines": role_n,
        "trailing_removed": round(tr_removed / tr_n, 4) if tr_n else None, "trailing_n": tr_n,
        "ontopic_wrongly_removed": round(ontopic_removed / ontopic_n, 4) if ontopic_n else None,
        "ontopic_n": ontopic_n,
        "lang_accuracy": round(lang_ok / lang_n, 4) if lang_n else None, "lang_n": lang_n,
        "metadata": {k: (round(v[1] / v[0], 4) if v[0] else None) for k, v in meta.items()},
        "metadata_n": {k: v[0] for k, v in meta.items()},
        "errors": errors,
    }
