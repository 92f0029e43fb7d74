"""Turn a tagged page source (tests/data/<set>/pages.src) into `<id>.txt` pages and `gold.jsonl`.

    python benchmarks/make_goldset.py tests/data/holdout6

Each page starts with `=== id`, then `@published`, `@source_url` lines, then one line per page line
tagged with its gold role: `T|` title, `B|` body, `C|` caption, `X|` boilerplate, `U|`
trailing_unrelated, and `|` alone for a blank line. The gold format is the one `newsclean eval` and
`../shared/tools/score_run.py` read.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROLE = {"T": "title", "B": "body_paragraphs", "C": "captions", "X": "boilerplate_lines", "U": "trailing_unrelated"}


def parse(src: str) -> list[dict]:
    pages: list[dict] = []
    for raw in src.splitlines():
        if raw.startswith("#") and not pages:
            continue
        if raw.startswith("=== "):
            pages.append({"id": raw[4:].strip(), "lines": [], "meta": {}})
        elif raw.startswith("@") and pages:
            key, _, value = raw[1:].partition(" ")
            pages[-1]["meta"][key] = None if value.strip() == "null" else value.strip()
        elif pages and raw.strip():
            tag, sep, text = raw.partition("|")
            if not sep or (tag and tag not in ROLE):
                raise ValueError(f"{pages[-1]['id']}: untagged line {raw!r}")
            pages[-1]["lines"].append((tag, text.strip()))
    return pages


def gold_of(page: dict) -> dict:
    g = {"id": page["id"], "title": None, "published": page["meta"].get("published"),
         "source_url": page["meta"].get("source_url"), "body_paragraphs": [], "captions": [],
         "boilerplate_lines": [], "trailing_unrelated": []}
    for tag, text in page["lines"]:
        if tag == "T":
            g["title"] = text
        elif tag:
            g[ROLE[tag]].append(text)
    return g


def main() -> int:
    folder = Path(sys.argv[1])
    pages = parse((folder / "pages.src").read_text(encoding="utf-8"))
    with open(folder / "gold.jsonl", "w", encoding="utf-8") as fh:
        for page in pages:
            text = "\n".join(text if tag else "" for tag, text in page["lines"]) + "\n"
            (folder / f"{page['id']}.txt").write_text(text, encoding="utf-8")
            fh.write(json.dumps(gold_of(page), ensure_ascii=False) + "\n")
    print(f"{len(pages)} pages written to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
