"""Regular expressions and word lists that describe news-page furniture in Vietnamese and English.

These are shapes, not strings of any one page: the date forms Vietnamese and English sites print,
the ways photo credits are written, the words that widgets, menus and footers are made of. Each
pattern is named for what it recognises so the classifier's rules read as prose.
"""
from __future__ import annotations

import re

_MONTHS_EN = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
MONTHS_EN = {
    name: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}

# --- dates and times ------------------------------------------------------------------------------
# 25/03/2025, 24/3/2025 14:05, 24-3-2025, 24.03.2025 (day first, as Vietnamese and British sites write)
DATE_DMY = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?!\d)")
# 2025-02-28, 2025/02/28, 2025-02-28T13:37:00+07:00
DATE_ISO = re.compile(
    r"(?<!\d)(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
# February 28, 2025 / Feb. 28, 2025 / 28 February 2025
DATE_MDY_EN = re.compile(rf"\b({_MONTHS_EN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
DATE_DMY_EN = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTHS_EN})\.?,?\s+(\d{{4}})\b", re.I)
# ngày 24 tháng 3 năm 2025
DATE_VI_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm|,)\s*(\d{4})", re.I)
# 14:05, 13h37, 9:05 AM, 14 giờ 05
TIME = re.compile(r"(?<!\d)(\d{1,2})\s*(?::|h|giờ)\s*(\d{2})(?!\d)(?:\s*([AaPp]\.?[Mm]\.?))?")
# GMT+7, UTC+07:00, (GMT+7)
TZ_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\b", re.I)
WEEKDAY = re.compile(
    r"\b(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ\s+nhật|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b",
    re.I,
)
ANY_DATE = re.compile(
    # the English forms as DATE_MDY_EN and DATE_DMY_EN read them, ordinals included ("August 2nd, 2012")
    "|".join(p.pattern for p in (DATE_DMY, DATE_ISO))
    + rf"|\b(?:{_MONTHS_EN})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS_EN})\.?,?\s+\d{{4}}\b|ngày\s+\d{{1,2}}\s+tháng\s+\d{{1,2}}",
    re.I,
)
# "3 giờ trước", "2 days ago", "2 days ago at 07:52 am" (the time line above a reader's comment)
RELATIVE_TIME = re.compile(
    r"^\s*(?:\d+\s+(?:phút|giờ|ngày|tuần|tháng|năm)\s+trước|(?:an?|\d+)\s+(?:minutes?|hours?|days?|weeks?|months?|"
    r"years?)\s+ago)(?:\s+(?:at|lúc)\s+\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)?\s*$",
    re.I,
)

# --- links and sources ----------------------------------------------------------------------------
URL = re.compile(r"https?://[^\s<>\"')\]]+|\bwww\.[^\s<>\"')\]]+", re.I)
DOMAIN = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:vn|com|net|org|gov|edu|info|news|asia|io|tv))\b", re.I)
SOURCE_LINE = re.compile(
    r"^\s*(?:source|nguồn|theo|read more at|originally published (?:at|in|by))\s*:?\s*(https?://\S+)\s*$", re.I
)
SOURCE_NAMED = re.compile(r"^\s*[\(\[]?\s*(?:source|nguồn|theo)\s*:?\s*([^\n]{2,60}?)\s*[\)\]]?\s*\.?\s*$", re.I)

# Sign-offs that end an article: "— VNS", "- VNA", "(Theo TTXVN)", "Theo VnExpress"
# (the sentence before it must be finished, so "... between Việt Nam - EU." is not a sign-off)
SIGN_OFF_TAIL = re.compile(r"[.!?…\"”’]\s*(?:[—–-]{1,2}\s*|\()\s*"
                           r"([A-Z][A-Za-z/&.+]{1,20}(?:\s[A-Z][A-Za-z]{1,10})?)\s*\)?\s*$")
THEO_LINE = re.compile(r"^\s*[\(\[]?\s*(?:theo|nguồn|source|by|bài và ảnh|bài, ảnh|bài|tác giả|author)\s*:?\s+"
                       r"([^\n]{2,60}?)\s*[\)\]]?\s*$", re.I)
