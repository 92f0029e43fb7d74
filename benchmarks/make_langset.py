"""Write the labelled language-identification set: tests/data/langid/labelled.jsonl.

    python benchmarks/make_langset.py [--seed 11]

One JSON object per passage: {"text", "lang": vi|en|other, "kind"}. Kinds:
  clean_vi, clean_en          news-style sentences (the story bank's sentences + templated ones)
  en_vi_names                 English sentences full of Vietnamese names with diacritics
  vi_no_diacritics, vi_nfd    Vietnamese typed without marks; Vietnamese in decomposed Unicode
  caption_vi, caption_en      captions with credits in parentheses
  short_vi, short_en          titles of 1-6 words and menu labels
  other                       sentences in French, Indonesian, Italian, Spanish, German, Dutch,
                              Portuguese, Russian, Chinese, Japanese, Korean, Thai, Malay, Tagalog
  mixed_vi, mixed_en          a sentence in one language quoting a phrase in the other
Deterministic from the seed. Sentences are written for this project (see articles.py).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from articles import EN, VI  # noqa: E402

VN_PEOPLE = ["Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Minh Tuấn", "Phạm Quang Huy", "Đặng Minh Khôi", "Bùi Thanh Sơn",
             "Võ Thị Ánh Xuân", "Hồ Đức Phớc", "Ngô Thị Thu Hằng", "Đỗ Văn Chiến", "Vũ Hồng Nhung", "Trịnh Đình Dũng",
             "Lương Cường", "Phan Văn Mãi", "Huỳnh Thành Đạt", "Dương Quốc Việt"]
VN_PLACES = ["Hà Nội", "TP.HCM", "Đà Nẵng", "Cần Thơ", "Hải Phòng", "Quảng Ninh", "Nghệ An", "Thừa Thiên Huế",
             "Bình Dương", "Đồng Nai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Sóc Trăng", "Cà Mau", "Lào Cai"]
EN_TITLES = ["Deputy Prime Minister", "Ambassador", "Minister of Finance", "Chairman of the People's Committee",
             "Director of the Department of Health", "Vice President", "Governor of the State Bank", "General"]
EN_VERBS = ["met with", "received", "held talks with", "welcomed", "thanked", "congratulated", "called on",
            "visited", "worked with", "spoke with"]
EN_OBJECTS = ["a delegation of investors from Japan", "the Korean ambassador", "representatives of local businesses",
              "students and teachers of the university", "farmers affected by the drought", "the World Bank team",
              "veterans of the resistance war", "leaders of the provincial Party Committee"]
EN_TAILS = ["on Monday", "last week", "during a working trip", "at the headquarters of the ministry",
            "to discuss cooperation in infrastructure", "ahead of the national holiday",
            "as part of the anniversary celebrations", "to review progress on the new expressway"]

VI_SUBJ = ["Bộ Y tế", "UBND thành phố", "Ngân hàng Nhà nước", "Bộ Giáo dục và Đào tạo", "Sở Giao thông vận tải",
           "Tổng cục Thống kê", "Hiệp hội doanh nghiệp", "Công an tỉnh", "Ban quản lý dự án", "Quốc hội"]
VI_VERB = ["vừa ban hành", "đang xem xét", "đã phê duyệt", "sẽ triển khai", "yêu cầu khẩn trương hoàn thành",
           "đề xuất sửa đổi", "vừa công bố", "tiếp tục đẩy mạnh"]
VI_OBJ = ["kế hoạch phát triển giao thông công cộng", "quy định mới về an toàn thực phẩm", "chương trình hỗ trợ nông "
                                                                                           "dân",
          "dự án nâng cấp bệnh viện tuyến tỉnh", "chính sách miễn học phí cho học sinh", "báo cáo tình hình kinh tế "
                                                                                         "quý I",
          "phương án điều chỉnh giá điện", "đề án chuyển đổi số trong hành chính công"]
VI_TAIL = ["trong năm nay", "từ đầu tháng tới", "nhằm bảo đảm quyền lợi của người dân", "tại cuộc họp sáng nay",
           "sau khi lấy ý kiến của các bộ, ngành", "để giảm thủ tục cho doanh nghiệp", "theo chỉ đạo của Chính phủ",
           "với tổng kinh phí hơn 500 tỷ đồng"]
EN_SUBJ = ["The Ministry of Health", "The city's People's Committee", "The State Bank", "The Ministry of Education",
           "The transport department", "The statistics office", "The business association", "Provincial police",
           "The project management board", "The National Assembly"]
EN_VERB = ["has issued", "is considering", "has approved", "will roll out", "asked for faster progress on",
           "proposed changes to", "announced", "continued to push ahead with"]
EN_OBJ = ["a plan to develop public transport", "new rules on food safety", "a support programme for farmers",
          "a project to upgrade provincial hospitals", "a policy of free tuition for pupils",
          "a report on first-quarter economic performance", "a plan to adjust electricity prices",
          "a scheme to digitise public administration"]
EN_TAIL = ["this year", "from early next month", "to protect the rights of residents", "at a meeting this morning",
           "after consulting ministries and agencies", "to cut red tape for businesses", "at the request of the "
                                                                                         "Government",
           "with a total budget of more than VND500 billion"]

SHORT_VI = ["Thời sự", "Kinh doanh", "Thể thao", "Giải trí", "Sức khỏe", "Giáo dục", "Pháp luật", "Xem thêm",
            "Tin liên quan", "Bình luận (0)", "Đọc nhiều nhất", "Chia sẻ bài viết", "Trang chủ", "Đời sống",
            "Du lịch", "Thế giới", "Xe cộ", "Bất động sản", "Nông nghiệp", "Văn hóa", "Góc nhìn", "Ý kiến bạn đọc",
            "Giá vàng tăng mạnh", "Nắng nóng kéo dài", "Hà Nội mưa lớn", "Tuyển Việt Nam thắng đậm",
            "Khởi công cầu mới", "Xuất khẩu gạo tăng", "Học sinh nghỉ Tết", "Bão số 3 đổ bộ"]
SHORT_EN = ["News", "Business", "Sports", "Entertainment", "Health", "Education", "Heritage", "Read more",
            "Related news", "Comment (0)", "Most read", "Share this article", "Home", "Lifestyle", "Travel",
            "World", "Opinion", "Property", "Agriculture", "Culture", "Same category", "Same author",
            "Gold prices rise", "Heatwave continues", "Heavy rain in the north", "National team wins big",
            "New bridge construction starts", "Rice exports rise", "Pupils start Tết holiday", "Storm makes landfall"]

OTHER = {
    "fr": ["Le président a déclaré que la situation économique reste difficile cette année.",
           "Les agriculteurs de la région attendent la pluie depuis plus de deux mois.",
           "La nouvelle ligne de métro ouvrira ses portes au public à la fin du mois.",
           "Selon le ministère, le nombre de touristes étrangers a fortement augmenté.",
           "Les écoles resteront fermées jusqu'à lundi en raison de la tempête.",
           "Il a rappelé que les deux pays entretiennent des relations d'amitié depuis longtemps.",
           "Le gouvernement prévoit de réduire les impôts pour les petites entreprises.",
           "Des milliers de personnes se sont rassemblées sur la place pour célébrer la fête."],
    "id": ["Presiden mengatakan bahwa situasi ekonomi tahun ini masih sulit.",
           "Para petani di daerah itu sudah menunggu hujan selama lebih dari dua bulan.",
           "Jalur kereta baru akan dibuka untuk umum pada akhir bulan ini.",
           "Menurut kementerian, jumlah wisatawan asing meningkat tajam.",
           "Sekolah-sekolah akan tetap ditutup sampai hari Senin karena badai.",
           "Pemerintah berencana menurunkan pajak untuk usaha kecil dan menengah.",
           "Ribuan orang berkumpul di alun-alun untuk merayakan hari kemerdekaan.",
           "Harga beras di pasar tradisional naik dalam dua minggu terakhir."],
    "it": ["Il presidente ha detto che la situazione economica resta difficile quest'anno.",
           "Gli agricoltori della regione aspettano la pioggia da più di due mesi.",
           "La nuova linea della metropolitana aprirà al pubblico alla fine del mese.",
           "Secondo il ministero, il numero di turisti stranieri è aumentato molto.",
           "Le scuole resteranno chiuse fino a lunedì a causa della tempesta.",
           "Il governo prevede di ridurre le tasse per le piccole imprese.",
           "Migliaia di persone si sono radunate in piazza per festeggiare.",
           "Il prezzo del riso nei mercati tradizionali è salito nelle ultime due settimane."],
    "es": ["El presidente dijo que la situación económica sigue siendo difícil este año.",
           "Los agricultores de la región esperan la lluvia desde hace más de dos meses.",
           "La nueva línea de metro abrirá al público a finales de mes.",
           "Según el ministerio, el número de turistas extranjeros aumentó mucho.",
           "Las escuelas permanecerán cerradas hasta el lunes por la tormenta.",
           "El gobierno planea reducir los impuestos a las pequeñas empresas.",
           "Miles de personas se reunieron en la plaza para celebrar la fiesta.",
           "El precio del arroz en los mercados tradicionales subió en las últimas dos semanas."],
    "de": ["Der Präsident sagte, die wirtschaftliche Lage bleibe in diesem Jahr schwierig.",
           "Die Bauern in der Region warten seit mehr als zwei Monaten auf Regen.",
           "Die neue U-Bahn-Linie wird Ende des Monats für die Öffentlichkeit geöffnet.",
           "Nach Angaben des Ministeriums ist die Zahl der ausländischen Touristen stark gestiegen.",
           "Die Schulen bleiben wegen des Sturms bis Montag geschlossen.",
           "Die Regierung plant, die Steuern für kleine Unternehmen zu senken.",
           "Tausende Menschen versammelten sich auf dem Platz, um das Fest zu feiern.",
           "Der Reispreis auf den traditionellen Märkten ist in den letzten zwei Wochen gestiegen."],
    "nl": ["De president zei dat de economische situatie dit jaar moeilijk blijft.",
           "De boeren in de regio wachten al meer dan twee maanden op regen.",
           "De nieuwe metrolijn gaat eind deze maand open voor het publiek.",
           "Volgens het ministerie is het aantal buitenlandse toeristen sterk gestegen.",
           "De scholen blijven tot maandag gesloten vanwege de storm.",
           "De regering is van plan de belastingen voor kleine bedrijven te verlagen."],
    "pt": ["O presidente disse que a situação econômica continua difícil este ano.",
           "Os agricultores da região esperam pela chuva há mais de dois meses.",
           "A nova linha de metrô será aberta ao público no final do mês.",
           "Segundo o ministério, o número de turistas estrangeiros aumentou muito.",
           "As escolas ficarão fechadas até segunda-feira por causa da tempestade.",
           "O governo planeja reduzir os impostos para as pequenas empresas."],
    "ru": ["Президент заявил, что экономическая ситуация в этом году остаётся сложной.",
           "Фермеры региона ждут дождя уже более двух месяцев.",
           "Новая линия метро откроется для пассажиров в конце месяца.",
           "По данным министерства, число иностранных туристов резко выросло.",
           "Школы будут закрыты до понедельника из-за шторма.",
           "Правительство планирует снизить налоги для малого бизнеса."],
    "zh": ["总统表示，今年的经济形势依然困难。", "该地区的农民已经等待降雨两个多月了。",
           "新的地铁线路将于月底向公众开放。",
           "据该部介绍，外国游客人数大幅增加。", "由于风暴，学校将关闭到星期一。", "政府计划为小企业减税。"],
    "ja": ["大統領は、今年の経済状況は依然として厳しいと述べた。", "この地域の農家は二か月以上雨を待っている。",
           "新しい地下鉄路線は月末に一般公開される。", "省によると、外国人観光客の数が大幅に増えた。",
           "嵐のため、学校は月曜日まで休校となる。", "政府は中小企業の税金を引き下げる計画だ。"],
    "ko": ["대통령은 올해 경제 상황이 여전히 어렵다고 말했다.", "이 지역 농민들은 두 달 넘게 비를 기다리고 있다.",
           "새 지하철 노선은 이달 말 일반에 개방된다.", "부처에 따르면 외국인 관광객 수가 크게 늘었다.",
           "폭풍 때문에 학교는 월요일까지 문을 닫는다.", "정부는 중소기업의 세금을 낮출 계획이다."],
    "th": ["ประธานาธิบดีกล่าวว่าสถานการณ์เศรษฐกิจปีนี้ยังคงยากลำบาก", "เกษตรกรในภูมิภาคนี้รอฝนมานานกว่าสองเดือนแล้ว",
           "รถไฟฟ้าสายใหม่จะเปิดให้บริการประชาชนในช่วงปลายเดือน", "โรงเรียนจะปิดจนถึงวันจันทร์เนื่องจากพายุ",
           "รัฐบาลวางแผนลดภาษีให้กับธุรกิจขนาดเล็ก", "ผู้คนหลายพันคนรวมตัวกันที่จัตุรัสเพื่อเฉลิมฉลอง"],
    "ms": ["Presiden berkata keadaan ekonomi tahun ini masih sukar.",
           "Petani di kawasan itu telah menunggu hujan selama lebih dua bulan.",
           "Laluan kereta api baharu akan dibuka kepada orang ramai pada akhir bulan.",
           "Kerajaan merancang untuk mengurangkan cukai bagi perniagaan kecil."],
    "tl": ["Sinabi ng pangulo na mahirap pa rin ang sitwasyon ng ekonomiya ngayong taon.",
           "Ang mga magsasaka sa rehiyon ay naghihintay ng ulan nang mahigit dalawang buwan.",
           "Bubuksan sa publiko ang bagong linya ng tren sa katapusan ng buwan.",
           "Plano ng pamahalaan na bawasan ang buwis para sa maliliit na negosyo."],
}


def strip_marks(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def sentences(paragraphs: list[str]) -> list[str]:
    out = []
    for p in paragraphs:
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", p) if len(s.split()) >= 6]
    return out


def build(seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows: list[dict] = []

    def add(text: str, lang: str, kind: str) -> None:
        rows.append({"text": text, "lang": lang, "kind": kind})

    bank_vi = sentences([p for a in VI for p in a["body"] + [a["extra"]]]) + [a["title"] for a in VI]
    bank_en = sentences([p for a in EN for p in a["body"] + [a["extra"]]]) + [a["title"] for a in EN]
    for s in bank_vi:
        add(s, "vi", "clean_vi")
    for s in bank_en:
        add(s, "en", "clean_en")
    seen: set[str] = set()
    while sum(r["kind"] == "clean_vi" for r in rows) < 420:
        s = f"{rng.choice(VI_SUBJ)} {rng.choice(VI_VERB)} {rng.choice(VI_OBJ)} {rng.choice(VI_TAIL)}."
        if s not in seen:
            seen.add(s)
            add(s, "vi", "clean_vi")
    while sum(r["kind"] == "clean_en" for r in rows) < 420:
        s = f"{rng.choice(EN_SUBJ)} {rng.choice(EN_VERB)} {rng.choice(EN_OBJ)} {rng.choice(EN_TAIL)}."
        if s not in seen:
            seen.add(s)
            add(s, "en", "clean_en")
    while sum(r["kind"] == "en_vi_names" for r in rows) < 80:
        s = (f"{rng.choice(EN_TITLES)} {rng.choice(VN_PEOPLE)} {rng.choice(EN_VERBS)} {rng.choice(EN_OBJECTS)} "
             f"in {rng.choice(VN_PLACES)} {rng.choice(EN_TAILS)}.")
        if rng.random() < 0.4:
            s = f"{rng.choice(VN_PLACES)} – {s}"
        if s not in seen:
            seen.add(s)
            add(s, "en", "en_vi_names")
    for a in EN:  # the titles and captions of English stories already carry Vietnamese place names
        add(a["caption_en"], "en", "caption_en")
    vi_pool = [r["text"] for r in rows if r["kind"] == "clean_vi"]
    for s in rng.sample(vi_pool, 50):
        add(strip_marks(s), "vi", "vi_no_diacritics")
    for s in rng.sample(vi_pool, 40):
        add(unicodedata.normalize("NFD", s), "vi", "vi_nfd")
    credits = ["(Ảnh: TTXVN)", "(Ảnh: mod.gov.vn)", "(Ảnh minh họa)", "Ảnh: Ngọc Thành", "(Ảnh: VGP/Nhật Bắc)"]
    credits_en = ["(Photo: VNA)", "(Photo: mod.gov.vn)", "(Illustrative photo)", "VNA/VNS Photo", "Photo courtesy of "
                                                                                                  "the ministry"]
    for a in VI + EN:
        add(f"{a['caption_vi']} {rng.choice(credits)}", "vi", "caption_vi")
        add(f"{a['caption_en']} {rng.choice(credits_en)}", "en", "caption_en")
    for s in SHORT_VI:
        add(s, "vi", "short_vi")
    for s in SHORT_EN:
        add(s, "en", "short_en")
    for lang, items in OTHER.items():
        for s in items:
            add(s, "other", "other_" + lang)
    quotes_en = ["\"This is a historic moment for our country\"", "\"we will not stop here\"", "\"smart city\"",
                 "\"Made in Vietnam\"", "\"the best is yet to come\""]
    quotes_vi = ["\"uống nước nhớ nguồn\"", "\"Việt Nam hóa\"", "\"đi tắt đón đầu\"", "\"không ai bị bỏ lại phía sau\""]
    for _ in range(20):
        add(f"Phát biểu tại hội nghị, ông {rng.choice(VN_PEOPLE)} nhấn mạnh khẩu hiệu {rng.choice(quotes_en)} "
            f"và kêu gọi các doanh nghiệp cùng chung tay thực hiện.", "vi", "mixed_vi")
        add(f"Speaking at the conference, {rng.choice(EN_TITLES).lower()} {rng.choice(VN_PEOPLE)} recalled the saying "
            f"{rng.choice(quotes_vi)} and urged businesses to work together.", "en", "mixed_en")
    # de-duplicate, keep order
    out, texts = [], set()
    for r in rows:
        if r["text"] not in texts:
            texts.add(r["text"])
            out.append(r)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path,
                    default=Path(__file__).resolve().parents[1] / "tests" / "data" / "langid" / "labelled.jsonl")
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    a.out.parent.mkdir(parents=True, exist_ok=True)
    rows = build(a.seed)
    with open(a.out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for r in rows:
        k = r["kind"] if not r["kind"].startswith("other_") else "other"
        kinds[k] = kinds.get(k, 0) + 1
    print(f"wrote {len(rows)} passages to {a.out}: {kinds}")


if __name__ == "__main__":
    main()
