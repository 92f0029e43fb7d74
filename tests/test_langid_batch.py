"""The shard path of language identification equals the per-passage reference: the vectorised
evidence (transforms.langid_batch) equals `langid.evidence` field by field, and `detect_many` gives
each passage what `detect` gives it; on the seeds, the project's labelled and hand-written pages,
passages written to hit the tokeniser's and the name rule's edges, and arbitrary text."""
from __future__ import annotations

import json
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from transforms import langid
from transforms.langid_batch import evidence_many

EDGE_PASSAGES = [
    "", " ", "...", "12 345", "Strojírny Brno a.s.", "CDL Kabel s. r. o.", "Doors open at 6 p.m. at the Town Hall.",
    "e.g. this, i.e. that; U.S. and U.K. p.m.", "a.b.c.d.e.f", "x.y", "p.m3", "J. K. Rowling and E. M. Forster",
    "Renzi, C., Sorge, C. and Perucci, C. A. (2012), Reporting of quality indicators",
    "Thủ tướng Phạm Minh Chính dự hội nghị. Ông nói: “Việt Nam sẵn sàng.”", "THỦ TƯỚNG PHÁT BIỂU TẠI HỘI NGHỊ",
    "WASHINGTON (AP) — Obama wins NY, MI; Romney wins NE.", "Ambassador Đặng Minh Khôi met EU officials in Brussels.",
    "Don’t spam - it's rude – really — yes", "a\t-\tb c\u00a0-\u00a0d", "Tìm hiểu Content marketing strategy?",
    "Em khong biet nen dung thuoc nao.", "Ó sọ pé ọ̀rẹ́ rẹ̀ lọ sí ilé-ẹ̀kọ́ ní àná.", "Să înceapă jocurile, spuse el.",
    "北京时间3月5日，国务院总理在人民大会堂作政府工作报告。", "東京都は5日、新型コロナウイルスの感染者を確認した。",
    "Москва, 5 марта. Президент выступил с посланием.", "สวัสดีครับ ยินดีต้อนรับ", "नमस्ते दुनिया",
    "Ⅻ Roman ²³ digits ① Ⓐshare x‿like a\u200dtags", "ǅemal Ǉubljana ﬁnal İstanbul ΟΔΟΣ", "\x1cx - y\x1d",
    "Tags : Download Lagu Budi Santoso - Hati Yang Luka.", "Grain Services Union (Back)", "(Feat.", "“Quoted.” Then",
    "word " * 200, "Ảnh " * 80, "x" * 700,
]


def _passages() -> list[str]:
    texts = list(EDGE_PASSAGES)
    for f in (REPO / "tests" / "data" / "langid").glob("*.jsonl"):
        texts += [json.loads(line)["text"] for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    for f in [*(REPO / "raw").rglob("*.txt"), *(REPO / "tests" / "data" / "holdout6").rglob("*.txt")]:
        texts += [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return [unicodedata.normalize("NFC", t) for t in dict.fromkeys(texts)]


def _assert_same_evidence(texts: list[str]) -> None:
    for limit in (langid.LangParams().quick_chars, langid.EVIDENCE_CHARS):
        got = evidence_many(texts, limit)
        bad = [(t, g, langid.evidence(t, limit)) for t, g in zip(texts, got, strict=True)
               if g != langid.evidence(t, limit)]
        assert not bad, bad[0]


def test_vectorised_evidence_equals_the_reference():
    texts = _passages()
    assert len(texts) > 1000
    _assert_same_evidence(texts)


def test_detect_many_gives_each_passage_what_detect_gives_it():
    texts = _passages()
    assert langid.detect_many(texts) == [langid.detect(t) for t in texts]


PIECE = st.sampled_from(EDGE_PASSAGES[:34] + [" ", ". ", " - ", "(", "a.", "B.", "p.m.", "s.r.o.", "Hà Nội", "The"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECE, st.text(max_size=30)), min_size=1, max_size=6))
def test_vectorised_evidence_equals_the_reference_on_arbitrary_text(parts):
    text = unicodedata.normalize("NFC", "".join(parts))
    _assert_same_evidence([text, text.upper(), text.lower()])


def test_english_frequencies_are_wordfreqs():
    from wordfreq import get_frequency_dict

    assert langid.english_frequency() == get_frequency_dict("en", wordlist="large")
