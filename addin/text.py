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
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Literal, NamedTuple

LangCode = Literal["en", "vi", "bn"]

# Abbreviations that punctuation or spacing splits into several words. Each rule is
# (words in lower case, what may stand between them, text that must follow, canonical).
_JOIN_RULES: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (("r", "d"), r"\s*&\s*", "", "rnd"),
    (("r", "and", "d"), r"\s+", "", "rnd"),
    (("soc", "2"), r"[\s-]*", "", "soc2"),
    (("soc", "1"), r"[\s-]*", "", "soc1"),
    (("iso", "27001"), r"[\s/:-]*", "", "iso27001"),
    (("iso", "iec", "27001"), r"[\s/:-]*", "", "iso27001"),
    (("iso", "9001"), r"[\s/:-]*", "", "iso9001"),
    (("pci", "dss"), r"[\s-]*", "", "pcidss"),
    (("wi", "fi"), r"[\s-]*", "", "wifi"),
    (("24", "7"), r"\s*/\s*", "", "24x7"),
    (("microsoft", "365"), r"[\s-]*", "", "m365"),
    (("office", "365"), r"[\s-]*", "", "m365"),
    (("ms", "365"), r"[\s-]*", "", "m365"),
    (("g", "suite"), r"[\s-]*", "", "gsuite"),
    (("google", "workspace"), r"\s+", "", "gsuite"),
    (("ci", "cd"), r"\s*/\s*", "", "cicd"),
    (("dev", "sec", "ops"), r"\s*-?\s*", "", "devsecops"),
    (("dev", "ops"), r"\s*-?\s*", "", "devops"),
    (("p", "l"), r"\s*&\s*", "", "pnl"),
    (("m", "a"), r"\s*&\s*", "", "mna"),
    (("w", "o"), r"/", "", "without"),
    (("w",), "", r"\s*/", "with"),
    (("c",), "", r"\+\+", "cplusplus"),
)
_JOINS: dict[str, list[tuple[tuple[str, ...], re.Pattern[str], re.Pattern[str] | None, str]]] = {}
for _seq, _gap, _tail, _canonical in _JOIN_RULES:
    _JOINS.setdefault(_seq[0], []).append(
        (_seq, re.compile(_gap), re.compile(_tail) if _tail else None, _canonical))

_JOIN_LONGEST = max(len(k) for k in _JOINS)

# Letters, combining marks (Bengali vowel signs, Vietnamese decomposed tones), digits and
# the zero-width joiners Bengali spelling uses inside words.
_WORD_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u0980-\u09ff\u200c\u200d])+")
# The same words in one character class (fast): ``\w`` differs only by "_", which
# :func:`tokenise` turns into a space first (same length, so offsets are unchanged).
_WORD_FAST_RE = re.compile(r"[\w\u0300-\u036f\u0980-\u09ff\u200c\u200d]+")
# Short forms common in planning sheets, written out so the vocabulary needs one spelling.
_SHORT_FORMS = {
    "mgmt": "management", "mgt": "management", "mngt": "management", "mgr": "manager",
    "infra": "infrastructure", "eng": "engineering", "engg": "engineering",
    "ops": "operations", "admin": "administration", "dept": "department",
    "depts": "departments", "dev": "developer", "devs": "developers", "sec": "security",
    "config": "configuration", "env": "environment", "svc": "service", "svcs": "services",
    "org": "organisation", "orgs": "organisations", "hw": "hardware", "sw": "software",
    "biz": "business", "mktg": "marketing", "acct": "account", "accts": "accounts",
    "fin": "finance", "govt": "government", "reqs": "requirements", "req": "request",
    "approx": "approximately", "yr": "year", "yrs": "years",
    "o365": "m365", "ms365": "m365", "office365": "m365", "microsoft365": "m365",
}

_BN_FIRST, _BN_LAST = "\u0980", "\u09ff"
_BN_CHAR_RE = re.compile("[\u0980-\u09ff]")
_LATIN_CHAR_RE = re.compile(r"[^\W\d_\u0980-\u09ff]")
# runs of the same letters: counting by runs is much faster than letter by letter
_BN_RUN_RE = re.compile("[\u0980-\u09ff]+")
_LATIN_RUN_RE = re.compile(r"[^\W\d_\u0980-\u09ff]+")