# Wire-style credits that close a story: "(Reporting by X; Editing by Y)", "(Additional reporting by Z)"
WIRE_CREDIT = re.compile(r"^\s*[\(\[]?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|translated)\s+by\b",
                         re.I)
# Inline links to other stories: "Tin liên quan: <headline>", "Xem thêm: ...", "Read more: ..."
INLINE_RELATED = re.compile(
    r"^\s*(?:tin liên quan|bài liên quan|xem thêm|đọc thêm|tin cùng chủ đề|read more|see also|related|also read|"
    r"video|clip|watch|xem video)\s*[:>»-]\s*\S",
    re.I,
)
BYLINE = re.compile(r"^\s*(?:by|tác giả|bài(?:\s+và\s+ảnh|,\s*ảnh)?|written by|reporter|phóng viên|pv)\s*:?\s+"
                    r"(\S.{1,60}?)\s*$", re.I)
# "Posted by Hannah Hayes", "Đăng bởi Thu Hà": a blog post's byline when undated (dated, it is as
# often a reader's comment stamp: "Posted by: Joe | October 02, 2012 at 01:57 PM")
POSTED_BY = re.compile(r"^\s*(?:posted by|đăng bởi|viết bởi|người đăng)\s*:?\s+(\S.{1,60}?)\s*$", re.I)

# --- captions ------------------------------------------------------------------------------------
_CREDIT_WORDS = (r"(?:ảnh|photo|photos|hình|hình ảnh|nguồn ảnh|ảnh minh họa|ảnh minh hoạ|illustrative (?:photo|image)|"
                 r"file photo|video|clip|graphic|đồ họa|infographic)")
CAPTION_PAREN = re.compile(rf"\(\s*{_CREDIT_WORDS}\s*[:.]?\s*[^()]{{0,80}}\)\s*\.?\s*$", re.I)
CAPTION_SUFFIX = re.compile(rf"(?:^|[.;,\s]|[—–-]\s*){_CREDIT_WORDS}\s*:\s*[^.:]{{1,60}}\.?\s*$", re.I)
CAPTION_AGENCY = re.compile(
    r"\b(?:VNA|VNS|TTXVN|VNA/VNS|VNS/VNA|AFP|Reuters|AP|EPA|Xinhua|Getty(?: Images)?|Shutterstock)"
    r"\s*(?:/\s*[A-Za-z]+\s*)?(?:photo|photos|ảnh|file photo)\b[^.]{0,40}\.?\s*$",
    re.I,
)
CAPTION_BY = re.compile(r"\b(?:photo|photos|ảnh)\s+(?:by|courtesy of|của)\s+[^.]{2,50}\.?\s*$", re.I)
CAPTION_PREFIX = re.compile(r"^\s*(?:ảnh|photo|photos|hình|hình ảnh|nguồn ảnh|image caption|photo caption|caption|chú "
                            r"thích ảnh)"
                            r"\s*[:,]\s*\S", re.I)
# "... tại Hà Nội. Ảnh minh họa" / "(Illustrative photo)": an illustration note with no colon
CAPTION_ILLUSTRATIVE = re.compile(r"[.)]\s*\(?(?:ảnh minh họa|ảnh minh hoạ|illustrative (?:photo|image)|file "
                                  r"photo)\)?\.?\s*$", re.I)

