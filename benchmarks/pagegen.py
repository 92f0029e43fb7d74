"""Build raw news pages in the layouts of real outlets, with their gold reading by construction.

A page = an outlet's furniture (header, menus, breadcrumb, date line, byline, widgets, related
headlines, footer) + one hand-written story from `articles.py` (title, body, captions, sign-off)
+ optionally an on-topic paragraph after the sign-off and/or paragraphs of other stories glued
after the end. Each emitted line carries its gold role, so the same generator gives the dev set
(`make_devset.py`) and the benchmark corpus (`corpus.py`).

Everything is driven by a `random.Random` seeded by the caller: same seed, same bytes.
"""
from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

try:
    from .articles import EN, VI
except ImportError:  # run as a script from benchmarks/
    from articles import EN, VI

WEEKDAYS_VI = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
RELATED_VI = [
    "Giá vàng hôm nay tăng mạnh phiên đầu tuần", "Thời tiết miền Bắc chuyển rét từ đêm nay",
    "Lịch nghỉ lễ 30/4 và 1/5 năm 2025 của người lao động", "Xuất khẩu rau quả quý I đạt 1,6 tỷ USD",
    "Hàng nghìn người đổ về phố đi bộ Nguyễn Huệ dịp cuối tuần", "Đề xuất tăng lương tối thiểu vùng từ tháng 7",
    "Cao tốc Bắc - Nam đoạn qua Quảng Ngãi sắp thông xe", "Tuyển Việt Nam chốt danh sách dự vòng loại",
    "Giá xăng giảm lần thứ ba liên tiếp", "Hà Nội thí điểm thu phí không dừng tại bãi đỗ xe",
]
RELATED_EN = [
    "Gold prices climb to record high as investors seek safety", "Cold spell to hit northern provinces this weekend",
    "HCM City opens new pedestrian street along Saigon River", "Fruit and vegetable exports reach $1.6 billion in Q1",
    "National football team names squad for qualifiers", "Minimum wage increase proposed from July",
    "North-South expressway section in Quảng Ngãi to open soon", "Petrol prices cut for third time in a row",
    "Overview of the Opening Ceremony of National Tourism Year 2025", "Artists rehearse for the spring concert",
]
AUTHORS_VI = ["Minh Anh", "Phương Linh", "Hoàng Nam", "Thu Hằng", "Ngọc Thành", "Việt Dũng"]
AUTHORS_EN = ["Minh Anh", "Lan Hương", "Trần Quang", "Sarah Mitchell", "Đức Huy"]
CREDITS = ["TTXVN", "Ngọc Thành", "VGP/Nhật Bắc", "Thành Đạt", "mod.gov.vn", "Hoàng Hà"]


@dataclass
class Page:
    site: str
    name: str
    lang: str
    lines: list[tuple[str, str | None]] = field(default_factory=list)  # (text, gold role); "" = blank
    published: str | None = None       # local Vietnam time, "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD"
    source_url: str | None = None
    title: str | None = None
    crlf: bool = False
    nfd: bool = False

    def add(self, text: str, role: str | None = None) -> None:
        self.lines.append((text, role if text else None))

    def blank(self) -> None:
        self.lines.append(("", None))

    def text(self) -> str:
        body = "\n".join(t for t, _ in self.lines) + "\n"
        if self.nfd:
            body = unicodedata.normalize("NFD", body)
        return body.replace("\n", "\r\n") if self.crlf else body

    def gold(self) -> dict:
        def of(role):
            return [t for t, r in self.lines if r == role]
        return {
            "id": self.name, "title": self.title, "published": self.published, "source_url": self.source_url,
            "body_paragraphs": of("body"), "captions": of("caption"), "boilerplate_lines": of("boilerplate"),
            "trailing_unrelated": of("trailing_unrelated"),
        }


@dataclass
class Story:
    lang: str
    title: str
    body: list[str]
    extra: str
    caption_vi: str
    caption_en: str


def stories(lang: str) -> list[Story]:
    return [Story(lang, **a) for a in (VI if lang == "vi" else EN)]


