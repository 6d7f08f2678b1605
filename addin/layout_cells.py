"""Cells, header words and duty text: what every plan layout reader shares.

Pure: works on :class:`~addin.model.SheetData` values whichever program produced them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .i18n import say
from .model import (
    CellValue,
    Duty,
    Executive,
    Note,
    Profiles,
    RaciActivity,
    SheetData,
    SheetRead,
)
from .profiles import recognise_role, recognise_roles
from .text import words

HEADER_SEARCH_ROWS = 20

# Header words in English, Vietnamese and Bengali. They are compared as normalised words
# (lower case, no diacritics), so "Họ và tên:" and "ho va ten" name the same column.
EXECUTIVE_HEADERS = (
    "executive", "executives", "leader", "leaders", "owner", "owners", "name", "person",
    "holder", "assignee", "exec", "executive name", "full name", "who", "accountable person",
    "họ tên", "họ và tên", "tên", "lãnh đạo", "người phụ trách", "người thực hiện",
    "người chịu trách nhiệm", "cán bộ", "phụ trách",
    "নাম", "নির্বাহী", "কর্মকর্তা", "দায়িত্বপ্রাপ্ত", "দায়িত্বপ্রাপ্ত কর্মকর্তা",
)
TITLE_HEADERS = (
    "title", "job title", "position", "role", "roles", "designation",
    "chức danh", "chức vụ", "vị trí", "vai trò",
    "পদবী", "পদবি", "পদ", "ভূমিকা",
)
REPORTS_TO_HEADERS = (
    "reports to", "reporting to", "report to", "manager", "line manager", "reports",
    "reporting line", "reporting lines", "direct manager", "direct supervisor",
    "báo cáo cho", "báo cáo lên", "cấp trên", "cấp trên trực tiếp", "quản lý trực tiếp",
    "người quản lý trực tiếp", "người quản lý", "báo cáo trực tiếp cho", "báo cáo trực tiếp",
    "রিপোর্ট করেন", "রিপোর্ট", "ঊর্ধ্বতন", "উর্ধ্বতন", "কার কাছে রিপোর্ট", "রিপোর্টিং",
)
DUTY_HEADERS = (
    "duty", "duties", "responsibility", "responsibilities", "task", "tasks", "activity",
    "activities", "accountability", "accountabilities", "deliverable", "deliverables",
    "key responsibilities", "main duties", "key duties", "job duties",
    "nhiệm vụ", "trách nhiệm", "công việc", "nhiệm vụ chính", "đầu việc", "hoạt động",
    "দায়িত্ব", "দায়িত্বসমূহ", "দায়িত্বাবলী", "কাজ", "কর্তব্য", "কার্যক্রম",
)
NOTE_PREFIXES = ("note", "notes", "nb", "ghi chú", "lưu ý", "chú thích", "নোট", "টীকা",
                 "দ্রষ্টব্য", "source", "sources", "nguồn", "সূত্র")


def header_key(value: CellValue) -> str:
    """A cell's text as comparable words: lower case, no accents or punctuation."""
    if not isinstance(value, str) or len(value) > _HEADER_MAX:
        return ""
    return _key(value)


# Header cells are short; longer cells (duty texts) are never compared with header words.
_HEADER_MAX = 80


@lru_cache(maxsize=4096)
def _key(value: str) -> str:
    return " ".join(words(value))


def forget_headers() -> None:
    """Empty the cache of header cell texts (see :func:`addin.api.forget_words`)."""
    _key.cache_clear()


def _keys(phrases: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({header_key(p) for p in phrases}, key=len, reverse=True))


_EXECUTIVE = _keys(EXECUTIVE_HEADERS)
_TITLE = _keys(TITLE_HEADERS)
_REPORTS_TO = _keys(REPORTS_TO_HEADERS)
_DUTY = _keys(DUTY_HEADERS)
_NOTE = _keys(NOTE_PREFIXES)
HEADER_KINDS = {"executive": _EXECUTIVE, "title": _TITLE, "reports_to": _REPORTS_TO,
                "duty": _DUTY}


def is_header(value: CellValue, kind: str) -> bool:
    """Whether a header cell names a column of ``kind`` (executive, title, reports_to, duty).

    The cell names it when its words equal a header phrase or start with one ("Duty
    (what they own)", "Nhiệm vụ chính").
    """
    key = header_key(value)
    return bool(key) and any(key == w or key.startswith(w + " ") for w in HEADER_KINDS[kind])


def first_header(row: Sequence[CellValue], kind: str, skip: Iterable[int | None] = ()) -> (
    int | None
):
    """The first column of ``row`` whose cell names a column of ``kind``."""
    taken = set(skip)
    for c, value in enumerate(row):
        if c not in taken and is_header(value, kind):
            return c
    return None


def is_note(text: str) -> bool:
    """Whether a line under a table is a note ("Note: ...", "* figures from 2023")."""
    if text.lstrip().startswith(("*", "※", "(*)")):
        return True
    key = header_key(text[:40])  # the opening words decide
    return any(key == p or key.startswith(p + " ") for p in _NOTE)


