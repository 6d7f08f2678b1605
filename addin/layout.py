"""From sheet values to a plan: find how each sheet is laid out and read its duties.

Pure: works on :class:`~addin.model.WorkbookData`, whichever program produced it
(an .xlsx file, a CSV file, Office.js or xlwings), so every way in reads plans the same way.

Layouts, tried in this order on each sheet (or on each Excel table of it):

* ``raci``: a RACI matrix (see :mod:`addin.layout_raci`);
* ``long``: one duty per row with an executive (or title) column; the executive of a
  group is merged over its rows or written on its first row only;
* ``per_executive``: the sheet belongs to one executive, named by a "Name:/Title:" block
  or a title line at the top, or by the sheet's own name; the duties are listed below.

A cell holding several duties (bullets, numbers, line breaks, semicolons) gives one
duty per item, each read from that cell. Anything that looks like plan content but is
not read as a duty is listed with the reason, so no duty disappears unnoticed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .layout_cells import (
    HEADER_KINDS,
    HEADER_SEARCH_ROWS,
    Grid,
    Roster,
    SheetOutcome,
    Skipped,
    cell_ref,
    cell_text,
    column_letter,
    describe_skipped,
    first_header,
    header_key,
    is_header,
    is_note,
    split_duties,
    split_person,
)
from .layout_raci import find_raci, parse_raci, read_raci
from .model import (
    Duty,
    Note,
    Plan,
    Profiles,
    RaciActivity,
    RolefitError,
    SheetData,
    SheetRead,
    WorkbookData,
)
from .profiles import recognise_role

__all__ = [
    "HEADER_SEARCH_ROWS",
    "Columns",
    "PlanRead",
    "Skipped",
    "cell_ref",
    "cell_text",
    "column_letter",
    "find_long_header",
    "parse_raci",
    "read_plan",
    "read_plan_detail",
    "read_sheet",
    "split_duties",
]

_EXECUTIVE_WORDS = "Executive, Name, Owner, Title, Role, Họ tên, Chức danh, নাম, পদবী"
_DUTY_WORDS = "Duty, Responsibility, Task, Activity, Nhiệm vụ, Trách nhiệm, দায়িত্ব, কাজ"


@dataclass(frozen=True)
class Columns:
    """Where the long layout's columns are, as 0-based indexes into a row."""

    header_row: int
    executive: int | None
    title: int | None
    reports_to: int | None
    duty: int


def _header_columns(row: Sequence[object], duty: int) -> tuple[int | None, int | None,
                                                                 int | None]:
    values = tuple(v if isinstance(v, str) else None for v in row)
    reports_to = first_header(values, "reports_to", skip={duty})
    executive = first_header(values, "executive", skip={duty, reports_to})
    title = first_header(values, "title", skip={duty, reports_to, executive})
    return executive, title, reports_to


def find_long_header(sheet: SheetData) -> Columns | None:
    """The header row of a long list (one duty per row), if the sheet has one."""
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        duty = first_header(row, "duty")
        if duty is None:
            continue
        executive, title, reports_to = _header_columns(row, duty)
        if executive is None and title is None:
            continue
        return Columns(r, executive, title, reports_to, duty)
    return None


def _first_duty_header(grid: Grid, start: int = 0) -> tuple[int, int] | None:
    """The first row naming a duty column; a lone title such as "Duties" above a real
    header row ("No. | Responsibility | KPI") gives way to that row."""
    found: list[tuple[int, int]] = []
    for r in range(start, min(grid.height, start + HEADER_SEARCH_ROWS)):
        c = first_header(grid.rows[r], "duty")
        if c is not None:
            found.append((r, c))
    if not found:
        return None
    first = found[0]
    lone = sum(1 for t in grid.row_texts(first[0]) if t) == 1
    later = [h for h in found[1:] if h[0] - first[0] <= 5
             and sum(1 for t in grid.row_texts(h[0]) if t) > 1]
    return later[0] if lone and later else first