def _when(rng: random.Random) -> dt.datetime:
    return dt.datetime(2025, 1, 1, 6, 0) + dt.timedelta(days=rng.randrange(0, 300), minutes=rng.randrange(0, 900))


def _paragraphs(page: Page, paras: list[str], rng: random.Random, spaced: bool = True) -> None:
    for p in paras:
        page.add(p, "body")
        if spaced:
            page.blank()


def _trailing(page: Page, story: Story, others: list[Story], rng: random.Random, mode: str) -> None:
    """After the sign-off: 'extra' (on-topic, kept), 'unrelated' (other stories), 'both', or 'none'."""
    if mode in ("extra", "both"):
        page.add(story.extra, "body")
        page.blank()
    if mode in ("unrelated", "both"):
        picks = rng.sample([o for o in others if o.title != story.title], 2)
        glued = rng.random() < 0.6
        for o in picks:
            page.add(rng.choice(o.body[1:]), "trailing_unrelated")
            if not glued:
                page.blank()


def _related(page: Page, rng: random.Random, lang: str, header: str, k: int = 3) -> None:
    page.add(header, "boilerplate")
    for h in rng.sample(RELATED_VI if lang == "vi" else RELATED_EN, k):
        page.add(h, "boilerplate")


# --- outlet layouts ------------------------------------------------------------------------------


def vnexpress(page: Page, s: Story, others, rng, trailing: str) -> None:
    t = _when(rng)
    page.add("VnExpress - Báo tiếng Việt nhiều người xem nhất", "boilerplate")
    page.add(rng.choice(["Thời sự", "Kinh doanh", "Sức khỏe", "Giáo dục", "Du lịch"]), "boilerplate")
    page.add(f"{WEEKDAYS_VI[t.weekday()]}, {t.day}/{t.month}/{t.year}, {t:%H:%M} (GMT+7)", "boilerplate")
    page.published = f"{t:%Y-%m-%dT%H:%M}"
    page.blank()
    page.add(s.title, "title")
    page.blank()
    _paragraphs(page, s.body[:2], rng)
    page.add(f"{s.caption_vi.rstrip('.')}. Ảnh: {rng.choice(CREDITS)}", "caption")
    page.blank()
    _paragraphs(page, s.body[2:], rng)
    page.add(rng.choice(AUTHORS_VI), "boilerplate")
    page.add("Chia sẻ", "boilerplate")
    page.add(f"Bình luận ({rng.randrange(0, 80)})", "boilerplate")
    _related(page, rng, "vi", "Tin liên quan")
    page.add("© Copyright 1997 VnExpress.net, All rights reserved", "boilerplate")


def tuoitre(page: Page, s: Story, others, rng, trailing: str) -> None:
    t = _when(rng)
    page.add("Trang chủ > Thời sự > Xã hội", "boilerplate")
    page.blank()
    page.add("Tuổi Trẻ Online", "boilerplate")
    page.blank()
    page.add(s.title, "title")
    page.blank()
    page.add(f"{t:%d/%m/%Y %H:%M} GMT+7", "boilerplate")
    page.published = f"{t:%Y-%m-%dT%H:%M}"
    page.blank()
    page.add("TTO - " + s.body[0], "body")
    page.blank()
    page.add(s.body[1], "body")
    page.blank()
    page.add(f"{s.caption_vi.rstrip('.')} (Ảnh: {rng.choice(CREDITS)})", "caption")
    page.blank()
    _paragraphs(page, s.body[2:], rng)
    page.add(f"{rng.choice(AUTHORS_VI).upper()}", "boilerplate")
    page.blank()
    page.add("Từ khóa: " + ", ".join(rng.sample(["thời sự", "kinh tế", "Hà Nội", "TP.HCM", "xã hội"], 3)),
             "boilerplate")
    _related(page, rng, "vi", "Đọc nhiều nhất")


