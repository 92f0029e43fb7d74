"""Every table the pipeline reads or writes, in one place: its columns, their Arrow types and meaning.

The published tables (`documents`, `passages`, `removed`, `quarantine`) are the dataset's contract;
the others are the shard files steps hand each other and the state an incremental run keeps. From
this registry come the polars schemas the transforms build frames with, the Parquet schemas the
writer casts to, the dataset card's and the README's column tables, and the Croissant fields
(tests/test_docs.py fails when the README disagrees). Arrow is the source type system: it is what
the files hold, and polars' schema is derived from it exactly.

A column of the same name means the same thing in every table, so internal tables are declared as
selections of published columns plus their own (`derive`).
"""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    doc: str


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    # Row order of the table's files: the sort keys and whether nulls sort last.
    sort_by: tuple[str, ...] = ()
    nulls_last: bool = False

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def arrow(self) -> pa.Schema:
        return pa.schema([(c.name, c.type) for c in self.columns])

    @property
    def polars(self) -> dict[str, pl.DataType]:
        """The same columns as polars types (an ordered name -> dtype dict, as `schema=` takes)."""
        return {c.name: polars_type(c.type) for c in self.columns}

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.polars)

    def derive(self, name: str, doc: str, names: list[str] | tuple[str, ...], *extra: Column) -> "Table":
        """A table made of some of this table's columns (same types and meaning) and new ones."""
        return Table(name, doc, tuple(self.column(n) for n in names) + extra)


_SCALARS = {pa.string(): pl.String, pa.large_string(): pl.String, pa.bool_(): pl.Boolean,
            pa.int8(): pl.Int8, pa.int16(): pl.Int16, pa.int32(): pl.Int32, pa.int64(): pl.Int64,
            pa.uint8(): pl.UInt8, pa.uint16(): pl.UInt16, pa.uint32(): pl.UInt32, pa.uint64(): pl.UInt64,
            pa.float32(): pl.Float32, pa.float64(): pl.Float64, pa.date32(): pl.Date}


def polars_type(t: pa.DataType) -> pl.DataType:
    """The polars type `pl.from_arrow` gives an Arrow type (tests/test_docs.py checks they agree),
    without it: polars' Arrow import loads pandas, half a second of every run's start-up."""
    if pa.types.is_timestamp(t):
        return pl.Datetime(t.unit, t.tz)
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return pl.List(polars_type(t.value_type))
    return _SCALARS[t]


def _cols(*rows: tuple[str, pa.DataType, str]) -> tuple[Column, ...]:
    return tuple(Column(*row) for row in rows)


# --- the published tables -------------------------------------------------------------------------

