"""Read one page: give every non-empty line a role and take the page's metadata.

The method is a readable cascade of named passes over a `PageState` (after jusText's
`classify_paragraphs`: context-free stages first, then context-sensitive ones, with the page
structure that news pages share):

1. **Kind of each line, alone** (`line_kind`, a `Kind`): a `Source: URL` line, a bare link,
   copyright, a counter widget ("Comment (0)"), a photo caption or credit, a date/byline line, a
   widget or menu label, a breadcrumb, contact details, fluent prose, a headline-shaped line, or a
   short fragment.
2. **Repetition** (`effective_kind`): a line repeated across the site's pages is furniture, except
   captions and long prose.
3. **Structure**: the first prose line anchors the article body; the title is the nearest
   headline-shaped line above it (`_place_title`); captions between title and body stay
   (`_keep_captions_above_body`); the body ends at the first end marker after the anchor once most
   of the article is above it (`_end_body`: a `Source:` line, a sign-off such as "— VNS" or "Theo
   TTXVN", a comment/related/tags widget). Inside the body (`_read_body`), headline-shaped lines
   between prose paragraphs are subheadings, other furniture is boilerplate; author lines are
   bylines (`_find_author_lines`); a final block glued on without blank lines that shares nothing
   with the body goes (`_drop_glued_tail`).
4. **Trailing paragraphs** (`_judge_trailing`): prose after the end marker is kept only when it is
   about the same story (`topic.coherence` with the body at least `trailing_min_coherence`),
   otherwise it is `trailing_unrelated`.
5. **Metadata** (`_metadata`): published time, source URL, publishers and author from the lines
   around the article.

Every threshold is a named field of `CleanParams` with the reason for its value.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate

from . import metadata as M
from . import patterns as P
from .linemodel import load_model
from .lines import Line, Shape, line_shape
from .stopwords import EN_STOPWORDS
from .topic import coherence, merge_terms, new_names, terms

ROLES = ("title", "body", "caption", "boilerplate", "trailing_unrelated")


class Kind:
    """What a line is on its own (pass 1) or after repetition (pass 2). A removed line's reason is
    `boilerplate:<kind>`, so these values are part of the output. Plain string constants, not an
    Enum: an Enum member costs ~0.2 µs to look up in Python 3.11, and the cascade looks kinds up
    millions of times a shard (a tenth of the clean step on real pages)."""
    SOURCE = "source"              # "Source: https://..."
    LINK = "link"                  # a bare URL
    SEPARATOR = "separator"        # punctuation only
    COPYRIGHT = "copyright"
    WIDGET = "widget"              # counters, share/comment/menu words, social calls to action
    RELATED_LINK = "related_link"  # "Tin liên quan: <headline>", "Read more: ..."
    CREDIT = "credit"              # "(Reporting by X; Editing by Y)"
    ATTRIBUTION = "attribution"    # "Theo Hà Anh/VTV.vn", "Nguồn: Kenh14"
    BYLINE = "byline"              # "By Nguyễn An"
    CAPTION = "caption"            # a photo caption or credit
    DATELINE = "dateline"          # a date or relative time with few words
    NAVIGATION = "navigation"      # breadcrumbs
    CONTACT = "contact"            # e-mail addresses, phone numbers
    SITE_HEADER = "site_header"    # a domain near the top of the page
    LIST_ITEM = "list_item"
    PROSE = "prose"                # fluent text
    HEADLINE = "headline"          # a few words without a sentence-final full stop
    SHORT = "short"                # anything else short
    REPEATED = "repeated"          # repeated across the site's pages (pass 2)
    OVERSIZED = "oversized_line"   # longer than max_line_chars: not analysed
    ALL: tuple[str, ...] = ()      # every kind, in the order above


Kind.ALL = tuple(v for k, v in vars(Kind).items() if k.isupper() and k != "ALL")
KEPT_ROLES = ("title", "body", "caption")


@dataclass(frozen=True)
class CleanParams:
    # Prose after the body's end marker stays only with this much of its weighted content terms
    # shared with the body (topic.coherence). Seeds: the on-topic paragraph after "— VNS" scores
    # 0.30, the glued ones 0.06 and 0.00. Dev set (tests/data/devset): paragraphs of other stories
    # 0.00-0.10, on-topic continuations 0.21-0.67 except two that share only "Hà Nội" (0.06).
    trailing_min_coherence: float = 0.15
    # Without an end marker, a final paragraph is dropped only when the layout shows a seam (it is
    # glued on without the blank line the body's paragraphs have) and it shares almost nothing with
    # the body: on-topic closing paragraphs of short articles can score as low as 0.08.
    unmarked_trailing_max_coherence: float = 0.1
    # ... or when some of its terms are the title's (the story's core) and it shares at least a little
    # with the body: on all sets, no paragraph of another story shares a content term with the title,
    # while on-topic continuations that share few body terms do (0.06-0.09 coherence).
    trailing_min_title_share: float = 0.05
    trailing_min_coherence_with_title: float = 0.05
    # ... unless it names at least this many people or places and none of them is the story's: a
    # same-beat story (another accident, another price change) passes the word-overlap test.
    trailing_min_new_names: int = 2
    # A line repeated in at least this many distinct pages of one site (and this share of them)
    # is site furniture. Two pages suffice in small batches: articles do not share lines verbatim.
    site_repeat_min_docs: int = 2
    site_repeat_min_share: float = 0.05
    # Across the whole batch (site unknown), a line needs more pages to count as furniture.
    batch_repeat_min_docs: int = 5
    batch_repeat_min_share: float = 0.01
    # Repetition never removes long prose: syndicated articles repeat verbatim across pages ...
    repeat_protect_min_words: int = 20
    # ... but prose on at least this share of its site's articles, above or below the page's own
    # paragraphs, is the site's ("about" boxes, legal notices, newsletter pitches on every page)
    site_prose_min_share: float = 0.5
    # A headline-shaped line is at most this long (longer unpunctuated lines are prose or lists).
    max_title_words: int = 40
    # Lines made mostly of widget/menu words are furniture when at most this many words long.
    widget_max_words: int = 6
    widget_min_cover: float = 0.4
    # Date lines: a line with a date and at most this many words is a date/byline line.
    dateline_max_words: int = 14
    # A "line" longer than this is not a paragraph (a dump without line breaks, a data blob): it is
    # removed as boilerplate:oversized_line without shape analysis, which would cost minutes.
    max_line_chars: int = 50_000
    # The line model (transforms/linemodel.py) has the last word on which lines are article text:
    # a line the rules kept goes when its probability is below this, one they removed comes back
    # above it (titles, captions and trailing paragraphs keep the rules' roles). 0.5 is where the
    # model's cross-validated F1 on real-dev sites it did not see peaks (benchmarks/train_line_model.py).
    use_line_model: bool = True
    line_model_threshold: float = 0.5
    # ... and a body line goes only below this (lower when the rules' body is more often right than
    # the model: 0.4 for the model shipped up to 0.5.0). For the 0.6.0 model (project pages weighted
    # 30, trees for the unsure lines), on the sites it did not see (`train_line_model.py --cv-only`,
    # halves A/B), 0.5 and 0.4 tie over the five sets: 0.5 gives l3s 0.951/0.958 against
    # 0.950/0.956 and readability 0.862/0.887 against 0.859/0.885, 0.4 cleaneval 0.890/0.894 against
    # 0.886/0.891; 0.5 keeps the Thanh Niên paragraphs the project weight was set for.
    line_model_drop_below: float = 0.5


OVERSIZED = Shape(
    n_words=0, n_chars=0, ends_sentence=False, ends_sentence_period=False, stop_vi=0.0, stop_en=0.0,
    title_case=0.0, digit_share=0.0, has_url=False, url_only=False, has_date=False, relative_time=False,
    caption=False, widget_cover=0.0, social_cta=False, copyright=False, counter=False, breadcrumb=False,
    source_url=None, domain=None, email_or_phone=False, clauses=False, comment_head=False,
)

END_WIDGET = re.compile(
    P.MARKER_LEAD + r"(?:\d+\s+)?(?:comments?|bình luận|ý kiến(?: bạn đọc)?|tin liên quan|bài liên quan|"
    r"related(?: news| articles| stories| posts)?|"
    r"same category|same author|tin cùng chuyên mục|cùng chuyên mục|tags?|từ khóa|từ khoá|chủ đề|"
    r"đọc nhiều(?: nhất)?|xem nhiều(?: nhất)?|most (?:read|viewed|popular)|"
    r"tin mới(?: nhất)?|tin khác|bài viết khác|other news|more news|more (?:stories|headlines|articles)|"
    r"latest(?: [^\W\d_]+)? (?:news|stories|headlines|articles|posts)|top (?:stories|headlines)|"
    r"(?:recent|popular) (?:posts|stories|articles|news)|you may (?:also )?like|có thể bạn quan tâm|"
    r"bạn đọc quan tâm|gửi bình luận|viết bình luận|leave a comment|post a comment|add (?:a |your )?comments?)\b",
    re.I,
)
_NAME_CHARS = re.compile(r"^[^\W\d_]+(?:[ .'’-][^\W\d_]+){0,5}\.?$")


@dataclass(slots=True)
class LineReading:
    line: Line
    kind: str
    role: str
    reason: str | None = None       # for removed lines: "boilerplate:<kind>" / "trailing_unrelated"
    score: float | None = None      # topic coherence for paragraphs after the body's end


@dataclass
class PageReading:
    lines: list[LineReading]
    title: str | None = None
    published: dt.datetime | None = None
    published_precision: str | None = None
    source_url: str | None = None
    publisher_site: str | None = None
    original_publisher: str | None = None
    author: str | None = None
    body_end_marker: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def publisher(self) -> str | None:
        return self.original_publisher or self.publisher_site


def line_kind(shape: Shape, text: str, index: int, params: CleanParams) -> str:
    """Pass 1: what a line is, judged on its shape alone."""
    prose, n_words = shape.prose, shape.n_words  # read once: `prose` is computed, and asked up to 8 times
    if shape.source_url:
        return Kind.SOURCE
    if shape.url_only:
        return Kind.LINK
    if P.SEPARATOR_ONLY.match(text):
        return Kind.SEPARATOR
    if shape.copyright and (not prose or P.COPYRIGHT_LEAD.match(text)):
        return Kind.COPYRIGHT
    if shape.counter:
        return Kind.WIDGET
    if n_words <= 30 and P.INLINE_RELATED.match(text):
        return Kind.RELATED_LINK
    if n_words <= 20 and P.WIRE_CREDIT.match(text):
        return Kind.CREDIT
    if n_words <= 8 and not shape.ends_sentence_period and not shape.has_date and P.THEO_LINE.match(text):
        return Kind.ATTRIBUTION  # "Theo Hà Anh/VTV.vn", "Nguồn: Kenh14": never a title
    if n_words <= 8 and not shape.has_date and P.AUTHOR_OUTLET.match(text):
        return Kind.ATTRIBUTION  # "Hồ Nguyễn/VOV-Miền Trung": the author and the outlet
    m = P.BYLINE.match(text) if n_words <= 10 else None
    if m is None and n_words <= 10 and not (shape.has_date or shape.relative_time):
        m = P.POSTED_BY.match(text)
    if m and _looks_like_name(re.split(r"[,|;(]|\s{2,}| - ", m.group(1))[0].strip()):
        return Kind.BYLINE
    if shape.caption:
        return Kind.CAPTION
    if (shape.has_date or shape.relative_time) and n_words <= params.dateline_max_words and not prose:
        return Kind.DATELINE
    if shape.widget_cover >= params.widget_min_cover and n_words <= params.widget_max_words:
        return Kind.WIDGET
    if n_words <= params.widget_max_words and END_WIDGET.match(text):
        return Kind.WIDGET
    if n_words <= 2 * params.widget_max_words and P.COMMENTS_CLOSED.match(text):
        return Kind.WIDGET
    if n_words <= COMMENT_POLICY_MAX_WORDS and P.COMMENT_POLICY.match(text):
        return Kind.WIDGET
    if n_words <= P.READER_CALL_MAX_WORDS and P.READER_CALL.match(text):
        return Kind.WIDGET
    if n_words <= 80 and P.post_footer(text):
        return Kind.WIDGET
    if shape.social_cta:
        return Kind.WIDGET
    if shape.breadcrumb and not prose:
        return Kind.NAVIGATION
    if shape.email_or_phone and not prose:
        return Kind.CONTACT
    if shape.domain and index < 3 and not prose:
        return Kind.SITE_HEADER
    if not prose and P.LIST_ITEM.match(text):
        return Kind.LIST_ITEM
    if prose and P.run_together_list(text, n_words):
        return Kind.NAVIGATION  # a ticker or a menu on one line, its items between " | "
    if prose:
        return Kind.PROSE
    if shape.headline_like and n_words <= params.max_title_words:
        return Kind.HEADLINE
    return Kind.SHORT


def effective_kind(kind: str, shape: Shape, repeated: float, params: CleanParams) -> str:
    """Repetition across a site's pages overrides the shape, except for captions (photo credits
    recur) and long prose (syndicated articles recur verbatim)."""
    if not repeated or kind == Kind.CAPTION:
        return kind
    if kind == Kind.PROSE and shape.n_words >= params.repeat_protect_min_words:
        return kind
    return Kind.REPEATED


def _is_end_marker(kind: str, text: str, shape: Shape) -> str | None:
    """An end marker closes the article body; returns its name or None."""
    if kind == Kind.SOURCE:
        return "source_line"
    if kind == Kind.CREDIT:
        return "wire_credit"
    widget = END_WIDGET.match(text) if kind in (Kind.WIDGET, Kind.REPEATED, Kind.COPYRIGHT) else None
    if kind in (Kind.WIDGET, Kind.REPEATED) and not widget and P.post_footer(text):
        return "widget:post_footer"
    if widget:
        return "widget:" + re.sub(r"^[\W\d_]+", "", widget.group(0).lower())
    if kind == Kind.WIDGET and P.COMMENTS_CLOSED.match(text):
        return "widget:comments_closed"  # "The comments to this entry are closed."
    if kind == Kind.COPYRIGHT:
        return "copyright"
    if kind in (Kind.HEADLINE, Kind.SHORT) and ("|" in text or "•" in text or "·" in text) and P.action_bar(text):
        return "widget:action_bar"
    if shape.n_words <= ELSEWHERE_MAX_WORDS and P.ELSEWHERE_HEADING.match(text):
        return "widget:elsewhere"  # "ALSO ON HUFFPOST:", "More from Zillow": other stories below
    if kind in (Kind.SHORT, Kind.HEADLINE, Kind.ATTRIBUTION) and shape.n_words <= 6 and P.THEO_LINE.match(text):
        return "signoff_line"
    if kind == Kind.ATTRIBUTION and P.AUTHOR_OUTLET.match(text):
        return "signoff_line"
    return None


COMMENT_POLICY_MAX_WORDS = 80  # a comments section's rules run to a paragraph
ELSEWHERE_MAX_WORDS = 6  # "More from Comment is free on" ends a story; "More on the budget talks today ..." is prose


# the kinds `_is_end_marker` can name a marker for
_END_MARKER_KINDS = frozenset((Kind.SOURCE, Kind.CREDIT, Kind.WIDGET, Kind.REPEATED, Kind.COPYRIGHT, Kind.SHORT,
                               Kind.HEADLINE, Kind.ATTRIBUTION))


def _signoff(text: str) -> str | None:
    """'... in the region and the world as a whole. — VNS' -> 'VNS'."""
    m = P.SIGN_OFF_TAIL.search(text)
    if m and len(m.group(1)) <= 22 and (m.group(1).isupper() or "/" in m.group(1) or len(m.group(1)) <= 6):
        return m.group(1).strip()
    return None


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 5 and bool(_NAME_CHARS.match(text)) and all(w[0].isupper() for w in words)


@dataclass
class PageState:
    """One page being read: its lines, their shapes and kinds, the readings the passes fill in, and
    the structure found so far (where the body starts and ends, which line is the title)."""
    lines: list[Line]
    shapes: list[Shape]
    own: list[str]            # each line's kind judged alone (pass 1)
    kinds: list[str]          # the same after repetition across the site (pass 2)
    readings: list[LineReading]
    page: PageReading
    params: CleanParams
    anchor: int | None = None  # the first prose line: where the article body starts
    title_idx: int | None = None
    end: int = 0              # one past the body's last line (before an end marker)
    repeated: list[float] | None = None  # each line's share of its site's articles (0: its own)
    wrapped: frozenset[int] = frozenset()  # lines of paragraphs hard-wrapped at a fixed width
    stamps: list[tuple[int, str]] | None = None  # comment heads with a name and a time (`_stamp_heads`)

    @property
    def n(self) -> int:
        return len(self.lines)

    def keep(self, i: int, role: str) -> None:
        self.readings[i].role, self.readings[i].reason = role, None

    def drop(self, i: int, reason: str) -> None:
        self.readings[i].role, self.readings[i].reason = "boilerplate", reason


def read_page(lines: list[Line], repeated: list[float] | None = None, params: CleanParams | None = None,
              site_url: str | None = None, shapes: dict[str, Shape] | None = None,
              kinds: dict[str | tuple[str, bool], str] | None = None) -> PageReading:
    """Classify every line of one page and extract its metadata (the whole `clean` step for a page).
    `repeated`: each line's share of its site's articles when it is site furniture, else 0 (True
    counts as everywhere). `shapes`: the lines' shapes computed beforehand for a whole shard (transforms.shapes); a line
    missing there is shaped here. `kinds`: a cache of pass 1 shared by the pages of a shard (a
    line's own kind depends on its text and on whether it is among the page's first three lines;
    site furniture repeats on every page)."""
    s = rule_passes(lines, repeated, params, shapes, kinds)
    model = load_model() if s.params.use_line_model else None
    if model is not None:
        from .linefeatures import comment_heads, page_features  # they read PageState: imported here

        X = page_features(s)
        apply_line_model(s, model.predict([(X, line_words(s))])[0], comment_heads(X))
    return finish_page(s, site_url)


def finish_page(s: PageState, site_url: str | None = None) -> PageReading:
    """The last word on roles (teaser lists, whatever kept them; a list under the title, whatever
    dropped its items), then the page's metadata, read once every line has its final role."""
    _drop_teaser_runs(s)
    _list_under_title(s)
    _metadata(s.page, s.lines, s.shapes, s.own, s.title_idx, s.anchor, s.end, site_url)
    return s.page


