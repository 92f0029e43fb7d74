"""Where a release goes: a folder, S3-compatible object storage, or the Hugging Face Hub.

Every target honours one contract (`Target`): say what it is, list the versions it holds, read one
release's release.json, and upload a built release (data first, the announcing files last; nothing
on a dry run). A new target is a class here and an entry in `TARGETS`, keyed by URL scheme.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Protocol

from .release import VERSION_RE, PublishRefused, Release, upload_order, verify_sums, version_key


class Target(Protocol):
    def describe(self) -> str:
        """The target in words, for messages (never a credential)."""

    def versions(self) -> list[str]:
        """Versions the target holds, oldest first."""

    def read_release(self, version: str) -> dict:
        """That version's release.json."""

    def upload(self, release: Release, dry_run: bool, say, previous: dict | None = None) -> list[dict]:
        """Upload `release` (after `previous`, the target's latest older release, or None); returns
        the operations ({"op", "path", "bytes", ...}) done, or that would be done on a dry run."""


class LocalTarget:
    """A folder: each release in `<folder>/<version>/`."""

    def __init__(self, url: str, endpoint_url: str | None = None):
        self.root = Path(url.removeprefix("file://"))

    def describe(self) -> str:
        return str(self.root)

    def versions(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted((p.name for p in self.root.iterdir() if (p / "release.json").exists()), key=version_key)

    def read_release(self, version: str) -> dict:
        return json.loads((self.root / version / "release.json").read_text(encoding="utf-8"))

    def upload(self, release: Release, dry_run: bool, say, previous: dict | None = None) -> list[dict]:
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
        return sorted(found, key=version_key)

    def read_release(self, version: str) -> dict:
        body = self.client.get_object(Bucket=self.bucket, Key=self._key(version, "release.json"))["Body"].read()
        return json.loads(body)

    def upload(self, release: Release, dry_run: bool, say, previous: dict | None = None) -> list[dict]:
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

    def __init__(self, url: str, endpoint_url: str | None = None):
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
        return sorted((t.name.lstrip("v") for t in refs.tags if VERSION_RE.match(t.name)), key=version_key)

    def read_release(self, version: str) -> dict:
        path = self.api.hf_hub_download(self.repo_id, "release.json", repo_type="dataset", revision=f"v{version}")
        return json.loads(Path(path).read_text(encoding="utf-8"))

    def operations(self, release: Release, previous: dict | None):
        """The commit: every release file added; files of the previous release that this one no
        longer has are deleted (a data part that disappeared must not linger in the repository)."""
        from huggingface_hub import CommitOperationAdd, CommitOperationDelete

        rels = upload_order(release)
        ops = [CommitOperationAdd(path_in_repo=rel, path_or_fileobj=str(release.folder / rel)) for rel in rels]
        stale = sorted({f["path"] for f in (previous or {}).get("files", [])} - set(rels) - {"SHA256SUMS",
                                                                                             "release.json"})
        ops += [CommitOperationDelete(path_in_repo=rel) for rel in stale]
        return ops

    def upload(self, release: Release, dry_run: bool, say, previous: dict | None = None) -> list[dict]:
        ops = self.operations(release, previous)
        described = [{"op": type(o).__name__, "path": o.path_in_repo,
                      "bytes": (release.folder / o.path_in_repo).stat().st_size if hasattr(o,
                                                                                           "path_or_fileobj") else None}
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


TARGETS: dict[str, type] = {"file": LocalTarget, "s3": S3Target, "hf": HFTarget}


def target_for(to: str, endpoint_url: str | None = None) -> Target:
    """The target a `--to` value names: a URL whose scheme is in TARGETS, or a plain folder."""
    scheme = to.split("://", 1)[0] if "://" in to else "file"
    if scheme not in TARGETS:
        raise PublishRefused([f"unknown target {to!r}: use a folder, s3://BUCKET/PREFIX or hf://datasets/OWNER/NAME"])
    return TARGETS[scheme](to, endpoint_url)
