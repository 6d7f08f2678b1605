"""How a report book lands in an open workbook: sheet names, values, style blocks, links.

Pure planning for the live-Excel writer (:mod:`addin.excel_ribbon`). Everything is decided
here and tested without Excel; the writer only carries out the few bulk calls listed in a
:class:`WritePlan`, because every call into Excel crosses COM or AppleScript and costs time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .layout import column_letter
from .model import CellValue, SheetData, WorkbookData
from .report_model import Link, ReportBook, ReportSheet, Style

#: Sheet-scoped defined name on every report sheet rolefit writes: how it finds its own sheets.
MARKER = "rolefit_report"
MARKER_REFERS_TO = '="rolefit report sheet"'
#: Excel's limits: sheet names, the text of a message box, a range address given as a string.
MAX_SHEET_NAME = 31
MAX_MESSAGE = 1000
MAX_ADDRESS = 255
#: A string literal inside a formula may hold at most 255 characters.
MAX_LITERAL = 255
_BAD_NAME_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Block:
    """A rectangle of cells, 0-based and inclusive."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def address(self) -> str:
        """The rectangle in A1 notation, e.g. ``B2:D9`` (one cell: ``B2``)."""
        top = f"{column_letter(self.first_col + 1)}{self.first_row + 1}"
        if (self.first_row, self.first_col) == (self.last_row, self.last_col):
            return top
        return f"{top}:{column_letter(self.last_col + 1)}{self.last_row + 1}"

    @property
    def cells(self) -> int:
        return (self.last_row - self.first_row + 1) * (self.last_col - self.first_col + 1)


@dataclass(frozen=True)
class StyleRanges:
    """One style and the ranges (A1 addresses) to give it."""

    style: Style
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class SheetWrite:
    """One report sheet to write: values in one bulk write, then formats per range."""

    name: str
    #: The report sheet rolefit wrote last time under this name, to clear and fill again.
    reuse: bool
    #: Rectangular grid of values from A1; text is prefixed so Excel keeps it as text.
    values: tuple[tuple[CellValue, ...], ...]
    widths: tuple[float, ...]
    #: Address to freeze at ("1:1", "A:A", "A1:C1"), or None.
    freeze: str | None
    #: The same as (rows, columns) frozen, for Excel's window object.
    split: tuple[int, int]
    #: Range given top vertical alignment in one call (the whole grid), or None.
    top_aligned: str | None
    styles: tuple[StyleRanges, ...]

    @property
    def values_address(self) -> str | None:
        if not self.values or not self.values[0]:
            return None
        return Block(0, 0, len(self.values) - 1, len(self.values[0]) - 1).address


@dataclass(frozen=True)
class WritePlan:
    """What to do to the open workbook, in order: delete, then write each sheet."""

    delete: tuple[str, ...]
    sheets: tuple[SheetWrite, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sheets)


# ---------------------------------------------------------------- reading


def _grid(value: Any) -> list[list[Any]]:
    """A used range's value as rows: Excel gives a scalar, a list or a list of lists."""
    if value is None:
        return []
    if not isinstance(value, list):
        return [[value]]
    if value and not isinstance(value[0], list):
        return [list(value)]
    return [list(row) for row in value]


def _cell(value: Any) -> CellValue:
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)  # Excel hands every number over as a float
    if isinstance(value, str | int | float | bool | datetime | date) or value is None:
        return value
    return str(value)


def sheet_data(name: str, value: Any, origin: tuple[int, int]) -> SheetData:
    """A sheet's used range (``Range.value`` as Excel returns it) as core sheet data."""
    rows = [tuple(_cell(v) for v in row) for row in _grid(value)]
    while rows and all(v in (None, "") for v in rows[-1]):
        rows.pop()
    return SheetData(name=name, rows=tuple(rows), origin=origin)


def workbook_data(name: str, sheets: Iterable[SheetData]) -> WorkbookData:
    """The open workbook's plan sheets (never rolefit's own report sheets) as core data."""
    return WorkbookData(name=name, sheets=tuple(sheets))


