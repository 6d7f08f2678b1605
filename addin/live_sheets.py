"""A report sheet as live Excel takes it: one grid of values, formats by block, links.

Pure core shared by both writers into an open workbook, desktop Excel through xlwings
(:mod:`addin.report_sheets`) and the Office.js add-in (:mod:`addin.web_sheets`). Every
call into live Excel costs time, so cells are grouped here into as few rectangles per
style as the sheet allows; each shell only turns the result into its own calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from .layout_cells import column_letter
from .model import CellValue
from .report_model import Cell, Link, ReportSheet, Style
from .report_model import cell_ref as cell_ref

#: Excel's longest sheet name.
MAX_SHEET_NAME = 31
_BAD_NAME_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


@lru_cache(maxsize=1024)
def column_name(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 27 -> AB)."""
    return column_letter(index + 1)


def address(r1: int, c1: int, r2: int, c2: int) -> str:
    """A1 address of a 0-based inclusive block (one cell: ``B2``)."""
    first = f"{column_name(c1)}{r1 + 1}"
    return first if (r1, c1) == (r2, c2) else f"{first}:{column_name(c2)}{r2 + 1}"


@dataclass(frozen=True, slots=True)
class Block:
    """A rectangle of cells, 0-based and inclusive."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def address(self) -> str:
        """The rectangle in A1 notation, e.g. ``B2:D9`` (one cell: ``B2``)."""
        return address(self.first_row, self.first_col, self.last_row, self.last_col)

    @property
    def cells(self) -> int:
        """How many cells the rectangle holds."""
        return (self.last_row - self.first_row + 1) * (self.last_col - self.first_col + 1)


class _Stacker:
    """Stacks each row's column spans onto the same spans of the row above, into blocks."""

    def __init__(self) -> None:
        #: span (first_col, last_col) of the last row added -> first row of its block;
        #: every block still open ends on that last row
        self.open: dict[tuple[int, int], int] = {}
        self.spans: list[tuple[int, int]] = []
        self.last = -2
        self.done: list[tuple[int, int, int, int]] = []

    def add_row(self, r: int, spans: list[tuple[int, int]]) -> None:
        """The spans of row ``r`` (rows come in increasing order)."""
        open_, last = self.open, self.last
        if r == last + 1:
            if spans == self.spans:
                self.last = r  # the common case: the row repeats the one above
                return
            still: dict[tuple[int, int], int] = {}
            for span in spans:
                first = open_.pop(span, None)
                still[span] = r if first is None else first
        else:
            still = dict.fromkeys(spans, r)
        done = self.done
        for span, first in open_.items():
            done.append((first, span[0], last, span[1]))
        self.open, self.spans, self.last = still, spans, r

    def blocks(self) -> list[Block]:
        """Every block, top to bottom and left to right."""
        done = self.done + [(first, span[0], self.last, span[1])
                            for span, first in self.open.items()]
        done.sort()
        return [Block(*b) for b in done]


def blocks(cells: Iterable[tuple[int, int]]) -> list[Block]:
    """Cover cells with few rectangles: runs along each row, stacked when rows repeat."""
    by_row: dict[int, list[int]] = {}
    for r, c in cells:
        by_row.setdefault(r, []).append(c)
    stack = _Stacker()
    for r in sorted(by_row):
        spans: list[tuple[int, int]] = []
        for c in sorted(set(by_row[r])):
            if spans and spans[-1][1] == c - 1:
                spans[-1] = (spans[-1][0], c)
            else:
                spans.append((c, c))
        stack.add_row(r, spans)
    return stack.blocks()


def clean_sheet_name(name: str) -> str:
    """A legal Excel sheet name: no []:*?/\\, no edge apostrophes, at most 31 characters."""
    cleaned = name.translate(_BAD_NAME_CHARS).strip().strip("'")[:MAX_SHEET_NAME].strip()
    return cleaned or "Report"


def link_sheet(link: Link, names: Mapping[str, str]) -> str:
    """The sheet a link points at: a report sheet by the name it got in the workbook."""
    return names.get(link.sheet, link.sheet) if link.file is None else link.sheet


