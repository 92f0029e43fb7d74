"""`newsclean publish`: a versioned, checked release of the dataset, to a folder, S3 or the Hugging Face Hub.

A release is built from the output folder into a local build folder, verified, then uploaded:

    README.md          dataset card with a Hugging Face YAML header (`configs` -> data files)
    croissant.json     Croissant 1.0 JSON-LD metadata (file sets, record sets, every field typed)
    CHANGELOG.md       counts against the previous release at the same target
    release.json       version, source run, counts, what was left out, every file's sha256/bytes/rows
    SHA256SUMS         `sha256sum -c` format, every file but itself
    data/documents/part-NNNNN.parquet, data/passages/part-NNNNN.parquet   (zstd)
    data/documents.jsonl.gz, data/passages.jsonl.gz                      (gzip, mtime 0)

Releases are immutable: publishing a version that the target already holds is refused. Nothing is
published when a check fails (manifest checksums, schemas, unique ids, empty text).
"""
from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from transforms.schema import PUBLISHED

from . import dataset as D
from .card import render_card
from .config import Config
from .croissant import croissant_metadata
from .layout import write_json
from .release import PublishRefused, Release, parse_version, verify_sums, version_key, write_sums
from .targets import target_for

RELEASE_TABLES = ("documents", "passages")


# --- checks -------------------------------------------------------------------------------------

def check_output(out: Path) -> dict:
    """The output's manifest, after checking that every file it lists is there with its sha256 and
    that every table has the contract's schema; raises PublishRefused listing every failure."""
    failures: list[str] = []
    mpath = out / "manifest.json"
    if not mpath.exists():
        raise PublishRefused([f"{out} holds no manifest.json: run `newsclean run` first"])
    manifest = json.loads(mpath.read_text(encoding="utf-8"))
    for o in manifest["outputs"]:
        p = out / o["path"]
        if not p.exists():
            failures.append(f"checksum: {o['path']} is listed in the manifest but missing")
        elif D.sha256_file(p) != o["sha256"]:
            failures.append(f"checksum: {o['path']} does not match its sha256 in the manifest")
    for table in RELEASE_TABLES:
        for part in sorted((out / table).glob("*.parquet")):
            got = pq.read_schema(part)
            want = PUBLISHED[table].arrow
            if not got.remove_metadata().equals(want):
                failures.append(f"schema: {part.relative_to(out)} differs from the {table} contract")
    if failures:
        raise PublishRefused(failures)
    return manifest


def check_release_rows(docs: pl.DataFrame, passages: pl.DataFrame) -> list[str]:
    failures = []
    if docs.height == 0:
        failures.append("empty: the release would hold no documents")
    if docs["doc_id"].n_unique() != docs.height:
        failures.append(f"ids: {docs.height - docs['doc_id'].n_unique()} duplicated doc_id values")
    if passages["passage_id"].n_unique() != passages.height:
        failures.append(f"ids: {passages.height - passages['passage_id'].n_unique()} duplicated passage_id values")
    for name, frame in (("documents", docs), ("passages", passages)):
        empty = frame.filter(pl.col("text").is_null() | (pl.col("text").str.strip_chars() == "")).height
        if empty:
            failures.append(f"empty text: {empty} {name} rows have no text")
    orphans = passages.filter(~pl.col("doc_id").is_in(docs["doc_id"].implode())).height
    if orphans:
        failures.append(f"ids: {orphans} passages point at documents not in the release")
    return failures


# --- building -----------------------------------------------------------------------------------

def _release_counts(docs: pl.DataFrame, passages: pl.DataFrame) -> dict:
    def by(frame, col):
        got = frame.group_by(col).len().sort(col, nulls_last=True)
        return {str(k): int(v) for k, v in got.iter_rows()}
    return {"documents": docs.height, "passages": passages.height,
            "documents_by_language": by(docs, "language"), "passages_by_language": by(passages, "lang"),
            "passages_by_role": by(passages, "role"),
            "duplicates_marked": int(docs["duplicate_of"].is_not_null().sum()),
            "publishers": int(docs["publisher"].n_unique())}