def is_marker(defined_name: str) -> bool:
    """Whether a defined name (``'Sheet'!name`` for sheet-scoped ones) is rolefit's marker."""
    return defined_name.rsplit("!", 1)[-1].casefold() == MARKER.casefold()


# ---------------------------------------------------------------- writing


def clean_sheet_name(name: str) -> str:
    """A legal Excel sheet name: no []:*?/\\, no edge apostrophes, at most 31 characters."""
    cleaned = name.translate(_BAD_NAME_CHARS).strip().strip("'")[:MAX_SHEET_NAME].strip()
    return cleaned or "Report"


def _candidates(wanted: str) -> Iterator[str]:
    """``Summary``, ``Summary (2)``, ``Summary (3)``... each within Excel's 31 characters."""
    yield wanted
    n = 2
    while True:
        tail = f" ({n})"
        yield wanted[: MAX_SHEET_NAME - len(tail)].rstrip() + tail
        n += 1


def text_cell(text: str) -> str:
    """Text as given to ``Range.value`` so it stays text.

    Excel parses what it is given as if typed: ``=x`` becomes a formula, ``2024-05-01`` a
    date, ``00123`` a number. A leading apostrophe keeps it text and is not part of the value.
    """
    return "'" + text if text else text


def _literal(text: str) -> str:
    """A formula string literal; long text is joined from pieces Excel accepts."""
    parts = [text[i:i + MAX_LITERAL] for i in range(0, len(text), MAX_LITERAL)] or [""]
    return "&".join('"' + p.replace('"', '""') + '"' for p in parts)


def link_target(link: Link, names: Mapping[str, str], this_file: str | None) -> str:
    """Where a HYPERLINK points: ``#'Sheet'!A1`` inside this workbook, else file#sheet."""
    sheet = names.get(link.sheet, link.sheet) if link.file is None else link.sheet
    target = "'" + sheet.replace("'", "''") + "'!" + link.cell
    if link.file is None or link.file == this_file:
        return "#" + target
    return link.file + "#" + target


def hyperlink_formula(target: str, text: str) -> str:
    """A HYPERLINK formula: the link travels with the bulk value write, no call per cell."""
    return f"=HYPERLINK({_literal(target)},{_literal(text)})"


def _value(value: CellValue) -> CellValue:
    if isinstance(value, datetime | date):
        return text_cell(value.isoformat())
    if isinstance(value, str):
        return text_cell(value)
    return value


def blocks(cells: Iterable[tuple[int, int]]) -> list[Block]:
    """Cover cells with few rectangles: runs along each row, stacked when rows repeat."""
    by_row: dict[int, list[int]] = {}
    for r, c in cells:
        by_row.setdefault(r, []).append(c)
    done: list[Block] = []
    open_: dict[tuple[int, int], Block] = {}
    for r in sorted(by_row):
        cols = sorted(set(by_row[r]))
        spans: list[tuple[int, int]] = []
        for c in cols:
            if spans and spans[-1][1] == c - 1:
                spans[-1] = (spans[-1][0], c)
            else:
                spans.append((c, c))
        still: dict[tuple[int, int], Block] = {}
        for span in spans:
            prev = open_.pop(span, None)
            if prev is not None and prev.last_row == r - 1:
                still[span] = Block(prev.first_row, span[0], r, span[1])
            else:
                if prev is not None:
                    done.append(prev)
                still[span] = Block(r, span[0], r, span[1])
        done.extend(open_.values())
        open_ = still
    done.extend(open_.values())
    return sorted(done, key=lambda b: (b.first_row, b.first_col))


def join_addresses(parts: Sequence[Block], multi_area: bool) -> tuple[str, ...]:
    """Addresses to format: one per block, or comma-joined areas within Excel's 255 chars."""
    if not multi_area:
        return tuple(b.address for b in parts)
    out: list[str] = []
    current = ""
    for b in parts:
        a = b.address
        if current and len(current) + 1 + len(a) <= MAX_ADDRESS:
            current += "," + a
        else:
            if current:
                out.append(current)
            current = a
    if current:
        out.append(current)
    return tuple(out)


