"""From sheet values to a plan: find the table on each sheet and read its duties.

Pure: works on :class:`~addin.model.WorkbookData`, whichever program produced it
(openpyxl, a CSV file, Office.js or xlwings), so every way in reads plans the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import (
    CellValue,
    Duty,
    Executive,
    Plan,
    Profiles,
    RolefitError,
    SheetData,
    SheetRead,
    WorkbookData,
)
from .profiles import recognise_role
from .text import fold

HEADER_SEARCH_ROWS = 20

# Header words, folded (lower case, no diacritics). A header cell names a column when its
# folded text equals one of these or starts with one followed by a space or punctuation.
EXECUTIVE_HEADERS = (
    "executive", "executives", "leader", "owner", "name", "person", "holder", "assignee",
    "exec", "executive name", "full name", "who",
    "ho ten", "ho va ten", "ten", "lanh dao", "nguoi phu trach", "nguoi thuc hien",
    "nguoi chiu trach nhiem", "can bo",
    "নাম", "নির্বাহী", "কর্মকর্তা", "দায়িত্বপ্রাপ্ত",
)
TITLE_HEADERS = (
    "title", "job title", "position", "role", "designation",
    "chuc danh", "chuc vu", "vi tri",
    "পদবী", "পদবি", "পদ", "ভূমিকা",
)
REPORTS_TO_HEADERS = (
    "reports to", "reporting to", "report to", "manager", "line manager", "reports",
    "bao cao cho", "bao cao len", "cap tren", "cap tren truc tiep", "quan ly truc tiep",
    "রিপোর্ট করেন", "রিপোর্ট", "ঊর্ধ্বতন", "উর্ধ্বতন",
)
DUTY_HEADERS = (
    "duty", "duties", "responsibility", "responsibilities", "task", "tasks", "activity",
    "activities", "accountability", "accountabilities", "deliverable", "deliverables",
    "nhiem vu", "trach nhiem", "cong viec", "nhiem vu chinh", "dau viec",
    "দায়িত্ব", "দায়িত্বসমূহ", "কাজ", "কর্তব্য",
)
NOTE_PREFIXES = ("note", "notes", "ghi chu", "luu y", "নোট", "টীকা", "দ্রষ্টব্য", "*", "source")

_PUNCT = re.compile(r"[\s:：/()\[\]._#-]+")


def _header_key(value: CellValue) -> str:
    if not isinstance(value, str):
        return ""
    return _PUNCT.sub(" ", fold(value)).strip()


def _is_header(value: CellValue, words: Sequence[str]) -> bool:
    key = _header_key(value)
    return bool(key) and any(key == w or key.startswith(w + " ") for w in words)


def column_letter(col: int) -> str:
    """Excel's letters for a 1-based column number (1 -> A, 28 -> AB)."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(sheet: SheetData, row_index: int, col_index: int) -> str:
    """The A1 reference of ``sheet.rows[row_index][col_index]`` in the real sheet."""
    return f"{column_letter(sheet.origin[1] + col_index)}{sheet.origin[0] + row_index}"


def cell_text(value: CellValue) -> str:
    """A cell's value as trimmed text (numbers and dates as they would read)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class Columns:
    """Where the long layout's columns are, as 0-based indexes into a row."""

    header_row: int
    executive: int | None
    title: int | None
    reports_to: int | None
    duty: int


def find_long_header(sheet: SheetData) -> Columns | None:
    """The header row of a long list (one duty per row), if the sheet has one."""
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        duty = _first(row, DUTY_HEADERS)
        if duty is None:
            continue
        executive = _first(row, EXECUTIVE_HEADERS, skip={duty})
        title = _first(row, TITLE_HEADERS, skip={duty, executive})
        reports_to = _first(row, REPORTS_TO_HEADERS, skip={duty, executive, title})
        if executive is None and title is None:
            continue
        return Columns(r, executive, title, reports_to, duty)
    return None


def _first(row: Sequence[CellValue], words: Sequence[str], skip: Iterable[int | None] = ()) -> (
    int | None
):
    taken = set(skip)
    for c, value in enumerate(row):
        if c not in taken and _is_header(value, words):
            return c
    return None


def _get(row: Sequence[CellValue], col: int | None) -> str:
    if col is None or col >= len(row):
        return ""
    return cell_text(row[col])


