"""Text handling for duty lines in English, Vietnamese and Bengali.

Pure and dependency-free (stdlib ``unicodedata`` and ``re`` only). Tokens keep their
character offsets in the original text, so evidence can be quoted in the user's own words.

Normalisation is per script, not per language, because plans mix languages in one cell:
Latin tokens are case-folded and stripped of diacritics (Vietnamese with or without
accents reads the same, ``đ`` becomes ``d``); Bengali tokens are NFC-normalised with joiners
removed and Bengali digits mapped to ASCII. Inflections (English suffixes, Bengali case
endings) are removed by :class:`Canon`, guided by the words the vocabulary actually knows,
so a suffix rule can never merge two unrelated words the vocabulary does not contain.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

LangCode = Literal["en", "vi", "bn"]

# Multi-character abbreviations that punctuation or spacing would otherwise split apart.
# Each is matched case-insensitively on the raw text and becomes one canonical token.
_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"r\s*&\s*d", "rnd"),
    (r"r\s+and\s+d", "rnd"),
    (r"soc\s*-?\s*2", "soc2"),
    (r"soc\s*-?\s*1", "soc1"),
    (r"iso\s*/?\s*(?:iec\s*)?-?\s*27001", "iso27001"),
    (r"iso\s*-?\s*9001", "iso9001"),
    (r"pci\s*-?\s*dss", "pcidss"),
    (r"wi\s*-?\s*fi", "wifi"),
    (r"e\s*-\s*mail", "email"),
    (r"e\s*-\s*sign(?:ature)?s?", "esignature"),
    (r"24\s*/\s*7", "24x7"),
    (r"24\s*x\s*7", "24x7"),
    (r"(?:microsoft|office|ms)\s*-?\s*365", "m365"),
    (r"[mo]\s*365", "m365"),
    (r"g\s*-?\s*suite", "gsuite"),
    (r"google\s+workspace", "gsuite"),
    (r"c\s*\+\s*\+", "cplusplus"),
    (r"ci\s*/\s*cd", "cicd"),
    (r"dev\s*-?\s*ops", "devops"),
    (r"dev\s*-?\s*sec\s*-?\s*ops", "devsecops"),
    (r"ai\s*/\s*ml", "ai ml"),
    (r"b\s*2\s*b", "b2b"),
    (r"b\s*2\s*c", "b2c"),
    (r"p\s*&\s*l", "pnl"),
    (r"m\s*&\s*a", "mna"),
    (r"w\s*/\s*o(?![a-z])", "without"),
    (r"w\s*/(?![a-z]*/)", "with"),
)

# Letters, combining marks (Bengali vowel signs, Vietnamese decomposed tones), digits and
# the zero-width joiners Bengali spelling uses inside words.
_WORD = r"[^\W_]|[\u0300-\u036f\u0980-\u09ff\u200c\u200d]"
_TOKEN_RE = re.compile(
    "(?i:"
    + "|".join(rf"(?<![^\W_])(?:{p})(?![^\W_])" for p, _ in _ABBREVIATIONS)
    + rf")|(?:{_WORD})+"
)
_ABBREV_RES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"(?i:{p})\Z"), r) for p, r in _ABBREVIATIONS
)

_BN_FIRST, _BN_LAST = "\u0980", "\u09ff"
_BN_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
_JOINERS = str.maketrans("", "", "\u200c\u200d")
_LATIN_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe",
                              "ß": "ss", "ł": "l", "ı": "i"})

# Letters only Vietnamese uses among the three languages (after NFC): horn, breve, đ and
# the tone marks that never occur in English words.
_VI_CHARS = frozenset(
    "ăâđêôơưàảãạáằẳẵặắầẩẫậấèẻẽẹéềểễệếìỉĩịíòỏõọóồổỗộốờởỡợớùủũụúừửữựứỳỷỹỵý"
)

# Common Vietnamese syllables (accents folded) that are not English words, to recognise
# Vietnamese typed without accents.
_VI_SYLLABLES = frozenset(
    """
    cua cac va cho nhung trong duoc nguoi khong mot nhu voi tai theo ve tu cung da dang
    se vao ra lam viec quan ly he thong mang noi bo cong ty nghe thong tin nhan vien
    phong ban khach hang san pham dich vu doanh nghiep kinh doanh phat trien xay dung
    thiet ke van hanh bao tri bao mat an ninh du lieu may chu phan mem ung dung chien luoc
    giam doc truong pho tuyen dao tao hop dong nha cung cap chi phi ngan sach ke toan
    tai chinh nhan su thi truong quang cao ban hang cong nghe ha tang giai phap quy trinh
    hieu qua nang suat toan dam bao duy tri nang cap kiem soat giam sat lap ke hoach
    dinh huong muc tieu uu tien tich hop ket noi doi tac nghien cuu moi xu huong
    chuyen doi so hoa tu dong hoa truy cap tai khoan mat khau thu dien tu hoi nghi
    truc tuyen dien thoai tong dai nen tang kien truc ky su lap trinh vien nhom doi ngu
    thuc hien quan tri ho tro su co khoi phuc sao luu luong thuong phuc loi hoa don
    thue kho van chuyen giao nha xuong san xuat luat phap ly hoi dong co dong
    bao cao hang quy thang nam tuan ngay lien tuc dam phan gia han ban quyen mua sam
    phu trach chiu trach nhiem dieu hanh lanh dao giam sat theo doi danh gia
    """.split()
)


def nfc(text: str) -> str:
    """Canonical composition, so decomposed and precomposed accents compare equal."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)