# ---------------------------------------------------------------- long list


def read_long(grid: Grid, cols: Columns, roster: Roster, sheet_name: str) -> SheetOutcome:
    """Duties of a long list: one row (or one item of a cell) each, the executive
    inherited down a group until a blank row or the next name."""
    duties: list[Duty] = []
    skipped: list[Skipped] = []
    people: set[str] = set()
    current: tuple[str, str, str] | None = None
    for r in range(cols.header_row + 1, grid.height):
        if grid.is_blank_row(r) and not _in_merged_group(grid, r, cols):
            current = None  # a blank row ends a group: notes below it are not duties
            continue
        name, title = _person_cell(grid, r, cols.executive, cols), _person_cell(
            grid, r, cols.title, cols)
        reports_to = _person_cell(grid, r, cols.reports_to, cols)
        text = grid.text(r, cols.duty)
        if current is None and is_note(name or title):
            name = title = ""  # "Note: ..." written across the table's columns
        if name or title:
            current = (name, title, reports_to)
        if not text:
            continue
        cell = grid.ref(r, cols.duty)
        if current is None:
            why = "note_under_table" if is_note(text) else "no_executive"
            skipped.append(Skipped(cell, text, why))
            continue
        items = split_duties(text)
        if not items:
            skipped.append(Skipped(cell, text, "no_words"))
            continue
        key = roster.add(*current)
        people.add(key)
        duties.extend(Duty(executive=key, text=t, sheet=sheet_name, cell=cell) for t in items)
    found = {"executive": cols.executive, "title": cols.title}
    letters = {k: grid.letter(c) for k, c in found.items() if c is not None}
    message = "note.long_header" + ("" if len(letters) == 2 else "_" + next(iter(letters)))
    how = Note(message, {"row": grid.sheet_row(cols.header_row), **letters,
                     "duty": grid.letter(cols.duty)})
    read = SheetRead(sheet_name, "long", executives=len(people), duties=len(duties),
                     notes=(how, *_unused_headers(grid, cols), *describe_skipped(skipped)))
    return SheetOutcome(read, tuple(duties), (), tuple(skipped))


def _unused_headers(grid: Grid, cols: Columns) -> tuple[Note, ...]:
    """The header cells whose columns were not read, so a user sees a column rolefit
    did not understand ("Reporting line" it does not know, a second "Reports to")."""
    used = {cols.executive, cols.title, cols.reports_to, cols.duty}
    shown = [f"{grid.letter(c)} '{_short(t)}'"
             for c, t in enumerate(grid.row_texts(cols.header_row))
             if t and c not in used and not _row_number(t)]
    return (Note("note.columns_not_read", {"columns": ", ".join(shown)}),) if shown else ()


# A row-number column ("No.", "STT", "ক্রমিক নং") says nothing a user would miss.
_ROW_NUMBER_HEADERS = frozenset(header_key(h) for h in (
    "no", "nr", "number", "s/n", "sl", "sl no", "stt", "tt", "ক্রমিক", "ক্রমিক নং", "ক্রম", "নং"))


def _row_number(text: str) -> bool:
    return text.strip() in ("#", "№") or header_key(text) in _ROW_NUMBER_HEADERS


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def _person_cell(grid: Grid, r: int, col: int | None, cols: Columns) -> str:
    """An executive/title cell, or the text of the merged range over it.

    A range merged across the duty column is a section heading, not a person.
    """
    if col is None:
        return ""
    box = grid.merge_of(r, col)
    if box is not None:
        if box[1] <= cols.duty <= box[3]:
            return ""
        return grid.text(box[0], box[1])
    return grid.text(r, col)


def _in_merged_group(grid: Grid, r: int, cols: Columns) -> bool:
    """Whether a blank row still lies inside an executive's merged cell."""
    for col in (cols.executive, cols.title):
        if col is not None:
            box = grid.merge_of(r, col)
            if box is not None and box[0] < r and not box[1] <= cols.duty <= box[3]:
                return True
    return False