# A list of other stories as headline + summary ("dek") pairs: TEASER_MIN_PAIRS pairs in a row, each
# summary one or two sentences of at most TEASER_MAX_WORDS words, below an article of its own.
TEASER_MIN_PAIRS = 3
TEASER_MAX_WORDS = 45
_INNER_SENTENCE_END = re.compile(r"[.!?…][\"”’)]?\s+[\"“‘(]?[A-ZÀ-Ỹ]")


def _is_dek(s: PageState, i: int) -> bool:
    """A teaser's summary: prose of one or two sentences ("A soldier from Quebec was killed Tuesday.
    The attack ..."), TEASER_MAX_WORDS words at most."""
    return (s.own[i] == Kind.PROSE and s.shapes[i].n_words <= TEASER_MAX_WORDS and s.shapes[i].ends_sentence
            and len(_INNER_SENTENCE_END.findall(s.lines[i].text)) <= 1)


def _drop_teaser_runs(s: PageState) -> None:
    """Other stories' teasers kept as body (each summary is prose, and same-beat stories pass the
    topic test): runs of at least TEASER_MIN_PAIRS headline + short-summary pairs after the
    article's first paragraph of several sentences go, with the reason `related_headlines`."""
    if s.anchor is None:
        return
    first_full = next((i for i in range(s.anchor, s.n) if s.readings[i].role == "body"
                       and _INNER_SENTENCE_END.search(s.lines[i].text)), None)
    if first_full is None:
        return
    # kinds judged alone: a site prints its teaser box on many pages, so repetition made them
    # `repeated`, and the line model may have brought them back as body
    own, n, headline, prose = s.own, s.n, Kind.HEADLINE, Kind.PROSE
    # a run can start only at a headline with prose under it: the pages' other lines are not visited
    starts = [i for i in range(first_full + 1, n - 1) if own[i] == headline and own[i + 1] == prose]
    done = 0  # one past the last run dropped
    for i in starts:
        if i < done:
            continue
        j = i
        while j + 1 < n and own[j] == headline and _is_dek(s, j + 1):
            j += 2
        if (j - i) // 2 >= TEASER_MIN_PAIRS:
            for k in range(i, j):
                if s.readings[k].role == "body":
                    s.drop(k, "boilerplate:related_headlines")
            done = j


