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

import base64
import gzip
import hashlib
import io
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from transforms.schema import PUBLISHED

from . import dataset as D
from .card import render_card
from .config import Config
from .croissant import croissant_metadata

RELEASE_TABLES = ("documents", "passages")
VERSION_RE = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")


class PublishRefused(Exception):
    """A check failed: the release is not published. `failures` says which."""

    def __init__(self, failures: list[str]):
        super().__init__("; ".join(failures))
        self.failures = failures


def parse_version(version: str) -> str:
    m = VERSION_RE.match(version.strip())
    if not m:
        raise PublishRefused([f"version {version!r} is not MAJOR.MINOR.PATCH (e.g. 1.0.0)"])
    return ".".join(m.groups())


def _version_key(v: str) -> tuple[int, int, int]:
    m = VERSION_RE.match(v)
    return tuple(int(x) for x in m.groups()) if m else (-1, -1, -1)


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

@dataclass
class Release:
    folder: Path
    version: str
    info: dict          # release.json


def _gzip_jsonl(frame: pl.DataFrame, path: Path) -> None:
    buf = io.BytesIO()
    frame.write_ndjson(buf)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(buf.getvalue())


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
    lines = [f"# Changelog", "", f"## {version} ({released_at[:10]})", ""]
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
        before = prev_counts.get(label) if path is None else prev_counts.get(path[0], {}).get(path[1], 0 if previous else None)
        change = "" if before is None else f"{now - before:+d}"
        lines.append(f"| {label} | {'' if before is None else before} | {now} | {change} |")
    old = (previous or {}).get("changelog_tail", "")
    return "\n".join(lines) + "\n" + (("\n" + old) if old else "")