def thanhnien(page: Page, s: Story, others, rng, trailing: str) -> None:
    t = _when(rng)
    for m in ["Thời sự", "Thế giới", "Kinh tế", "Đời sống", "Sức khỏe", "Giới trẻ"]:
        page.add(m, "boilerplate")
    page.blank()
    page.add(s.title, "title")
    page.blank()
    page.add(rng.choice(AUTHORS_VI), "boilerplate")
    page.add(f"{t:%d/%m/%Y %H:%M} GMT+07:00", "boilerplate")
    page.published = f"{t:%Y-%m-%dT%H:%M}"
    page.blank()
    _paragraphs(page, s.body[:3], rng)
    page.add(s.caption_vi, "caption")
    page.add(f"ẢNH: {rng.choice(CREDITS).upper()}", "caption")
    page.blank()
    _paragraphs(page, s.body[3:], rng)
    page.add("Gửi bình luận", "boilerplate")
    page.add("Tin liên quan", "boilerplate")
    for h in rng.sample(RELATED_VI, 2):
        page.add(h, "boilerplate")


def vietnamplus(page: Page, s: Story, others, rng, trailing: str) -> None:
    t = _when(rng)
    page.add("VietnamPlus", "boilerplate")
    page.add("Chính trị Kinh tế Xã hội Thế giới Văn hóa Thể thao", "boilerplate")
    page.blank()
    page.add(s.title, "title")
    page.add(f"Cập nhật lúc {t:%H:%M}, {t.day}/{t.month}/{t.year}", "boilerplate")
    page.published = f"{t:%Y-%m-%dT%H:%M}"
    page.blank()
    _paragraphs(page, s.body[:2], rng)
    page.add(f"{s.caption_vi} (Ảnh: TTXVN)", "caption")
    page.add(f"{s.caption_en} (Photo: VNA)", "caption")
    page.blank()
    _paragraphs(page, s.body[2:-1], rng)
    page.add(s.body[-1] + " (TTXVN/Vietnam+)", "body")
    page.blank()
    _trailing(page, s, others, rng, trailing)
    page.add("Tags", "boilerplate")
    page.add("© Bản quyền thuộc về VietnamPlus, TTXVN. Giấy phép số 1374/GP-BTTTT.", "boilerplate")


def vov(page: Page, s: Story, others, rng, trailing: str) -> None:
    t = _when(rng)
    page.add("VOV.VN - Báo điện tử Đài Tiếng nói Việt Nam", "boilerplate")
    page.blank()
    page.add(f"{WEEKDAYS_VI[t.weekday()]}, {t:%d/%m/%Y} | {t:%H:%M}", "boilerplate")
    page.published = f"{t:%Y-%m-%dT%H:%M}"
    page.add(s.title, "title")
    page.blank()
    page.add("VOV.VN - " + s.body[0], "body")
    page.blank()
    _paragraphs(page, s.body[1:], rng)
    page.add(f"{rng.choice(AUTHORS_VI)}/VOV.VN", "boilerplate")
    page.blank()
    page.add("Xem thêm", "boilerplate")
    for h in rng.sample(RELATED_VI, 3):
        page.add(h, "boilerplate")


def nhandan(page: Page, s: Story, others, rng, trailing: str) -> None:
    t = _when(rng)
    page.add("Báo Nhân Dân điện tử", "boilerplate")
    page.add("Chính trị | Kinh tế | Văn hóa | Xã hội | Pháp luật", "boilerplate")
    page.blank()
    page.add(f"{WEEKDAYS_VI[t.weekday()]}, {t:%d-%m-%Y}, {t:%H:%M}", "boilerplate")
    page.published = f"{t:%Y-%m-%dT%H:%M}"
    page.add(s.title, "title")
    page.blank()
    _paragraphs(page, s.body[:2], rng)
    page.add(s.caption_vi + " Ảnh: " + rng.choice(CREDITS), "caption")
    page.blank()
    _paragraphs(page, s.body[2:], rng)
    page.add(rng.choice(AUTHORS_VI).upper(), "boilerplate")
    page.blank()
    page.add("Cơ quan chủ quản: Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam", "boilerplate")
    page.add("Tổng Biên tập: Lê Quốc Minh", "boilerplate")