def line_words(s: PageState):
    import numpy as np

    return np.array([sh.n_words for sh in s.shapes], dtype=np.float32)


def apply_line_model(s: PageState, p, heads: list[int], span: tuple[int, int] | None = None) -> None:
    """The line model's say: a line the rules kept as body goes when the model finds it unlikely to
    be article text, and one they removed comes back when it finds it likely. Titles, captions and
    trailing paragraphs keep their roles, and the model never takes away most of the rules' article
    prose outside a readers' thread. The reason names what the model saw: a reader's comment
    (below a comment's header; `heads`: their line numbers), a line outside the page's most likely
    article span (`span`, the model's; found here when not given), or neither."""
    from .linemodel import best_span

    t = s.params.line_model_threshold
    start, end = span if span is not None else best_span(p, line_words(s))
    inside = restorable_span(s)
    first_head = heads[0] if heads else s.n
    drop = t if s.params.line_model_drop_below is None else s.params.line_model_drop_below
    # the model has a say only on a body line it finds unlikely and a removed line it finds likely
    verdicts = [model_verdict(r, s.own[i], s.shapes[i].n_words, prob, t, i in inside, drop)
                if ((prob < drop) if r.role == "body" else (prob >= t)) else None
                for i, (r, prob) in enumerate(zip(s.readings, p.tolist(), strict=True))]
    if True not in verdicts and not any(r.role == "body" and v is None
                                        for r, v in zip(s.readings, verdicts, strict=True)):
        # the model would leave no body at all: a one-paragraph story under a long readers' thread
        # reads to it as one more comment. The rules' article stands (an empty page is never better)
        return
    # lines past the first comment's header, when the thread stands below the article's start
    thread_from = first_head if heads and s.anchor is not None and heads[-1] > s.anchor else s.n
    prose = [i for i, r in enumerate(s.readings) if r.role == "body" and s.kinds[i] == Kind.PROSE]
    dropped = sum(s.shapes[i].n_words for i in prose if verdicts[i] is False and i <= thread_from)
    if 2 * dropped > sum(s.shapes[i].n_words for i in prose):
        # the model would take most of the rules' article away outside a readers' thread: a short
        # story above a long footer, a story whose paragraphs stand between photos. The rules'
        # reading of those lines stands (the model still brings lines back and removes comments)
        verdicts = [None if v is False and i <= thread_from else v for i, v in enumerate(verdicts)]
    if prose and verdicts[prose[0]] is False and P.LEAD_DATELINE.match(s.lines[prose[0]].text):
        # the rules' first paragraph opens with a dateline ("AMMAN (Reuters) - ..."): the story's lead,
        # which the model reads as one more paragraph among furniture when widgets stand under it
        verdicts[prose[0]] = None
    for i, verdict in enumerate(verdicts):
        if verdict is False:
            where = ("comments" if i > thread_from
                     else "outside_article" if not start <= i <= end else "not_article")
            s.drop(i, "boilerplate:" + where)
        elif verdict:
            s.keep(i, "body")


# Kinds of lines the model may bring back as article text: never what the rules know to be furniture
# (links, sources, widgets, credits, bylines, dates, contact lines, headers, breadcrumbs).
RESTORABLE = frozenset((Kind.PROSE, Kind.HEADLINE, Kind.SHORT, Kind.LIST_ITEM))


def restorable_span(s: PageState) -> range:
    """Lines the model may bring back stand inside the rules' article, between its first and last
    body line: before it are headers and section labels, after it navigation, other stories and
    comments. (Read once before the model acts: its drops never move the span's end for a line
    still to be judged, as every later line already stands past a dropped last line.)"""
    if s.anchor is None:
        return range(0)
    last = max((j for j in range(s.anchor, s.end) if s.readings[j].role == "body"), default=s.anchor)
    return range(s.anchor, last)


def model_verdict(r: LineReading, own: str, n_words: int, p: float, threshold: float, inside: bool,
                  drop_below: float | None = None) -> bool | None:
    """False: drop a body line; True: make a removed line body; None: the rules' role stands (titles,
    captions, trailing paragraphs, furniture kinds and bylines, lines of one or two words (names), lines outside the
    article, and lines the model agrees on)."""
    if r.role in ("title", "caption", "trailing_unrelated") or own == Kind.OVERSIZED:
        return None
    if r.role == "body":
        return False if p < (threshold if drop_below is None else drop_below) else None
    restorable = inside and own in RESTORABLE and n_words >= 3 and r.reason != "boilerplate:byline"
    return True if p >= threshold and restorable else None


def rule_passes(lines: list[Line], repeated: list[float] | None = None, params: CleanParams | None = None,
                shapes: dict[str, Shape] | None = None,
                kinds: dict[str | tuple[str, bool], str] | None = None) -> PageState:
    """Every pass but metadata: the page's lines with their kinds and roles, and its structure."""
    s = _start(lines, repeated, params or CleanParams(), shapes or {}, {} if kinds is None else kinds)
    post = _post_above_comments(s)
    _place_title(s)
    _keep_captions_above_body(s)
    if not post:
        _end_body(s)
    if s.anchor is not None:
        _read_body(s)
        _find_author_lines(s)
        _drop_glued_tail(s.readings, s.kinds, s.params, s.end)
        if s.page.body_end_marker:
            _judge_trailing(s)
        _site_prose_at_edges(s)
    for i in post:
        s.keep(i, "body")
    return s


POST_MIN_WORDS = 8  # a note under a video or photo post: a sentence, not a label
_EMPTY_THREAD_OR_FORM = re.compile(r"^\W*(?:no comments yet|be the first to comment|chưa có bình luận|"
                                   r"hãy là người đầu tiên bình luận|(?:your )?(?:name|e-?mail|mail|website|họ tên|"
                                   r"tên)\b[^.]{0,40}\((?:required|will not be published|not published|bắt buộc))",
                                   re.I)


_BY = re.compile(r"^\W*by\b", re.I)


def _post_above_comments(s: PageState) -> list[int]:
    """A post with no paragraph of its own (a video or a photo with a line or two about it) above
    its comments section: the page's first paragraph stands below the comments marker and below the
    section's own lines ("No comments yet", "Name (required)"), so it is the sidebar's "about" text
    or a commenter's, and the post is the run of sentence-long lines right above the marker. The
    body then ends at the marker. Returns the run's lines (empty: not such a page)."""
    if s.anchor is None:
        return []
    m = next((i for i in range(s.anchor) if COMMENTS_START(s.own[i], s.lines[i].text)), None)
    # the section between is the comments' own: an empty thread's notice, the reply form's fields, or
    # the thread's first comment under its stamp ("Ana Souza July 18, 2012 at 10:16 pm"; not a story's
    # byline with the time under its comment count, "By Ed Silverman // November 6th, 2012 // 9:41 am")
    if m is None or not any(_EMPTY_THREAD_OR_FORM.match(s.lines[i].text)
                            or _HAS_DIGIT(s.lines[i].text) and not _BY.match(s.lines[i].text)
                            and _comment_head_at(s, i) == "stamp" for i in range(m + 1, s.anchor)):
        return []
    run, j = [], m - 1
    while j >= 0 and s.kinds[j] in _LIST_LINE_KINDS and s.shapes[j].n_words >= 4 and not (
            s.shapes[j].has_date or s.shapes[j].has_url or _CLOCK.search(s.lines[j].text)):
        if not P.POST_NAVIGATION.match(s.lines[j].text):  # "Next post: ..." between the post and its thread
            run.append(j)
        j -= 1
    if not run or sum(s.shapes[i].n_words for i in run) < POST_MIN_WORDS:
        return []
    run.reverse()
    s.anchor, s.end = run[0], m
    s.page.body_end_marker = _is_end_marker(s.own[m], s.lines[m].text, s.shapes[m]) or "comments"
    return run


# A page whose article is a list ("+ Added Slime Block", "1. Preheat the oven"): at least this many
# list items in a row right under the title, no paragraph between them and it
LIST_ARTICLE_MIN_ITEMS = 5
LIST_ARTICLE_MIN_WORDS = 4  # per item on average


def _list_under_title(s: PageState) -> None:
    """A changelog, a recipe or a listicle without a lead: the run of list items that starts right
    under the title (datelines and bylines may stand between) is the article, however long it
    runs past the first sentence among them (the items are not other stories' headlines), when its
    items read as statements rather than a menu's labels."""
    if s.title_idx is None:
        return
    i = s.title_idx + 1
    while i < s.n and s.kinds[i] in (Kind.DATELINE, Kind.BYLINE):
        i += 1
    j = i
    while j < s.n and s.kinds[j] == Kind.LIST_ITEM or (j < s.n and j == s.anchor and j > i):
        j += 1
    items = [s.shapes[k].n_words for k in range(i, j) if s.kinds[k] == Kind.LIST_ITEM]
    if len(items) < LIST_ARTICLE_MIN_ITEMS or sum(items) < LIST_ARTICLE_MIN_WORDS * len(items):
        return  # a menu in bullets ("+ From Students", "- Kp Index") is no article
    for k in range(i, j):
        if s.readings[k].role != "body":
            s.keep(k, "body")


