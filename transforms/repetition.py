"""Lines that recur across pages of one site (or of the whole batch) are page furniture.

As cc_net does for WET shards: hash each line's comparison form, count in how many distinct pages of
a site it occurs, in linear time with polars group-bys. Counting is split in two so shards can run on
different workers: each shard emits its (site, line hash, page hash) triples (`shard_line_keys`),
then one reduction counts distinct pages per (site, line) over all shards (`count_repetition`).
Lines are counted per distinct *article*, not per page: a page's article fingerprint is the hash
of its longest line (almost always a body paragraph). A syndicated story carried by five sites, or
a page scraped twice, counts once, so its title and captions do not turn into furniture, while a
menu or footer line that appears beside many different articles does. When a page's longest line is
a paragraph its site prints on most pages (a blog's sidebar testimonial), the page is known by its
longest paragraph of its own instead (`story_of_pages`).
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from itertools import repeat
from pathlib import PurePosixPath

import numpy as np
import polars as pl

from .lines import line_key, line_keys, split_lines
from .patterns import COPYRIGHT
from .schema import LINE_KEYS

KEY_SCHEMA = LINE_KEYS.polars


@lru_cache(maxsize=1 << 17)
def line_hash(text: str) -> int:
    """Hash of a line's comparison form; cached because furniture lines repeat on every page."""
    return stable_hash(line_key(text))


def line_hashes(texts) -> dict[str, int]:
    """`line_hash` of many distinct lines at once (keys computed over the whole list)."""
    texts = list(dict.fromkeys(texts))
    return dict(zip(texts, map(stable_hash, line_keys(texts)), strict=True))


