"""HTML to the line text a browser's copy of the page gives, plus what the markup states plainly.

The cleaner reads page text one line per block (a paragraph, a menu item, a caption), as scrapers,
browser copies and Common Crawl's WET records give it. An HTML page is brought to that form here so
the same cleaning applies: Resiliparse's `extract_plain_text` (lexbor, C++) renders block elements
as lines, drops scripts, styles and hidden elements, and decodes entities; the charset is the one
the HTTP header or the page declares, else detected. What the markup says outright fills metadata
the text may lack: the title (`og:title`, `<title>`), the publication time
(`article:published_time`, `<time datetime>`, `datePublished`) and the canonical URL.

Markup that marks page furniture is used too, before rendering: `<nav>`, `<footer>`, `<aside>`,
ARIA navigation/banner/contentinfo/complementary regions, comment sections and forms are removed
(`FURNITURE`), so their lines never reach the cleaner. The rest is left to the cleaner, which
decides on the text as it does for every other input.
"""
from __future__ import annotations

import codecs
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.encoding import bytes_to_str, detect_encoding
from resiliparse.parse.html import DOMNode, HTMLTree

from .metadata import host_of

# Elements that are page furniture by their markup alone (after trafilatura's and jusText's
# experience: navigation, footers, asides, comment threads, forms, cookie banners).
FURNITURE = (
    "nav", "footer", "aside", "[role=navigation]", "[role=banner]", "[role=contentinfo]",
    "[role=complementary]", "[role=search]", "[aria-hidden=true]", "#comments", ".comments", "#disqus_thread",
)
# Side columns by their class or id ("sidebar", "rightRail", "right-col"): the blog's "About" box, most
# read lists. Names are not markup's promise, and a page-wide wrapper may be called "with-sidebar",
# so one is dropped only when it holds less than SIDE_MAX_SHARE of the page's text.
SIDE_COLUMNS = tuple(f"[{attr}*={name} i]" for attr in ("class", "id") for name in (
    "sidebar", "side-bar", "rightrail", "right-rail", "leftrail", "left-rail", "rightcol", "right-col",
    "rightcolumn", "right-column"))
SIDE_MAX_SHARE = 0.3
_FURNITURE, _SIDE_COLUMNS = ", ".join(FURNITURE), ", ".join(SIDE_COLUMNS)
# Resiliparse's main-content mode also drops blocks its heuristics call boilerplate; when it keeps
# less than this share of the page's words (a page it misreads), the whole page's text is used.
MAIN_CONTENT_MIN_SHARE = 0.25
# ... or when it drops more than half the words of the article's paragraphs (those of at least
# PARAGRAPH_MIN_WORDS words, each found in the main content by its first PARAGRAPH_PROBE_WORDS words)
MAIN_CONTENT_MIN_PARAGRAPHS = 0.5
PARAGRAPH_MIN_WORDS = 10
PARAGRAPH_PROBE_WORDS = 8
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_WS_LINE = re.compile(r"[ \t\u00a0]+")
# A browser that runs scripts reads `<noscript>` as raw text up to `</noscript>` and shows none of it;
# the parser reads it as markup, so a stray tag inside (`<noscript><div id=x></noscript>`) can pull
# the rest of the page into it, and the renderer then skips the page. Cut as the browser does.
_NOSCRIPT = re.compile(r"<noscript\b[^>]*>.*?</noscript\s*>", re.I | re.S)