def _site_prose_at_edges(s: PageState) -> None:
    """Paragraphs printed on most of the site's pages (an "about this site" box, a legal notice, a
    newsletter pitch) stay prose through repetition, as a syndicated story's paragraphs do. The
    article starts at the page's first paragraph of its own (the anchor), so such a paragraph above
    it is the site's, unless it stands under the article's title (a story whose lead the site ran
    on many pages); below the page's last paragraph of its own it is the site's."""
    wide = s.params.site_prose_min_share
    if max(s.repeated, default=0.0) < wide:
        return  # most pages: nothing the site prints everywhere is prose
    if s.title_idx is not None:
        for i in range(s.title_idx + 1, s.anchor):
            if s.kinds[i] == Kind.PROSE:
                s.keep(i, "body")
    own = [i for i, r in enumerate(s.readings) if r.role == "body" and s.kinds[i] == Kind.PROSE
           and s.repeated[i] < wide]
    if not own:
        return
    for i in range(own[-1] + 1, s.n):
        if s.readings[i].role == "body" and s.kinds[i] == Kind.PROSE and s.repeated[i] >= wide:
            s.drop(i, "boilerplate:repeated")


def _start(lines: list[Line], repeated: list[float] | None, params: CleanParams, known: dict[str, Shape],
           cache: dict[str | tuple[str, bool], str]) -> PageState:
    """Passes 1 and 2: every line's shape and kind, alone and then with repetition; every line starts
    as boilerplate of its kind until the structure passes give it a role."""
    repeated = repeated or [0.0] * len(lines)
    texts = [ln.text for ln in lines]
    limit, shape_of = params.max_line_chars, known.get
    shapes = [(shape_of(t) or line_shape(t)) if len(t) <= limit else OVERSIZED for t in texts]
    # a line's own kind depends on its text and on whether it is among the first three: those are
    # cached as (text, True), the rest by their text alone (a page's lines are mostly past the third)
    own = [cache.get((t, True)) for t in texts[:3]] + list(map(cache.get, texts[3:]))
    for i, kind in enumerate(own):
        if kind is None:
            shape, text = shapes[i], texts[i]
            kind = line_kind(shape, text, i, params) if shape is not OVERSIZED else Kind.OVERSIZED
            own[i] = cache[(text, True) if i < 3 else text] = kind
    _caption_before_credit(own, lines, shapes)
    _consent_banners(own, lines, shapes)
    wrapped = _hard_wrapped_paragraphs(own, lines)
    kinds = [effective_kind(k, s, r, params) if r else k for k, s, r in zip(own, shapes, repeated, strict=True)]
    readings = [LineReading(ln, k, "boilerplate", _BOILERPLATE[k]) for ln, k in zip(lines, kinds, strict=True)]
    anchor = _first_own_prose(kinds, repeated, params.site_prose_min_share)
    return PageState(lines, shapes, own, kinds, readings, PageReading(readings), params, anchor, end=len(lines),
                     repeated=repeated, wrapped=wrapped)


def _first_own_prose(kinds: list[str], repeated: list[float], site_wide: float) -> int | None:
    """The anchor: the page's first prose line that is not printed on most of its site's pages (a
    blog's "about" text above the post); the first prose line when all of it is."""
    first = None
    for i, k in enumerate(kinds):
        if k == Kind.PROSE:
            if repeated[i] < site_wide:
                return i
            first = i if first is None else first
    return first


_BOILERPLATE = {k: "boilerplate:" + k for k in Kind.ALL}  # one reason string per kind, shared by its lines


def _place_title(s: PageState) -> None:
    """The nearest headline-shaped line above the anchor (or the first one when there is no body);
    the shorter headline right above it when that one is its standfirst (below)."""
    s.title_idx = _find_title(s.lines, s.kinds, s.shapes, s.anchor, s.own)
    if s.title_idx is not None and _standfirst_under_headline(s, s.title_idx):
        s.keep(s.title_idx, "body")  # the standfirst opens the story
        s.title_idx -= 1
    if s.title_idx is not None:
        s.title_idx = _headline_about_the_story(s, s.title_idx)
    if s.title_idx is None:
        s.title_idx = _repeated_headline_of_story(s)
    if s.title_idx is not None:
        s.keep(s.title_idx, "title")
        s.page.title = s.lines[s.title_idx].text


STANDFIRST_MIN_TITLE_SHARE = 0.5
REPEATED_TITLE_MAX_LINES = 15
OFF_TOPIC_TITLE_MAX_SHARE = 0.2
OFF_TOPIC_TITLE_MIN_SHARED = 3  # words the headline and the story share ("Today on Sky Sports.com" shares two)


def _story_terms(s: PageState) -> dict[str, float]:
    """The content terms of the story's first two paragraphs (what its headline is about)."""
    return merge_terms([s.lines[k].text for k in range(s.anchor, s.n) if s.kinds[k] == Kind.PROSE][:2])


def _headline_about_the_story(s: PageState, i: int) -> int:
    """The title found, line i, unless it is unsigned and shares (almost) none of the story's terms
    (another story's headline in a box between the headline and the story) while a headline-shaped
    line of five words or more up to 12 lines above it has half its terms and three of its words in
    the story: then that one."""
    if s.anchor is None or _signed(s.own, s.lines, i):
        return i
    story = _story_terms(s)
    if coherence(s.lines[i].text, story) >= OFF_TOPIC_TITLE_MAX_SHARE:
        return i
    for j in range(i - 1, max(i - 1 - SIGNED_TITLE_MAX_LINES, SIGNED_TITLE_MIN_INDEX - 1), -1):
        text = s.lines[j].text
        if s.kinds[j] != Kind.HEADLINE or s.shapes[j].n_words < 5 or _NAV_GLYPHS.search(text) or (
                _TAXONOMY_LINE.match(text) or _POST_HEADER.match(text) or text.endswith(("...", "…"))):
            continue
        shared = sum(1 for t in terms(text) if " " not in t and t in story)
        if shared >= OFF_TOPIC_TITLE_MIN_SHARED and coherence(text, story) >= STANDFIRST_MIN_TITLE_SHARE:
            return j
    return i


def _repeated_headline_of_story(s: PageState) -> int | None:
    """A blog post's headline is also in the "recent posts" list of the site's other pages, so it
    repeats and is no title candidate (200 of dragnet's 291 pages without a title). When no other
    line is, the nearest repeated headline-shaped line up to 15 lines above the story is its title
    if at least half its content terms are in the story's first two paragraphs: a menu's labels and
    other posts' headlines are not about this story. It stands right over the story, or over its
    byline or date line."""
    if s.anchor is None:
        return None
    lead = [s.lines[k].text for k in range(s.anchor, s.n) if s.kinds[k] == Kind.PROSE][:2]
    story = None
    for i in range(s.anchor - 1, max(s.anchor - 1 - REPEATED_TITLE_MAX_LINES, -1), -1):
        text = s.lines[i].text
        if s.kinds[i] != Kind.REPEATED or s.own[i] != Kind.HEADLINE or _NAV_GLYPHS.search(text) or (
                _TAXONOMY_LINE.match(text) or _POST_HEADER.match(text) or text.endswith(("...", "…"))):
            continue
        if not (i + 1 == s.anchor or _signed(s.own, s.lines, i)):
            continue  # a headline stands over its story, or over the story's byline or date
        story = story if story is not None else merge_terms(lead)
        if coherence(text, story) >= STANDFIRST_MIN_TITLE_SHARE:
            return i
    return None


def _standfirst_under_headline(s: PageState, i: int) -> bool:
    """Line i, the title found, is a standfirst (dek) under the real headline: i has no byline or
    dateline under it, and the line right above it is headline-shaped, shorter, not cut off with
    "...", past the page's first lines (menus), and at least half its content terms are in the
    standfirst and the story's first paragraph (a headline is about its story; a menu bar, a site's
    tagline or another story's title is not)."""
    j = i - 1
    if (s.anchor is None or j < SIGNED_TITLE_MIN_INDEX or s.kinds[j] != Kind.HEADLINE or _signed(s.own, s.lines, i)
            or s.shapes[j].n_chars >= s.shapes[i].n_chars):
        return False
    text = s.lines[j].text
    if (_NAV_GLYPHS.search(text) or _TAXONOMY_LINE.match(text) or _POST_HEADER.match(text) or _is_name_line(text)
            or _NAME_IN_PLACE.match(text) or text.endswith(("...", "…"))):  # a teaser's cut-off copy of it
        return False
    return coherence(text, merge_terms((s.lines[i].text, s.lines[s.anchor].text))) >= STANDFIRST_MIN_TITLE_SHARE


def _keep_captions_above_body(s: PageState) -> None:
    """Captions above the anchor belong to the article when they come after the title."""
    if s.anchor is None:
        return
    for i in range(s.title_idx + 1 if s.title_idx is not None else 0, s.anchor):
        if s.kinds[i] == Kind.CAPTION:
            s.keep(i, "caption")


# markers nothing of the story stands below, however much prose does: a readers' thread, the footer
# blogging software prints under a post ("Bookmark the permalink."), an author box
_FINAL_MARKERS = frozenset(("comments_thread", "widget:post_footer", "author_box"))


def _end_body(s: PageState) -> None:
    """The first end marker after the anchor, or a sign-off at the end of a paragraph; a marker ends
    the body only once most of the article is above it (share bars and "related" boxes also stand
    between the lead and the rest of the story)."""
    if s.anchor is None:
        return
    # prose characters above each line (prefix sums: a page may have many markers that do not end it)
    above = list(accumulate((sh.n_chars if k == Kind.PROSE else 0 for sh, k in zip(s.shapes, s.kinds, strict=True)),
                            initial=0))
    own, kinds, shapes = s.own, s.kinds, s.shapes
    thread_starts = _thread_starts(s)
    for i in range(s.anchor, s.n):
        text, kind = s.lines[i].text, own[i]
        # each test is asked only of the kinds and sizes it can answer yes for (most lines are prose)
        marker = _is_end_marker(kind, text, shapes[i]) if kind in _END_MARKER_KINDS else None
        cut = i
        if not marker and kinds[i] == Kind.PROSE and _signoff(text):
            marker, cut = "signoff:" + _signoff(text), i + 1
        if not marker and kinds[i] in _AUTHOR_LINE_KINDS and _author_line(s, i):
            marker = "author_line"
        if not marker and kinds[i] == Kind.PROSE and _prose_between(s, s.anchor, i) >= 2 and (bio := _author_bio(s, i)):
            # the writer's biography under the story; an author box's heading ends the story even
            # when more prose (a sidebar, comments) stands below than above
            marker, cut = "author_" + bio, i - 1 if bio == "box" and _ABOUT_HEADING.match(s.lines[i - 1].text) else i
        if not marker and kind in _COMMENTS_START_KINDS and _HAS_COUNT(text) and _comment_thread_below(s, i):
            marker = "comments_thread"  # a count no rule reads as a widget, a readers' thread under it
        if not marker and shapes[i].n_words <= COMMENT_STAMP_MAX_WORDS and _unmarked_thread_at(s, i):
            marker = "comments_thread"  # "Re: Summary (Score:5, Insightful)" and more below, no marker
        if i in thread_starts and marker != "comments_thread" and _lead_above(s, i):
            # "BY TAROCHAN AT 01/08/08 05:30 PM" over a comment, and more such heads by other names
            # below: the thread starts here, whatever else the line reads as (a "By ..." sign-off)
            marker, cut = "comments_thread", i
        if marker and (above[cut] - above[s.anchor] >= above[-1] - above[cut] or marker in _FINAL_MARKERS
                       or _comment_thread_below(s, i)):
            s.end, s.page.body_end_marker = cut, marker
            if marker.startswith("signoff:"):
                s.page.original_publisher = marker.split(":", 1)[1]
            return


