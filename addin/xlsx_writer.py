"""Write a report book to an .xlsx file with XlsxWriter: built in memory, written once."""

from __future__ import annotations

import contextlib
import gc
import io
import math
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .files import write_atomic
from .report_model import Cell, Chart, Link, ReportBook, ReportSheet, Style, cell_ref


def _format_props(style: Style) -> dict[str, Any]:
    props: dict[str, Any] = {"valign": "top"} if style.valign_top else {}
    if style.bold:
        props["bold"] = True
    if style.italic:
        props["italic"] = True
    if style.underline:
        props["underline"] = 1
    if style.size:
        props["font_size"] = style.size
    if style.color:
        props["font_color"] = style.color
    if style.fill:
        props["bg_color"] = style.fill
        props["pattern"] = 1
    if style.wrap:
        props["text_wrap"] = True
    if style.num_format:
        props["num_format"] = style.num_format
    if style.border:
        props["border"] = 1
        props["border_color"] = "#BFBFBF"
    if style.align:
        props["align"] = style.align
    return props


def _url(link: Link) -> str:
    target = cell_ref(link.sheet, link.cell)
    if link.file is None:
        return f"internal:{target}"
    return f"external:{_as_file_path(link.file)}#{target}"


def _as_file_path(file: str) -> str:
    """A link target that can only be a file: a name like 'https:...' stays a relative path."""
    if _SCHEME.match(file):
        # XlsxWriter drops one leading "./", so two keep the link relative
        return "././" + file
    return file


# a URL scheme of two or more letters (one letter is a Windows drive, C:)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+:")


def render(book: ReportBook) -> bytes:
    """The report book as the bytes of an .xlsx package."""
    import xlsxwriter

    out = io.BytesIO()
    with _collector_paused():
        _build(xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False,
                                         "strings_to_numbers": False}), book)
    return out.getvalue()


def _build(wb: Any, book: ReportBook) -> None:
    wb.set_properties({"title": book.title, "subject": book.plan, "comments": "rolefit"})
    formats = {name: wb.add_format(_format_props(style)) for name, style in book.styles.items()}
    wraps = frozenset(name for name, style in book.styles.items() if style.wrap)
    # a fill or a border is what an empty cell shows of its style
    shown_empty = frozenset(name for name, style in book.styles.items()
                            if style.fill or style.border)
    for sheet in book.sheets:
        _write_sheet(wb, sheet, formats, wraps, shown_empty, book)
    wb.close()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection while the workbook is built: a pass then cannot free any of it.

    XlsxWriter keeps a few objects per cell until the file is written, and the collector's
    passes over them (and over the whole heap, as they pile up) would all be in vain. The
    workbook is unreachable by the time collection resumes, so the next pass frees it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_cell(ws: Any, r: int, c: int, cell: Cell, fmt: Any) -> None:
    """A link, a number, a flag or a date (:func:`_write_rows` writes text and empty cells)."""
    value = cell.value
    if cell.link is not None:
        # a link's text is ours or the plan's; the target is always a cell, never a URL
        ws.write_url(r, c, _url(cell.link), fmt, string="" if value is None else str(value))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # a count that links somewhere stays a number (the link is kept apart from it)
            ws.write_number(r, c, value, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, (datetime, date)):
        ws.write_string(r, c, value.isoformat(), fmt)
    else:
        # always a string cell: a duty that starts with '=' must never become a formula
        ws.write_string(r, c, str(value), fmt)


#: Points per line of 11-point text.
LINE_HEIGHT = 15


def _line_count(text: str, room: float) -> int:
    """How many lines ``text`` wraps to in a column ``room`` average letters wide."""
    if len(text) <= room and "\n" not in text:
        return 1
    return sum(max(1, math.ceil(len(part) / room)) for part in text.split("\n"))


def _write_rows(ws: Any, sheet: ReportSheet, formats: dict[str, Any],
                wraps: frozenset[str], shown_empty: frozenset[str]) -> None:
    """Every cell of the sheet; rows with wrapped text grow to show all of it."""
    # a column is as wide as this many average letters
    rooms = [max(1.0, width * 1.1) for width in sheet.widths]
    measured = len(rooms)
    write_string, fmt = ws.write_string, formats.get
    for r, row in enumerate(sheet.rows):
        lines = 1
        for c, cell in enumerate(row):
            value = cell.value
            if cell.link is None and (value is None or value == ""):
                # an empty cell whose style shows nothing stays truly empty
                if cell.style in shown_empty:
                    ws.write_blank(r, c, None, fmt(cell.style))
                continue
            if type(value) is str and cell.link is None:
                # the common case inline; a duty that starts with '=' stays text all the same
                write_string(r, c, value, fmt(cell.style))
            else:
                _write_cell(ws, r, c, cell, fmt(cell.style))
                if not isinstance(value, str):
                    continue
            if cell.style in wraps and c < measured:
                n = _line_count(value, rooms[c])
                if n > lines:
                    lines = n
        if lines > 1:
            # spreadsheet programs do not all grow rows to fit wrapped text on opening
            ws.set_row(r, min(409, LINE_HEIGHT * lines + 2))