def column_letter(col: int) -> str:
    """Excel's letters for a 1-based column number (1 -> A, 28 -> AB)."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_text(value: CellValue) -> str:
    """A cell's value as trimmed text (numbers and dates as they would read)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# Merged ranges larger than this are looked up by scanning instead of by a cell index.
_MERGE_INDEX_LIMIT = 200_000


class Grid:
    """A sheet's values addressed by 0-based (row, column), aware of merged ranges."""

    def __init__(self, sheet: SheetData) -> None:
        self.sheet = sheet
        self.rows = sheet.rows
        self.height = len(sheet.rows)
        self.width = max((len(r) for r in sheet.rows), default=0)
        r0, c0 = sheet.origin
        self._anchor: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        self._big: list[tuple[int, int, int, int]] = []
        indexed = 0
        for top, left, bottom, right in sheet.merged:
            box = (top - r0, left - c0, bottom - r0, right - c0)
            area = (bottom - top + 1) * (right - left + 1)
            if indexed + area > _MERGE_INDEX_LIMIT:
                self._big.append(box)
                continue
            indexed += area
            for r in range(box[0], box[2] + 1):
                for c in range(box[1], box[3] + 1):
                    self._anchor[(r, c)] = box

    def value(self, r: int, c: int) -> CellValue:
        row = self.rows[r] if 0 <= r < self.height else ()
        return row[c] if 0 <= c < len(row) else None

    def text(self, r: int, c: int) -> str:
        return cell_text(self.value(r, c))

    def merge_of(self, r: int, c: int) -> tuple[int, int, int, int] | None:
        """The merged range (top, left, bottom, right; 0-based) that covers a cell."""
        box = self._anchor.get((r, c))
        if box is None and self._big:
            box = next((b for b in self._big if b[0] <= r <= b[2] and b[1] <= c <= b[3]), None)
        return box

    def merged_text(self, r: int, c: int) -> str:
        """A cell's text, or the text of the merged range it lies in."""
        text = self.text(r, c)
        if text:
            return text
        box = self.merge_of(r, c)
        return self.text(box[0], box[1]) if box else ""

    def row_texts(self, r: int) -> list[str]:
        row = self.rows[r] if 0 <= r < self.height else ()
        return [cell_text(v) for v in row]

    def is_blank_row(self, r: int) -> bool:
        row = self.rows[r] if 0 <= r < self.height else ()
        return not any(cell_text(v) for v in row)

    def ref(self, r: int, c: int) -> str:
        """The A1 reference of a cell in the user's real sheet."""
        return f"{column_letter(self.sheet.origin[1] + c)}{self.sheet.origin[0] + r}"

    def sheet_row(self, r: int) -> int:
        return self.sheet.origin[0] + r

    def letter(self, c: int) -> str:
        return column_letter(self.sheet.origin[1] + c)


def cell_ref(sheet: SheetData, row_index: int, col_index: int) -> str:
    """The A1 reference of ``sheet.rows[row_index][col_index]`` in the real sheet."""
    return f"{column_letter(sheet.origin[1] + col_index)}{sheet.origin[0] + row_index}"


# ---------------------------------------------------------------- duty text

_BULLET = r"[•·▪▫●◦‣⁃∙○■□◆◇➢➤►▶✓✔☐☑*+\-–—]"
_NUMBER = r"\(?(?:\d{1,2}[.)]|[a-z]\)|[ivx]{1,4}\))(?!\d)"
_LEAD = re.compile(rf"^\s*(?:{_BULLET}|{_NUMBER})\s*")
_STRONG_LEAD = re.compile(rf"^\s*(?:{_BULLET}\s*|\(?\d{{1,2}}[.)](?!\d)\s*)")
_INLINE_BULLET = re.compile(r"\s*[•▪●◦‣➢➤►✓✔]\s*")
_INLINE_NUMBER = re.compile(r"\s+(?=\(?\d{1,2}[.)]\s)")
_SEMICOLON = re.compile(r"\s*[;；]\s*")
_LETTER = re.compile(r"[^\W\d_]")
# Anything that could start or separate an item; most cells hold one plain duty.
_MAYBE_SEVERAL = re.compile(rf"[\r\n\u2028;；•▪●◦‣➢➤►✓✔]|^\s*(?:{_BULLET}|{_NUMBER})")


def _strip_lead(line: str) -> str:
    return _LEAD.sub("", line, count=1).strip()


