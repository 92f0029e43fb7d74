"""All settings in one typed place: defaults that work, a TOML file or flags to override.

The resolved configuration is written into every run's `manifest.json`, so a dataset says how it
was made. Precedence: defaults < `--config FILE` < command-line flags.
"""
from __future__ import annotations

import dataclasses
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsclean.readers import InputParams
from transforms.classify import CleanParams
from transforms.dedup import DedupParams
from transforms.langid import LangParams


@dataclass(frozen=True)
class Config:
    # A local folder, or an fsspec URL (s3://bucket/prefix, gs://..., file://...).
    raw: Path | str = Path("raw")
    out: Path = Path("output")
    # A shard (one task per step) holds at most `shard_size` pages and at most `shard_bytes` bytes of
    # raw files: ~1,500 real pages of 11 KB, or 10,000 small ones, so the cost of each task (Prefect's
    # ~35 ms, two API clients, a shard's own setup) stays small and a shard's memory bounded. 16 MiB
    # against 4 MiB, two workers: 17-21% less wall time on real and generated corpora, peak memory
    # 641 MB -> 1.14 GB (benchmarks/RESULTS.md, 2026-12-07).
    shard_size: int = 10_000
    shard_bytes: int = 16 * 1024 * 1024
    # Parallel shard tasks: 1 runs them in this process (threads); N > 1 in N worker processes.
    workers: int = 1
    # An existing Dask cluster to run the shard tasks on (tcp://HOST:8786); overrides `workers`.
    dask_address: str | None = None
    # Files larger than this are quarantined rather than read (a page is never this big).
    max_file_mb: float = 64.0
    # Names starting with "." (.gitkeep, .DS_Store) are skipped and listed in the manifest.
    skip_hidden: bool = True
    # Rows per Parquet row group; keeps row groups well under 100 MB for news text.
    row_group_rows: int = 50_000
    # Dataset card: the license of the compilation (page texts keep their publishers' rights).
    license: str = "cc-by-4.0"
    takedown_contact: str = "open an issue in the project's repository"
    dataset_name: str = "newsclean Vietnamese/English news"
    # Where the published dataset lives (its Hub or project page); written into the Croissant metadata.
    homepage: str = ""
    # Rebuild everything instead of processing only new and changed raw files (`--full`).
    full: bool = False
    input: InputParams = field(default_factory=InputParams)
    clean: CleanParams = field(default_factory=CleanParams)
    lang: LangParams = field(default_factory=LangParams)
    dedup: DedupParams = field(default_factory=DedupParams)

    def method_dict(self) -> dict[str, Any]:
        """The settings that decide the rows (every section, and ROW_SETTINGS): when they differ
        from the previous run's, an incremental run rebuilds everything (old rows would not match)."""
        return {k: dataclasses.asdict(getattr(self, k)) for k in sections()} | {
            k: getattr(self, k) for k in ROW_SETTINGS}

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["raw"], d["out"] = str(self.raw), str(self.out)
        return d


# Top-level settings that change what a run writes (the sections always do).
ROW_SETTINGS = ("max_file_mb", "skip_hidden")


def sections() -> dict[str, type]:
    """The configuration's sections ([clean], [lang], ...): the fields of Config that are dataclasses,
    each a frozen parameter class with defaults and reasons, owned by the module that uses it."""
    hints = typing.get_type_hints(Config)
    return {f.name: hints[f.name] for f in dataclasses.fields(Config) if dataclasses.is_dataclass(hints[f.name])}


def _expected(default: Any) -> tuple[type, ...] | None:
    """The TOML types a setting with this default accepts (None: anything)."""
    if isinstance(default, bool):
        return (bool,)
    if isinstance(default, int):
        return (int,)
    if isinstance(default, float):
        return (int, float)
    if isinstance(default, (str, Path)):
        return (str,)
    if isinstance(default, tuple):
        return (list, tuple)
    return None


def _section(cls, values: dict[str, Any], where: str, problems: list[str]):
    """A section's values, checked: every unknown key and every value of the wrong type is added to
    `problems` (so a file's mistakes are reported together, not one per run)."""
    if not isinstance(values, dict):
        problems.append(f"{where}: expected a table of settings, got {type(values).__name__}")
        return {}
    known = {f.name: f for f in dataclasses.fields(cls)}
    for key in sorted(set(values) - set(known)):
        problems.append(f"{where}: unknown setting {key!r} (known: {', '.join(sorted(known))})")
    for key in sorted(set(values) & set(known)):
        f = known[key]
        default = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else None)
        want = _expected(default)
        value = values[key]
        if want and (not isinstance(value, want) or (isinstance(value, bool) and bool not in want)):
            problems.append(f"{where}: {key} = {value!r} should be {' or '.join(t.__name__ for t in want)}")
    # TOML arrays are lists; settings that hold several values are tuples (frozen, hashable)
    return {k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in known}


def load_config(path: Path | None = None, **overrides: Any) -> Config:
    """Defaults, then the TOML file's values, then the non-None keyword overrides."""
    data: dict[str, Any] = {}
    if path is not None:
        with open(path, "rb") as fh:
            try:
                data = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    problems: list[str] = []
    parts = {name: _section(cls, data.pop(name, {}), f"{path} [{name}]", problems)
             for name, cls in sections().items()}
    top = _section(Config, data, str(path), problems)
    if problems:
        raise ValueError("configuration: " + "; ".join(problems))
    for key, value in overrides.items():
        if value is None:
            continue
        section = next((name for name in parts if key.startswith(name + "_")), None)
        if section:  # lang_detector=... sets [lang] detector
            parts[section][key[len(section) + 1:]] = value
        else:
            top[key] = value
    for key in ("raw", "out"):
        if key in top and not (key == "raw" and "://" in str(top[key])):
            top[key] = Path(top[key])
    cfg = Config(**top, **{name: cls(**parts[name]) for name, cls in sections().items()})
    if cfg.shard_size < 1 or cfg.shard_bytes < 1:
        raise ValueError("shard_size and shard_bytes must be at least 1")
    return cfg