def _write_sheet(wb: Any, sheet: ReportSheet, formats: dict[str, Any], wraps: frozenset[str],
                 shown_empty: frozenset[str], book: ReportBook) -> None:
    ws = wb.add_worksheet(sheet.name[:31])
    for c, width in enumerate(sheet.widths):
        ws.set_column(c, c, width)
    _write_rows(ws, sheet, formats, wraps, shown_empty)
    if sheet.freeze != (0, 0):
        ws.freeze_panes(*sheet.freeze)
    if sheet.table is not None and sheet.table.last_row > sheet.table.header_row:
        t = sheet.table
        ws.autofilter(t.header_row, t.first_col, t.last_row, t.last_col)
    for scale in sheet.scales:
        props: dict[str, Any] = {"type": "2_color_scale", "min_color": scale.low,
                                 "max_color": scale.high}
        if scale.min_value is not None:
            props.update(min_type="num", min_value=scale.min_value)
        ws.conditional_format(scale.first_row, scale.first_col, scale.last_row, scale.last_col,
                              props)
    for spec in sheet.charts:
        ws.insert_chart(spec.anchor, _chart(wb, ws.name, spec))
    _print_setup(ws, sheet, book)


def _chart(wb: Any, sheet_name: str, spec: Chart) -> Any:
    horizontal = spec.kind in ("bar", "stacked_bar")
    chart = wb.add_chart({"type": "bar" if horizontal else "column",
                          **({"subtype": "stacked"} if spec.kind == "stacked_bar" else {})})
    for name, (r0, c0, r1, c1), colour in spec.series:
        series: dict[str, Any] = {"name": name,
                                  "categories": [sheet_name, *spec.categories],
                                  "values": [sheet_name, r0, c0, r1, c1],
                                  "fill": {"color": colour}, "border": {"none": True},
                                  "gap": 60}
        if spec.labels:
            # zero-length bars get no label: "0;-0;;@" leaves zeros blank
            series["data_labels"] = {"value": True, "num_format": "0;-0;;@"}
        chart.add_series(series)
    chart.set_title({"name": spec.title, "name_font": {"size": 12, "bold": True}})
    value_axis: dict[str, Any] = {"num_format": "0", "major_gridlines": {
        "visible": True, "line": {"color": "#D9D9D9"}}}
    if spec.value_title:
        value_axis["name"] = spec.value_title
    # bar charts list categories bottom-up; reversing keeps the table's top-down order
    category_axis: dict[str, Any] = {"interval_unit": 1, "num_font": {"size": 9}}
    if horizontal:
        category_axis["reverse"] = True
    if horizontal:
        chart.set_x_axis(value_axis)
        chart.set_y_axis(category_axis)
    else:
        chart.set_x_axis(category_axis)
        chart.set_y_axis(value_axis)
    if len(spec.series) > 1:
        chart.set_legend({"position": "bottom"})
    else:
        chart.set_legend({"none": True})
    chart.set_size({"width": spec.size[0], "height": spec.size[1]})
    return chart


def _print_setup(ws: Any, sheet: ReportSheet, book: ReportBook) -> None:
    """A4 or Letter alike: one page wide, header rows on every page, plan and page number."""
    if sheet.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(9)  # A4; fitting to one page wide keeps Letter printing sensible too
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if sheet.repeat_rows is not None:
        ws.repeat_rows(*sheet.repeat_rows)
    elif sheet.table is not None:
        ws.repeat_rows(sheet.table.header_row)
    if not sheet.gridlines:
        ws.hide_gridlines(2)
    page = _escape_hf(book.page_label).replace("{page}", "&P").replace("{pages}", "&N")
    ws.set_header(f"&L{_escape_hf(book.plan)}&R{_escape_hf(sheet.name)}")
    ws.set_footer(f"&C{page}")


def _escape_hf(text: str) -> str:
    # "&" starts a control code in headers and footers; Excel allows 255 characters in all
    return text[:80].replace("&", "&&")


def write_report(book: ReportBook, path: Path) -> None:
    """Write ``book`` to ``path`` atomically: a finished file replaces any old one at once."""
    data = render(book)
    write_atomic(path, data)