def fold_latin(word: str) -> str:
    """Case-fold and strip diacritics from a Latin-script word (``Quản`` -> ``quan``, ``đ`` -> ``d``)."""
    w = unicodedata.normalize("NFKD", word.translate(_LATIN_EXTRA)).casefold()
    w = "".join(c for c in w if not unicodedata.combining(c))
    return w.translate(_LATIN_EXTRA)


def strip_vietnamese_diacritics(text: str) -> str:
    """The text as typed on a keyboard without Vietnamese accents (keeps case and spacing)."""
    out = []
    for ch in nfc(text):
        if ch in "đĐ":
            out.append("d" if ch == "đ" else "D")
            continue
        base = unicodedata.normalize("NFD", ch)
        if ("a" <= base[0].lower() <= "z") and len(base) > 1:
            out.append(base[0])
        else:
            out.append(ch)
    return "".join(out)


def is_bengali(word: str) -> bool:
    """True when the word is written in Bengali script."""
    return any(_BN_FIRST <= c <= _BN_LAST for c in word)


@lru_cache(maxsize=65536)
def normalise_token(raw: str) -> str:
    """The comparable form of one raw token (no inflection removal; see :class:`Canon`)."""
    for pattern, canonical in _ABBREV_RES:
        if pattern.match(raw):
            return canonical
    if is_bengali(raw):
        return nfc(raw.translate(_JOINERS)).translate(_BN_DIGITS)
    return fold_latin(unicodedata.normalize("NFKC", raw))


@dataclass(frozen=True)
class Token:
    """A word of the duty: its normalised form and where it sits in the original text."""

    norm: str
    start: int
    end: int


def tokenise(text: str) -> list[Token]:
    """Split ``text`` into normalised tokens with offsets into ``text`` itself."""
    tokens: list[Token] = []
    for m in _TOKEN_RE.finditer(text):
        norm = normalise_token(m.group())
        # an abbreviation may stand for two words (``AI/ML``)
        parts = norm.split(" ") if " " in norm else (norm,)
        tokens.extend(Token(p, m.start(), m.end()) for p in parts if p)
    return tokens


def words(text: str) -> list[str]:
    """Just the normalised tokens of ``text``."""
    return [t.norm for t in tokenise(text)]


def detect_lang(text: str) -> LangCode:
    """Guess the language of a duty line: ``bn``, ``vi`` or ``en`` (the default)."""
    bn = latin = 0
    vi_marked = False
    for ch in text:
        if _BN_FIRST <= ch <= _BN_LAST:
            bn += 1
        elif ch.isalpha():
            latin += 1
            if not vi_marked and ch.lower() in _VI_CHARS:
                vi_marked = True
    if bn and bn >= latin * 0.5:
        return "bn"
    if vi_marked:
        # a single accented letter in a long English line (a name, a place) is not enough
        return "vi" if _vi_ratio(text) >= 0.2 or latin < 40 else "en"
    return "vi" if _vi_ratio(text) >= 0.4 else "en"


def _vi_ratio(text: str) -> float:
    toks = [t for t in words(text) if not is_bengali(t) and not t.isdigit()]
    if not toks:
        return 0.0
    hits = sum(1 for t in toks if t in _VI_SYLLABLES)
    return hits / len(toks) if hits >= 2 or len(toks) <= 2 else 0.0


