"""A report book as the plain JSON the Office.js add-in writes into the open workbook.

A shell over :mod:`addin.live_sheets`, which groups cells into style blocks exactly as
for desktop Excel; this module only spells the result the way the add-in's script
(``addin/web/rolefit.js``) takes it: values, number formats, formats, widths, panes, links.
"""

from __future__ import annotations

from typing import Any

from .live_sheets import address, clean_sheet_name, is_text, live_sheet, live_value
from .report_model import Cell, ReportBook, ReportSheet, Style

#: Excel's number format for text: strings written with it are never read as a formula,
#: a number or a date, whatever they look like (e.g. a duty that starts with "=").
TEXT_FORMAT = "@"
GENERAL = "General"
_ALIGN = {"left": "Left", "center": "Center", "right": "Right"}


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
    if style.underline:
        props["underline"] = True
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
    if style.align:
        props["align"] = _ALIGN[style.align]
    props["valign"] = "Top" if style.valign_top else "Bottom"
    return props


def _value(cell: Cell) -> str | int | float | bool:
    value = live_value(cell.value)
    return "" if value is None else value


def _number_format(cell: Cell, book: ReportBook) -> str:
    if is_text(cell):
        return TEXT_FORMAT
    style = book.styles.get(cell.style)
    return style.num_format if style and style.num_format else GENERAL


def _grids(rows: tuple[tuple[Cell, ...], ...], book: ReportBook
           ) -> tuple[list[list[Any]], list[list[str]]]:
    """The values and number formats of every cell, in one pass over the grid."""
    # a number or a blank takes its style's number format, all else is text
    formats = {name: style.num_format or GENERAL for name, style in book.styles.items()}
    values: list[list[Any]] = []
    number_formats: list[list[str]] = []
    for row in rows:
        vals: list[Any] = []
        fmts: list[str] = []
        for cell in row:
            value = cell.value
            kind = type(value)
            if kind is str:
                vals.append(value)
                fmts.append(TEXT_FORMAT)
            elif (value is None or kind is int or kind is float or kind is bool) \
                    and cell.link is None:
                vals.append("" if value is None else value)
                fmts.append(formats.get(cell.style, GENERAL))
            else:  # links, dates and anything unusual: the general rules
                vals.append(_value(cell))
                fmts.append(_number_format(cell, book))
        values.append(vals)
        number_formats.append(fmts)
    return values, number_formats


def sheet_to_json(sheet: ReportSheet, book: ReportBook) -> dict[str, Any]:
    """One report sheet as values, number formats, formats, widths, frozen panes and links."""
    live = live_sheet(sheet, book.styles)
    formats: list[dict[str, Any]] = []
    grid = live.grid
    if grid is not None and live.top_aligned:
        formats.append({"address": grid.address, "style": {"valign": "Top"}})
    # each style's formatting is spelled once, and copied for each of its blocks
    props = {s.name: style_props(s.style) for s in live.styles}
    styled = sorted(((b, s.name) for s in live.styles for b in s.blocks),
                    key=lambda item: (item[0].first_row, item[0].first_col))
    formats.extend({"address": b.address, "style": dict(props[name])} for b, name in styled)
    values, number_formats = _grids(live.rows, book)
    return {
        "name": clean_sheet_name(sheet.name),
        "values": values,
        "numberFormat": number_formats,
        "formats": formats,
        "columnWidths": [width_points(w) for w in sheet.widths],
        "freeze": {"rows": sheet.freeze[0], "columns": sheet.freeze[1]},
        "links": [{
            "address": address(at.row, at.col, at.row, at.col),
            "sheet": at.link.sheet,
            "cell": at.link.cell,
            # a link with a file points into the plan, which is the open workbook
            "plan": at.link.file is not None,
            "text": at.text,
        } for at in live.links],
    }


def book_to_json(book: ReportBook) -> list[dict[str, Any]]:
    """Every sheet of the report book, in order, ready for the add-in to write."""
    return [sheet_to_json(s, book) for s in book.sheets]