def _count(runs: re.Pattern[str], text: str) -> int:
    return sum(map(len, runs.findall(text)))
_BN_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
_JOINERS = str.maketrans("", "", "\u200c\u200d")
_LATIN_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe",
                              "ß": "ss", "ł": "l", "ı": "i"})

# Letters only Vietnamese uses among the three languages (after NFC): horn, breve, đ and
# the tone marks that never occur in English words.
_VI_CHARS = frozenset(
    "ăâđêôơưàảãạáằẳẵặắầẩẫậấèẻẽẹéềểễệếìỉĩịíòỏõọóồổỗộốờởỡợớùủũụúừửữựứỳỷỹỵý"
)
# Accents that other languages written in Latin letters share (café, résumé): a word with
# only these is Vietnamese only in a line that is Vietnamese as a whole.
_SHARED_ACCENTS = frozenset("àáèéìíòóùúýâêô")
_VI_STRONG = _VI_CHARS - _SHARED_ACCENTS
_COMBINING_RE = re.compile("[\u0300-\u036f]")
_NO_MARKS: frozenset[int] = frozenset()

# Common Vietnamese syllables (accents folded), few of them English words, to recognise
# Vietnamese typed without accents.
_VI_SYLLABLE_TEXT = """
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
"""
_VI_SYLLABLES = frozenset(_VI_SYLLABLE_TEXT.split())