# --- widgets, menus, footers ---------------------------------------------------------------------
# Words that page furniture is made of; a short line that carries one is furniture.
WIDGET_WORDS = re.compile(
    r"\b(?:comments?|bình luận|ý kiến(?: bạn đọc)?|share|chia sẻ|like|tweet|email|e-mail|print|in bài|"
    r"login|log in|sign in|sign up|register|đăng nhập|đăng ký|subscribe|newsletter|tags?|từ khóa|từ khoá|chủ đề|"
    r"related(?: news| articles| stories)?|tin liên quan|bài liên quan|tin cùng chuyên mục|cùng chuyên mục|"
    r"tin mới|tin khác|tin nổi bật|đọc nhiều|xem nhiều|most read|most viewed|popular|trending|"
    r"xem thêm|đọc thêm|read more|see more|more news|load more|xem tiếp|trở lại|back to top|lên đầu trang|"
    r"same category|same author|hotline|giấy phép|license|licence|copyright|bản quyền|all rights reserved|"
    r"contact|liên hệ|quảng cáo|advertis\w*|về chúng tôi|about us|privacy|chính sách|điều khoản|terms|"
    r"follow us|theo dõi|tải ứng dụng|download|no data|no videos?(?: available)?|không có dữ liệu|"
    r"cookies?|video|podcast|multimedia|emagazine|longform|infographics?|photos?|gallery|"
    r"trang chủ|home|menu|search|tìm kiếm|rss|sitemap|toà soạn|tòa soạn|editor|tổng biên tập|"
    r"phó tổng biên tập|chịu trách nhiệm|cơ quan chủ quản|giấy phép hoạt động|điện thoại|fax|tel|"
    r"gửi bài|góp ý|phản hồi|feedback|báo lỗi|in trang|lưu|save|bookmark)\b",
    re.I,
)
# "Like us on Facebook or follow us on X ...", "Theo dõi chúng tôi trên Zalo": social calls to action
# A call to action starts with its verb ("Theo dõi VTV trên Zalo", "Like us on Facebook"); a sentence
# that merely mentions registering in an app ("Người dân có thể đăng ký ... qua ứng dụng") is not one.
SOCIAL_CTA = re.compile(
    r"^\W*(?:(?:hãy|please|vui lòng|mời bạn)\s+)?(?:like|follow|subscribe|join|theo dõi|đăng ký|tải|quét mã|download|"
    r"get|sign up)\b.{0,60}\b(?:facebook|twitter|x|zalo|youtube|tiktok|instagram|telegram|linkedin|fanpage|kênh|app|"
    r"ứng dụng|newsletter|bản tin)\b",
    re.I,
)
COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|\bbản quyền\b|all rights reserved|giấy phép số|"
                       r"giấy phép hoạt động|\bmay not be (?:re)?published, broadcast\b", re.I)
# A notice that opens with the copyright sign or word ("© 2008 The Blade. By using this service ...",
# "Copyright 2008 The Associated Press. All rights reserved. This material may not be ...", or the wire's
# notice alone: "This material may not be published, broadcast, rewritten or redistributed."): the
# page's footer even when it is written in sentences.
# A sentence about copyright ("Copyright holders sued ...") names no year, no © and reserves nothing.
COPYRIGHT_LEAD = re.compile(r"^\s*(?:©|\(c\)\s*\d{4}|(?:copyright|bản quyền)\b.{0,60}?(?:©|\b(?:19|20)\d{2}\b|"
                            r"all rights reserved|thuộc về)|"
                            r"(?:distributed by [^.]{1,40}\.\s*)?this material may not be "
                            r"(?:re)?published, broadcast\b)",
                            re.I)
COUNTER = re.compile(r"\(\s*\d+\s*\)\s*$|^\s*\d+\s*(?:bình luận|comments?|lượt xem|views?|likes?|shares?)\s*$", re.I)
BREADCRUMB = re.compile(r"^\s*(?:home|trang chủ)\b|\s[>›»/|]\s.*\s[>›»/|]\s|^\s*[^\s].{0,40}\s[>›»]\s", re.I)
SEPARATOR_ONLY = re.compile(r"^[\W_]+$")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
PHONE = re.compile(r"(?:\+?84|0)(?:[\s.-]?\d){8,10}\b")

# List items: "- item", "• item", "* item", "1. item", "a) item"
LIST_ITEM = re.compile(r"^\s*(?:[-–•*+▪●]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+)\S")
# Reader comments sections: prose after these is readers' text, not the article
# What may stand before a section marker's words: bullets, arrows and the braces or brackets a blog
# theme prints around its count ("{ 7 comments… read them below or add one }", "» 87 comments"); a word
# may stand between the count and the comments ("8 appreciated comments on “New work”").
MARKER_LEAD = r"^[\s{}()\[\]«»‹›·•|>~*#–—-]*"
# a count of comments, in figures or words ("One Response to “Title”", "No comments")
COUNT = r"(?:\d+|no|one|two|three|four|five|six|seven|eight|nine|ten)"
COMMENTS_MARKER = re.compile(MARKER_LEAD + r"(?:" + COUNT + r"\s+(?:[^\W\d_]+\s+)?)?"
                             r"(?:comments?|bình luận|ý kiến(?: bạn đọc)?|reader comments|"
                             r"leave a (?:comment|reply)|add (?:a |your )?comments?|gửi bình luận|viết bình luận|"
                             r"post a comment|responses?)\b",
                             re.I)