# A comments marker followed by at least this many comment headers (a dated line with prose under it)
# opens a readers' thread: the body ends there however long the thread is.
COMMENT_THREAD_HEADS = 3
# a comment is stamped with the time of day or how long ago ("at 7:14 pm", "2 days ago"); an article's
# dateline most often with the day alone (the next story of a weekly edition: "March 25, 2015")
# a comment's header line: its writer's name and when, not a sentence
COMMENT_STAMP_MAX_WORDS = 12
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\b|h\b)|\b\d{1,2}:\d{2}\b", re.I)
# "Jamie Wayne, on November 7th, 2012 // Twitter: @jamie": a commenter's name (capitalised words), then "on"
# and the date; not a page's own "Published on ..." or "Posted on ..."
_NAME_ON_DATE = re.compile(r"^(?!(?i:posted|published|updated|last|written|filed|created|modified|added|submitted|"
                           r"originally|first|posted by)\b)[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3},?\s+on\s+\S")
# "Jason Fried 07 Nov 12": the day with a two-digit year, as comment systems print it
_SHORT_DATE = re.compile(r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+'?\d{2}$", re.I)
# "Miles Taylor 12 days ago", "Lan Anh 3 giờ trước": how long ago, after the commenter's name
_AGO = re.compile(r"\b(?:an?|\d+)\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b|"
                  r"\b\d+\s+(?:phút|giờ|ngày|tuần|tháng|năm)\s+trước\b", re.I)


def _comment_thread_below(s: PageState, i: int) -> bool:
    """A comments marker ("53 Comments »", "Leave a reply") with a readers' thread under it: each
    comment headed by a line stamped with a time ("on 25 Oct 2012 at 7:14 pm Audrey", "2 days ago")
    or by the commenter's name alone, with its text below. A thread may be longer than the article,
    so the marker ends the body even when most prose is below it; at least two paragraphs of article
    must be above it, and fewer paragraphs between the marker and the first comment than above it."""
    if not COMMENTS_START(s.own[i], s.lines[i].text):
        return False
    above = sum(1 for k in s.kinds[s.anchor:i] if k == Kind.PROSE)
    if above < 1:
        return False
    heads = 0
    prose_before_first_head = 0
    names: set[str] = set()
    for j in range(i + 1, s.n - 1):
        head = _comment_head_at(s, j)
        if head == "name":  # commenters differ: one name over each block is an author's teasers
            if s.lines[j].text in names:
                continue
            names.add(s.lines[j].text)
        if head:
            heads += 1
            # the thread starts under the marker: paragraphs running on from it are more article
            if heads >= COMMENT_THREAD_HEADS and above >= 2 and prose_before_first_head < above:
                return True
        elif s.kinds[j] == Kind.PROSE and heads == 0:
            prose_before_first_head += 1
    # a short thread (one or two comments) under a short post: every paragraph below the marker
    # stands under a comment's stamp, none of it runs on straight from the marker as the story would
    lead = any(s.kinds[j] == Kind.PROSE and s.shapes[j].n_words >= 20 for j in range(s.anchor, i))
    return heads >= 1 and prose_before_first_head == 0 and lead


def _unmarked_thread_at(s: PageState, i: int) -> bool:
    """A readers' thread with no marker above it: line i and at least COMMENT_THREAD_HEADS - 1 more
    lines below head a comment in a form only comments take ("Re: Summary (Score:5, Insightful)",
    "Jane Doe says:", "http://twitter.com/danamac Dana McMahan"), each with the comment's text under
    it (below its stamp line, if any), and the article above has a paragraph of its own."""
    if not _only_a_comments_head(s, i) or not any(
            s.kinds[k] == Kind.PROSE and s.shapes[k].n_words >= 20 for k in range(s.anchor, i)):
        return False
    heads = 0
    for j in range(i, s.n - 1):
        if _only_a_comments_head(s, j) and Kind.PROSE in s.kinds[j + 1:j + 3]:
            heads += 1
            if heads >= COMMENT_THREAD_HEADS:
                return True
    return False


def _stamp_heads(s: PageState) -> list[tuple[int, str]]:
    """The page's comment heads that carry a name and a time ("BY TAROCHAN AT 01/08/08 05:30 PM",
    "Miles Taylor 12 days ago"), each over its text, with the name: at most three capitalised words
    once the time, the date and "by", "at", "ago" are taken out. A time alone ("10:32 AM" over a live
    blog's entry), a race split ("5km - 17:20") or an event's line ("Tuesday at 7:30pm | Instructor:
    Rebecca") is no such head. Numbered heads with any handle and a date ("7. spock - August 8, 2012")
    are, when their dates fall in one or two years (a timeline's numbered entries span more). Found
    once per page, only among lines that can carry a time."""
    if s.stamps is None:
        s.stamps, numbered_heads, years = [], [], set()
        for j in range(s.n - 1):
            text = s.lines[j].text
            if s.shapes[j].n_words > COMMENT_STAMP_MAX_WORDS or "|" in text or not (_HAS_DIGIT(text) or "ago" in text):
                continue
            numbered = _NUMBERED_HEAD.match(text)
            if numbered and P.ANY_DATE.search(numbered.group("when")) and s.kinds[j + 1] in (Kind.PROSE, Kind.SHORT):
                numbered_heads.append((j, numbered.group("name").lower()))  # "7. spock - August 8, 2012"
                years.update(_YEAR(numbered.group("when")))
            elif s.own[j] != Kind.DATELINE and _comment_head_at(s, j) == "stamp":
                name = [w for w in _LETTER_RUNS(text) if w.lower() not in _STAMP_WORDS]
                if 1 <= len(name) <= 3 and all(w[0].isupper() for w in name):
                    s.stamps.append((j, " ".join(name).lower()))
        if numbered_heads and len(years) <= 2:  # a thread's comments come within days, a timeline's span years
            s.stamps = sorted(s.stamps + numbered_heads)
    return s.stamps


# a numbered comment's head: its number, the commenter (any handle), the date ("3. I'm Dead Jim! - August 8, 2012")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b").findall
_NUMBERED_HEAD = re.compile(r"^\s*\d{1,4}[.)]\s+(?P<name>\S.{0,50}?)\s+[-–—]\s+(?P<when>.{6,40})$")


_LETTER_RUNS = re.compile(r"[^\W\d_]+").findall
# the words of a stamp that are not the commenter's name: "BY X AT 01/08/08 05:30 PM", "X 12 days ago"
_STAMP_WORDS = frozenset("""by at on posted wrote writes said says am pm ago an a minute minutes hour hours day days
week weeks month months year years today yesterday jan feb mar apr may jun jul aug sep sept oct nov dec january
february march april june july august september october november december monday tuesday wednesday thursday
friday saturday sunday mon tue tues wed thu thur thurs fri sat sun reply""".split())


def _thread_starts(s: PageState) -> frozenset[int]:
    """Where a readers' thread with no marker may start: the name-and-time heads from which at least
    COMMENT_THREAD_HEADS such heads follow, by as many different names (a live blog's entries are
    stamped by its one or two reporters; readers differ)."""
    starts, names = [], set()
    for j, name in reversed(_stamp_heads(s)):
        names.add(name)
        if len(names) >= COMMENT_THREAD_HEADS:
            starts.append(j)
    return frozenset(starts)


def _stamped_thread_from(s: PageState, start: int) -> int | None:
    """The first place at or below `start` where a readers' thread with no marker starts."""
    return min((j for j in _thread_starts(s) if j >= start), default=None)


def _lead_above(s: PageState, i: int) -> bool:
    """The article has a paragraph of its own (20 words or more) between its start and line i."""
    return any(s.kinds[k] == Kind.PROSE and s.shapes[k].n_words >= 20 for k in range(s.anchor, i))


def _only_a_comments_head(s: PageState, j: int) -> bool:
    """A short line in one of the forms only a comment's header takes (`patterns.COMMENT_ONLY_HEAD`)."""
    text = s.lines[j].text
    # each of the forms has a colon ("Score:", "says:", "http://") or ends in dots (Blogger's "Ann said..."):
    # the search only where one is
    return s.shapes[j].n_words <= COMMENT_STAMP_MAX_WORDS and (":" in text or text[-1:] in ".…") and bool(
        P.COMMENT_ONLY_HEAD.search(text))


def _comment_head_at(s: PageState, j: int) -> str | None:
    """Whether a reader's comment starts at line j (its text on the next line): "stamp" for a line
    stamped with a time of day or "N days ago", "name" for the commenter's name alone on its line
    after a blank one ("Hesham Zebida", as blog themes print it; a short line, not a headline in title
    case, and not a name the site prints on many pages, its own author's)."""
    below = s.kinds[j + 1]
    if below in (Kind.REPEATED, Kind.WIDGET) and j + 2 < s.n:
        below = s.kinds[j + 2]  # a stamp's "Report this comment" or "Reply" link, then the text
    if below not in (Kind.PROSE, Kind.SHORT):  # a comment may be one short sentence
        return None
    # a stamp by its own kind: a regular's "Nathan 07.16.12 at 21:35" recurs on the site's pages
    # (digits fold in the repetition count) and is then furniture, but it still heads a comment
    own, text = s.own[j], s.lines[j].text
    if own == Kind.DATELINE:
        return "stamp" if (s.shapes[j].relative_time or _CLOCK.search(text) or _NAME_ON_DATE.match(text)
                           or j > 0 and s.own[j - 1] == Kind.SHORT and s.shapes[j - 1].n_words <= 2) else None
    if _only_a_comments_head(s, j):
        return "stamp"  # "Examiner Reader said:", "(Score:5, Insightful)"
    if (own in (Kind.SHORT, Kind.HEADLINE, Kind.BYLINE, Kind.ATTRIBUTION)
            and s.shapes[j].n_words <= COMMENT_STAMP_MAX_WORDS
            and (_CLOCK.search(text) or _AGO.search(text) or _SHORT_DATE.search(text))):
        return "stamp"  # a name and a time the shapes do not read ("Tim 11.06.12 at 11:06 am", "Tim 2 days ago",
        # "Jason Fried 07 Nov 12")
    if (s.kinds[j] == Kind.SHORT and s.kinds[j + 1] == Kind.PROSE and s.lines[j].blank_before
            and s.shapes[j].n_words <= 4 and _looks_like_name(s.lines[j].text)):
        return "name"
    return None


_AUTHOR_LINE_KINDS = (Kind.SHORT, Kind.HEADLINE)


def _author_line(s: PageState, i: int) -> bool:
    """A reporter's name on its own line right under a paragraph ("Trần Tuấn", "MINH TRÚC"), with
    prose still below it: Vietnamese sites sign there, and what follows is another story. Not under
    a hard-wrapped paragraph: wire copy wrapped at a width heads its sections with title-case lines
    ("Patented Smart State Technology")."""
    return (i > 0 and s.kinds[i - 1] == Kind.PROSE and i - 1 not in s.wrapped and s.kinds[i] in _AUTHOR_LINE_KINDS
            and 2 <= s.shapes[i].n_words <= 4 and _looks_like_name(s.lines[i].text)
            and not _ABOUT_HEADING.match(s.lines[i].text) and any(k == Kind.PROSE for k in s.kinds[i + 1:]))


# An author box under a post: a heading ("About the Author", "About Nancy Atkinson", "Về tác giả")
# over the writer's biography, which opens with the writer's name and what they are ("Matthew
# Panzarino is the News and Apple Editor of TNW.", "Steven V. Mazie is Associate Professor ...").
_ABOUT_HEADING = re.compile(r"^\W*(?:(?i:about (?:the )?(?:author|writer|blogger|contributor|reporter)s?|"
                            r"về tác giả|thông tin tác giả)|[Aa]bout ((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*))\W*$")
_BIO_LEAD = re.compile(r"^\W*(?:(?i:about the (?:author|writer)|về tác giả)\s*[:\-–—]|"
                       r"((?!(?:The|This|That|These|Those|Our|My|Mr|Mrs|Ms|Dr|Prof|Sir|Ông|Bà|Anh|Chị)\b)"
                       r"(?:[A-ZĐÀ-Ỹ][\w'’.-]*\s+){1,3}[A-ZĐÀ-Ỹ][\w'’.-]*),?\s+"
                       r"(?:is|has been|has written|writes (?:about|for|on)|lives|works|covers|teaches|founded|là)\b)")
_BIO_NAME_LINE_MAX_WORDS = 12


def _prose_between(s: PageState, start: int, end: int) -> int:
    return sum(1 for k in s.kinds[start:end] if k == Kind.PROSE)


def _author_bio(s: PageState, i: int) -> str | None:
    """Paragraph i is the writer's biography: "box" when an author box's heading stands right above
    it ("About the Author", "About <the name it opens with>") or it opens "About the author:";
    "bio" when it opens with a name (then "is", "writes", "lives" ...) that the page signs with
    elsewhere ("By ...", "Written by ...", "... by <name>", "View all posts by ..."). An article
    naming its subject opens the same way, but its subject is not the page's byline."""
    m = _BIO_LEAD.match(s.lines[i].text)
    if not m:
        return None
    if m.group(1) is None:
        return "box"
    words = m.group(1).split()
    heading = _ABOUT_HEADING.match(s.lines[i - 1].text) if i > 0 else None
    if heading and (heading.group(1) is None or heading.group(1).split()[-1] == words[-1]):
        return "box"
    signed = re.compile(r"\b(?:by|bởi)\s+" + re.escape(words[0]) + r"\b(?:\s+\S+){0,2}?\s+" + re.escape(words[-1])
                        + r"\b", re.I)
    for j in range(s.n):
        if j != i and s.kinds[j] not in (Kind.PROSE, Kind.CAPTION) and (
                s.shapes[j].n_words <= _BIO_NAME_LINE_MAX_WORDS and signed.search(s.lines[j].text)):
            return "bio"
    return None


_LIST_LINE_KINDS = (Kind.HEADLINE, Kind.SHORT, Kind.LIST_ITEM)
LIST_INTRO_MIN_WORDS = 6  # a headline-shaped line ending in ":" introduces a list when a sentence, not a label


def _read_body(s: PageState) -> None:
    """Roles between the anchor and the body's end: prose and captions are kept; headline-shaped
    lines are subheadings or list introductions inside the body, and related headlines in a run;
    list items belong to the article when introduced or punctuated as sentences, and so does every
    short line of a list a sentence introduces; a short sentence beside paragraphs is body."""
    _caption_pairs(s)
    kinds, lines, shapes = s.kinds, s.lines, s.shapes
    prose_in_body = [i for i in range(s.anchor, s.end) if kinds[i] == Kind.PROSE]
    last_prose = prose_in_body[-1] if prose_in_body else s.anchor
    introduced = False  # inside a list a sentence of the article introduces ("... invited to the combine:")
    for i in range(s.anchor, s.end):
        k = kinds[i]
        intro = (k == Kind.PROSE or (k == Kind.HEADLINE and shapes[i].n_words >= LIST_INTRO_MIN_WORDS)) and (
            lines[i].text.rstrip().endswith(":"))
        introduced = intro or (introduced and k in _LIST_LINE_KINDS)
        if k == Kind.PROSE or introduced:
            s.keep(i, "body")  # the intro, then "Brian Edwards (Wake Forest University)", one of 60 names
        elif k == Kind.CAPTION:
            s.keep(i, "caption")
        elif k == Kind.HEADLINE and lines[i].text.rstrip().endswith(":") and _next_kind(kinds, i) in (
                Kind.LIST_ITEM, Kind.PROSE):
            s.keep(i, "body")  # "Under the rules, riders must:"
        elif k == Kind.LIST_ITEM and i < last_prose + 1 and _list_in_body(kinds, lines, i):
            s.keep(i, "body")
        elif k == Kind.HEADLINE and i < last_prose and _subheading(kinds, i, last_prose):
            s.keep(i, "body")
        elif k in (Kind.HEADLINE, Kind.LIST_ITEM):
            s.readings[i].reason = "boilerplate:related_headlines"
        elif k == Kind.SHORT and i < last_prose and _short_subheading(s, i):
            s.keep(i, "body")  # "Unique flavours", "Yen factor": a two-word subheading between paragraphs
        elif (k == Kind.SHORT and shapes[i].ends_sentence and shapes[i].n_words >= 3 and i <= last_prose + 1
              and (kinds[i - 1] == Kind.PROSE or (i + 1 < s.n and kinds[i + 1] == Kind.PROSE))):
            s.keep(i, "body")  # a short sentence beside paragraphs


def _find_author_lines(s: PageState) -> None:
    """An author line right under the last paragraph ("Minh Anh"), as Vietnamese sites sign, and
    name-only lines near the top ("Nguyễn Hải - Khánh Vi" under the lead) are bylines."""
    kinds, lines = s.kinds, s.lines
    prose_in_body = [i for i in range(s.anchor, s.end) if kinds[i] == Kind.PROSE]
    last_prose = prose_in_body[-1] if prose_in_body else s.anchor
    after = last_prose + 1
    if (after < s.end and kinds[after] in (Kind.SHORT, Kind.HEADLINE) and 2 <= s.shapes[after].n_words <= 4
            and _looks_like_name(lines[after].text)):
        s.readings[after].reason = "boilerplate:byline"
        s.page.author = lines[after].text
    second_prose = prose_in_body[1] if len(prose_in_body) > 1 else s.end
    for i in range(s.anchor, second_prose):
        if kinds[i] == Kind.HEADLINE and _is_name_line(lines[i].text):
            s.drop(i, "boilerplate:byline")
            s.page.author = s.page.author or lines[i].text


def _judge_trailing(s: PageState) -> None:
    """After the end marker: the article's last photo stays, readers' comments go, and prose stays
    only when it is about the same story (coherence with the body, or with the title's terms)."""
    kinds, lines, params = s.kinds, s.lines, s.params
    body_terms: dict[str, float] | None = None  # made at the first paragraph that needs them
    title_terms: dict[str, float] | None = None
    # under a blog post's footer or atop a readers' thread come comments and other posts, never more
    # of the post
    in_comments, furniture_seen = s.page.body_end_marker in ("widget:post_footer", "comments_thread"), False
    thread_from = s.n if in_comments else _stamped_thread_from(s, s.end)
    below_box = s.page.body_end_marker == "author_box"  # the story is over once its author box is read
    for i in range(s.end, s.n):
        if s.own[i] in _COMMENTS_START_KINDS and (COMMENTS_START(s.own[i], lines[i].text)
                                                  or P.COMMENTS_CLOSED.match(lines[i].text)) or i == thread_from:
            in_comments = True
        if kinds[i] == Kind.CAPTION and not furniture_seen:
            s.keep(i, "caption")  # the article's last photo
            continue
        if kinds[i] != Kind.PROSE:
            furniture_seen = furniture_seen or i > s.end or s.own[i] not in (Kind.SOURCE, Kind.CREDIT)
            if kinds[i] == Kind.HEADLINE:
                s.readings[i].reason = "boilerplate:related_headlines"
            continue
        if in_comments:
            s.readings[i].reason = "boilerplate:comments"  # readers' text, however on-topic
            continue
        if bio := _author_bio(s, i):
            s.readings[i].reason = "boilerplate:author_bio"
            below_box = below_box or bio == "box"
            continue
        if below_box:
            s.readings[i].reason = "boilerplate:outside_article"  # a sidebar's "about us" under the author box
            continue
        if body_terms is None:
            body_terms = _terms_of(s.readings, s.end)
            title_terms = terms(s.page.title) if s.page.title else {}
        score = coherence(lines[i].text, body_terms)
        s.readings[i].score = round(score, 4)
        named, known = new_names(lines[i].text, body_terms)
        other_story = named >= params.trailing_min_new_names and known == 0
        if not other_story and (score >= params.trailing_min_coherence or (
                score >= params.trailing_min_coherence_with_title
                and coherence(lines[i].text, title_terms) >= params.trailing_min_title_share)):
            s.keep(i, "body")
        else:
            s.readings[i].role, s.readings[i].reason = "trailing_unrelated", "trailing_unrelated"


# A post's or comment's header line ("Posted by timothy on Tuesday July 24, @12:06PM", "Đăng bởi ..."):
# never the title, though headline-shaped.
_POST_HEADER = re.compile(r"^\s*(?:posted|đăng|viết)\s+(?:by|bởi|on|in)\b|^\s*người đăng\b", re.I)


# A post's categories or tags ("Filed under: Pop, Celebs", "Labels: Blog News", "Posted in history,
# photos", "Chuyên mục: Thời sự"): never the title, however headline-shaped.
_TAXONOMY_LINE = re.compile(r"^\W*(?:filed under|tags?|tagged|categor(?:y|ies)|posted in|labels?|topics?|"
                            r"chuyên mục|thẻ|từ khóa)\b\s*:?", re.I)


def _find_title(lines: list[Line], kinds: list[str], shapes: list[Shape], anchor: int | None,
                own: list[str] | None = None) -> int | None:
    """The nearest headline-shaped line above the anchor, preferring real headlines (4+ words, not
    printed twice on the page like a site name, not a list of names) over short labels; never a
    story's action bar ("Print | Email | Post comments")."""
    n = len(lines)
    order = list(range(anchor - 1, -1, -1)) if anchor is not None else list(range(n))
    candidates = [i for i in order if kinds[i] == Kind.HEADLINE and not _TAXONOMY_LINE.match(lines[i].text)
                  and not ("|" in lines[i].text and P.action_bar(lines[i].text))]
    keys = Counter(map(str.lower, [ln.text for ln in lines])) if candidates else {}
    real = [i for i in candidates if shapes[i].n_words >= 4 and keys[lines[i].text.lower()] == 1
            and not _POST_HEADER.match(lines[i].text) and not _is_name_line(lines[i].text)]
    if not real:
        return candidates[0] if candidates else None
    nearest = real[0]
    if own is not None and not _signed(own, lines, nearest):
        # a headline signed right under it (its byline or dateline) a few lines above the nearest one:
        # the nearest is its standfirst, its photo's caption, a tool's label or a related story
        for i in real[1:]:
            if nearest - i > SIGNED_TITLE_MAX_LINES or i < SIGNED_TITLE_MIN_INDEX:
                break
            text = lines[i].text
            if _signed(own, lines, i) and not _NAV_GLYPHS.search(text) and not _NAME_IN_PLACE.match(text):
                return i
    return nearest


SIGNED_TITLE_MAX_LINES = 12
# a menu, a tool bar or a link to the previous post ("« Back to NHL Home", "Printable version\t E-mail
# this story", "News · Archiv") is signed by the page's date as often as the headline is
# "Tom Kington in Rome": a reporter and where they file from, over the dateline
_NAME_IN_PLACE = re.compile(r"^[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,2} in [A-Z][\w'’.-]+"
                            r"(?: (?:[A-Z][\w'’.-]+|de|da|do|del|la|le|van|von)){0,3}$")
_NAV_GLYPHS = re.compile(r"[|·«»<>\t]|\s{2,}")
# the page's first lines are its site's name and menu bar, over the day's date on Vietnamese sites
SIGNED_TITLE_MIN_INDEX = 4
_SIGNATURE_KINDS = frozenset((Kind.BYLINE, Kind.DATELINE, Kind.ATTRIBUTION))


def _signed(own: list[str], lines: list[Line], i: int) -> bool:
    """The line right under line i is a byline or a dateline, or a reporter's "Name in City" over one."""
    return i + 1 < len(own) and (own[i + 1] in _SIGNATURE_KINDS or (
        i + 2 < len(own) and own[i + 2] in _SIGNATURE_KINDS and bool(_NAME_IN_PLACE.match(lines[i + 1].text))))


def _is_name_line(text: str) -> bool:
    """'Nguyễn Hải - Khánh Vi', 'Minh Anh và Thu Hà': one to three personal names, nothing else."""
    parts = [p.strip() for p in re.split(r"\s+[-–—&/]\s+|,\s*|\s+và\s+|\s+and\s+", text) if p.strip()]
    return 1 <= len(parts) <= 3 and all(2 <= len(p.split()) <= 4 and _looks_like_name(p) for p in parts) and (
        len(parts) > 1 or len(text.split()) <= 4)


# A paragraph hard-wrapped at a fixed width (press-release wires, plain-text mail archives, <pre>
# blocks): at least this many lines with no blank between, each full to the width, read together.
WRAPPED_MIN_LINES = 3
WRAPPED_MIN_WIDTH = 50
WRAPPED_MAX_WIDTH = 120
_WRAPPABLE = frozenset((Kind.HEADLINE, Kind.SHORT, Kind.PROSE, Kind.LIST_ITEM))


def _hard_wrapped_paragraphs(kinds: list[str], lines: list[Line]) -> frozenset[int]:
    """A paragraph broken into lines at a fixed width leaves fragments that read as headlines and
    short lines, and the article is lost. A run of lines is such a paragraph when every line but the
    last is full: the next line's first word would not have fitted on it (how text is wrapped), at a
    width of 50 to 120 characters; at least half of its lines go on in lower case (the break falls
    inside a sentence); and the run joined reads as prose. Its lines are then prose. A list of
    headlines fails the first or the second test, a menu bar the third."""
    i, n, wrapped = 0, len(lines), []
    while i < n:
        j = i + 1
        while j < n and not lines[j].blank_before and kinds[j] in _WRAPPABLE and kinds[j - 1] in _WRAPPABLE:
            j += 1
        if j - i >= WRAPPED_MIN_LINES and _is_wrapped(lines[i:j]):
            for k in range(i, j):
                kinds[k] = Kind.PROSE
            wrapped.extend(range(i, j))
        i = j
    return frozenset(wrapped)


def _is_wrapped(run: list[Line]) -> bool:
    width = max(len(ln.text) for ln in run[:-1])
    if not WRAPPED_MIN_WIDTH <= width <= WRAPPED_MAX_WIDTH:
        return False
    for line, below in zip(run[:-1], run[1:], strict=True):
        if len(line.text) + 1 + len(below.text.split(None, 1)[0]) <= width:
            return False  # the next word would have fitted: a line break by choice, not by width
    # and mostly inside sentences: the next line goes on in lower case (a list of headlines does not)
    if 2 * sum(below.text[0].islower() for below in run[1:]) < len(run) - 1:
        return False
    return line_shape(" ".join(ln.text for ln in run)).prose


# A consent banner sits at the top or the bottom of a copied page.
CONSENT_EDGE_LINES = 12


def _consent_banners(kinds: list[str], lines: list[Line], shapes: list[Shape]) -> None:
    """Cookie and consent banners near the page's edges are widgets, however fluent ("Trang web này
    sử dụng cookie ... Bằng việc tiếp tục truy cập, bạn đồng ý ..."): as prose they would anchor the
    article above its title."""
    n = len(lines)
    for i in [*range(min(n, CONSENT_EDGE_LINES)), *range(max(CONSENT_EDGE_LINES, n - CONSENT_EDGE_LINES), n)]:
        if shapes[i].n_words <= 60 and P.COOKIE_BANNER.search(lines[i].text):
            kinds[i] = Kind.WIDGET


def _caption_before_credit(kinds: list[str], lines: list[Line], shapes: list[Shape]) -> None:
    """A caption whose credit stands on the next line ("Workers at a factory." / "ẢNH: NGỌC THÀNH"):
    the text line right above a bare credit line is a caption too, unless it is long prose."""
    for i in range(1, len(lines)):
        if (kinds[i] == Kind.CAPTION and P.CAPTION_PREFIX.match(lines[i].text) and shapes[i].n_words <= 6
                and not lines[i].blank_before and kinds[i - 1] in (Kind.PROSE, Kind.HEADLINE, Kind.SHORT)
                and shapes[i - 1].n_words <= 30):
            kinds[i - 1] = Kind.CAPTION


_COMMENTS_START_KINDS = (Kind.WIDGET, Kind.REPEATED, Kind.SHORT, Kind.HEADLINE)


def COMMENTS_START(kind: str, text: str) -> bool:
    return kind in _COMMENTS_START_KINDS and bool(P.COMMENTS_MARKER.match(text))


def _next_kind(kinds: list[str], i: int) -> str | None:
    return kinds[i + 1] if i + 1 < len(kinds) else None


_NUMBERED = re.compile(r"^\s*\(?\d{1,2}[.)]\s+\S")
_VI_ONLY = re.compile("[ăắằẳẵặâấầẩẫậđêếềểễệôốồổỗộơớờởỡợưứừửữựạảẹẻẽịỉĩọỏụủũỳỵỷỹ]", re.I)
_WORDS = re.compile(r"[^\W\d_]+")
# A photo caption and its translation: each at most this many words, of lengths within this ratio.
CAPTION_PAIR_MAX_WORDS = 30
CAPTION_PAIR_RATIO = 2.0


def _caption_pairs(s: PageState) -> None:
    """A Vietnamese caption right above its English translation (or the reverse), with no credit
    line to mark them: two adjacent short lines, one Vietnamese and one English, of similar length."""
    for i in range(s.anchor, min(s.end, s.n) - 1):
        a, b = s.shapes[i], s.shapes[i + 1]
        if (s.lines[i + 1].blank_before or not (3 <= a.n_words <= CAPTION_PAIR_MAX_WORDS)
                or not (3 <= b.n_words <= CAPTION_PAIR_MAX_WORDS)
                or max(a.n_words, b.n_words) > CAPTION_PAIR_RATIO * min(a.n_words, b.n_words)):
            continue
        langs = {_vi_or_en(s.lines[i].text), _vi_or_en(s.lines[i + 1].text)}
        if langs == {"vi", "en"} and s.kinds[i] != Kind.LIST_ITEM and s.kinds[i + 1] != Kind.LIST_ITEM:
            s.kinds[i] = s.kinds[i + 1] = Kind.CAPTION


def _vi_or_en(text: str) -> str | None:
    """'vi' for a line with Vietnamese letters in its lowercase words, 'en' for one with English
    function words and none, else None (a cheap test for caption pairs, not language detection)."""
    words = [w for w in _WORDS.findall(text) if not w[0].isupper()]
    vi = sum(1 for w in words if _VI_ONLY.search(w))
    if vi >= 2:
        return "vi"
    return "en" if vi == 0 and sum(1 for w in words if w.lower() in EN_STOPWORDS) >= 2 else None


def _list_in_body(kinds: list[str], lines: list[Line], i: int) -> bool:
    """List items belong to the article when the list is introduced by a line ending with ':' or
    its items are punctuated like sentences ('- wear a helmet at all times;')."""
    j = i
    while j > 0 and kinds[j - 1] == Kind.LIST_ITEM:
        j -= 1
    intro = lines[j - 1].text.rstrip() if j > 0 else ""
    if intro.endswith(":") or lines[i].text.rstrip().endswith((".", ";", ",", ":", "?", "!", "…")):
        return True
    # a numbered subheading of a listicle, its paragraph right below ("1. Carry a light raincoat")
    return bool(_NUMBERED.match(lines[i].text)) and i + 1 < len(kinds) and kinds[i + 1] == Kind.PROSE


def _short_subheading(s: PageState, i: int) -> bool:
    """A two-word line set apart by blank lines between two paragraphs of the body, without a
    figure or a name's capitals ("Unique flavours", "'Ultimate economy'", "Asset bubbles?"): a
    subheading too short to be headline-shaped. A reporter's name there ("Minh Anh") is not one."""
    return (s.shapes[i].n_words == 2 and s.kinds[i - 1] == Kind.PROSE and s.kinds[i + 1] == Kind.PROSE
            and s.lines[i].blank_before and s.lines[i + 1].blank_before and s.shapes[i].digit_share == 0
            and not _looks_like_name(s.lines[i].text.strip("'‘’\"“”?!")))


def _subheading(kinds: list[str], i: int, last_prose: int) -> bool:
    """A headline-shaped line inside the body is a subheading unless it sits in a run of them
    (a related-stories list: three or more headline lines in a row)."""
    run = 1
    j = i - 1
    while j >= 0 and kinds[j] == Kind.HEADLINE:
        run, j = run + 1, j - 1
    j = i + 1
    while j <= last_prose and kinds[j] == Kind.HEADLINE:
        run, j = run + 1, j + 1
    return run < 3


def _terms_of(readings: list[LineReading], end: int) -> dict[str, float]:
    return merge_terms(r.line.text for r in readings[:end] if r.role in ("title", "body"))


def _drop_glued_tail(readings: list[LineReading], kinds: list[str], params: CleanParams, end: int) -> None:
    """Final body paragraphs (before any end marker) are dropped only when the layout shows a seam
    and they share almost nothing with the body. The seam: the body's paragraphs are
    blank-separated, but the last ones form a block of lines with no blank line between them."""
    body_idx = [i for i, r in enumerate(readings[:end]) if r.role == "body" and kinds[i] == Kind.PROSE]
    if len(body_idx) < 3:
        return
    start = len(body_idx) - 1
    while start > 0 and not readings[body_idx[start]].line.blank_before and body_idx[start - 1] == body_idx[start] - 1:
        start -= 1
    block = body_idx[start:]
    spaced_before = sum(1 for i in body_idx[:start] if readings[i].line.blank_before)
    if len(block) < 2 or start < 2 or spaced_before < 2:
        return
    rest = merge_terms(r.line.text for i, r in enumerate(readings)
                       if r.role == "title" or (r.role == "body" and i < block[0]))
    for i in reversed(block):
        score = coherence(readings[i].line.text, rest)
        readings[i].score = round(score, 4)
        if score > params.unmarked_trailing_max_coherence:
            break
        readings[i].role, readings[i].reason = "trailing_unrelated", "trailing_unrelated"


_HAS_DIGIT = re.compile(r"\d").search
_HAS_COUNT = re.compile(r"\d|^\W*(?:no|one|two|three|four|five|six|seven|eight|nine|ten)\s", re.I).search
_HAS_YEAR = re.compile(r"\d{4}").search
# Lines a publication date is read from (never the article's own text).
_DATE_KINDS = frozenset((Kind.DATELINE, Kind.BYLINE, Kind.ATTRIBUTION, Kind.SITE_HEADER, Kind.NAVIGATION, Kind.SHORT,
                         Kind.HEADLINE, Kind.REPEATED))


def _metadata(page: PageReading, lines: list[Line], shapes: list[Shape], kinds: list[str],
              title_idx: int | None, anchor: int | None, end: int, site_url: str | None) -> None:
    """Published time, source URL, publisher names and author from the non-body lines."""
    _published(page, lines, kinds, anchor, end)
    for s in shapes:
        if s.source_url:
            page.source_url = s.source_url
            break
    source_host = M.host_of(page.source_url)
    _publisher_site(page, lines, kinds, shapes, title_idx, site_url)
    _authors(page, lines, kinds, title_idx, source_host)
    if page.original_publisher is None and source_host:
        page.original_publisher = source_host


def _published(page: PageReading, lines: list[Line], kinds: list[str], anchor: int | None, end: int) -> None:
    """The earliest date line above the body's end, refined by a more precise one. Numeric dates are
    day first (06/07/2025 is 6 July) unless the page prints one that can only be month first
    (06/18/2025): then its ambiguous dates are read month first too."""
    dated = [i for i in range(len(kinds) if anchor is None else end) if kinds[i] in _DATE_KINDS
             and page.lines[i].role not in ("body", "trailing_unrelated", "caption", "title")
             and _HAS_YEAR(lines[i].text)]  # every date form has a four-digit year: the rest are not read
    month_first = any(M.month_first_only(lines[i].text) for i in dated)
    candidates = [M.parse_datetime(lines[i].text, lines[i].line_no, month_first=month_first) for i in dated]
    published = M.pick_published([c for c in candidates if c])
    if published:
        page.published, page.published_precision = published.value, published.precision


def _publisher_site(page: PageReading, lines: list[Line], kinds: list[str], shapes: list[Shape],
                    title_idx: int | None, site_url: str | None) -> None:
    """A domain in the page's header, else the host of the URL the page was fetched from, else the
    site's name on the page's first line ("VnExpress", "TUOI TRE ONLINE")."""
    for k, s in zip(kinds, shapes, strict=True):
        if k == Kind.SITE_HEADER and s.domain:
            page.publisher_site = s.domain
            return
    if site_url:
        page.publisher_site = M.host_of(site_url)
        return
    if lines and title_idx != 0 and kinds[0] in _SITE_NAME_KINDS and 1 <= shapes[0].n_words <= 4 and (
            not shapes[0].ends_sentence and shapes[0].digit_share == 0):
        page.publisher_site = M.undouble(lines[0].text)


# what a line THEO_LINE matches can start with (lines are stripped; "ſ" is an "s" to re.IGNORECASE)
_THEO_FIRST = frozenset("([tTnNsSſbBaA")
_SITE_NAME_KINDS = (Kind.SHORT, Kind.HEADLINE, Kind.REPEATED, Kind.SITE_HEADER, Kind.WIDGET)


def _authors(page: PageReading, lines: list[Line], kinds: list[str], title_idx: int | None,
             source_host: str | None) -> None:
    """Authors and the original publisher from date lines ("Thời Đại 25/03/2025"), bylines ("By
    Quynh Tran", "Theo TTXVN") and sign-off lines ("Hồ Nguyễn/VOV-Miền Trung")."""
    for i, (ln, k) in enumerate(zip(lines, kinds, strict=True)):
        if k != Kind.DATELINE or (source_host is None and (title_idx is None or i <= title_idx
                                                             or page.author is not None)):
            continue  # without a source host, a date line's name can only fill the author, once
        name = M.name_from_date_line(ln.text)
        if not name or not _looks_like_name(name):
            continue
        if M.name_matches_host(name, source_host):
            page.original_publisher = page.original_publisher or name
        elif title_idx is not None and i > title_idx and page.author is None:
            page.author = name
    for ln, k in zip(lines, kinds, strict=True):
        if k not in (Kind.SHORT, Kind.HEADLINE, Kind.WIDGET, Kind.ATTRIBUTION, Kind.BYLINE):
            continue
        # the pattern backtracks on every short line: only where its separator can be
        outlet = P.AUTHOR_OUTLET.match(ln.text) if ("/" in ln.text or "-" in ln.text or "–" in ln.text) else None
        if outlet and _looks_like_name(outlet.group(1)):
            page.author = page.author or outlet.group(1)
            page.original_publisher = page.original_publisher or outlet.group(2).split("-")[0].strip()
            continue
        # "Theo ..." lines open with one of its words' first letters (or a bracket): only those are matched
        m = (P.THEO_LINE.match(ln.text) if ln.text[0] in _THEO_FIRST else None) or (
            (P.BYLINE.match(ln.text) or P.POSTED_BY.match(ln.text)) if k == Kind.BYLINE else None)
        if m and _looks_like_name(m.group(1).strip(" .")):
            word = ln.text.strip("([ ").split()[0].lower()
            if word in ("theo", "nguồn", "source") and page.original_publisher is None:
                page.original_publisher = m.group(1).strip(" .")
            elif word not in ("theo", "nguồn", "source") and page.author is None:
                page.author = m.group(1).strip(" .")