@dataclass
class HtmlPage:
    text: str                       # one line per block, as a browser's copy of the page
    encoding: str                   # how the bytes were decoded
    title: str | None = None        # og:title or <title>
    published: dt.datetime | None = None  # article:published_time, <time datetime>, datePublished (UTC)
    url: str | None = None          # canonical or og:url
    site: str | None = None         # the host most of the page's text links go to (see `_link_host`)


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """The page's text and the encoding used: a BOM, then the charset the HTTP header declares, then
    the page's own <meta charset>, then detection (Resiliparse's, UTF-8 first). A declared single-byte
    charset gives way to UTF-8 when the bytes are valid UTF-8 beyond ASCII."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    for candidate in (declared, _meta_charset(data)):
        if candidate:
            if _single_byte(candidate) and not data.isascii():
                try:  # bytes that are valid UTF-8 beyond ASCII are UTF-8 whatever the page says
                    return data.decode("utf-8"), "utf-8"
                except UnicodeDecodeError:
                    pass
            try:
                return data.decode(candidate), candidate.lower()
            except (LookupError, UnicodeDecodeError):
                continue
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        enc = detect_encoding(data)
        return bytes_to_str(data, enc), enc


def _single_byte(charset: str) -> bool:
    """Latin-1, windows-125x, ISO-8859-x, ASCII: the charsets old pages declare while serving UTF-8
    (read as declared, "—" becomes "â\x80\x94"). Text in them is almost never valid UTF-8 by chance."""
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return False
    return name.startswith(("iso8859", "cp125", "ascii", "latin"))


def _meta_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", errors="ignore") if m else None


def html_to_page(html: str | bytes, declared_charset: str | None = None, drop_furniture: bool = True,
                 main_content: bool = True) -> HtmlPage:
    """Render an HTML page as line text and read its plainly stated metadata."""
    if isinstance(html, bytes):
        html, encoding = decode_html(html, declared_charset)
    else:
        encoding = "utf-8"
    html = _NOSCRIPT.sub("", html)
    tree = HTMLTree.parse(html)
    page = HtmlPage("", encoding, title=_title(tree), published=_published(tree), url=_url(tree))
    if tree.body is None:
        return page
    page.site = _link_host(tree)
    if drop_furniture:
        for node in tree.body.query_selector_all(_FURNITURE).values():  # one query: each is a scan
            node.decompose()
        _drop_side_columns(tree)
    _show_object_fallbacks(tree)
    if main_content:
        _keep_prose_lists(tree)
    options = dict(preserve_formatting=True, list_bullets=False, alt_texts=False, links=False, form_fields=False,
                   noscript=False, comments=False)
    text = extract_plain_text(tree, main_content=False, **options)
    if main_content:
        main = extract_plain_text(tree, main_content=True, **options)
        if _main_content_holds(main, text, tree):
            text = main
    page.text = "\n".join(_WS_LINE.sub(" ", line).strip() for line in text.split("\n"))
    return page


# the fewest text links to one host that make it the page's own site
SITE_MIN_LINKS = 3


def _link_host(tree: HTMLTree) -> str | None:
    """The host most of the page's text links point to: a site's menus and related lists link to
    itself (image links, mostly ads, are not counted). Only a grouping key for repetition counts
    when a page states no URL (a sister site or a partner may win; pages of one site still agree)."""
    hosts: Counter[str] = Counter()
    for a in tree.body.query_selector_all("a[href]").values():  # .values(): indexing is quadratic
        href = a.getattr("href") or ""
        if href.startswith(("http://", "https://")) and a.text.strip():
            host = host_of(href)
            if host:
                hosts[host] += 1
    best = sorted(hosts.items(), key=lambda kv: (-kv[1], kv[0]))[:1]
    return best[0][0] if best and best[0][1] >= SITE_MIN_LINKS else None


def _drop_side_columns(tree: HTMLTree) -> None:
    """Side columns named as such (SIDE_COLUMNS), when they hold a small part of the page's text
    and not its longest paragraph (a "content-sidebar-wrap" holds the article)."""
    total = len(tree.body.text)
    longest = max(tree.body.query_selector_all("p").values(), key=lambda p: len(p.text), default=None)
    for node in tree.body.query_selector_all(_SIDE_COLUMNS).values():
        if (node.parent is not None and len(node.text) < SIDE_MAX_SHARE * total
                and (longest is None or not node.contains(longest))):
            node.decompose()


def _comment_paragraphs(tree: HTMLTree) -> set[DOMNode]:
    """Paragraphs inside an element whose class or id names a comment (readers' comments)."""
    inside: set[DOMNode] = set()
    for block in tree.body.query_selector_all("[class*=comment i], [id*=comment i]").values():
        inside.update(block.query_selector_all("p").values())
    return inside


def _main_content_holds(main: str, full: str, tree: HTMLTree) -> bool:
    """Resiliparse's main-content mode misreads a page when it keeps few of its words, or drops most
    of the article's paragraphs (a `permalink` class on the article's container reads as boilerplate
    to it); the whole page's text is then left to the cleaner. The article's paragraphs are those of
    the element holding the most paragraph text, as in readability; readers' comments do not count."""
    main_words = main.split()
    if len(main_words) < MAIN_CONTENT_MIN_SHARE * len(full.split()):
        return False
    by_parent: dict[DOMNode, list[list[str]]] = {}
    comments = _comment_paragraphs(tree)
    for p in tree.body.query_selector_all("p").values():
        words = p.text.split()
        if len(words) >= PARAGRAPH_MIN_WORDS and p.parent is not None and p not in comments:
            by_parent.setdefault(p.parent, []).append(words)
    if not by_parent:
        return True
    article = max(by_parent.values(), key=lambda ps: sum(len(w) for w in ps))
    article_words = sum(len(w) for w in article)
    if article_words < MAIN_CONTENT_MIN_SHARE * len(full.split()):
        return True  # a footer's or a box's paragraphs, not an article's
    joined = " ".join(main_words)
    kept = sum(len(w) for w in article if " ".join(w[:PARAGRAPH_PROBE_WORDS]) in joined)
    return kept >= MAIN_CONTENT_MIN_PARAGRAPHS * article_words


def _show_object_fallbacks(tree: HTMLTree) -> None:
    """An `<object>`'s children are what a browser shows when it cannot play the object, which today
    is always (Flash and other plugins are gone): msnbc's video embeds carry the article's lead
    paragraph there. The renderer skips `<object>` outright, so its children are moved into a
    `<div>` in its place."""
    for obj in tree.body.query_selector_all("object").values():
        if obj.parent is None:
            continue
        div = tree.create_element("div")
        for child in list(obj.child_nodes):
            div.append_child(child)
        obj.parent.replace_child(div, obj)


# Resiliparse's main-content mode drops every `<ul>` fewer than this many levels below `<body>` as
# global navigation; a list of sentences there is part of the text (old pages put their article's
# bullet points straight under `<body>`).
NAV_LIST_DEPTH = 3
# a list reads as text when its items average this many words and little of it is link text
PROSE_LIST_MIN_WORDS = 8
PROSE_LIST_MAX_LINK_SHARE = 0.3
_SHALLOW_LISTS = ", ".join("body > " + "* > " * depth + "ul" for depth in range(NAV_LIST_DEPTH))


def _keep_prose_lists(tree: HTMLTree) -> None:
    """Nest shallow lists of sentences deep enough that the main-content mode keeps them: the
    rendering is unchanged (a `<div>` adds no line), the depth rule no longer applies."""
    for ul in tree.document.query_selector_all(_SHALLOW_LISTS).values():
        depth, node = 0, ul.parent
        while node is not None and node.tag != "body":
            depth, node = depth + 1, node.parent
        if node is None or depth >= NAV_LIST_DEPTH:
            continue
        items = [li.text for li in ul.query_selector_all("li").values()]
        text_chars = sum(len(t) for t in items)
        if not items or sum(len(t.split()) for t in items) < PROSE_LIST_MIN_WORDS * len(items):
            continue
        link_chars = sum(len(a.text) for a in ul.query_selector_all("a").values())
        if link_chars > PROSE_LIST_MAX_LINK_SHARE * text_chars:
            continue
        for _ in range(NAV_LIST_DEPTH - depth):
            wrapper = tree.create_element("div")
            ul.parent.replace_child(wrapper, ul)
            wrapper.append_child(ul)


def _meta(tree: HTMLTree, *keys: str) -> str | None:
    """The first non-empty <meta> content among property/name/itemprop keys."""
    if tree.head is None:
        return None
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            node = tree.head.query_selector(f'meta[{attr}="{key}"]')
            if node is not None and (node.getattr("content") or "").strip():
                return node.getattr("content").strip()
    return None


def _title(tree: HTMLTree) -> str | None:
    title = _meta(tree, "og:title", "twitter:title") or (tree.title or "").strip()
    return _WS_LINE.sub(" ", title).strip() or None


def _url(tree: HTMLTree) -> str | None:
    if tree.head is not None:
        link = tree.head.query_selector('link[rel="canonical"]')
        if link is not None and (link.getattr("href") or "").startswith(("http://", "https://")):
            return link.getattr("href").strip()
    url = _meta(tree, "og:url")
    return url if url and url.startswith(("http://", "https://")) else None


def _published(tree: HTMLTree) -> dt.datetime | None:
    value = _meta(tree, "article:published_time", "datePublished", "pubdate", "publishdate", "date")
    if value is None and tree.body is not None:
        node = tree.body.query_selector("time[datetime]")
        value = node.getattr("datetime") if node is not None else None
    return parse_iso_time(value)


def parse_iso_time(value: str | None) -> dt.datetime | None:
    """An ISO 8601 time as printed in markup or exports ('2025-03-24T09:15:00+07:00', '...Z',
    '2025-03-24'); a time without an offset is taken as UTC. None when it is not one."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        got = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if got.tzinfo is None:
        got = got.replace(tzinfo=dt.timezone.utc)
    got = got.astimezone(dt.timezone.utc)
    return got if 1990 <= got.year <= 2100 else None