DOCUMENTS = Table("documents", "one row per page", _cols(
    ("doc_id", pa.string(), "Stable id: first 16 hex digits of sha256(raw_sha256 + NUL + raw_path); same bytes at the "
                            "same path give the same id on every run and machine."),
    ("raw_path", pa.string(), "Path of the raw file relative to the raw root (POSIX separators)."),
    ("raw_record", pa.int32(), "The page's record within its raw file (a WARC/WET record, a JSON Lines line, a CSV or "
                               "Parquet row; 0-based); null for a one-page file."),
    ("raw_record_id", pa.string(), "The record's own id (WARC-Record-ID, an export's id field), or null."),
    ("raw_sha256", pa.string(), "sha256 of the raw file's bytes, before any decoding."),
    ("raw_size", pa.int64(), "Size of the raw file in bytes."),
    ("url", pa.string(), "Where the page was fetched: WARC-Target-URI, an export's url field, an HTML page's "
                         "canonical URL; null when the input does not say."),
    ("fetched_at", TS, "When the page was fetched (WARC-Date, an export's time field), UTC; null when not given."),
    ("encoding", pa.string(), "How the bytes were decoded: utf-8, utf-8-sig, utf-16, utf-16-le/-be, cp1258, or "
                              "utf-8-via-latin-1 (UTF-8 once decoded as Latin-1 and re-encoded: its C1 control "
                              "characters repaired)."),
    ("repairs", pa.list_(pa.string()), "What normalisation changed beyond the usual: nul_removed, mojibake_repaired, "
                                       "nfc."),
    ("title", pa.string(), "The article's headline (the title line's text; else what the markup or export states), "
                           "or null."),
    ("text", pa.string(), "The kept body passages in order, joined by blank lines (titles and captions are in "
                          "passages)."),
    ("language", pa.string(), "Dominant language of the body by characters: vi, en or other; null when there is no "
                              "body."),
    ("published", TS, "Publication time in UTC (timestamp[us, UTC]); pages print Vietnam time (UTC+7) unless they say "
                      "otherwise; null when the page gives none."),
    ("published_precision", pa.string(), "day, minute or second: how much of `published` the page printed (a date "
                                         "alone is stored as local midnight)."),
    ("source_url", pa.string(), "URL the page names as its source (`Source: URL`, `Nguồn: URL`), or null."),
    ("publisher", pa.string(), "Who published the story: original_publisher when known, else publisher_site."),
    ("publisher_site", pa.string(), "The site the page was taken from: a domain the page names in its header line, "
                                    "else the host of `url`."),
    ("original_publisher", pa.string(), "The outlet the story comes from: a sign-off (— VNS, Theo TTXVN), a byline "
                                        "naming the source site, or the source URL's host."),
    ("author", pa.string(), "Author from a byline, when the page gives one."),
    ("license", pa.string(), "License of the dataset's compilation and annotations for this row (the configured "
                             "`license`); the page's text remains its publisher's (see `publisher`, `source_url`)."),
    ("n_passages", pa.int32(), "Number of kept passages (title, body, caption) of this page."),
    ("n_removed", pa.int32(), "Number of removed lines of this page (rows in removed/)."),
    ("n_chars", pa.int64(), "Characters in `text`."),
    ("lang_chars_vi", pa.int64(), "Characters of kept passages detected as Vietnamese."),
    ("lang_chars_en", pa.int64(), "Characters of kept passages detected as English."),
    ("lang_chars_other", pa.int64(), "Characters of kept passages in other languages."),
    ("body_end_marker", pa.string(), "What ended the article body (source_line, signoff:VNS, widget:comment, ...), or "
                                     "null."),
    ("duplicate_of", pa.string(), "For a duplicate (the same story again, whole or lightly edited, on this or another "
                                  "site): the doc_id of the kept document of its group (the one published first); "
                                  "null for kept and unique documents."),
    ("duplicate_similarity", pa.float32(), "Estimated Jaccard similarity of the body's word shingles with the kept "
                                           "document (MinHash; shingle size and hash count are the run's [dedup] "
                                           "settings, in manifest.json and the card); 1.0 for exact duplicates; null "
                                           "when not a duplicate."),
    ("duplicate_kind", pa.string(), "exact (same body after lower-casing and dropping punctuation) or near "
                                    "(similarity at or above the threshold); null when not a duplicate."),
    ("run_id", pa.string(), "Id of the run that processed the page (an incremental run keeps earlier rows with their "
                            "run_id)."),
    ("pipeline_version", pa.string(), "newsclean version that wrote the row."),
    ("processed_at", TS, "Start time of that run, UTC."),
), sort_by=("language", "published", "doc_id"), nulls_last=True)

PASSAGES = Table("passages", "one row per kept passage", _cols(
    ("doc_id", pa.string(), "The document this passage belongs to."),
    ("seq", pa.int32(), "0-based order of the passage within its document."),
    ("passage_id", pa.string(), "Stable passage id: doc_id-seq (seq zero-padded to 4 digits)."),
    ("role", pa.string(), "title, body or caption."),
    ("text", pa.string(), "The passage text exactly as in the normalised raw text between char_start and char_end."),
    ("lang", pa.string(), "vi, en or other."),
    ("lang_score", pa.float32(), "Confidence of `lang` in [0, 1]; low values mark passages worth a second look."),
    ("line_start", pa.int32(), "First line of the passage in the raw file, 1-based."),
    ("line_end", pa.int32(), "Last line of the passage in the raw file, 1-based, inclusive."),
    ("char_start", pa.int64(), "Offset of the passage's first character in the decoded, normalised raw text."),
    ("char_end", pa.int64(), "Offset one past the passage's last character."),
    ("pair_seq", pa.int32(), "For a caption with its translation on the next line (vi/en): the partner's seq; else "
                             "null."),
    ("topic_score", pa.float32(), "For paragraphs after the body's end: share of their content terms found in the "
                                  "body; else null."),
), sort_by=("doc_id", "seq"))