def changelog(version: str, counts: dict, previous: dict | None, released_at: str) -> str:
    lines = ["# Changelog", "", f"## {version} ({released_at[:10]})", ""]
    prev_counts = (previous or {}).get("counts", {})
    if previous:
        lines += [f"Compared with {previous['version']}:", ""]
    else:
        lines += ["First release.", ""]
    lines += ["| count | previous | this release | change |", "|---|---:|---:|---:|"]
    keys = [("documents", None), ("passages", None), ("duplicates_marked", None), ("publishers", None)]
    keys += [(f"documents_by_language.{k}", ("documents_by_language", k))
             for k in sorted(set(counts["documents_by_language"]) | set(prev_counts.get("documents_by_language", {})))]
    keys += [(f"passages_by_language.{k}", ("passages_by_language", k))
             for k in sorted(set(counts["passages_by_language"]) | set(prev_counts.get("passages_by_language", {})))]
    for label, path in keys:
        now = counts[label] if path is None else counts[path[0]].get(path[1], 0)
        if path is None:
            before = prev_counts.get(label)
        else:
            before = prev_counts.get(path[0], {}).get(path[1], 0 if previous else None)
        change = "" if before is None else f"{now - before:+d}"
        lines.append(f"| {label} | {'' if before is None else before} | {now} | {change} |")
    old = (previous or {}).get("changelog_tail", "")
    return "\n".join(lines) + "\n" + (("\n" + old) if old else "")