# ---------------------------------------------------------------- one sheet per executive


@dataclass(frozen=True)
class _Owner:
    name: str
    title: str
    reports_to: str
    body: int  # first row after the name/title block
    how: Note  # where the executive was found


def _label_value(grid: Grid, r: int) -> tuple[str, str] | None:
    """A "Name: An" line (one cell, or a label cell and a value cell) as (kind, value)."""
    texts = [t for t in grid.row_texts(r) if t]
    if len(texts) == 1 and ":" in texts[0]:
        label, value = (p.strip() for p in texts[0].split(":", 1))
    elif len(texts) == 2:
        label, value = texts[0].rstrip(":："), texts[1]
    else:
        return None
    # a column word ("Notes", "Title", "Reports to") is a header row's next cell, not a person
    if not value or is_note(value) or any(is_header(value, k) for k in HEADER_KINDS):
        return None
    for kind in ("reports_to", "executive", "title"):
        if is_header(label, kind) and len(label.split()) <= 4:
            return kind, value
    return None


def find_owner(grid: Grid, sheet_name: str, profiles: Profiles) -> _Owner | None:
    """Who a per-executive sheet belongs to: a name/title block or title line at the top,
    else the sheet's name when it names a role."""
    found: dict[str, str] = {}
    body = 0
    line_title = ""
    for r in range(min(grid.height, 10)):
        if grid.is_blank_row(r):
            continue
        pair = _label_value(grid, r)
        if pair is not None and not _table_header(grid, r, found):
            found.setdefault(pair[0], pair[1])
            body = r + 1
            continue
        texts = [t for t in grid.row_texts(r) if t]
        if (len(texts) == 1 and not found and not line_title
                and recognise_role(texts[0], profiles) and not is_header(texts[0], "duty")):
            line_title = texts[0]
            body = r + 1
            continue
        break
    if "executive" in found or "title" in found:
        name, title = found.get("executive", ""), found.get("title", "")
        if not title and name:
            name, title = split_person(name, profiles) if recognise_role(name, profiles) else (
                name, "")
        rows = {"first": grid.sheet_row(0), "last": grid.sheet_row(body - 1)}
        return _Owner(name, title, found.get("reports_to", ""), body,
                      Note("note.owner_name_block", {"executive": name or title, **rows}))
    if line_title:
        name, title = split_person(line_title, profiles)
        return _Owner(name, title, found.get("reports_to", ""), body,
                      Note("note.owner_title_line", {"executive": name or title,
                                                     "line": line_title}))
    if recognise_role(sheet_name, profiles):
        name, title = split_person(sheet_name, profiles)
        return _Owner(name, title, found.get("reports_to", ""), body,
                      Note("note.owner_sheet_name", {"executive": name or title}))
    return None


def _table_header(grid: Grid, r: int, found: dict[str, str]) -> bool:
    """Whether a lone "Name | Notes" row opens a table: the row right below fills the same
    cells and is no "Title: CTO" line, so its second cell is a column, not a person."""
    if found or r + 1 >= grid.height or grid.is_blank_row(r + 1):
        return False
    texts = grid.row_texts(r)
    cells = [c for c, t in enumerate(texts) if t]
    if cells and texts[cells[0]].endswith((":", "：")):
        return False  # "Name:" is a label; a table's header says "Name"
    below = grid.row_texts(r + 1)
    return (len(cells) == 2 and all(c < len(below) and below[c] for c in cells)
            and _label_value(grid, r + 1) is None)


def _looks_like_register(grid: Grid, start: int) -> bool:
    """A header with several people columns and no duty column (a stakeholder register)."""
    for r in range(start, min(grid.height, start + HEADER_SEARCH_ROWS)):
        row = grid.rows[r]
        n = sum(1 for v in row if any(is_header(v, k) for k in ("executive", "title",
                                                                 "reports_to")))
        if n >= 2:
            return True
    return False