# "Comments are now closed for this story", "The comments to this entry are closed.", "Comments on this
# article are now closed", "Thanks for your comments - this feedback is now closed", "Bình luận đã
# đóng": a comments section's notice, however long; what follows it is readers' text
COMMENTS_CLOSED = re.compile(r"^\W*(?:(?:the|thanks for your comments\W+this)\s+)?(?:comments?|responses?|feedback)"
                             r"(?:\s+(?:on|to|for)\s+this\s+\w+)?\s+(?:(?:are|is|have|has)\s+)?(?:now\s+)?(?:been\s+)?"
                             r"(?:closed|disabled)\b|^\W*(?:bình luận|ý kiến)\s+(?:đã\s+)?(?:được\s+|bị\s+)?đóng\b",
                             re.I)
# A blog post's footer as blogging software prints it under every post ("This entry was posted on
# Monday, ... and is filed under News. You can follow any responses to this entry through the RSS 2.0
# feed.", "Posted in Travel | Tagged Paris | Bookmark the permalink"): the post ends there, however
# sentence-like the template reads ("Filed under: Sports" alone also heads news stories: not here)
POST_FOOTER = re.compile(r"^\W*(?:this (?:entry|post) was (?:posted|filed|written)\b|you can follow any responses to "
                         r"this (?:entry|post)\b|(?:posted|filed) (?:in|under)\b.{0,200}\|.{0,200}\b(?:tagged|"
                         r"bookmark|permalink|comments?)\b)", re.I)
BOOKMARK_PERMALINK = re.compile(r"\bbookmark the permalink\b", re.I)
# A comments section's house rules or invitation, however sentence-like ("Comments are moderated, and
# will not appear until the author has approved them.", "We'd like your thoughts on this story. ...",
# "Comments that include profanity or personal attacks ... will be removed"): never the article's
COMMENT_POLICY = re.compile(r"^\W*(?:comments? (?:are|is|will be) (?:moderated|reviewed|screened)\b|"
                            r"comments? (?:that|which) (?:include|contain)\b|"
                            r"(?:we'?d like|we'?d love|we want) (?:to hear )?your "
                            r"(?:thoughts|views|comments|opinions?)\b|"
                            r"now let'?s hear what you|do you have (?:a )?comments? (?:on|about) this\b)", re.I)
# A call for readers' tips, stories and photos, and the form that takes them ("If you have any news
# tips that you would like us to follow up on ... contact us", "Are you in Thane? ... Send us your
# experiences", "If you are happy to be contacted by a BBC journalist ...", "Submit your Pics: Upload
# photos ...", "Bạn đọc có thông tin phản ánh xin gửi về ...", "(Required) Name (Required) Your E-mail
# address"): the site's, never the story's. A sentence that asks readers something of the story
# ("Are you insane with envy ...", "Share your photos with NJ.com readers ...") is left to the rest.
READER_CALL = re.compile(
    r"^\W*(?:if you have (?:any )?(?:news tips?|a (?:news )?tip|a story (?:to submit|idea|you would like))|"
    r"(?:are|were) you (?:in|near|at) [^?]{1,40}\?.{0,160}\b(?:send|e-?mail|tell|contact) us\b|"
    r"(?:are you|is someone you know)[^?]{0,40}\baffected by\b.{0,120}\b(?:send|e-?mail|tell|contact) us\b|"
    r"if you are happy to be contacted\b|submit your (?:pics|photos?|pictures|videos?)\s*:|"
    r"\(required\)\s*(?:your )?(?:name|e-?mail)\b|"
    r"(?:mời )?(?:bạn đọc|độc giả|quý độc giả) có (?:thông tin|hình ảnh|video|bài viết|tư liệu)\b.{0,80}"
    r"\b(?:gửi|liên hệ)\b|"
    r"(?:thông tin|bài viết),? (?:phản ánh|bài vở|cộng tác)\b.{0,40}\b(?:xin )?gửi (?:về|tới|qua)\b)",
    re.I)
