"""Peer (a): the hand-rolled script — seeded langdetect on every line, lines written to Parquet.

    python benchmarks/peer_langdetect.py RAW OUT
"""
from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from langdetect import DetectorFactory, detect
from langdetect.lang_detect_exception import LangDetectException


def main(raw: Path, out: Path) -> None:
    DetectorFactory.seed = 0
    out.mkdir(parents=True, exist_ok=True)
    rows = {"path": [], "line": [], "text": [], "lang": []}
    for path in sorted(p for p in raw.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for i, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            try:
                lang = detect(line)
            except LangDetectException:
                lang = "unknown"
            for k, v in (("path", str(path.relative_to(raw))), ("line", i), ("text", line), ("lang", lang)):
                rows[k].append(v)
    pq.write_table(pa.table(rows), out / "lines.parquet", compression="zstd")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