REMOVED = Table("removed", "one row per removed line", _cols(
    ("doc_id", pa.string(), "The document the line was removed from."),
    ("line_start", pa.int32(), "First removed line, 1-based."),
    ("line_end", pa.int32(), "Last removed line, 1-based, inclusive."),
    ("char_start", pa.int64(), "Offset into the normalised raw text."),
    ("char_end", pa.int64(), "Offset one past the end."),
    ("text", pa.string(), "The removed text."),
    ("reason", pa.string(), "boilerplate:<kind> (site_header, dateline, widget, related_headlines, repeated, source, "
                            "navigation, short, ...) or trailing_unrelated."),
    ("topic_score", pa.float32(), "For trailing_unrelated paragraphs: their coherence with the body."),
), sort_by=("doc_id", "line_start"))

QUARANTINE = Table("quarantine", "inputs that could not be processed, with the error", _cols(
    ("raw_path", pa.string(), "Path of the input relative to the raw root."),
    ("raw_record", pa.int32(), "The record within the file that failed (0-based), or null when the file itself "
                               "(or all of it from there on) could not be read."),
    ("raw_record_id", pa.string(), "The record's own id when it has one, else null."),
    ("raw_sha256", pa.string(), "sha256 of its bytes when they could be read, else null."),
    ("raw_size", pa.int64(), "Its size in bytes when known."),
    ("error", pa.string(), "Short reason: empty, binary, undecodable, too_large, unreadable, vanished, "
                           "changed_during_read, symlink_outside_root, broken_symlink, clean_failed, ..."),
    ("detail", pa.string(), "A sentence saying what was found."),
), sort_by=("raw_path", "raw_record"))

FILTERED = Table("filtered", "pages left out by the language filter (`[input] languages`), with the reason", (
    DOCUMENTS.column("doc_id"), DOCUMENTS.column("raw_path"), DOCUMENTS.column("raw_record"), DOCUMENTS.column("url"),
    Column("language", pa.string(), "The page's language as newsclean's detector read it (vi, en or other)."),
    Column("reason", pa.string(), "prefilter: ... (judged on the raw page, before cleaning) or language (the "
                                  "cleaned body's dominant language)."),
), sort_by=("raw_path", "raw_record"))

# The dataset's tables, in the order the card and the README list them.
PUBLISHED: dict[str, Table] = {t.name: t for t in (DOCUMENTS, PASSAGES, REMOVED, QUARANTINE, FILTERED)}

# --- what the steps hand each other ----------------------------------------------------------------

SITE_KEY = Column("site_key", pa.string(), "Which site a page is from, for repetition counts: host:<url host>, "
                                           "dir:<top folder> or hdr:<first line>.")