def vietnamnews(page: Page, s: Story, others, rng, trailing: str) -> None:
    t = _when(rng)
    cat = rng.choice(["Politics & Law", "Society", "Economy", "Environment"])
    page.add(f" date {t:%Y-%m-%d} {cat}", "boilerplate")
    page.add(f"Home {cat}", "boilerplate")
    page.blank()
    page.add(s.title, "title")
    page.blank()
    page.add(f"{MONTHS_EN[t.month - 1]} {t.day}, {t.year} - {t:%H:%M}", "boilerplate")
    page.published = f"{t:%Y-%m-%dT%H:%M}"
    page.add(s.caption_en.rstrip(".") + ". VNA/VNS Photo", "caption")
    page.blank()
    page.add("HÀ NỘI — " + s.body[0], "body")
    page.blank()
    _paragraphs(page, s.body[1:-1], rng)
    page.add(s.body[-1] + " — VNS", "body")
    page.blank()
    _trailing(page, s, others, rng, trailing)


def vietnam_vn(page: Page, s: Story, others, rng, trailing: str) -> None:
    t = _when(rng)
    outlet, host = rng.choice([("Nhân Dân", "nhandan.vn"), ("Thời Đại", "thoidai.com.vn"), ("Tin Tức", "baotintuc.vn")])
    page.add("Vietnam.vn - Nền tảng quảng bá Việt Nam", "boilerplate")
    page.blank()
    page.add(s.title, "title")
    page.blank()
    page.add(s.body[0], "body")
    page.blank()
    page.add(f"{outlet}{outlet}{t:%d/%m/%Y}", "boilerplate")
    page.published = f"{t:%Y-%m-%d}"
    page.blank()
    _paragraphs(page, s.body[1:2], rng)
    cred = rng.choice(CREDITS)
    page.add(f"{s.caption_vi} (Ảnh: {cred})", "caption")
    page.add(f"{s.caption_en} (Photo: {cred})", "caption")
    page.blank()
    _paragraphs(page, s.body[2:], rng)
    page.source_url = f"https://{host}/{rng.randrange(100000, 999999)}.html"
    page.add(f"Source: {page.source_url}", "boilerplate")
    page.blank()
    page.add("Comment (0)", "boilerplate")
    page.blank()
    page.add("No data", "boilerplate")
    page.add("No data", "boilerplate")
    page.blank()
    _related(page, rng, "en", "Same category", 4)
    page.blank()
    for m in ["Same author", "Heritage", "Figure", "Business", "No videos available", "News", "Political System"]:
        page.add(m, "boilerplate")
        page.blank()


def baochinhphu(page: Page, s: Story, others, rng, trailing: str) -> None:
    t = _when(rng)
    page.add("Báo Chính phủ - Cổng Thông tin điện tử Chính phủ", "boilerplate")
    page.add("Trang chủ » Kinh tế » Tin tức", "boilerplate")
    page.blank()
    page.add(s.title, "title")
    page.add(f"{t:%d/%m/%Y %H:%M}", "boilerplate")
    page.published = f"{t:%Y-%m-%dT%H:%M}"
    page.blank()
    page.add("(Chinhphu.vn) - " + s.body[0], "body")
    page.blank()
    _paragraphs(page, s.body[1:3], rng)
    page.add("Ảnh: VGP/" + rng.choice(["Nhật Bắc", "Trần Mạnh", "Hải Minh"]), "caption")
    page.blank()
    _paragraphs(page, s.body[3:], rng)
    page.add(rng.choice(AUTHORS_VI), "boilerplate")
    page.add("Từ khóa: chính sách, kinh tế", "boilerplate")
    page.add("Tin liên quan", "boilerplate")
    page.add(rng.choice(RELATED_VI), "boilerplate")


def hanoimoi(page: Page, s: Story, others, rng, trailing: str) -> None:
    t = _when(rng)
    page.add("Hà Nội Mới", "boilerplate")
    page.add("Chia sẻ Facebook", "boilerplate")
    page.add(f"{WEEKDAYS_VI[t.weekday()]}, {t:%d/%m/%Y} - {t:%H:%M}", "boilerplate")
    page.published = f"{t:%Y-%m-%dT%H:%M}"
    page.blank()
    page.add(s.title, "title")
    page.blank()
    _paragraphs(page, s.body, rng)
    page.add(f"Theo {rng.choice(['TTXVN', 'VNA', 'Báo Tin tức'])}", "boilerplate")
    page.blank()
    _trailing(page, s, others, rng, trailing)
    page.add("Bạn đọc quan tâm", "boilerplate")
    for h in rng.sample(RELATED_VI, 2):
        page.add(h, "boilerplate")
    page.add("Đường dây nóng: 0912 345 678", "boilerplate")