def read_per_executive(grid: Grid, owner: _Owner, roster: Roster,
                       sheet_name: str) -> SheetOutcome | None:
    """Duties listed on an executive's own sheet, under a duty header or just listed."""
    header = _first_duty_header(grid, owner.body)
    if header is not None:
        start, col = header[0] + 1, header[1]
        how = Note("note.duty_column", {"column": grid.letter(col),
                                        "row": grid.sheet_row(header[0])})
    else:
        if _looks_like_register(grid, owner.body):
            return None
        start = owner.body
        listed = _list_column(grid, start)
        if listed is None:
            return None
        col = listed
        how = Note("note.duty_list", {"column": grid.letter(col)})
    key = owner.name or owner.title
    duties: list[Duty] = []
    skipped: list[Skipped] = []
    after_gap = False
    seen_duty = False
    for r in range(start, grid.height):
        if grid.is_blank_row(r):
            after_gap = seen_duty
            continue
        text = grid.text(r, col)
        if not text:
            continue
        cell = grid.ref(r, col)
        others = [t for c, t in enumerate(grid.row_texts(r)) if t and c != col]
        if is_note(text) and (after_gap or not seen_duty):
            skipped.append(Skipped(cell, text, "note"))
            continue
        if text.endswith((":", "：")) and not others and "\n" not in text:
            skipped.append(Skipped(cell, text, "heading"))
            continue
        items = split_duties(text)
        if not items:
            skipped.append(Skipped(cell, text, "no_words"))
            continue
        seen_duty = True
        duties.extend(Duty(executive=key, text=t, sheet=sheet_name, cell=cell) for t in items)
    if not duties:
        return None
    roster.add(owner.name, owner.title, owner.reports_to)
    read = SheetRead(sheet_name, "per_executive", executives=1,
                     duties=len(duties),
                     notes=(owner.how, how, *describe_skipped(skipped)))
    return SheetOutcome(read, tuple(duties), (), tuple(skipped))


def _list_column(grid: Grid, start: int) -> int | None:
    """The column holding a bare list: the one with the most cells of words."""
    counts: dict[int, int] = {}
    for r in range(start, grid.height):
        for c, text in enumerate(grid.row_texts(r)):
            if text and any(ch.isalpha() for ch in text):
                counts[c] = counts.get(c, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda c: (counts[c], -c))


# ---------------------------------------------------------------- a sheet


def _read_region(sheet: SheetData, roster: Roster, name: str) -> SheetOutcome:
    """Read one sheet (or table) by the first layout that fits, or say why none did."""
    grid = Grid(sheet)
    if grid.width == 0 or all(grid.is_blank_row(r) for r in range(grid.height)):
        return SheetOutcome(SheetRead(name, "skipped", notes=(Note("note.empty_sheet"),)))
    shape = find_raci(grid)
    cols = find_long_header(sheet)
    # a few R/A/C/I-looking cells inside a long list's rows do not make it a matrix
    if shape is not None and (cols is None or cols.header_row >= shape.header_row):
        return read_raci(grid, shape, roster, sheet.name)
    if cols is not None:
        return read_long(grid, cols, roster, sheet.name)
    owner = find_owner(grid, sheet.name, roster.profiles)
    if owner is not None:
        outcome = read_per_executive(grid, owner, roster, sheet.name)
        if outcome is not None:
            return outcome
    return SheetOutcome(SheetRead(name, "skipped", notes=(_why_skipped(grid),)))


def _why_skipped(grid: Grid) -> Note:
    header = _first_duty_header(grid)
    if header is not None:
        r, c = header
        return Note("note.no_executive_column", {
            "row": grid.sheet_row(r), "header": grid.text(r, c), "cell": grid.ref(r, c),
            "words": _EXECUTIVE_WORDS})
    return Note("note.no_duty_column", {"words": _DUTY_WORDS, "rows": HEADER_SEARCH_ROWS})