def nfc(text: str) -> str:
    """Canonical composition, so decomposed and precomposed accents compare equal."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)
def fold_latin(word: str) -> str:
    """Case-fold and strip diacritics from a Latin word (``Quản`` -> ``quan``, ``đ`` -> ``d``)."""
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
    return _BN_CHAR_RE.search(word) is not None


@lru_cache(maxsize=65536)
def normalise_token(raw: str) -> str:
    """The comparable form of one raw word (no inflection removal; see :class:`Canon`)."""
    if is_bengali(raw):
        return nfc(raw.translate(_JOINERS)).translate(_BN_DIGITS)
    word = fold_latin(unicodedata.normalize("NFKC", raw))
    return _SHORT_FORMS.get(word, word)


class Token(NamedTuple):
    """A word of the duty: its normalised form and where it sits in the original text."""

    norm: str
    start: int
    end: int


# Raw word -> its normalised form, for words no join rule can start (the common case);
# words that may start a join map to _SPECIAL. Bounded; see forget_words().
_FORMS: dict[str, str] = {}
_SPECIAL = "\0special"
_FORMS_MAX = 100_000
_new_token = tuple.__new__


def _form(raw: str) -> str:
    if len(raw) > _JOIN_LONGEST or (len(raw) > 1 and raw.lower() not in _JOINS):
        form = normalise_token(raw)
    else:
        form = _SPECIAL
    if len(_FORMS) < _FORMS_MAX:
        _FORMS[raw] = form
    return form


def tokenise(text: str) -> list[Token]:
    """Split ``text`` into normalised tokens with offsets into ``text`` itself."""
    found = _WORD_FAST_RE.findall(text.replace("_", " ") if "_" in text else text)
    tokens: list[Token] = []
    pos = 0
    find = text.find
    forms = _FORMS
    for i, raw in enumerate(found):
        form = forms.get(raw)
        if form is None:
            form = _form(raw)
        if form is _SPECIAL:
            return _tokenise_rest(text, found, i, pos, tokens)
        start = find(raw, pos)
        pos = start + len(raw)
        if form:  # a lone combining mark folds to nothing
            tokens.append(_new_token(Token, (form, start, pos)))
    return tokens


def _tokenise_rest(text: str, found: list[str], first: int, pos: int,
                   tokens: list[Token]) -> list[Token]:
    """:func:`tokenise` from the first word that may start a join rule ("R&D", "e-mail")."""
    raws = []
    find = text.find
    for w in found[first:]:
        start = find(w, pos)
        pos = start + len(w)
        raws.append((w, start, pos))
    n = len(raws)
    i = 0
    forms, joins = _FORMS, _JOINS
    while i < n:
        raw, start, end = raws[i]
        form = forms.get(raw)
        if form is None:
            form = _form(raw)
        if form is not _SPECIAL:
            if form:
                tokens.append(Token(form, start, end))
            i += 1
            continue
        lower = raw.lower()
        rules = joins.get(lower)
        if rules is not None:
            joined = _join(text, raws, i, rules)
            if joined is not None:
                canonical, size, stop = joined
                tokens.append(Token(canonical, start, stop))
                i += size
                continue
        if len(lower) == 1 and i + 1 < n and lower.isascii() and lower.isalpha() \
                and raws[i + 1][1] == end + 1 and text[end] == "-":
            # e-mail, e-commerce: a one-letter prefix and its word are one word
            nxt = raws[i + 1]
            tokens.append(Token(normalise_token(raw + nxt[0]), start, nxt[2]))
            i += 2
            continue
        word = normalise_token(raw)
        if word:  # a lone combining mark folds to nothing
            tokens.append(Token(word, start, end))
        i += 1
    return tokens


def forget_words() -> None:
    """Empty the word caches, so no word of a checked plan stays in memory."""
    _FORMS.clear()
    normalise_token.cache_clear()
    fold_latin.cache_clear()


def _join(text: str, raws: list[tuple[str, int, int]], i: int,
          rules: list[tuple[tuple[str, ...], re.Pattern[str], re.Pattern[str] | None, str]],
          ) -> tuple[str, int, int] | None:
    for seq, gap, tail, canonical in rules:
        size = len(seq)
        if i + size > len(raws):
            continue
        if any(raws[i + j][0].lower() != seq[j] or
               not gap.fullmatch(text, raws[i + j - 1][2], raws[i + j][1])
               for j in range(1, size)):
            continue
        stop = raws[i + size - 1][2]
        if tail is not None:
            m = tail.match(text, stop)
            if m is None:
                continue
            stop = m.end()
        return canonical, size, stop
    return None


def words(text: str) -> list[str]:
    """Just the normalised tokens of ``text``."""
    return [t.norm for t in tokenise(text)]


def detect_lang(text: str, tokens: list[Token] | None = None) -> LangCode:
    """Guess the language of a duty line: ``bn``, ``vi`` or ``en`` (the default).

    ``tokens`` may pass the line's :func:`tokenise` result to save tokenising twice.
    """
    vi_marked = not _VI_CHARS.isdisjoint(text.lower())
    bengali = _BN_CHAR_RE.search(text) is not None
    latin = -1
    if bengali:
        bn = _count(_BN_RUN_RE, text)
        latin = _count(_LATIN_RUN_RE, text)
        if bn >= latin * 0.5:
            return "bn"
    elif not vi_marked:
        ratio = _vi_ratio(tokenise(text) if tokens is None else tokens, bengali)
        return "vi" if ratio >= 0.4 else "en"
    if latin < 0:
        latin = _count(_LATIN_RUN_RE, text)
    if not latin:
        return "en"
    if vi_marked and latin < 40:
        return "vi"
    ratio = _vi_ratio(tokenise(text) if tokens is None else tokens, bengali)
    if vi_marked:
        # a single accented letter in a long English line (a name, a place) is not enough
        return "vi" if ratio >= 0.2 else "en"
    return "vi" if ratio >= 0.4 else "en"


def has_vietnamese_marks(text: str) -> bool:
    """True when ``text`` holds a letter with a Vietnamese accent (or ``đ``)."""
    return not _VI_CHARS.isdisjoint(nfc(text).lower())


def vietnamese_marked(text: str, tokens: Sequence[Token], lang: LangCode) -> frozenset[int]:
    """Positions of the tokens written with Vietnamese accents.

    Such a word is a Vietnamese syllable ("sóc", "rồi", "văn"), never the English
    abbreviation its folded letters spell (SOC, ROI, van). Accents other languages share
    (é, ó) count only in a line detected as Vietnamese.
    """
    decomposed = _COMBINING_RE.search(text) is not None
    if not decomposed and _VI_CHARS.isdisjoint(text.lower()):
        return _NO_MARKS
    strong, shared = _VI_STRONG.isdisjoint, _SHARED_ACCENTS.isdisjoint
    vi = lang == "vi"
    out = []
    for i, (_, start, end) in enumerate(tokens):
        word = text[start:end]
        if word.isascii():
            continue
        word = nfc(word).lower() if decomposed else word.lower()
        if not strong(word) or (vi and not shared(word)):
            out.append(i)
    return frozenset(out) if out else _NO_MARKS


def _vi_ratio(tokens: list[Token], bengali: bool = True) -> float:
    # without a Bengali letter in the text no token can be Bengali: skip that test
    if bengali:
        toks = [t[0] for t in tokens if not t[0].isdigit() and not is_bengali(t[0])]
    else:
        toks = [t[0] for t in tokens if not t[0].isdigit()]
    if not toks:
        return 0.0
    syllables = _VI_SYLLABLES
    hits = len([t for t in toks if t in syllables])
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


# Words whose ending is part of the word, not an inflection: "marketing" is not "market".
_LEXICAL_TEXT = """marketing accounting building meeting engineering offering housing bookkeeping
    earnings savings hearing routing catering clothing funding banking setting
    briefing landing wedding morning evening ceiling news business process access
    analytics logistics operations series species"""
_LEXICAL = frozenset(_LEXICAL_TEXT.split())
# Three-letter words ending in "s" that are not a plural of the two letters before it
# ("its" is not more than one "it", UPS is not "up").
_NOT_PLURAL_TEXT = """its has his was yes ins ons ups dos cos res ass ors nos sos tos
    ves les des mas abs bis bos ios pos gas bus aws dns sms gps nas lms dms"""
_NOT_PLURAL = frozenset(_NOT_PLURAL_TEXT.split())


class Canon:
    """Maps a token to the vocabulary's base form of the same word, or leaves it as it is.

    ``known`` holds every single word the vocabulary uses. Inflection rules propose base
    forms and the first known one wins; vocabulary words written inflected ("systems")
    are themselves reduced to a known base ("system"), so both spellings meet.
    """

    def __init__(self, known: Iterable[str]) -> None:
        self.known = frozenset(known)
        self._cache: dict[str, str] = {}
        base: dict[str, str] = {}
        # in sorted order: spelling pairs that reduce to each other (licence/license) then
        # meet in the same word in every process, whatever the hash seed
        for word in sorted(self.known):
            # a three-letter vocabulary word is written as meant ("ups" is UPS, not "up")
            found = self._reduce(word, short=False)
            if found != word:
                base[word] = found
        # follow chains (licences -> licence) to a word that reduces no further
        for word in list(base):
            seen = {word}
            target = base[word]
            while target in base and target not in seen:
                seen.add(target)
                target = base[target]
            base[word] = target
        self._base = base

    @classmethod
    def from_tables(cls, known: Iterable[str], base: dict[str, str]) -> Canon:
        """A Canon rebuilt from :meth:`tables` (e.g. read from the compiled-profiles cache)."""
        canon = cls.__new__(cls)
        canon.known = frozenset(known)
        canon._cache = {}
        canon._base = dict(base)
        return canon

    def tables(self) -> tuple[frozenset[str], dict[str, str]]:
        """What this Canon is made of: the known words and each inflected word's base."""
        return self.known, dict(self._base)

    def forget(self) -> None:
        """Empty the cache of words seen (words of checked plans)."""
        self._cache.clear()

    def __call__(self, token: str) -> str:
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        found = token if token in self.known else self._reduce(token)
        result = self._base.get(found, found)
        if len(self._cache) < 200_000:
            self._cache[token] = result
        return result

    def _reduce(self, token: str, short: bool = True) -> str:
        if token in _LEXICAL:
            return token
        if is_bengali(token):
            return self._first_known(_bn_candidates(token), token)
        if len(token) > 3 and token.isalpha():
            return self._first_known(_en_candidates(token), token)
        if short and len(token) == 3 and token[2] == "s" and token.isalpha() \
                and token not in _NOT_PLURAL and token[:2] in self.known:
            # plurals of short words the vocabulary knows: "vms" -> "vm", "pcs" -> "pc"
            return token[:2]
        return token

    def _first_known(self, candidates: Iterable[str], default: str) -> str:
        for c in candidates:
            if c in self.known and c != default:
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