def split_duties(text: str) -> list[str]:
    """The separate duties written in one cell: bullets, numbering, line breaks, semicolons.

    A line that carries on the previous one (it starts in lower case and has no bullet)
    is joined to it, so a duty wrapped by hand stays one duty. An introduction ending
    in ":" ("Key duties:") before a list is not itself a duty.
    """
    if not _MAYBE_SEVERAL.search(text):
        plain = text.strip()
        return [plain] if _LETTER.search(plain) else []
    lines = [ln.strip() for ln in re.split(r"\r\n|\r|\n|\u2028", text)]
    items: list[str] = []
    for line in lines:
        if not line:
            continue
        bulleted = bool(_STRONG_LEAD.match(line))
        if items and not bulleted and line[0].islower() and not items[-1].endswith((".", ";")):
            items[-1] = f"{items[-1]} {line}"
            continue
        items.append(line)
    pieces: list[str] = []
    for item in items:
        parts = _INLINE_BULLET.split(item)
        out: list[str] = []
        for part in parts:
            if _STRONG_LEAD.match(part) and re.match(r"^\s*\(?\d{1,2}[.)]\s", part):
                out.extend(_INLINE_NUMBER.split(part))
            else:
                out.append(part)
        for part in out:
            pieces.extend(_SEMICOLON.split(part))
    cleaned = [_strip_lead(p).rstrip(" ;,") for p in pieces]
    cleaned = [p for p in cleaned if _LETTER.search(p)]
    if len(cleaned) > 1 and cleaned[0].endswith(":"):
        cleaned = cleaned[1:]
    return cleaned


# ---------------------------------------------------------------- people

_PERSON_SPLIT = re.compile(r"\s*(?:\r?\n|\(|\)|\[|\]|\s[-–—|/]\s|[:,;])\s*")


def split_person(text: str, profiles: Profiles) -> tuple[str, str]:
    """A heading that names someone, as (name, title): "An Nguyen (CTO)" -> ("An Nguyen", "CTO").

    The part recognised as a role title is the title; with no recognised part, a
    "Name (Title)" heading still splits by its brackets, and anything else is kept whole
    as the title (headings of RACI matrices and per-executive sheets mostly name roles).
    """
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    parts = [p.strip() for p in _PERSON_SPLIT.split(text) if p and p.strip()]
    if len(parts) <= 1:
        flat = " ".join(text.split())
        return ("", flat)
    titled = [p for p in parts if recognise_role(p, profiles)]
    if titled:
        title = titled[0]
        name = " ".join(p for p in parts if p is not title)
        return (name, title)
    m = re.match(r"^([^()]+?)\s*\(([^()]+)\)\s*$", " ".join(text.split()))
    if m:
        return (m.group(1), m.group(2))
    return ("", " ".join(text.split()))


class Roster:
    """Executives in the order they first appear, merging what each sheet says about them."""

    def __init__(self, profiles: Profiles) -> None:
        self.profiles = profiles
        self._by_key: dict[str, Executive] = {}

    def add(self, name: str, title: str, reports_to: str = "") -> str:
        """Record an executive and return the key duties refer to them by."""
        key = name or title
        old = self._by_key.get(key)
        if old is not None and (old.title or not title) and (old.reports_to or not reports_to):
            return key  # nothing new: every row of a group lands here
        if old is not None:
            title = old.title or title
            reports_to = old.reports_to or reports_to
        roles = recognise_roles(title, self.profiles) if title else ()
        if not roles and name:
            roles = recognise_roles(name, self.profiles)
        self._by_key[key] = Executive(name=name, title=title, reports_to=reports_to, roles=roles)
        return key

    def executives(self) -> tuple[Executive, ...]:
        return tuple(self._by_key.values())


# ---------------------------------------------------------------- what a sheet gave


@dataclass(frozen=True)
class Skipped:
    """A cell that looked like plan content but was not read as a duty, and why.

    ``why`` names the reason's message (``skip.<why>`` in ``templates/i18n``).
    """

    cell: str
    text: str
    why: str

    @property
    def reason(self) -> str:
        """The reason in English ("note under the table")."""
        return say("en", f"skip.{self.why}")


@dataclass(frozen=True)
class SheetOutcome:
    """What one sheet (or one Excel table on it) gave: duties, RACI rows and skipped cells."""

    read: SheetRead
    duties: tuple[Duty, ...] = ()
    raci: tuple[RaciActivity, ...] = ()
    skipped: tuple[Skipped, ...] = field(default=())


def describe_skipped(skipped: Sequence[Skipped], limit: int = 6) -> tuple[Note, ...]:
    """Skipped cells grouped by reason, e.g. "not read: B12, B13 (note under the table)";
    nothing when no cell was skipped."""
    groups: dict[str, list[str]] = {}
    for s in skipped:
        groups.setdefault(s.why, []).append(s.cell)
    parts = []
    for why, cells in groups.items():
        shown = ", ".join(cells[:limit])
        reason = Note(f"skip.{why}")
        if len(cells) > limit:
            parts.append(Note("note.cells_more", {"cells": shown, "more": len(cells) - limit,
                                                  "reason": reason}))
        else:
            parts.append(Note("note.cells", {"cells": shown, "reason": reason}))
    return (Note("note.not_read", {"groups": tuple(parts)}),) if parts else ()