READER_CALL_MAX_WORDS = 100  # the BBC's "If you are happy to be contacted ..." runs to 87

# A story's lead opens with where it was filed and who filed it: "AMMAN (Reuters) - Syrian rebels ...",
# "LONDON—The ratings firm ...", "ISLAMABAD, Pakistan — At ...", "(Dân trí) - Sáng 5/3 ...", "TTO - ...",
# "VOV.VN - ...". No other paragraph of a page does.
LEAD_DATELINE = re.compile(
    r"^(?:[A-ZĐ][A-ZĐ.'’ ]{1,30}[A-ZĐ](?:,\s+[A-Z][\w.'’]*(?:\s+[A-Z][\w.'’]*){0,2})?\s*(?:\([^)]{2,30}\)\s*)?"
    r"|\([^()]{2,30}\)\s*|[A-ZĐ]{2,10}(?:\.(?:VN|vn))?\s+)"
    r"(?:—|–|--?)\s*[\"“‘'(]?[A-ZÀ-ỸĐ0-9]")

# A ticker or a menu run together on one line: five or more short items between " | ", " • " or
# " · " ("Epic makes more room for testers | Win tickets to see WrestleMania 24 | ...", "contents:
# preface | the need for a leader | ..."). Its stopwords make it read as prose, but its items are
# headlines and labels, few of them sentences.
ITEM_SEPARATOR = r"\s[|•·]\s"
SENTENCE_ITEM_END = r"[.!?]\s[|•·]\s"
RUN_TOGETHER_MIN_ITEMS = 5
RUN_TOGETHER_MAX_ITEM_WORDS = 15
_ITEM_SEPARATOR = re.compile(ITEM_SEPARATOR)
_SENTENCE_ITEM_END = re.compile(SENTENCE_ITEM_END)


def run_together_list(text: str, n_words: int) -> bool:
    """Five or more items between separators, at most 15 words each on average, at most a quarter of
    them ending as sentences."""
    items = len(_ITEM_SEPARATOR.findall(text)) + 1
    if items < RUN_TOGETHER_MIN_ITEMS or n_words > RUN_TOGETHER_MAX_ITEM_WORDS * items:
        return False
    sentences = len(_SENTENCE_ITEM_END.findall(text)) + (text.rstrip()[-1:] in (".", "!", "?"))
    return sentences <= items // 4


# A blog's links to the posts before and after this one ("Previous post: Nine steps to ...", "« Older
# entry", "Next article: ..."), as its software prints them between a post and its comments
POST_NAVIGATION = re.compile(r"^\W*(?:previous|next|older|newer|bài trước|bài sau|bài tiếp)"
                             r"(?:\s+(?:posts?|entr(?:y|ies)|articles?|stor(?:y|ies)))?\s*(?::|»|«|›|‹|>|<|$)", re.I)


def post_footer(text: str) -> bool:
    """`POST_FOOTER`, or "... Bookmark the permalink." anywhere in the line (searched only where the
    word is: the search is the costly part on every line of a shard)."""
    return bool(POST_FOOTER.match(text)) or ("ermalink" in text and bool(BOOKMARK_PERMALINK.search(text)))
# A story's action bar: three or more short items between bars or dots, at least two of them actions
# on the story ("Add to My News | Print this Article | Email this Article | Leave a Comment", "In bài |
# Gửi bài | Bình luận"). It stands where the story ends.
# A box of other stories, headed by where they come from: "ALSO ON HUFFPOST:", "More from Zillow", "Elsewhere
# on the BBC", "More on this story", "Around the web". Only as a whole short line (see `_is_end_marker`).
ELSEWHERE_HEADING = re.compile(r"^\W*(?:also (?:on|in)|more (?:from|on|in)|other stories from|more stories from|"
                               r"elsewhere (?:on|in)|(?:from )?around the web)\b[^.!?]*$", re.I)
