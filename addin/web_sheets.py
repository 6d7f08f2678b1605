"""A report book as the plain JSON the Office.js add-in writes into the open workbook.

This is a shell: it translates :class:`~addin.report_model.ReportBook` generically (every
style by its name in ``book.styles``), so whatever the report model lays out, the add-in
shows the same rows, colours, widths, frozen panes and links as the report workbook.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .report_model import Cell, ReportBook, ReportSheet, Style

#: Excel's number format for text: strings written with it are never read as a formula,
#: a number or a date, whatever they look like (e.g. a duty that starts with "=").
TEXT_FORMAT = "@"
GENERAL = "General"


def column_name(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def address(r1: int, c1: int, r2: int, c2: int) -> str:
    """A1-style address of a 0-based inclusive block."""
    first = f"{column_name(c1)}{r1 + 1}"
    return first if (r1, c1) == (r2, c2) else f"{first}:{column_name(c2)}{r2 + 1}"


def width_points(chars: float) -> float:
    """Column width in characters (as XlsxWriter takes it) -> points (as Office.js takes it)."""
    # Excel shows a width of w characters as 7w+5 pixels at 96 dpi; a point is 4/3 pixels
    return round((chars * 7 + 5) * 0.75, 2)


def style_props(style: Style) -> dict[str, Any]:
    """The Office.js formatting of one style; only what differs from Excel's defaults."""
    props: dict[str, Any] = {}
    if style.bold:
        props["bold"] = True
    if style.italic:
        props["italic"] = True
    if style.size:
        props["size"] = style.size
    if style.color:
        props["color"] = style.color
    if style.fill:
        props["fill"] = style.fill
    if style.wrap:
        props["wrap"] = True
    if style.border:
        props["border"] = True
    if style.valign_top:
        props["valign"] = "Top"
    return props


def _value(value: object) -> str | int | float | bool:
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def _formats(sheet: ReportSheet, styles: dict[str, dict[str, Any]],
             width: int) -> list[dict[str, Any]]:
    """Cells grouped into as few rectangles per style as runs of rows allow."""
    base = styles.get("", {})
    done: list[tuple[int, int, int, int, str]] = []
    open_rects: dict[tuple[str, int, int], tuple[int, int]] = {}
    for r, row in enumerate(sheet.rows):
        runs: list[tuple[str, int, int]] = []
        for c, cell in enumerate(row):
            name = cell.style
            if cell.value is None and not name:
                continue
            if styles.get(name, {}) == base:
                continue  # the sheet-wide base format already covers it
            if runs and runs[-1][0] == name and runs[-1][2] == c - 1:
                runs[-1] = (name, runs[-1][1], c)
            else:
                runs.append((name, c, c))
        seen = set()
        for run in runs:
            seen.add(run)
            rect = open_rects.get(run)
            if rect is not None and rect[1] == r - 1:
                open_rects[run] = (rect[0], r)
            else:
                if rect is not None:
                    done.append((rect[0], run[1], rect[1], run[2], run[0]))
                open_rects[run] = (r, r)
        for key in [k for k, v in open_rects.items() if v[1] < r and k not in seen]:
            r1, r2 = open_rects.pop(key)
            done.append((r1, key[1], r2, key[2], key[0]))
    for (name, c1, c2), (r1, r2) in open_rects.items():
        done.append((r1, c1, r2, c2, name))
    done.sort()
    out: list[dict[str, Any]] = []
    if base and sheet.rows:
        out.append({"address": address(0, 0, len(sheet.rows) - 1, width - 1), "style": base})
    out.extend({"address": address(r1, c1, r2, c2), "style": styles.get(name, {})}
               for r1, c1, r2, c2, name in done)
    return out


def _number_format(cell: Cell, styles: dict[str, Style]) -> str:
    if (cell.value is not None and isinstance(_value(cell.value), str)) or cell.link is not None:
        return TEXT_FORMAT
    style = styles.get(cell.style)
    return style.num_format if style and style.num_format else GENERAL


def sheet_to_json(sheet: ReportSheet, book: ReportBook) -> dict[str, Any]:
    """One report sheet as values, number formats, formats, widths, frozen panes and links."""
    styles = {name: style_props(style) for name, style in book.styles.items()}
    width = max([len(r) for r in sheet.rows] + [len(sheet.widths), 1])
    values: list[list[str | int | float | bool]] = []
    number_format: list[list[str]] = []
    links: list[dict[str, Any]] = []
    for r, row in enumerate(sheet.rows):
        padded = list(row) + [Cell(None)] * (width - len(row))
        values.append([_value(c.value) for c in padded])
        number_format.append([_number_format(c, dict(book.styles)) for c in padded])
        for c, cell in enumerate(row):
            if cell.link is not None:
                links.append({
                    "address": address(r, c, r, c),
                    "sheet": cell.link.sheet,
                    "cell": cell.link.cell,
                    # a link with a file points into the plan, which is the open workbook
                    "plan": cell.link.file is not None,
                    "text": "" if cell.value is None else str(_value(cell.value)),
                })
    return {
        "name": sheet.name[:31],
        "values": values,
        "numberFormat": number_format,
        "formats": _formats(sheet, styles, width),
        "columnWidths": [width_points(w) for w in sheet.widths],
        "freeze": {"rows": sheet.freeze[0], "columns": sheet.freeze[1]},
        "links": links,
    }


def book_to_json(book: ReportBook) -> list[dict[str, Any]]:
    """Every sheet of the report book, in order, ready for the add-in to write."""
    return [sheet_to_json(s, book) for s in book.sheets]