# ---------------------------------------------------------------- inflections

# English: (suffix, replacements) tried in order; the first candidate the vocabulary knows
# wins. Light on purpose: a full stemmer merges words we must keep apart (server/serve).
_EN_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("isations", ("ise", "ize", "isation", "ization")),
    ("izations", ("ize", "ise", "ization", "isation")),
    ("isation", ("ise", "ize", "ization")),
    ("ization", ("ize", "ise", "isation")),
    ("ations", ("ate", "e", "", "ation")),
    ("ation", ("ate", "e", "")),
    ("ments", ("", "e", "ment")),
    ("ment", ("", "e")),
    ("ings", ("", "e", "ing")),
    ("ing", ("", "e", "*")),
    ("ies", ("y", "ie")),
    ("ied", ("y",)),
    ("ised", ("ise", "ize")),
    ("ized", ("ize", "ise")),
    ("ises", ("ise", "ize")),
    ("izes", ("ize", "ise")),
    ("ise", ("ize",)),
    ("ize", ("ise",)),
    ("ed", ("", "e", "*")),
    ("es", ("", "e")),
    ("s", ("",)),
    ("ly", ("",)),
    ("er", ("e", "")),
    ("ers", ("er", "e", "")),
    ("ors", ("or",)),
    ("centre", ("center",)),
    ("center", ("centre",)),
    ("licence", ("license",)),
    ("license", ("licence",)),
    ("programme", ("program",)),
    ("our", ("or",)),
)

# Bengali case endings, plural markers and classifiers, longest first.
_BN_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "গুলোর", "গুলির", "গুলোতে", "গুলিতে", "গুলোকে", "গুলিকে", "গুলো", "গুলি", "গুলা",
            "দেরকে", "দের", "েরা", "রা", "য়ের", "য়েরা", "য়", "এর", "ের", "র", "কে", "তে",
            "টির", "টার", "টিতে", "টাতে", "টিকে", "টি", "টা", "খানা", "খানি", "ে", "ও", "ই",
            "গত", "ভিত্তিক", "মূলক", "সমূহ", "সমূহের", "বৃন্দ", "য়েও", "েও", "তেও", "কেও",
            "দেরও", "গুলোও",
        },
        key=len,
        reverse=True,
    )
)


class Canon:
    """Maps a token to the vocabulary's form of the same word, or leaves it as it is.

    ``known`` holds every single word the vocabulary uses. A token that is known stays;
    otherwise inflection rules propose base forms and the first known one wins.
    """

    def __init__(self, known: Iterable[str]) -> None:
        self.known = frozenset(known)
        self._cache: dict[str, str] = {}

    def __call__(self, token: str) -> str:
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        result = self._resolve(token)
        if len(self._cache) < 200_000:
            self._cache[token] = result
        return result

    def _resolve(self, token: str) -> str:
        if token in self.known:
            return token
        if is_bengali(token):
            return self._first_known(_bn_candidates(token), token)
        if len(token) > 3 and token.isalpha():
            return self._first_known(_en_candidates(token), token)
        return token

    def _first_known(self, candidates: Iterable[str], default: str) -> str:
        for c in candidates:
            if c in self.known:
                return c
        return default


def _en_candidates(word: str) -> Iterable[str]:
    for suffix, replacements in _EN_RULES:
        if not word.endswith(suffix):
            continue
        stem = word[: len(word) - len(suffix)]
        if len(stem) < 2:
            continue
        for rep in replacements:
            if rep == "*":
                # planned -> plan, running -> run
                if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
                    yield stem[:-1]
            else:
                yield stem + rep
                # management -> manage -> (plural handled above); licences -> licence
        if suffix in ("s", "es"):
            yield from _en_candidates(stem) if len(stem) > 3 else ()


def _bn_candidates(word: str) -> Iterable[str]:
    for suffix in _BN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            stem = word[: len(word) - len(suffix)]
            yield stem
            # two layers: সার্ভারগুলোর -> সার্ভারগুলো -> সার্ভার
            for inner in _BN_SUFFIXES:
                if stem.endswith(inner) and len(stem) - len(inner) >= 2:
                    yield stem[: len(stem) - len(inner)]


def identity(token: str) -> str:
    """A canonicaliser that changes nothing (for callers without a vocabulary)."""
    return token


Canonicaliser = Callable[[str], str]