def build_release(out: Path, version: str, build_root: Path, cfg: Config, previous: dict | None = None,
                  exclude_duplicates: bool = False) -> Release:
    """Check the output and build the release folder; raises PublishRefused on a failed check."""
    version = parse_version(version)
    manifest = check_output(out)
    docs = pl.read_parquet(out / "documents" / "*.parquet")
    excluded = {"documents_without_body": int((docs["n_chars"] == 0).sum())}
    docs = docs.filter(pl.col("n_chars") > 0)
    if exclude_duplicates:
        excluded["duplicates"] = int(docs["duplicate_of"].is_not_null().sum())
        docs = docs.filter(pl.col("duplicate_of").is_null())
    passages = pl.read_parquet(out / "passages" / "*.parquet").filter(pl.col("doc_id").is_in(docs["doc_id"].implode()))
    excluded["passages_of_excluded_documents"] = (
        pl.scan_parquet(out / "passages" / "*.parquet").select(pl.len()).collect().item() - passages.height)
    failures = check_release_rows(docs, passages)
    if failures:
        raise PublishRefused(failures)

    folder = build_root / f"release-{version}"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "data").mkdir(parents=True)
    files: list[dict] = []
    for name, frame in (("documents", docs), ("passages", passages)):
        writer = D.TableWriter(folder / "data" / name, name, cfg.row_group_rows)
        writer.add(frame)
        for part in writer.close():
            files.append({"path": part["path"].relative_to(folder).as_posix(), "rows": part["rows"], "table": name,
                          "format": "parquet"})
        ordered = D.sort_frame(frame, name).select(PUBLISHED[name].names)
        _gzip_jsonl(ordered, folder / "data" / f"{name}.jsonl.gz")
        files.append({"path": f"data/{name}.jsonl.gz", "rows": ordered.height, "table": name, "format": "jsonl.gz"})

    counts = _release_counts(docs, passages)
    released_at = manifest["processed_at"]
    name = cfg.dataset_name
    card_counts = {"documents": counts["documents"], "passages": counts["passages"],
                   "documents_by_language": counts["documents_by_language"],
                   "passages_by_language": counts["passages_by_language"],
                   "inputs": manifest["counts"]["inputs"], "quarantined": manifest["counts"]["quarantined"],
                   "skipped": manifest["counts"]["skipped"], "removed_lines": manifest["counts"]["removed_lines"],
                   "removed_by_reason": manifest["counts"]["removed_by_reason"]}
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
    (folder / "croissant.json").write_text(json.dumps(
        croissant_metadata(cfg, version, released_at, files, folder), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")
    log_text = changelog(version, counts, previous, released_at)
    (folder / "CHANGELOG.md").write_text(log_text, encoding="utf-8")
    for f in files:
        p = folder / f["path"]
        f["sha256"], f["bytes"] = D.sha256_file(p), p.stat().st_size
    for extra in ("README.md", "croissant.json", "CHANGELOG.md"):
        p = folder / extra
        files.append({"path": extra, "rows": None, "format": p.suffix.lstrip("."), "sha256": D.sha256_file(p),
                      "bytes": p.stat().st_size})
    info = {"name": name, "version": version, "released_at": released_at, "source_run_id": manifest["run_id"],
            "pipeline_version": manifest["pipeline_version"], "license": cfg.license,
            "source_manifest_sha256": D.sha256_file(out / "manifest.json"),
            "previous_version": (previous or {}).get("version"), "counts": counts, "excluded": excluded,
            "exclude_duplicates": exclude_duplicates, "files": files,
            "changelog_tail": log_text.split("\n", 2)[2] if log_text.startswith("# Changelog") else log_text}
    D.write_json(folder / "release.json", info)
    sums = [f"{D.sha256_file(folder / rel)}  {rel}" for rel in sorted(_all_files(folder)) if rel != "SHA256SUMS"]
    (folder / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    failures = verify_sums(folder)
    if failures:
        raise PublishRefused(failures)
    return Release(folder, version, info)


def _all_files(folder: Path) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]


def verify_sums(folder: Path) -> list[str]:
    """Check a release folder against its SHA256SUMS (what `sha256sum -c` does)."""
    failures = []
    listed = set()
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, rel = line.split("  ", 1)
        listed.add(rel)
        p = folder / rel
        if not p.exists() or D.sha256_file(p) != digest:
            failures.append(f"checksum: {rel} does not match SHA256SUMS")
    unlisted = set(_all_files(folder)) - listed - {"SHA256SUMS"}
    failures += [f"checksum: {rel} is not listed in SHA256SUMS" for rel in sorted(unlisted)]
    return failures


def upload_order(release: Release) -> list[str]:
    """Files in upload order: data first, the files that announce a release (card, release.json,
    SHA256SUMS) last, so a reader never sees a release.json whose data is not there yet."""
    rels = sorted(_all_files(release.folder))
    last = ["README.md", "croissant.json", "CHANGELOG.md", "SHA256SUMS", "release.json"]
    return [r for r in rels if r not in last] + [r for r in last if r in rels]


# --- targets ------------------------------------------------------------------------------------

class LocalTarget:
    """A folder: each release in `<folder>/<version>/`."""

    def __init__(self, root: Path):
        self.root = root

    def describe(self) -> str:
        return str(self.root)

    def versions(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted((p.name for p in self.root.iterdir() if (p / "release.json").exists()), key=_version_key)

    def read_release(self, version: str) -> dict:
        return json.loads((self.root / version / "release.json").read_text(encoding="utf-8"))

    def upload(self, release: Release, dry_run: bool, say) -> list[dict]:
        dest = self.root / release.version
        ops = [{"op": "copy", "path": rel, "to": str(dest / rel), "bytes": (release.folder / rel).stat().st_size}
               for rel in upload_order(release)]
        if dry_run:
            return ops
        staging = self.root / f".{release.version}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        for op in ops:
            (staging / op["path"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(release.folder / op["path"], staging / op["path"])
        failures = verify_sums(staging)
        if failures:
            shutil.rmtree(staging, ignore_errors=True)
            raise PublishRefused(failures)
        os.rename(staging, dest)  # the version appears whole or not at all
        return ops


class S3Target:
    """S3-compatible object storage: `s3://bucket/prefix/<version>/...`. Credentials and endpoint come
    from the usual AWS settings (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, ...)."""

    def __init__(self, url: str, endpoint_url: str | None = None):
        m = re.match(r"^s3://([^/]+)/?(.*)$", url)
        if not m:
            raise PublishRefused([f"target {url!r} is not s3://BUCKET/PREFIX"])
        self.bucket, self.prefix = m.group(1), m.group(2).strip("/")
        self.endpoint_url = endpoint_url or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
        self._client = None

    @property
    def client(self):
        if self._client is None:
            import boto3

            self._client = boto3.client("s3", endpoint_url=self.endpoint_url)
        return self._client

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" + (f" at {self.endpoint_url}" if self.endpoint_url else "")

    def _key(self, *parts: str) -> str:
        return "/".join(p for p in (self.prefix, *parts) if p)

    def versions(self) -> list[str]:
        found = []
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self._key("") + ("/" if self.prefix else ""), Delimiter="/")
        for page in pages:
            for cp in page.get("CommonPrefixes", []):
                v = cp["Prefix"].rstrip("/").rsplit("/", 1)[-1]
                if VERSION_RE.match(v):
                    try:
                        self.client.head_object(Bucket=self.bucket, Key=self._key(v, "release.json"))
                        found.append(v)
                    except self.client.exceptions.ClientError:
                        pass
        return sorted(found, key=_version_key)

    def read_release(self, version: str) -> dict:
        body = self.client.get_object(Bucket=self.bucket, Key=self._key(version, "release.json"))["Body"].read()
        return json.loads(body)

    def upload(self, release: Release, dry_run: bool, say) -> list[dict]:
        ops = [{"op": "put", "path": rel, "to": f"s3://{self.bucket}/{self._key(release.version, rel)}",
                "bytes": (release.folder / rel).stat().st_size} for rel in upload_order(release)]
        if dry_run:
            return ops
        for op in ops:
            data = (release.folder / op["path"]).read_bytes()
            md5 = hashlib.md5(data).digest()
            key = self._key(release.version, op["path"])
            # ContentMD5: the server refuses a body that arrives damaged; the ETag confirms what it stored
            got = self.client.put_object(Bucket=self.bucket, Key=key, Body=data,
                                         ContentMD5=base64.b64encode(md5).decode(),
                                         Metadata={"sha256": hashlib.sha256(data).hexdigest()})
            if got.get("ETag", "").strip('"') != md5.hex():
                raise PublishRefused([f"checksum: s3 stored {key} with ETag {got.get('ETag')} != md5 {md5.hex()}"])
            say(f"  uploaded {op['path']} ({op['bytes']:,} bytes)")
        return ops


class HFTarget:
    """The Hugging Face Hub: `hf://datasets/OWNER/NAME`; a release is one commit plus a `vX.Y.Z` tag.
    The token is read from HF_TOKEN (or huggingface_hub's own login) and never printed."""

    def __init__(self, url: str):
        m = re.match(r"^hf://datasets/([^/]+/[^/]+)/?$", url)
        if not m:
            raise PublishRefused([f"target {url!r} is not hf://datasets/OWNER/NAME"])
        self.repo_id = m.group(1)
        self._api = None

    @property
    def api(self):
        if self._api is None:
            from huggingface_hub import HfApi

            self._api = HfApi(token=os.environ.get("HF_TOKEN") or None)
        return self._api

    def describe(self) -> str:
        return f"hf://datasets/{self.repo_id}"

    def versions(self) -> list[str]:
        try:
            refs = self.api.list_repo_refs(self.repo_id, repo_type="dataset")
        except Exception:  # noqa: BLE001 - a repository that does not exist yet has no releases
            return []
        return sorted((t.name.lstrip("v") for t in refs.tags if VERSION_RE.match(t.name)), key=_version_key)

    def read_release(self, version: str) -> dict:
        path = self.api.hf_hub_download(self.repo_id, "release.json", repo_type="dataset", revision=f"v{version}")
        return json.loads(Path(path).read_text(encoding="utf-8"))

    def operations(self, release: Release, previous: dict | None):
        """The commit: every release file added; files of the previous release that this one no
        longer has are deleted (a data part that disappeared must not linger in the repository)."""
        from huggingface_hub import CommitOperationAdd, CommitOperationDelete

        rels = upload_order(release)
        ops = [CommitOperationAdd(path_in_repo=rel, path_or_fileobj=str(release.folder / rel)) for rel in rels]
        stale = sorted({f["path"] for f in (previous or {}).get("files", [])} - set(rels) - {"SHA256SUMS", "release.json"})
        ops += [CommitOperationDelete(path_in_repo=rel) for rel in stale]
        return ops

    def upload(self, release: Release, dry_run: bool, say, previous: dict | None = None) -> list[dict]:
        ops = self.operations(release, previous)
        described = [{"op": type(o).__name__, "path": o.path_in_repo,
                      "bytes": (release.folder / o.path_in_repo).stat().st_size if hasattr(o, "path_or_fileobj") else None}
                     for o in ops]
        if dry_run:
            return described
        self.api.create_repo(self.repo_id, repo_type="dataset", exist_ok=True)
        info = self.api.create_commit(repo_id=self.repo_id, repo_type="dataset", operations=ops,
                                      commit_message=f"Release v{release.version}",
                                      commit_description=(release.folder / "CHANGELOG.md").read_text(encoding="utf-8"))
        self.api.create_tag(self.repo_id, tag=f"v{release.version}", repo_type="dataset",
                            revision=getattr(info, "oid", None), tag_message=f"newsclean release {release.version}")
        return described


def target_for(to: str, endpoint_url: str | None = None):
    if to.startswith("s3://"):
        return S3Target(to, endpoint_url)
    if to.startswith("hf://"):
        return HFTarget(to)
    if "://" in to:
        raise PublishRefused([f"unknown target {to!r}: use a folder, s3://BUCKET/PREFIX or hf://datasets/OWNER/NAME"])
    return LocalTarget(Path(to))


def publish(out: Path, version: str, to: str, cfg: Config, build_root: Path, dry_run: bool = False,
            exclude_duplicates: bool = False, endpoint_url: str | None = None, say=print) -> dict:
    """Build, check and upload a release; returns a report (version, target, operations)."""
    version = parse_version(version)
    target = target_for(to, endpoint_url)
    versions = target.versions()
    if version in versions:
        raise PublishRefused([f"{target.describe()} already holds version {version}; releases are immutable"])
    older = [v for v in versions if _version_key(v) < _version_key(version)]
    previous = target.read_release(older[-1]) if older else None
    if versions and not older:
        raise PublishRefused([f"version {version} is not newer than {versions[-1]} at {target.describe()}"])
    release = build_release(out, version, build_root, cfg, previous, exclude_duplicates)
    if isinstance(target, HFTarget):
        ops = target.upload(release, dry_run, say, previous)
    else:
        ops = target.upload(release, dry_run, say)
    return {"version": version, "target": target.describe(), "dry_run": dry_run, "release_folder": str(release.folder),
            "previous_version": previous["version"] if previous else None, "operations": ops,
            "counts": release.info["counts"], "excluded": release.info["excluded"]}