def live_value(value: CellValue) -> str | int | float | bool | None:
    """A cell value as live Excel is given it: dates as ISO text, as the report file shows."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def is_text(cell: Cell) -> bool:
    """Whether a cell must stay text in Excel, however it reads (``=x``, ``007``, a date)."""
    return cell.link is not None or isinstance(live_value(cell.value), str)


def has_format(style: Style, top_aligned: bool) -> bool:
    """Whether a style changes anything on a blank Excel cell (given the sheet-wide alignment)."""
    return bool(style.bold or style.italic or style.underline or style.size or style.color
                or style.fill or style.wrap or style.num_format or style.border or style.align
                or style.valign_top != top_aligned)


@dataclass(frozen=True)
class StyleBlocks:
    """One style of the report book and the rectangles of cells that carry it."""

    name: str
    style: Style
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class LiveLink:
    """A link cell: where it is in the sheet (0-based), where it points, what it says."""

    row: int
    col: int
    link: Link
    text: str


@dataclass(frozen=True)
class LiveSheet:
    """A report sheet laid out for live Excel: the grid, its formats and its links."""

    #: The report sheet's cells as a rectangle from A1, short rows padded with blanks.
    rows: tuple[tuple[Cell, ...], ...]
    #: Columns in the grid.
    width: int
    #: Whether the whole grid is top-aligned in one call, before any style block.
    top_aligned: bool
    #: Styles that change a cell beyond that, in order of first use.
    styles: tuple[StyleBlocks, ...]
    links: tuple[LiveLink, ...]

    @property
    def grid(self) -> Block | None:
        """The rectangle of the whole grid, or None for an empty sheet."""
        if not self.rows or not self.width:
            return None
        return Block(0, 0, len(self.rows) - 1, self.width - 1)


def live_sheet(sheet: ReportSheet, styles: Mapping[str, Style]) -> LiveSheet:
    """Group a report sheet's cells by style into blocks, and list its links."""
    width = max((len(row) for row in sheet.rows), default=0)
    # styles in order of first use, each stacking its runs along the rows into blocks
    stacks: dict[str, _Stacker] = {}
    # rows styled alike (most of a long sheet) share their runs
    runs_of: dict[tuple[str, ...], list[tuple[_Stacker, list[tuple[int, int]]]]] = {}
    links: list[LiveLink] = []
    for r, row in enumerate(sheet.rows):
        if not row:
            continue
        look = tuple([cell.style for cell in row])
        runs = runs_of.get(look)
        if runs is None:
            runs = runs_of[look] = _runs(look, stacks)
        for stack, spans in runs:
            stack.add_row(r, spans)
        for c in [c for c, cell in enumerate(row) if cell.link is not None]:
            value, link = row[c].value, row[c].link
            if link is not None:
                text = "" if value is None else str(live_value(value))
                links.append(LiveLink(r, c, link, text))
    used = {name: styles.get(name, Style()) for name in stacks}
    top = bool(sheet.rows and width) and all(s.valign_top for s in used.values())
    grouped = tuple(StyleBlocks(name, style, tuple(stacks[name].blocks()))
                    for name, style in used.items() if has_format(style, top))
    padded = tuple(row + (_BLANK,) * (width - len(row)) if len(row) < width else row
                   for row in sheet.rows)
    return LiveSheet(rows=padded, width=width, top_aligned=top, styles=grouped,
                     links=tuple(links))


def _runs(look: tuple[str, ...], stacks: dict[str, _Stacker]
          ) -> list[tuple[_Stacker, list[tuple[int, int]]]]:
    """A row's runs of one style (its styles given in column order), per style's stacker."""
    runs: dict[str, list[tuple[int, int]]] = {}
    style, start = look[0], 0
    for c, name in enumerate(look):
        if name != style:
            runs.setdefault(style, []).append((start, c - 1))
            style, start = name, c
    runs.setdefault(style, []).append((start, len(look) - 1))
    out = []
    for name, spans in runs.items():
        stack = stacks.get(name)
        if stack is None:
            stack = stacks[name] = _Stacker()
        out.append((stack, spans))
    return out


#: What pads a short row out to the grid's width.
_BLANK = Cell(None)