def stable_hash(text: str) -> int:
    """64-bit hash that is the same in every process and on every machine (unlike `hash`)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def site_key(raw_path: str, text: str, url: str | None = None, site: str | None = None) -> str:
    """Which site a page comes from, for repetition counts: the URL's host when the input carries
    one, else the site its markup names (`site`, an HTML page's own link host), else the top-level
    folder under the raw root (scrapers store one folder per site), else a signature of the page's
    first line (browser copies start with the site's title)."""
    if url:
        from .metadata import host_of

        host = host_of(url)
        if host:
            return "host:" + host
    if site:
        return "host:" + site
    parts = PurePosixPath(raw_path).parts
    if len(parts) > 1:
        return "dir:" + parts[0]
    return "hdr:" + " | ".join(line_key(ln)[:80] for ln in _header_lines(text))


# A first line that any site could print ("Home", "Skip to content", "Accessibility links", "Trang
# chủ"): on its own it would pool unrelated sites into one, whose shares then hide each site's own
# furniture (172 of real-dev's 1,377 dragnet pages begin with "Home", from dozens of sites).
_GENERIC_HEADER = re.compile(
    r"^(?:[\W_]*(?:home(?: ?page)?|about(?: us)?|contact(?: us)?|(?:main )?menu|search|navigation|"
    r"skip to (?:the )?(?:main )?(?:content|navigation)|skip navigation|accessibility links|sign in|log ?in|"
    r"register|news|trang chủ|tin tức|đăng nhập|đăng ký|tìm kiếm|giới thiệu|liên hệ)[\W_]*)+$", re.I)


def _header_lines(text: str) -> list[str]:
    """The page's signature lines: its first non-empty line, and while that is generic site furniture
    the lines after it, up to the first one that is not (four lines at most)."""
    out: list[str] = []
    for raw in text.split("\n", 20)[:20]:
        line = raw.strip()
        if line:
            out.append(line)
            if len(out) == 4 or not _GENERIC_HEADER.match(line):
                break
    return out or [""]


def page_keys(text: str) -> list[int]:
    """Distinct line hashes of one page."""
    return sorted({line_hash(ln.text) for ln in split_lines(text)})


def article_fingerprint(text: str) -> int:
    """Hash of the page's longest line in comparison form: equal for copies of one story."""
    return stable_hash(line_key(_longest([ln.text for ln in split_lines(text)])))


def _longest(lines: list[str]) -> str:
    """A page's longest line that is not a legal notice: a site's copyright and trademark footer
    ("NHL.com is the official web site of ... © NHL 2012. All Rights Reserved.") is the longest line
    of its short stories, and would make every page of the site one article."""
    longest = max(lines, key=len, default="")
    if not longest or not COPYRIGHT.search(longest):  # most pages: no sort needed
        return longest
    for text in sorted(lines, key=len, reverse=True):  # stable: the first of equally long lines, as max()
        if not COPYRIGHT.search(text):
            return text
    return longest


def page_lines(text: str) -> list[str]:
    """The lines of `split_lines` (stripped, non-empty), without building Line objects."""
    return [t for t in (raw.strip() for raw in text.split("\n")) if t]


def page_line_hashes(per_doc: list[list[str]]) -> list[list[int]]:
    """`line_hash` of each line of each page (`page_lines`), in the page's order. Ingest stores them
    with the page (the ingested table's `line_hashes`), so clean looks lines up in the furniture
    table without hashing them again."""
    hashes = line_hashes(t for lines in per_doc for t in lines)
    return [[hashes[t] for t in lines] for lines in per_doc]


def stored_line_hashes(docs: pl.DataFrame) -> list[list[int]] | None:
    """The pages' `line_hashes` as ingest stored them, or None when a page has none (a frame built
    by hand, a test's)."""
    if "line_hashes" not in docs.columns or docs["line_hashes"].null_count():
        return None
    return docs["line_hashes"].to_list()


def shard_line_keys(docs: pl.DataFrame, lines: list[list[str]] | None = None) -> pl.DataFrame:
    """(doc_id, site_key, key, page, chars, skeleton) rows for a shard's documents (columns doc_id,
    site_key, text, and line_hashes when ingest has filled them), one per distinct line of each page,
    in page then key order. The doc_id lets an incremental run drop the keys of pages that were
    replaced and keep the others' for the next run's counts. `lines`: each page's `page_lines`, when
    the caller has them."""
    per_doc = lines if lines is not None else [page_lines(text) for text in docs["text"].to_list()]
    per_doc_hashes = stored_line_hashes(docs) or page_line_hashes(per_doc)
    pages = pl.DataFrame({
        "doc_id": docs["doc_id"], "site_key": docs["site_key"],
        "page": pl.Series([hashes[texts.index(_longest(texts))] if texts else line_hash("")
                           for texts, hashes in zip(per_doc, per_doc_hashes, strict=True)], dtype=pl.UInt64),
    }).with_row_index("d")
    flat = [t for texts in per_doc for t in texts]
    rows = pl.DataFrame({  # one row per line: its page's index, its hash and its length
        "d": np.repeat(np.arange(len(per_doc), dtype=np.uint32), [len(texts) for texts in per_doc]),
        "key": pl.Series([h for hashes in per_doc_hashes for h in hashes], dtype=pl.UInt64),
        "chars": pl.Series(list(map(len, flat)), dtype=pl.UInt32),
    })
    long = (rows["chars"] >= PARAGRAPH_MIN_CHARS).arg_true().to_list()
    skeletons = paragraph_skeletons(dict(zip([flat[i] for i in long], rows["key"].gather(long).to_list(),
                                             strict=True)))
    out = (rows.group_by("d", "key").agg(pl.col("chars").max())
           .join(skeletons, on="key", how="left")
           .join(pages, on="d")
           .sort("d", "key"))
    return out.select(list(KEY_SCHEMA)).cast(KEY_SCHEMA)


# Lines this long are a page's paragraphs: what tells one story from another under shared furniture.
PARAGRAPH_MIN_CHARS = 150
# every byte but the ASCII lower-case letters (deleted from a paragraph's skeleton)
_NOT_LETTERS = bytes(b for b in range(256) if not 97 <= b <= 122)


def paragraph_skeletons(paragraphs: dict[str, int]) -> pl.DataFrame:
    """(key, skeleton) of paragraphs given as {text: key}: the skeleton is a hash of the text's ASCII
    letters alone, lower-cased, so that one paragraph read through a broken encoding ("Viá»‡t Nam"),
    with a stray byte, its tone marks stripped or its numbers changed is still the same paragraph.
    Equal keys give equal skeletons (the key's folding is finer). Byte operations in C: a regex
    over a shard's paragraphs cost a fifth of reading its lines."""
    skeletons = [int.from_bytes(hashlib.blake2b(t.encode("ascii", "ignore").lower().translate(None, _NOT_LETTERS),
                                                digest_size=8).digest(), "big") for t in paragraphs]
    return pl.DataFrame({"key": pl.Series(list(paragraphs.values()), dtype=pl.UInt64),
                         "skeleton": pl.Series(skeletons, dtype=pl.UInt64)}).unique(
        "key", keep="first", maintain_order=True)


def count_repetition(triples: pl.LazyFrame | pl.DataFrame, site_min_docs: int, site_min_share: float,
                     batch_min_docs: int, batch_min_share: float) -> pl.DataFrame:
    """Line hashes that count as furniture: (site_key, key, n_docs, scope), scope 'site' or 'batch'.

    A line is site furniture when at least `site_min_docs` distinct pages of its site, and at least
    `site_min_share` of them, carry it; batch furniture on the same terms over all pages."""
    # sites as small integers while counting (rows of three numbers: memory stays ~20 bytes a row)
    sites = triples.lazy().select(pl.col("site_key").unique().sort()).collect().with_row_index("site", offset=0)
    rows = triples.lazy().join(sites.lazy(), on="site_key")
    stories = story_of_pages(rows)  # a few pages: read once here, not in each of the three counts below
    lf = (rows.join(stories.lazy(), on="doc_id", how="left")
          .select("site", "key", pl.coalesce("story", "page").alias("page")).unique())
    site_sizes = lf.group_by("site").agg(pl.col("page").n_unique().alias("site_docs"))
    site = (
        lf.group_by("site", "key").agg(pl.len().alias("n_docs"))  # rows are distinct (site, key, page)
        .join(site_sizes, on="site")
        .filter((pl.col("n_docs") >= site_min_docs)
                & (pl.col("n_docs") >= (pl.col("site_docs") * site_min_share).ceil()))
        .join(sites.lazy(), on="site")
        .select("site_key", "key", pl.col("n_docs").cast(pl.UInt32),
                pl.when((pl.col("n_docs") == pl.col("site_docs")) & (pl.col("site_docs") >= EVERY_ARTICLE_MIN))
                .then(1.0)
                .otherwise(pl.col("n_docs") / pl.max_horizontal("site_docs", pl.lit(SHARE_MIN_ARTICLES)))
                .cast(pl.Float32).alias("share"), pl.lit("site").alias("scope"))
    )
    n_pages = lf.select(pl.col("page").n_unique()).collect(engine="streaming").item() or 0
    need = max(batch_min_docs, int(-(-n_pages * batch_min_share // 1)))
    batch = (
        lf.group_by("key").agg(pl.col("page").n_unique().alias("n_docs"))
        .filter(pl.col("n_docs") >= need)
        .select(pl.lit(None, dtype=pl.String).alias("site_key"), "key", pl.col("n_docs").cast(pl.UInt32),
                (pl.col("n_docs") / max(n_pages, SHARE_MIN_ARTICLES)).cast(pl.Float32).alias("share"),
                pl.lit("batch").alias("scope"))
    )
    return pl.concat([site.collect(engine="streaming"), batch.collect(engine="streaming")]).sort(
        "scope", "site_key", "key", nulls_last=True)


# A paragraph printed on at least this many pages of its site, and on at least this share of them, is
# the site's own (a sidebar testimonial, an "about" box), not a story's.
SITE_PARAGRAPH_MIN_PAGES = 3
SITE_PARAGRAPH_MIN_SHARE = 0.5


def story_of_pages(rows: pl.LazyFrame) -> pl.DataFrame:
    """(doc_id, story) for pages whose longest line is a paragraph the site prints on most of its
    pages: the story is their longest paragraph of their own, known by its skeleton. Counted by their
    longest line, every page of a blog with a long sidebar paragraph would be one story under which
    nothing repeats (a blog's seven posts read as its testimonial). Copies of one story stay one: their
    paragraphs are compared by skeleton. Only paragraph rows are read whole (a few per page)."""
    schema = {"doc_id": pl.String, "story": pl.UInt64}
    site_pages = (rows.group_by("site").agg(pl.col("doc_id").n_unique().alias("site_pages"))
                  .collect(engine="streaming"))
    paragraphs = (rows.filter(pl.col("skeleton").is_not_null())
                  .select("doc_id", "site", "key", "page", "chars", "skeleton").collect(engine="streaming"))
    site_wide = (paragraphs.group_by("site", "skeleton").agg(pl.col("doc_id").n_unique().alias("on_pages"))
                 .join(site_pages, on="site")
                 .filter((pl.col("on_pages") >= SITE_PARAGRAPH_MIN_PAGES)
                         & (pl.col("on_pages") >= pl.col("site_pages") * SITE_PARAGRAPH_MIN_SHARE))
                 .select("site", "skeleton", pl.lit(True).alias("site_wide")))
    if not site_wide.height:
        return pl.DataFrame(schema=schema)
    marked = paragraphs.join(site_wide, on=["site", "skeleton"], how="left")
    under_site = marked.filter(pl.col("site_wide") & (pl.col("key") == pl.col("page"))).select("doc_id").unique()
    # the longest (ties: the smaller skeleton) of each page's own paragraphs
    own = (marked.filter(pl.col("site_wide").is_null()).group_by("doc_id")
           .agg(pl.col("skeleton").sort_by(["chars", "skeleton"], descending=[True, False]).first().alias("story")))
    found = under_site.join(own, on="doc_id")
    needy = under_site.join(own, on="doc_id", how="anti")
    if not needy.height:
        return found.select(list(schema)).cast(schema)
    return pl.concat([found, _own_longest_line(rows, needy, site_pages)]).select(list(schema)).cast(schema)


# a page tells a post of short lines from a copy of another page by at least this many lines of its own
# (a title and two lines; a copy read through a broken encoding differs in a line or two)
POST_MIN_OWN_LINES = 3


def _own_longest_line(rows: pl.LazyFrame, pages: pl.DataFrame, site_pages: pl.DataFrame) -> pl.DataFrame:
    """(doc_id, story) for `pages` with no paragraph of their own (a post of a few short lines under a
    long sidebar paragraph): their longest line shorter than a paragraph that is not on most pages of
    the site, by its key, when they have a few such lines. Only the sites of such pages are read line
    by line."""
    sites = rows.join(pages.lazy(), on="doc_id").select("site").unique().collect()["site"]
    site_rows = (rows.filter(pl.col("site").is_in(sites.implode()))
                 .select("doc_id", "site", "key", "chars").collect(engine="streaming"))
    common = (site_rows.group_by("site", "key").agg(pl.col("doc_id").n_unique().alias("on_pages"))
              .join(site_pages, on="site")
              .filter((pl.col("on_pages") >= SITE_PARAGRAPH_MIN_PAGES)
                      & (pl.col("on_pages") >= pl.col("site_pages") * SITE_PARAGRAPH_MIN_SHARE))
              .select("site", "key"))
    # paragraphs were compared by skeleton already: a copy's garbled paragraph is not its own
    return (site_rows.join(pages, on="doc_id").join(common, on=["site", "key"], how="anti")
            .filter(pl.col("chars") < PARAGRAPH_MIN_CHARS)
            .group_by("doc_id")
            .agg(pl.len().alias("own_lines"),
                 pl.col("key").sort_by(["chars", "key"], descending=[True, False]).first().alias("story"))
            .filter(pl.col("own_lines") >= POST_MIN_OWN_LINES).select("doc_id", "story"))


# A line's share of its site's articles is taken over at least this many: a site seen on eight pages,
# two stories carried four times each, does not show that a paragraph is on most of its pages.
SHARE_MIN_ARTICLES = 10
# ... except for a line on every one of at least this many distinct articles of its site: three
# different posts under one sidebar paragraph show it is the site's (share 1.0)
EVERY_ARTICLE_MIN = 3


class RepetitionIndex:
    """Lookup of furniture lines, built once per shard from `count_repetition`'s output."""

    def __init__(self, table: pl.DataFrame | None):
        self.site: dict[str, dict[int, float]] = {}  # site -> line hash -> share of the site's articles
        self.batch: dict[int, float] = {}
        if table is not None and table.height:
            for site, key, share, scope in table.select("site_key", "key", "share", "scope").iter_rows():
                if scope == "site":
                    self.site.setdefault(site, {})[key] = share
                else:
                    self.batch[key] = share

    def repeated(self, site: str, text: str) -> bool:
        return self.repeated_hash(site, line_hash(text))

    def repeated_hash(self, site: str, k: int) -> bool:
        """As `repeated`, for a line whose hash is known (see `line_hashes`)."""
        return k in self.site.get(site, ()) or k in self.batch

    def shares(self, site: str, keys: list[int]) -> list[float]:
        """For lines of one page (their hashes, see `line_hashes`): the share of their site's articles
        that carry each (of the batch's, for batch furniture); 0.0 for a line that is not furniture."""
        mine = self.site.get(site)
        if not self.batch:  # a page of a site with no furniture, or no batch-wide lines: one lookup each
            return [0.0] * len(keys) if mine is None else list(map(mine.get, keys, repeat(0.0)))
        site_get, batch_get = (mine or {}).get, self.batch.get
        return [site_get(k, 0.0) or batch_get(k, 0.0) for k in keys]
