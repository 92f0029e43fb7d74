"""Is a word a possible Vietnamese syllable? Onset + rhyme + tone, as Vietnamese spelling allows.

Letters alone do not make Vietnamese: ă and â are Romanian letters too ("înseamnă", "să"), ẹ and ọ
Yoruba ones ("ọ̀rọ̀", "jẹ́"), é and à French. A Vietnamese syllable is one onset from a closed set
(no j, w, f, z; k only before i/e/ê/y, gh and ngh only before i/e/ê), one rhyme from a closed set
(ă and â never end a syllable, iê/uô/ươ always have a final), and at most one tone mark — with the
stop finals c, ch, p, t only under the sắc or nặng tone. A word typed without any marks is checked
without the tone rule (the marks were lost, not absent).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

# Tone marks as combining characters (NFD): huyền, sắc, ngã, hỏi, nặng.
GRAVE, ACUTE, TILDE, HOOK, DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
TONES = frozenset((GRAVE, ACUTE, TILDE, HOOK, DOT))

ONSETS = ("ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu",
          "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")

RHYMES = frozenset("""
a ac ach ai am an ang anh ao ap at au ay
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oc oi om on ong op ot ooc oong
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut uôc uôi uôm uôn uông uôt
ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêng yêt yêu
oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oe oec oen oeo oet
uân uâng uât uây uê uêch uênh uy uya uych uyn uynh uyp uyt uyu uyên uyêt uơ
""".split())
# After qu the u is the onset's: "quy", "quýt", "quỳnh", "quyết".
QU_RHYMES = frozenset(r for r in RHYMES if r[0] not in "ou") | frozenset("yt ynh ych yn yu yp".split())
STOP_FINALS = ("c", "ch", "p", "t")
_PLAIN = str.maketrans("ăâêôơưđ", "aaeooud")
# The same for words typed without any marks ("chuong" for chương, "dau" for đầu).
PLAIN_RHYMES = frozenset(r.translate(_PLAIN) for r in RHYMES)
PLAIN_QU_RHYMES = frozenset(r.translate(_PLAIN) for r in QU_RHYMES)
FRONT = "ieêy"


VOWELS = frozenset("aeiouy")


def split_tone(word: str) -> tuple[str, list[str]]:
    """(the word without tone marks, NFC; the tone marks it carried). A mark under or over a
    consonant (Yoruba ṣ, Romanian ș) is not a tone: it stays, and the word fails as a syllable."""
    nfd = unicodedata.normalize("NFD", word)
    tones = []
    base = ""
    for ch in nfd:
        if not unicodedata.combining(ch):
            base = ch
        elif ch in TONES and base in VOWELS:
            tones.append(ch)
    if not tones:
        return unicodedata.normalize("NFC", word), tones
    out, base = [], ""
    for ch in nfd:
        if not unicodedata.combining(ch):
            base = ch
        if not (ch in TONES and base in VOWELS):
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)), tones


def _onset_allows(onset: str, rhyme: str) -> bool:
    first = rhyme[0]
    if onset == "k":
        return first in FRONT
    if onset == "c":
        return first not in FRONT
    if onset in ("gh", "ngh"):
        return first in "ieê"
    if onset in ("g", "ng"):
        return first not in "ieê"
    return True


_ONSET_SET = frozenset(ONSETS)
_ONSET_SIZES = sorted({len(o) for o in ONSETS}, reverse=True)


@lru_cache(maxsize=1 << 16)
def is_syllable(word: str) -> bool:
    """Whether a lowercase word is a possible Vietnamese syllable (cached: words recur)."""
    if not word or len(word) > 7:
        return False
    marked = not word.isascii()
    base, tones = split_tone(word) if marked else (word, ())  # no marks, no tones
    if len(tones) > 1:
        return False
    rhymes = (RHYMES, QU_RHYMES) if marked else (PLAIN_RHYMES, PLAIN_QU_RHYMES)
    for size in _ONSET_SIZES:  # every onset the word starts with, as the longest may not fit
        onset = base[:size]
        if len(onset) != size or onset not in _ONSET_SET:
            continue
        rest = base[size:]
        if onset == "gi":  # "gì", "gìn", "giếng": the i of gi stands for the rhyme's i
            candidates = [r for r in (rest, "i" + rest) if r]
            if not rest:
                return True
        else:
            candidates = [rest] if rest else []
        for rhyme in candidates:
            if rhyme not in rhymes[onset == "qu"] or not _onset_allows(onset, rhyme):
                continue
            if marked and rhyme.endswith(STOP_FINALS) and not (set(tones) & {ACUTE, DOT}):
                continue  # "mat" may be typed without marks; "mằt" is not Vietnamese
            return True
    return False