def build_release(out: Path, version: str, build_root: Path, cfg: Config, previous: dict | None = None,
                  exclude_duplicates: bool = False) -> Release:
    """Check the output and build the release folder; raises PublishRefused on a failed check."""
    version = parse_version(version)
    manifest = check_output(out)
    docs, passages, excluded = release_rows(out, exclude_duplicates)
    failures = check_release_rows(docs, passages)
    if failures:
        raise PublishRefused(failures)
    folder = build_root / f"release-{version}"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "data").mkdir(parents=True)
    files = write_release_data(folder, docs, passages, cfg.row_group_rows)
    counts = _release_counts(docs, passages)
    # when the release was built, written as the manifest writes its times (so the two compare)
    released_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    write_release_card(folder, cfg, manifest, version, counts, excluded, exclude_duplicates)
    (folder / "croissant.json").write_text(json.dumps(
        croissant_metadata(cfg, version, released_at, files, folder), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")
    log_text = changelog(version, counts, previous, released_at)
    (folder / "CHANGELOG.md").write_text(log_text, encoding="utf-8")
    files = checksummed(folder, files, ("README.md", "croissant.json", "CHANGELOG.md"))
    info = {"name": cfg.dataset_name, "version": version, "released_at": released_at,
            "data_processed_at": manifest["processed_at"],
            "source_run_id": manifest["run_id"], "pipeline_version": manifest["pipeline_version"],
            "license": cfg.license, "source_manifest_sha256": D.sha256_file(out / "manifest.json"),
            "previous_version": (previous or {}).get("version"), "counts": counts, "excluded": excluded,
            "exclude_duplicates": exclude_duplicates, "files": files,
            "changelog_tail": log_text.split("\n", 2)[2] if log_text.startswith("# Changelog") else log_text}
    write_json(folder / "release.json", info)
    write_sums(folder)
    failures = verify_sums(folder)
    if failures:
        raise PublishRefused(failures)
    return Release(folder, version, info)


def release_rows(out: Path, exclude_duplicates: bool) -> tuple[pl.DataFrame, pl.DataFrame, dict]:
    """(documents, passages, what was left out): pages without a body never ship; duplicates only
    when asked."""
    docs = pl.read_parquet(out / "documents" / "*.parquet")
    excluded = {"documents_without_body": int((docs["n_chars"] == 0).sum())}
    docs = docs.filter(pl.col("n_chars") > 0)
    if exclude_duplicates:
        excluded["duplicates"] = int(docs["duplicate_of"].is_not_null().sum())
        docs = docs.filter(pl.col("duplicate_of").is_null())
    passages = pl.read_parquet(out / "passages" / "*.parquet").filter(pl.col("doc_id").is_in(docs["doc_id"].implode()))
    excluded["passages_of_excluded_documents"] = (
        pl.scan_parquet(out / "passages" / "*.parquet").select(pl.len()).collect().item() - passages.height)
    return docs, passages, excluded


def write_release_data(folder: Path, docs: pl.DataFrame, passages: pl.DataFrame, row_group_rows: int) -> list[dict]:
    """data/<table>/part-*.parquet and data/<table>.jsonl.gz; one file entry each."""
    files: list[dict] = []
    for name, frame in (("documents", docs), ("passages", passages)):
        writer = D.TableWriter(name, [D.ParquetParts(folder / "data" / name, name, row_group_rows),
                                      D.JsonLines(folder / "data" / f"{name}.jsonl.gz")])
        writer.add(frame)
        files += [{"path": f["path"].relative_to(folder).as_posix(), "rows": f["rows"], "table": name,
                   "format": f["format"]} for f in writer.close()]
    return files


def write_release_card(folder: Path, cfg: Config, manifest: dict, version: str, counts: dict, excluded: dict,
                       exclude_duplicates: bool) -> None:
    """The release's README.md: the dataset card with the release's notes and numbers."""
    card_counts = {"documents": counts["documents"], "passages": counts["passages"],
                   "documents_by_language": counts["documents_by_language"],
                   "passages_by_language": counts["passages_by_language"],
                   "inputs": manifest["counts"]["inputs"], "quarantined": manifest["counts"]["quarantined"],
                   "skipped": manifest["counts"]["skipped"], "removed_lines": manifest["counts"]["removed_lines"],
                   "removed_by_reason": manifest["counts"]["removed_by_reason"],
                   "left_out": {"no article body": excluded["documents_without_body"],
                                "duplicates": excluded["duplicates"] if exclude_duplicates else 0}}
    run = {"run_id": manifest["run_id"], "pipeline_version": manifest["pipeline_version"]}
    release_notes = [
        f"## Release {version}", "",
        f"Built from run `{manifest['run_id']}` (newsclean {manifest['pipeline_version']}). Files: `data/documents/`,",
        "`data/passages/` (Parquet, zstd), `data/*.jsonl.gz` (the same rows as gzipped JSON Lines),",
        "`croissant.json` (Croissant 1.0 metadata), `release.json`, `CHANGELOG.md`, `SHA256SUMS`",
        "(check with `sha256sum -c SHA256SUMS`).",
        f"Left out: {excluded['documents_without_body']} pages with no article body"
        + (f", {excluded['duplicates']} duplicates (`duplicate_of` set)" if exclude_duplicates else
           "; duplicates are included and marked (`duplicate_of`): filter them with `duplicate_of IS NULL`") + ".",
        "",
    ]
    render_card(folder / "README.md", cfg, run, card_counts,
                configs=(("documents", "data/documents/*.parquet"), ("passages", "data/passages/*.parquet")),
                tables=RELEASE_TABLES, release=release_notes, files_note=[])


def checksummed(folder: Path, files: list[dict], extras: tuple[str, ...]) -> list[dict]:
    """The data files' entries with sha256 and bytes, then one entry for each extra file."""
    for f in files:
        p = folder / f["path"]
        f["sha256"], f["bytes"] = D.sha256_file(p), p.stat().st_size
    for extra in extras:
        p = folder / extra
        files.append({"path": extra, "rows": None, "format": p.suffix.lstrip("."), "sha256": D.sha256_file(p),
                      "bytes": p.stat().st_size})
    return files


def publish(out: Path, version: str, to: str, cfg: Config, build_root: Path, dry_run: bool = False,
            exclude_duplicates: bool = False, endpoint_url: str | None = None, say=print,
            keep_build: bool = False) -> dict:
    """Build, check and upload a release; returns a report (version, target, operations). Once
    uploaded, the assembled copy under `build_root` is removed (the target holds the release) unless
    `keep_build`; a dry run keeps it to be looked at."""
    version = parse_version(version)
    target = target_for(to, endpoint_url)
    versions = target.versions()
    if version in versions:
        raise PublishRefused([f"{target.describe()} already holds version {version}; releases are immutable"])
    older = [v for v in versions if version_key(v) < version_key(version)]
    previous = target.read_release(older[-1]) if older else None
    if versions and not older:
        raise PublishRefused([f"version {version} is not newer than {versions[-1]} at {target.describe()}"])
    release = build_release(out, version, build_root, cfg, previous, exclude_duplicates)
    ops = target.upload(release, dry_run, say, previous)
    kept = dry_run or keep_build
    if not kept:
        shutil.rmtree(release.folder, ignore_errors=True)
    return {"version": version, "target": target.describe(), "dry_run": dry_run,
            "release_folder": str(release.folder) if kept else None,
            "previous_version": previous["version"] if previous else None, "operations": ops,
            "counts": release.info["counts"], "excluded": release.info["excluded"]}
