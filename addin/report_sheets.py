"""How a report book lands in an open workbook through xlwings: names, values, style ranges.

Pure planning for the desktop ribbon button (:mod:`addin.excel_ribbon`), built on the
grouping shared with the Office.js add-in (:mod:`addin.live_sheets`). Everything is decided
here and tested without Excel; the writer only carries out the few bulk calls listed in a
:class:`WritePlan`, because every call into Excel crosses COM or AppleScript and costs time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .i18n import say
from .layout_cells import column_letter
from .live_sheets import (
    MAX_SHEET_NAME,
    Block,
    cell_ref,
    clean_sheet_name,
    link_sheet,
    live_sheet,
    live_value,
)
from .model import CellValue, SheetData, WorkbookData
from .report_model import Link, ReportBook, ReportSheet, Style

#: Sheet-scoped defined name on every report sheet rolefit writes: how it finds its own sheets.
MARKER = "rolefit_report"
MARKER_REFERS_TO = '="rolefit report sheet"'
#: Excel's limits: the text of a message box, a range address given as a string.
MAX_MESSAGE = 1000
MAX_ADDRESS = 255
#: A string literal inside a formula may hold at most 255 characters.
MAX_LITERAL = 255


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
        """The range the values fill (from A1), or None when there are none."""
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
        """The report sheets' names in the workbook, in order."""
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


def is_report_sheet(defined_names: Iterable[str]) -> bool:
    """Whether a sheet is a report rolefit wrote: output to replace, never a plan to read."""
    return any(is_marker(n) for n in defined_names)


# ---------------------------------------------------------------- writing


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


def _value(value: CellValue) -> CellValue:
    value = live_value(value)
    return text_cell(value) if isinstance(value, str) else value


def _literal(text: str) -> str:
    """A formula string literal; long text is joined from pieces Excel accepts."""
    parts = [text[i:i + MAX_LITERAL] for i in range(0, len(text), MAX_LITERAL)] or [""]
    return "&".join('"' + p.replace('"', '""') + '"' for p in parts)


def link_target(link: Link, names: Mapping[str, str], this_file: str | None) -> str:
    """Where a HYPERLINK points: ``#'Sheet'!A1`` inside this workbook, else file#sheet."""
    target = cell_ref(link_sheet(link, names), link.cell)
    if link.file is None or link.file == this_file:
        return "#" + target
    return link.file + "#" + target


def hyperlink_formula(target: str, text: str) -> str:
    """A HYPERLINK formula: the link travels with the bulk value write, no call per cell."""
    return f"=HYPERLINK({_literal(target)},{_literal(text)})"


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
    live = live_sheet(sheet, styles)
    values = [[_value(cell.value) for cell in row] for row in live.rows]
    for at in live.links:
        values[at.row][at.col] = hyperlink_formula(link_target(at.link, names, this_file),
                                                   at.text)
    grid = live.grid
    return SheetWrite(
        name=name, reuse=reuse, values=tuple(tuple(row) for row in values), widths=sheet.widths,
        freeze=freeze_address(*sheet.freeze), split=sheet.freeze,
        top_aligned=grid.address if grid is not None and live.top_aligned else None,
        styles=tuple(StyleRanges(s.style, join_addresses(s.blocks, multi_area))
                     for s in live.styles))


def sheet_names(book: ReportBook, existing: Sequence[tuple[str, bool]]
                ) -> tuple[dict[str, tuple[str, bool]], tuple[str, ...]]:
    """Where each report sheet goes in a workbook whose sheets are ``existing`` (name, ours?).

    Returns report sheet name -> (name in the workbook, reuses our old sheet?), and our old
    sheets left over, to delete. A user's sheet is never touched: a report sheet whose name
    is taken by one gets a numbered name.
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
    return final, tuple(ours.values())


def plan_writes(book: ReportBook, existing: Sequence[tuple[str, bool]], *,
                this_file: str | None = None, multi_area: bool = False) -> WritePlan:
    """Plan writing ``book`` into a workbook whose sheets are ``existing`` (name, ours?).

    Report sheets from an earlier run (ours) are reused when the name is the same, the others
    of ours deleted; see :func:`sheet_names`. Links to ``this_file`` (the plan) point inside
    the workbook.
    """
    final, delete = sheet_names(book, existing)
    names = {k: v[0] for k, v in final.items()}
    writes = tuple(_sheet_write(s, *final[s.name], book.styles, names, this_file, multi_area)
                   for s in book.sheets)
    return WritePlan(delete=delete, sheets=writes)


def done_message(summary: Sequence[str], sheets: Sequence[str], lang: str = "en") -> str:
    """The closing message box: the summary and where the report is, within Excel's limit."""
    tail = say(lang, "ribbon.done", sheets=", ".join(sheets))
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