_BAR_SPLIT = re.compile(r"\s*[|•·]\s*")
_BAR_ACTION = re.compile(r"^\W*(?:print|e-?mail|share|(?:leave|post|add|read) (?:a |your |\d+ )?comments?|"
                         r"\d+ comments?|comments?|bookmark|save|send\b|font size|text size|reprints?|"
                         r"recommend|tweet|digg|add to|"
                         r"in bài|gửi|chia sẻ|bình luận|lưu bài|phản hồi)", re.I)


def action_bar(text: str) -> bool:
    items = [x for x in _BAR_SPLIT.split(text) if x]
    return (len(items) >= 3 and all(len(x.split()) <= 8 for x in items)
            and sum(1 for x in items if _BAR_ACTION.match(x)) >= 2)


# Consent banners: cookies with a word of consent or purpose ("We use cookies to improve your
# experience. By continuing ...", "Trang web này sử dụng cookie ... bạn đồng ý ...")
COOKIE_BANNER = re.compile(r"\bcookies?\b.{0,200}\b(?:agree|accept|consent|continu\w*|policy|experience|đồng ý|"
                           r"chấp nhận|tiếp tục|chính sách|trải nghiệm)\b"
                           r"|\b(?:we use|uses|sử dụng|dùng)\b.{0,40}\bcookies?\b", re.I)
# A sign-off line naming the author and the outlet: "Hồ Nguyễn/VOV-Miền Trung", "Minh Anh/VOV.VN",
# "Quang Huy/TTXVN", "Thu Ha - Vietnam News"
AUTHOR_OUTLET = re.compile(r"^\s*([^\W\d_][^\W\d_.'’ -]*(?:[ .'’-][^\W\d_]+){0,4})\s*(?:/\s*|\s[-–]\s)"
                           r"([A-Z][A-Za-z]*(?:[.\-][A-Za-z]+)*(?:[ -][A-ZĐ][^\W\d_]*){0,3}|[\w-]+\.vn)\s*$")

# "Name said...", "Name says:", "... wrote:", "Reply", "Report abuse", "(Score:5, Interesting)",
# "Like or Dislike: 1 0", "12 days ago", "Posted by X at 3:14 PM": the furniture of reader comments.
COMMENT_HEAD = re.compile(
    r"(?:\b(?:said|says|wrote|writes)\s*(?:\.\.\.|…|:)?\s*$|^\s*(?:reply|report(?: abuse)?|quote|permalink|"
    r"like or dislike|flag|recommend|vote up|thumbs up)\b|\(score:\s*-?\d|\b\d+\s+(?:minutes?|hours?|days?|weeks?|"
    r"months?|years?)\s+ago\b|^\s*posted by\b|^\s*(?:trả lời|thích|báo cáo)\b|\bon\s+\w+\s+\d{1,2},?\s+\d{4}\s+at\b)",
    re.I)
# the heads of readers' comments in forms an article's lines do not take: a moderation score
# ("Re:Deceptive Summary (Score:5, Insightful)"), a name and "says:" or Blogger's "said..." alone on a
# line (not "That said..."), the commenter's web site and name as Disqus prints them
# ("http://twitter.com/danamac Dana McMahan")
COMMENT_ONLY_HEAD = re.compile(r"\(score:\s*-?\d|^\W*(?!(?:that|this|having|all|enough|much|well|as|it|he|she|they|we|"
                               r"i|you)\s)(?:\S+(?:\s+\S+){0,4}\s+)?(?:says|said|wrote)\s*(?::|\.\.\.|…)\s*$|"
                               r"^\s*https?://\S+\s+[^\s/:]+(?:\s+[^\s/:]+){0,3}\s*$", re.I)
CLAUSE = re.compile(r"[,;:،、，；：]")
# Sentence-final punctuation, allowing closing quotes and brackets after it.
SENTENCE_END = re.compile(r"[.!?…。][\"'”’»)\]]*\s*$")
# A word; in Chinese and Japanese, written without spaces, each character counts as one (a 40-character
# sentence is a sentence's worth of words, not one word), so their running text reads as prose.
CJK_CHAR = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{CJK_CHAR}]|[^\W\d_]+(?:['’-][^\W\d_]+)*")
