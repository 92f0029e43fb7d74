"""Generate a synthetic raw corpus: N pages over ~50 sites, deterministic from a seed.

    python benchmarks/corpus.py --pages 10000 --out benchmarks/corpora/10k [--seed 1]

Each site has its own header, menu, date format, widgets, related-headline pool and footer; pages
carry Vietnamese or English bodies of 200-900 words built from hand-written story paragraphs and
templated news sentences, photo captions (some vi/en pairs), sign-offs, sometimes paragraphs of
other stories glued after the end, and some exact and near duplicates of earlier pages. Pages are
written as `site-NN/page-NNNNNN.txt`; `duplicates.json` lists the duplicates made (for dedup
evaluation). Output folders are outside git (`benchmarks/corpora/` is ignored).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from articles import EN, VI  # noqa: E402
from make_langset import EN_OBJ, EN_SUBJ, EN_TAIL, EN_VERB, VI_OBJ, VI_SUBJ, VI_TAIL, VI_VERB, VN_PEOPLE, VN_PLACES  # noqa: E402
from pagegen import MONTHS_EN, RELATED_EN, RELATED_VI, WEEKDAYS_VI  # noqa: E402

VI_MENUS = ["Thời sự", "Thế giới", "Kinh doanh", "Giải trí", "Thể thao", "Pháp luật", "Giáo dục", "Sức khỏe",
            "Đời sống", "Du lịch", "Khoa học", "Số hóa", "Xe", "Ý kiến", "Bất động sản"]
EN_MENUS = ["News", "Politics", "Business", "Society", "Life & Style", "Sports", "Environment", "Opinion",
            "Travel", "Economy", "World", "Video"]
VI_WIDGETS = ["Chia sẻ", "Bình luận ({n})", "Tin liên quan", "Đọc nhiều nhất", "Xem thêm", "Theo dõi chúng tôi trên "
                                                                                           "Zalo"]
EN_WIDGETS = ["Share", "Comments ({n})", "Related news", "Most read", "Read more", "Follow us on Facebook"]


def _sentence(rng: random.Random, lang: str) -> str:
    if lang == "vi":
        return f"{rng.choice(VI_SUBJ)} {rng.choice(VI_VERB)} {rng.choice(VI_OBJ)} {rng.choice(VI_TAIL)}."
    return f"{rng.choice(EN_SUBJ)} {rng.choice(EN_VERB)} {rng.choice(EN_OBJ)} {rng.choice(EN_TAIL)}."


def _paragraph(rng: random.Random, lang: str) -> str:
    bank = VI if lang == "vi" else EN
    if rng.random() < 0.5:
        return rng.choice(rng.choice(bank)["body"])
    person, place = rng.choice(VN_PEOPLE), rng.choice(VN_PLACES)
    lead = (f"Tại {place}, ông {person} cho biết" if lang == "vi" else f"In {place}, {person} said")
    return f"{lead} " + " ".join(_sentence(rng, lang) for _ in range(rng.randint(2, 4)))


def _title(rng: random.Random, lang: str, story: dict) -> str:
    """Titles are unique per article, as on real sites (a bank title now and then)."""
    if rng.random() < 0.1:
        return story["title"]
    place, person = rng.choice(VN_PLACES), rng.choice(VN_PEOPLE).split()[-1]
    if lang == "vi":
        obj = rng.choice(VI_OBJ)
        tail = rng.choice(['mới', 'năm 2025', 'giai đoạn hai', 'sau ý kiến của ông ' + person])
        return f"{place}: {rng.choice(VI_SUBJ)} {rng.choice(VI_VERB)} {obj} {tail}"
    tail = rng.choice(['in 2025', 'next month', 'says ' + person])
    return f"{place}: {rng.choice(EN_SUBJ)} {rng.choice(EN_VERB)} {rng.choice(EN_OBJ)[2:]} {tail}"


class Site:
    def __init__(self, idx: int, rng: random.Random):
        self.idx = idx
        self.lang = "vi" if idx % 3 else "en"
        self.domain = f"{'bao' if self.lang == 'vi' else 'news'}{idx:02d}.{'vn' if idx % 2 else 'com.vn'}"
        self.name = f"Báo Điện tử Số {idx}" if self.lang == "vi" else f"Daily News {idx}"
        menus = VI_MENUS if self.lang == "vi" else EN_MENUS
        self.header = [f"{self.domain} - {self.name}"] + rng.sample(menus, rng.randint(3, 6))
        self.date_style = idx % 4
        widgets = VI_WIDGETS if self.lang == "vi" else EN_WIDGETS
        self.widgets = rng.sample(widgets, 3)
        self.related = RELATED_VI if self.lang == "vi" else RELATED_EN
        self.footer = ([f"© {2010 + idx % 10} {self.name}. Giấy phép số {100 + idx}/GP-BTTTT.",
                        f"Đường dây nóng: 09{idx:02d} 123 456", "Liên hệ quảng cáo"]
                       if self.lang == "vi" else
                       [f"© {2010 + idx % 10} {self.name}. All rights reserved.", f"Contact: editor@{self.domain}",
                        "Advertise with us"])
        self.signoff = rng.choice(["— VNS", "(TTXVN)", "Theo VNA", None]) if self.lang == "en" else rng.choice(
            ["(TTXVN)", "Theo Báo Tin tức", None])

    def date_line(self, rng: random.Random) -> str:
        d, h, m = rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)
        mo = rng.randint(1, 12)
        if self.date_style == 0:
            return f"{WEEKDAYS_VI[rng.randrange(7)]}, {d}/{mo}/2025, {h:02d}:{m:02d} (GMT+7)"
        if self.date_style == 1:
            return f"{d:02d}/{mo:02d}/2025 {h:02d}:{m:02d} GMT+7"
        if self.date_style == 2:
            return f"{MONTHS_EN[mo - 1]} {d}, 2025 - {h:02d}:{m:02d}"
        return f"2025-{mo:02d}-{d:02d} {h:02d}:{m:02d}"


def make_article(site: Site, rng: random.Random) -> dict:
    """A story as a site writes it: title and body paragraphs (the page wraps them)."""
    lang = site.lang
    bank = VI if lang == "vi" else EN
    story = rng.choice(bank)
    target = rng.randint(200, 900)
    paras: list[str] = []
    words = 0
    for p in story["body"]:
        paras.append(p)
        words += len(p.split())
    while words < target:
        p = _paragraph(rng, lang)
        paras.append(p)
        words += len(p.split())
    rng.shuffle(paras[1:])
    return {"lang": lang, "story": story, "title": _title(rng, lang, story), "paras": paras}


def syndicate(article: dict, rng: random.Random) -> dict:
    """Another site's copy of an agency story: lightly edited (a paragraph dropped, words changed,
    a sentence added), as syndicated news is."""
    paras = list(article["paras"])
    if len(paras) >= 5 and rng.random() < 0.5:
        del paras[rng.randrange(1, len(paras))]
    fillers = ["đã", "mới", "cũng", "vừa", "sẽ"] if article["lang"] == "vi" else ["also", "now", "recently", "the",
                                                                                  "new"]
    for _ in range(rng.randint(1, 2)):
        k = rng.randrange(len(paras))
        words = paras[k].split()
        if len(words) > 8:
            words[rng.randrange(len(words))] = rng.choice(fillers)
            paras[k] = " ".join(words)
    rate = rng.choice([0.0, 0.0, 0.01, 0.02, 0.03])  # copy-editing scattered over the text
    if rate:
        paras = [" ".join(rng.choice(fillers) if rng.random() < rate else w for w in p.split()) for p in paras]
    if rng.random() < 0.3:
        paras[-1] = paras[-1] + " " + _sentence(rng, article["lang"])
    return dict(article, paras=paras)


def make_page(site: Site, rng: random.Random, article: dict | None = None) -> str:
    article = article or make_article(site, rng)
    lang, story, paras = site.lang, article["story"], article["paras"]
    bank = VI if lang == "vi" else EN
    lines = list(site.header) + [""]
    lines += [article["title"], ""]
    lines += [site.date_line(rng), ""]
    for i, p in enumerate(paras):
        lines += [p, ""]
        if i == 1 and rng.random() < 0.7:
            if rng.random() < 0.4:
                lines += [f"{story['caption_vi']} (Ảnh: TTXVN)", f"{story['caption_en']} (Photo: VNA)", ""]
            else:
                cap = story["caption_vi"] if lang == "vi" else story["caption_en"]
                lines += [f"{cap} {'Ảnh: TTXVN' if lang == 'vi' else '(Photo: VNA)'}", ""]
    if site.signoff:
        if site.signoff.startswith(("—", "(")):
            lines[-2] = lines[-2] + " " + site.signoff
        else:
            lines += [site.signoff, ""]
        if rng.random() < 0.15:
            other = rng.choice([b for b in bank if b is not story])
            lines += [rng.choice(other["body"][1:]), rng.choice(other["body"][1:]), ""]
    lines += [w.format(n=rng.randint(0, 50)) for w in site.widgets]
    lines += rng.sample(site.related, 4) + [""] + site.footer
    return "\n".join(lines) + "\n"


def generate(n_pages: int, out: Path, seed: int = 1, n_sites: int = 50, dup_share: float = 0.03,
             near_dup_share: float = 0.03, syndicated_share: float = 0.03) -> dict:
    """Pages plus ground truth: `exact_duplicates` (the same file again under another site),
    `near_duplicates` (a sentence added) and `syndicated` (the same story in another site's layout,
    lightly edited), each as [copy, source] pairs."""
    rng = random.Random(seed)
    sites = [Site(i, random.Random(seed * 1000 + i)) for i in range(n_sites)]
    out.mkdir(parents=True, exist_ok=True)
    written: list[tuple[str, str]] = []
    articles: list[tuple[str, dict]] = []
    exact, near, syndicated = [], [], []
    total_bytes = 0
    for i in range(n_pages):
        site = sites[rng.randrange(n_sites)]
        rel = f"site-{site.idx:02d}/page-{i:06d}.txt"
        roll = rng.random()
        same_lang = [a for a in articles[-200:] if a[1]["lang"] == site.lang]
        if written and roll < dup_share:
            src_rel, text = written[rng.randrange(len(written))]
            exact.append([rel, src_rel])
        elif same_lang and roll < dup_share + syndicated_share:
            src_rel, article = rng.choice(same_lang)
            text = make_page(site, rng, syndicate(article, rng))
            syndicated.append([rel, src_rel])
        elif written and roll < dup_share + syndicated_share + near_dup_share:
            src_rel, text = written[rng.randrange(len(written))]
            ls = text.split("\n")
            body_idx = [k for k, ln in enumerate(ls) if len(ln.split()) > 25]
            if body_idx:
                k = body_idx[-1]
                ls[k] = ls[k] + " " + _sentence(rng, "vi" if site.lang == "vi" else "en")
            text = "\n".join(ls)
            near.append([rel, src_rel])
        else:
            article = make_article(site, rng)
            text = make_page(site, rng, article)
            articles.append((rel, article))
        path = out / rel
        path.parent.mkdir(exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total_bytes += len(data)
        if len(written) < 5000 or rng.random() < 0.1:
            written.append((rel, text))
    truth = {"pages": n_pages, "sites": n_sites, "bytes": total_bytes, "exact_duplicates": exact,
             "near_duplicates": near, "syndicated": syndicated, "seed": seed}
    (out.parent / f"{out.name}.duplicates.json").write_text(json.dumps(truth, indent=1))
    return truth


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sites", type=int, default=50)
    a = ap.parse_args()
    t = generate(a.pages, a.out, a.seed, a.sites)
    print(f"wrote {t['pages']} pages ({t['bytes'] / 1e6:.1f} MB) over {t['sites']} sites to {a.out}; "
          f"{len(t['exact_duplicates'])} exact, {len(t['near_duplicates'])} near and {len(t['syndicated'])} "
          "syndicated duplicates")


if __name__ == "__main__":
    main()