def _table_view(sheet: SheetData, table: tuple[str, int, int, int, int]) -> SheetData:
    _, top, left, bottom, right = table
    r0, c0 = sheet.origin
    rows = tuple(row[max(0, left - c0):max(0, right - c0 + 1)]
                 for row in sheet.rows[max(0, top - r0):max(0, bottom - r0 + 1)])
    return SheetData(sheet.name, rows, (top, left), sheet.merged, ())


def read_sheet(sheet: SheetData, roster: Roster) -> list[SheetOutcome]:
    """How one sheet reads: each Excel table on it, or else the sheet as a whole."""
    if sheet.kind == "chart":
        return [SheetOutcome(SheetRead(sheet.name, "skipped", notes=(Note("note.chart_sheet"),)))]
    outcomes: list[SheetOutcome] = []
    for table in sheet.tables:
        outcome = _read_region(_table_view(sheet, table), roster, sheet.name)
        if outcome.read.layout == "skipped":
            continue
        name, top, left, bottom, right = table
        where = Note("note.table", {
            "table": name, "range": f"{column_letter(left)}{top}:{column_letter(right)}{bottom}"})
        read = outcome.read
        outcomes.append(SheetOutcome(
            SheetRead(read.name, read.layout, read.executives, read.duties,
                      (where, *read.notes)),
            outcome.duties, outcome.raci, outcome.skipped))
    if outcomes:
        return outcomes
    return [_read_region(sheet, roster, sheet.name)]


# ---------------------------------------------------------------- a workbook


@dataclass(frozen=True)
class PlanRead:
    """A plan and every cell that looked like plan content but was not read as a duty."""

    plan: Plan
    skipped: tuple[tuple[str, Skipped], ...]  # (sheet name, cell)


def read_plan_detail(workbook: WorkbookData, profiles: Profiles,
                     sheet: str | None = None) -> PlanRead:
    """Read every plan sheet of ``workbook`` (or just ``sheet``), keeping the skipped cells."""
    sheets = workbook.sheets
    if sheet is not None:
        sheets = tuple(s for s in sheets if s.name == sheet)
        if not sheets:
            names = ", ".join(f"'{s.name}'" for s in workbook.sheets)
            raise RolefitError(f"{workbook.name}: no sheet named '{sheet}' (sheets: {names})")
    roster = Roster(profiles)
    duties: list[Duty] = []
    raci: list[RaciActivity] = []
    reads: list[SheetRead] = []
    skipped: list[tuple[str, Skipped]] = []
    for data in sheets:
        for outcome in read_sheet(data, roster):
            duties.extend(outcome.duties)
            raci.extend(outcome.raci)
            reads.append(outcome.read)
            skipped.extend((data.name, s) for s in outcome.skipped)
    if not duties and not raci:
        raise RolefitError(_no_plan_message(workbook, reads))
    plan = Plan(name=workbook.name, executives=roster.executives(), duties=tuple(duties),
                sheets=tuple(reads), raci=tuple(raci))
    return PlanRead(plan, tuple(skipped))


def read_plan(workbook: WorkbookData, profiles: Profiles, sheet: str | None = None) -> Plan:
    """Read every plan sheet of ``workbook`` (or just ``sheet``) into one :class:`Plan`."""
    return read_plan_detail(workbook, profiles, sheet).plan


def _no_plan_message(workbook: WorkbookData, reads: Sequence[SheetRead]) -> str:
    if not reads:
        return f"{workbook.name}: the workbook has no sheets"
    found = [r for r in reads if r.layout != "skipped"]
    if found:
        where = ", ".join(f"sheet '{r.name}'" for r in found)
        return f"{workbook.name}: {where} has a plan header but no duties under it"
    why = "; ".join(f"sheet '{r.name}': {r.note}" for r in reads)
    return f"{workbook.name}: no plan found; {why}"
