"""The dataset card (`output/README.md`): what the dataset is, its numbers, schema and provenance."""
from __future__ import annotations

from pathlib import Path

from transforms.schema import PUBLISHED, Table

from .config import Config


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                        (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if n < limit:
            return name
    return "10M<n<100M"


def column_table(table: Table) -> list[str]:
    """A table's columns as Markdown (the card's and the README's "Columns" tables)."""
    return ["| column | type | meaning |", "|---|---|---|"] + [
        f"| `{c.name}` | `{c.type}` | {c.doc} |" for c in table.columns]


def readme_columns() -> str:
    """The README's "Columns" section, generated from the registry (tests/test_docs.py checks that
    the README holds it verbatim; `python -m newsclean.card README.md` rewrites it)."""
    out = ["### Columns", ""]
    for name, table in PUBLISHED.items():
        out += [f"#### `output/{name}/*.parquet`", ""] + column_table(table) + [""]
    return "\n".join(out)


def rewrite_readme_columns(readme: Path) -> bool:
    """Replace the README's Columns section (up to the next `## ` heading); True when it changed."""
    text = readme.read_text(encoding="utf-8")
    start = text.index("### Columns\n")
    end = text.index("\n## ", start) + 1
    new = text[:start] + readme_columns() + "\n" + text[end:]
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


OUTPUT_CONFIGS = (("documents", "documents/*.parquet"), ("passages", "passages/*.parquet"),
                  ("removed", "removed/*.parquet"))


def render_card(path: Path, cfg: Config, run: dict, counts: dict, configs=OUTPUT_CONFIGS,
                tables: tuple[str, ...] = tuple(PUBLISHED), release: list[str] | None = None,
                files_note: list[str] | None = None) -> None:
    """Write the card: a Hugging Face YAML header (`configs` name the data files; the first is the
    default), then summary, numbers, structure, method, provenance, licensing, limitations.
    `release` lines (a published version's notes) go after the summary."""
    lines = _hub_header(cfg, counts, configs) + [
        f"# {cfg.dataset_name}",
        "",
        "Cleaned text of Vietnamese and English news pages: each page's title, article body and photo",
        "captions, with site menus, bylines, widgets, related-story lists, footers and paragraphs of other",
        *_removed_where(tables, run),
        "",
        *(release or []),
    ]
    lines += _numbers(run, counts) + ["", "## Structure", ""]
    for table in tables:
        lines += [f"### `{table}/`", ""] + column_table(PUBLISHED[table]) + [""]
    lines += files_note if files_note is not None else [
        "`documents.jsonl` and `passages.jsonl` hold the same rows as JSON Lines (UTF-8, timestamps in UTC).",
        "`manifest.json` lists every input with its sha256 and outcome, every output file with its sha256 and",
        "row count, and the full configuration of the run.",
    ]
    path.write_text("\n".join(lines + _method_and_terms(cfg)), encoding="utf-8")


def _hub_header(cfg: Config, counts: dict, configs) -> list[str]:
    """The YAML front matter the Hugging Face Hub reads (license, languages, size, data files)."""
    lines = ["---", f"license: {cfg.license}", "language:", "- vi", "- en", f"pretty_name: {cfg.dataset_name}",
             "task_categories:", "- text-generation", "size_categories:", f"- {_size_category(counts['documents'])}",
             "configs:"]
    for i, (name, glob) in enumerate(configs):
        lines += [f"- config_name: {name}", f"  data_files: {glob}"] + (["  default: true"] if i == 0 else [])
    return lines + ["---", ""]


def _removed_where(tables, run: dict) -> list[str]:
    """Where removed lines are: in this folder's `removed/`, or (a release) in the source run's."""
    if "removed" in tables:
        return ["stories removed. Every removed line is kept in `removed/` with its reason, and every passage",
                "points back to its raw file by line numbers and character offsets."]
    return ["stories removed. Removed lines are not part of this release: the source run's `removed/` table",
            f"(run `{run['run_id']}`) keeps each with its reason, and every passage points back to its raw file",
            "by line numbers and character offsets."]


def _numbers(run: dict, counts: dict) -> list[str]:
    docs_by_lang, pass_by_lang = counts["documents_by_language"], counts["passages_by_language"]
    left_out = {k: v for k, v in counts.get("left_out", {}).items() if v}
    # the line adds up: inputs = documents + left out + quarantined + skipped
    kept = (f"{counts['documents']} documents"
            + (f" ({', '.join(f'{n} left out: {k}' for k, n in left_out.items())})" if left_out else ""))
    lines = [
        "## Numbers",
        "",
        f"- run `{run['run_id']}`, newsclean {run['pipeline_version']}",
        f"- {counts['inputs']} inputs: {kept}, {counts['quarantined']} quarantined, {counts['skipped']} skipped",
        f"- {counts['passages']} passages kept, {counts['removed_lines']} lines removed",
        "",
        "| language | documents | passages |",
        "|---|---|---|",
    ]
    for lang in sorted(set(docs_by_lang) | set(pass_by_lang)):
        lines.append(f"| {lang} | {docs_by_lang.get(lang, 0)} | {pass_by_lang.get(lang, 0)} |")
    lines += ["", "Removed lines by reason:", "", "| reason | lines |", "|---|---|"]
    return lines + [f"| {reason} | {n} |" for reason, n in counts["removed_by_reason"].items()]


def _method_and_terms(cfg: Config) -> list[str]:
    return [
        "",
        "## How it was made",
        "",
        "newsclean reads each raw file, decodes it (UTF-8, UTF-16, Windows-1258), normalises it (Unicode NFC,",
        "no-break spaces, line endings), classifies every line as title, body, caption, boilerplate or",
        "trailing_unrelated from its shape, its repetition across pages of the same site, and its place in",
        "the page, and detects the language of every kept passage (a vi/en rule, then fastText's lite model).",
        f"Near-duplicate documents are marked (`duplicate_of`) by MinHash over the body's {cfg.dedup.shingle}-word",
        f"shingles ({cfg.dedup.num_perm} hashes, {cfg.dedup.bands} LSH bands, estimated Jaccard similarity >= "
        f"{cfg.dedup.threshold}).",
        "",
        "## Provenance",
        "",
        "Rows carry `raw_path`, `raw_sha256`, line numbers and character offsets into the normalised raw text,",
        "so any passage or removed line can be traced to its source bytes.",
        "",
        "## Licensing and takedown",
        "",
        f"The compilation and annotations are released under {cfg.license}. The texts remain the property of",
        "their publishers (`publisher`, `source_url` on every document); use them accordingly.",
        f"To have a page removed: {cfg.takedown_contact}.",
        "",
        "## Limitations",
        "",
        "Cleaning is heuristic: a page with an unusual layout can lose a paragraph or keep a menu line; check",
        "the removed lines when in doubt. Language labels with a low `lang_score` deserve a second look.",
        "",
    ]

if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    print(f"{target}: {'columns rewritten' if rewrite_readme_columns(target) else 'up to date'}")