def vne_international(page: Page, s: Story, others, rng, trailing: str) -> None:
    t = _when(rng)
    page.add("VnExpress International", "boilerplate")
    page.add("News > Economy", "boilerplate")
    page.blank()
    page.add(s.title, "title")
    page.blank()
    hour = t.hour % 12 or 12
    page.add(f"By {rng.choice(AUTHORS_EN)}   {MONTHS_EN[t.month - 1]} {t.day}, {t.year} | "
             f"{hour:02d}:{t:%M} {'pm' if t.hour >= 12 else 'am'} GMT+7", "boilerplate")
    page.published = f"{t:%Y-%m-%dT%H:%M}"
    page.blank()
    _paragraphs(page, s.body[:2], rng)
    page.add(f"{s.caption_en} Photo by VnExpress/{rng.choice(['Quỳnh Trần', 'Thanh Tùng', 'Giang Huy'])}", "caption")
    page.blank()
    _paragraphs(page, s.body[2:], rng)
    page.add("Tags: Vietnam economy", "boilerplate")
    page.add("Read more", "boilerplate")
    for h in rng.sample(RELATED_EN, 3):
        page.add(h, "boilerplate")


def wire_en(page: Page, s: Story, others, rng, trailing: str) -> None:
    """An English wire/blog layout with social widgets and a newsletter box."""
    t = _when(rng)
    page.add("Share on Facebook", "boilerplate")
    page.add("Share on Twitter", "boilerplate")
    page.add(s.title, "title")
    page.add(f"Published {t.day} {MONTHS_EN[t.month - 1]} {t.year}", "boilerplate")
    page.published = f"{t:%Y-%m-%d}"
    page.blank()
    _paragraphs(page, s.body, rng)
    page.add(f"Source: {rng.choice(['VNA', 'Reuters', 'VnExpress'])}", "boilerplate")
    page.blank()
    _trailing(page, s, others, rng, trailing)
    page.add("Sign up for our newsletter", "boilerplate")
    page.add("Related stories", "boilerplate")
    for h in rng.sample(RELATED_EN, 2):
        page.add(h, "boilerplate")


def bare(page: Page, s: Story, others, rng, trailing: str) -> None:
    """A page with no furniture at all: title and paragraphs (WET-like extraction)."""
    page.add(s.title, "title")
    page.blank()
    _paragraphs(page, s.body, rng)


LAYOUTS = {
    "vnexpress": ("vi", vnexpress), "tuoitre": ("vi", tuoitre), "thanhnien": ("vi", thanhnien),
    "vietnamplus": ("vi", vietnamplus), "vov": ("vi", vov), "nhandan": ("vi", nhandan),
    "baochinhphu": ("vi", baochinhphu), "hanoimoi": ("vi", hanoimoi),
    "vietnamnews": ("en", vietnamnews), "vietnam_vn": ("en", vietnam_vn), "vne_international": ("en",
                                                                                                vne_international),
    "wire_en": ("en", wire_en), "bare_vi": ("vi", bare), "bare_en": ("en", bare),
}
TRAILING_LAYOUTS = {"vietnamplus", "vietnamnews", "hanoimoi", "wire_en"}


def make_page(site: str, story: Story, rng: random.Random, name: str, trailing: str = "none",
              crlf: bool = False, nfd: bool = False) -> Page:
    lang, layout = LAYOUTS[site]
    page = Page(site=site, name=name, lang=lang, title=story.title, crlf=crlf, nfd=nfd)
    layout(page, story, stories(lang), rng, trailing)
    while page.lines and page.lines[-1][0] == "":
        page.lines.pop()
    return page