def _is_note(text: str) -> bool:
    key = _header_key(text)
    return any(key == p or key.startswith(p + " ") for p in NOTE_PREFIXES) or text.startswith("*")


class _Roster:
    """Executives in the order they first appear, merging what each row says about them."""

    def __init__(self, profiles: Profiles) -> None:
        self._profiles = profiles
        self._by_key: dict[str, Executive] = {}

    def add(self, name: str, title: str, reports_to: str) -> str:
        key = name or title
        old = self._by_key.get(key)
        if old is not None:
            title = old.title or title
            reports_to = old.reports_to or reports_to
        role = recognise_role(title, self._profiles) if title else None
        if role is None and name:
            role = recognise_role(name, self._profiles)
        self._by_key[key] = Executive(name=name, title=title, role=role, reports_to=reports_to)
        return key

    def executives(self) -> tuple[Executive, ...]:
        return tuple(self._by_key.values())


def read_long(sheet: SheetData, cols: Columns, roster: _Roster) -> tuple[list[Duty], SheetRead]:
    """Duties of a long list: one per row, the executive inherited down a group."""
    duties: list[Duty] = []
    skipped: list[str] = []
    people: set[str] = set()
    current: tuple[str, str, str] | None = None
    for r in range(cols.header_row + 1, len(sheet.rows)):
        row = sheet.rows[r]
        name, title = _get(row, cols.executive), _get(row, cols.title)
        reports_to, text = _get(row, cols.reports_to), _get(row, cols.duty)
        if not any(cell_text(v) for v in row):
            current = None  # a blank row ends a group: notes below it are not duties
            continue
        if name or title:
            current = (name, title, reports_to)
        if not text:
            continue
        if current is None:
            if not _is_note(text):
                skipped.append(cell_ref(sheet, r, cols.duty))
            continue
        key = roster.add(*current)
        people.add(key)
        duties.append(Duty(executive=key, text=text, sheet=sheet.name,
                           cell=cell_ref(sheet, r, cols.duty)))
    note = ""
    if skipped:
        note = f"no executive for {', '.join(skipped)}: not read as duties"
    read = SheetRead(sheet.name, "long", executives=len(people), duties=len(duties), note=note)
    return duties, read


def read_plan(workbook: WorkbookData, profiles: Profiles, sheet: str | None = None) -> Plan:
    """Read every plan sheet of ``workbook`` (or just ``sheet``) into one :class:`Plan`."""
    sheets = workbook.sheets
    if sheet is not None:
        sheets = tuple(s for s in sheets if s.name == sheet)
        if not sheets:
            names = ", ".join(f"'{s.name}'" for s in workbook.sheets)
            raise RolefitError(f"{workbook.name}: no sheet named '{sheet}' (sheets: {names})")
    roster = _Roster(profiles)
    duties: list[Duty] = []
    reads: list[SheetRead] = []
    for data in sheets:
        cols = find_long_header(data)
        if cols is None:
            reads.append(SheetRead(data.name, "skipped", note=_why_skipped(data)))
            continue
        found, read = read_long(data, cols, roster)
        duties.extend(found)
        reads.append(read)
    if not duties:
        raise RolefitError(_no_plan_message(workbook, reads))
    return Plan(name=workbook.name, executives=roster.executives(), duties=tuple(duties),
                sheets=tuple(reads))


def _why_skipped(sheet: SheetData) -> str:
    if not any(cell_text(v) for row in sheet.rows for v in row):
        return "empty sheet"
    return (f"no header row with a duty column and an executive column in the first "
            f"{HEADER_SEARCH_ROWS} rows")


def _no_plan_message(workbook: WorkbookData, reads: Sequence[SheetRead]) -> str:
    if not reads:
        return f"{workbook.name}: the workbook has no sheets"
    read = [r for r in reads if r.layout != "skipped"]
    if read:
        where = ", ".join(f"sheet '{r.name}'" for r in read)
        return f"{workbook.name}: {where} has a plan header but no duties under it"
    return (f"{workbook.name}: no plan found; looked in every sheet for a header row with a "
            f"duty column (Duty, Responsibility, Task, Nhiệm vụ, দায়িত্ব, ...) and an "
            f"executive column (Executive, Name, Title, Họ tên, নাম, ...) in the first "
            f"{HEADER_SEARCH_ROWS} rows")