INGESTED = DOCUMENTS.derive(
    "ingested", "a part's read, decoded and normalised pages (ingest -> clean, detect)",
    ("doc_id", "raw_path", "raw_record", "raw_record_id", "raw_sha256", "raw_size", "url", "fetched_at", "encoding",
     "repairs"),
    SITE_KEY,
    Column("hint_title", pa.string(), "A title the container or the markup states (used when the text has none)."),
    Column("hint_published", TS, "A publication time the container or the markup states (used when the text has "
                                 "none)."),
    Column("text", pa.string(), "The decoded, normalised page text (offsets point into it)."),
    Column("line_hashes", pa.list_(pa.uint64()), "Hash of each non-empty line's comparison form, in the page's "
                                                 "order (transforms.repetition.line_hash): made once by ingest "
                                                 "for the repetition counts, read again by clean."),
)
STATUS = DOCUMENTS.derive(
    "status", "what a run found for each raw file of a shard", ("raw_path", "raw_sha256", "raw_size"),
    Column("status", pa.string(), "new, changed, unchanged (same sha256 as the previous run: only hashed) or failed."),
    Column("format", pa.string(), "The reader that read it (text, html, warc, jsonl, csv, parquet; +gzip, ...)."),
    Column("records", pa.int64(), "Records the file held (pages, problems and skipped records)."),
    Column("skipped", pa.string(), "Records that were not pages, by reason (JSON), or null."),
    Column("etag", pa.string(), "Object storage's ETag, or null for local files."),
)
FOUND = Table("found", "every entry discovery found under the raw root", _cols(
    ("rel_path", pa.string(), "Path relative to the raw root (folders end with /)."),
    ("problem", pa.string(), "Why it is not read (skipped_hidden, broken_symlink, ...), or null for a readable file."),
    ("detail", pa.string(), "A sentence saying what was found."),
    ("size", pa.int64(), "Bytes, as listing gave them."),
    ("etag", pa.string(), "Object storage's ETag, or null."),
))
CLEAN_PASSAGES = PASSAGES.derive(
    "clean_passages", "kept lines of a shard before language detection (clean -> detect)",
    ("doc_id", "seq", "role", "text", "line_start", "line_end", "char_start", "char_end", "topic_score"),
)
PAGE_META = DOCUMENTS.derive(
    "page_meta", "what the cleaner read off each page besides its lines (clean -> detect)",
    ("doc_id", "title", "published", "published_precision", "source_url", "publisher", "publisher_site",
     "original_publisher", "author", "body_end_marker"),
    Column("n_lines", pa.int32(), "Non-empty lines of the page."),
    DOCUMENTS.column("n_removed"),
)
LINE_KEYS = Table("line_keys", "one row per distinct line of each page, for repetition counts (state)", (
    DOCUMENTS.column("doc_id"), SITE_KEY,
    Column("key", pa.uint64(), "64-bit hash of the line's comparison form (transforms.lines.line_key)."),
    Column("page", pa.uint64(), "Hash of the page's longest line: copies of one article count once (the count "
                                "step reads a page whose longest line is its site's by its own longest paragraph)."),
    Column("chars", pa.uint32(), "The line's length in characters (its longest form on the page)."),
    Column("skeleton", pa.uint64(), "For a paragraph (150 characters or more): hash of its ASCII letters and "
                                    "digits, equal for copies read through different encodings; null otherwise."),
))
FURNITURE = Table("furniture", "lines repeated often enough to be page furniture (count -> clean)", (
    SITE_KEY, LINE_KEYS.column("key"),
    Column("n_docs", pa.uint32(), "Distinct articles carrying the line in its scope."),
    Column("share", pa.float32(), "n_docs over the articles of its scope, counting at least 10 (1.0: on every "
                                  "page of the site)."),
    Column("scope", pa.string(), "site (repeated within its site) or batch (across all pages; site_key null)."),
))
DUPLICATES = DOCUMENTS.derive(
    "duplicates", "duplicate marks over the whole dataset (dedup -> write)",
    ("doc_id", "duplicate_of", "duplicate_similarity", "duplicate_kind"),
)
_SIGNATURE_COLUMNS = (
    DOCUMENTS.column("doc_id"),
    Column("body_hash", pa.string(), "Hash of the body's comparison form (lower-cased word tokens): equal for exact "
                                     "duplicates."),
    Column("n_tokens", pa.int32(), "Word tokens in the body."),
    Column("minhash", pa.list_(pa.uint32()), "MinHash signature of the body's word shingles."),
)
SIGNATURES = Table("signatures", "a body's duplicate-detection signature", _SIGNATURE_COLUMNS)
RANKED_SIGNATURES = Table("ranked_signatures", "signatures with what ranks a duplicate group's kept document (state)",
                          _SIGNATURE_COLUMNS + (
    DOCUMENTS.column("published"),
    Column("seen", TS, "When the document was first processed (its run's processed_at)."),
))
