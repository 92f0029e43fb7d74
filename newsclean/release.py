"""What a release is, whatever it is built from or uploaded to: its folder and version, the refusal
that stops it, version ordering, and the checksum file that proves a copy whole."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .dataset import sha256_file

VERSION_RE = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")
# Files that announce a release: uploaded last, so a reader never sees a release.json whose data is
# not there yet.
ANNOUNCING = ("README.md", "croissant.json", "CHANGELOG.md", "SHA256SUMS", "release.json")


class PublishRefused(Exception):
    """A check failed: the release is not published. `failures` says which."""

    def __init__(self, failures: list[str]):
        super().__init__("; ".join(failures))
        self.failures = failures


@dataclass
class Release:
    folder: Path
    version: str
    info: dict          # release.json


def parse_version(version: str) -> str:
    m = VERSION_RE.match(version.strip())
    if not m:
        raise PublishRefused([f"version {version!r} is not MAJOR.MINOR.PATCH (e.g. 1.0.0)"])
    return ".".join(m.groups())


def version_key(v: str) -> tuple[int, int, int]:
    m = VERSION_RE.match(v)
    return tuple(int(x) for x in m.groups()) if m else (-1, -1, -1)


def all_files(folder: Path) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]


def write_sums(folder: Path) -> None:
    """SHA256SUMS in `sha256sum -c` format: every file of the folder but itself."""
    sums = [f"{sha256_file(folder / rel)}  {rel}" for rel in sorted(all_files(folder)) if rel != "SHA256SUMS"]
    (folder / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")


def verify_sums(folder: Path) -> list[str]:
    """Check a release folder against its SHA256SUMS (what `sha256sum -c` does)."""
    failures = []
    listed = set()
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, rel = line.split("  ", 1)
        listed.add(rel)
        p = folder / rel
        if not p.exists() or sha256_file(p) != digest:
            failures.append(f"checksum: {rel} does not match SHA256SUMS")
    unlisted = set(all_files(folder)) - listed - {"SHA256SUMS"}
    failures += [f"checksum: {rel} is not listed in SHA256SUMS" for rel in sorted(unlisted)]
    return failures


def upload_order(release: Release) -> list[str]:
    """Files in upload order: data first, the files that announce a release last."""
    rels = sorted(all_files(release.folder))
    return [r for r in rels if r not in ANNOUNCING] + [r for r in ANNOUNCING if r in rels]