def has_format(style: Style, top_aligned: bool) -> bool:
    """Whether a style changes anything on a blank Excel cell (given the sheet-wide alignment)."""
    return bool(style.bold or style.italic or style.size or style.color or style.fill
                or style.wrap or style.num_format or style.valign_top != top_aligned)


def freeze_address(rows: int, cols: int) -> str | None:
    """The range Excel freezes for ``rows`` top rows and ``cols`` left columns."""
    if rows <= 0 and cols <= 0:
        return None
    if cols <= 0:
        return f"1:{rows}"
    last = column_letter(cols)
    if rows <= 0:
        return f"A:{last}"
    return f"A1:{last}{rows}"


def _sheet_write(sheet: ReportSheet, name: str, reuse: bool, styles: Mapping[str, Style],
                 names: Mapping[str, str], this_file: str | None,
                 multi_area: bool) -> SheetWrite:
    width = max((len(row) for row in sheet.rows), default=0)
    values: list[tuple[CellValue, ...]] = []
    cells_by_style: dict[str, list[tuple[int, int]]] = {}
    for r, row in enumerate(sheet.rows):
        out: list[CellValue] = []
        for c, cell in enumerate(row):
            if cell.link is not None:
                text = "" if cell.value is None else str(cell.value)
                out.append(hyperlink_formula(link_target(cell.link, names, this_file), text))
            else:
                out.append(_value(cell.value))
            cells_by_style.setdefault(cell.style, []).append((r, c))
        values.append(tuple(out) + (None,) * (width - len(out)))
    used = [styles.get(k, Style()) for k in cells_by_style]
    top = bool(values and width) and all(s.valign_top for s in used)
    ranges = []
    for key, cells in cells_by_style.items():
        style = styles.get(key, Style())
        if has_format(style, top):
            ranges.append(StyleRanges(style, join_addresses(blocks(cells), multi_area)))
    return SheetWrite(
        name=name, reuse=reuse, values=tuple(values), widths=sheet.widths,
        freeze=freeze_address(*sheet.freeze), split=sheet.freeze,
        top_aligned=Block(0, 0, len(values) - 1, width - 1).address if top else None,
        styles=tuple(ranges))


def plan_writes(book: ReportBook, existing: Sequence[tuple[str, bool]], *,
                this_file: str | None = None, multi_area: bool = False) -> WritePlan:
    """Plan writing ``book`` into a workbook whose sheets are ``existing`` (name, ours?).

    Report sheets from an earlier run (ours) are reused when the name is the same, the others
    of ours deleted. A user's sheet is never touched: a report sheet whose name is taken by
    one gets a numbered name. Links to ``this_file`` (the plan) point inside the workbook.
    """
    ours = {name.casefold(): name for name, mine in existing if mine}
    taken = {name.casefold() for name, mine in existing if not mine}
    final: dict[str, tuple[str, bool]] = {}
    for sheet in book.sheets:
        for name in _candidates(clean_sheet_name(sheet.name)):
            if name.casefold() in ours:
                name, reuse = ours.pop(name.casefold()), True
                break
            if name.casefold() not in taken:
                reuse = False
                break
        taken.add(name.casefold())
        final[sheet.name] = (name, reuse)
    names = {k: v[0] for k, v in final.items()}
    writes = tuple(_sheet_write(s, *final[s.name], book.styles, names, this_file, multi_area)
                   for s in book.sheets)
    return WritePlan(delete=tuple(ours.values()), sheets=writes)


def done_message(summary: Sequence[str], sheets: Sequence[str]) -> str:
    """The closing message box: the summary and where the report is, within Excel's limit."""
    tail = (f"Report sheets: {', '.join(sheets)}. "
            "Save the workbook to keep them; run the check again after changes.")
    room = MAX_MESSAGE - len(tail) - 2
    lines: list[str] = []
    used = 0
    for line in summary:
        if used + len(line) + 1 > room:
            lines.append("…")
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join([*lines, "", tail])
