"""Write a report book to an .xlsx file with XlsxWriter: built in memory, written once."""

from __future__ import annotations

import io
import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .model import RolefitError
from .report_model import Cell, Link, ReportBook, ReportSheet, Style


def _format_props(style: Style) -> dict[str, Any]:
    props: dict[str, Any] = {"valign": "top"} if style.valign_top else {}
    if style.bold:
        props["bold"] = True
    if style.italic:
        props["italic"] = True
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
    return props


def _url(link: Link) -> str:
    target = f"'{link.sheet.replace(chr(39), chr(39) * 2)}'!{link.cell}"
    if link.file is None:
        return f"internal:{target}"
    return f"external:{link.file}#{target}"


def render(book: ReportBook) -> bytes:
    """The report book as the bytes of an .xlsx package."""
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False})
    formats = {name: wb.add_format(_format_props(style)) for name, style in book.styles.items()}
    for sheet in book.sheets:
        _write_sheet(wb, sheet, formats, book.plan)
    wb.close()
    return out.getvalue()


def _write_cell(ws: Any, r: int, c: int, cell: Cell, fmt: Any) -> None:
    value = cell.value
    if cell.link is not None:
        # a link's text is ours or the plan's; the target is always a cell, never a URL
        ws.write_url(r, c, _url(cell.link), fmt, string="" if value is None else str(value))
    elif value is None:
        if cell.style:
            ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, (datetime, date)):
        ws.write_string(r, c, value.isoformat(), fmt)
    else:
        # always a string cell: a duty that starts with '=' must never become a formula
        ws.write_string(r, c, str(value), fmt)


def _write_sheet(wb: Any, sheet: ReportSheet, formats: dict[str, Any], plan: str) -> None:
    ws = wb.add_worksheet(sheet.name[:31])
    for c, width in enumerate(sheet.widths):
        ws.set_column(c, c, width)
    for r, row in enumerate(sheet.rows):
        for c, cell in enumerate(row):
            _write_cell(ws, r, c, cell, formats.get(cell.style))
    if sheet.freeze != (0, 0):
        ws.freeze_panes(*sheet.freeze)
    if sheet.table is not None and sheet.table.last_row > sheet.table.header_row:
        t = sheet.table
        ws.autofilter(t.header_row, t.first_col, t.last_row, t.last_col)
        ws.repeat_rows(t.header_row)
    for scale in sheet.scales:
        ws.conditional_format(scale.first_row, scale.first_col, scale.last_row, scale.last_col,
                              {"type": "2_color_scale", "min_color": scale.low,
                               "max_color": scale.high})
    for spec in sheet.charts:
        chart = wb.add_chart({"type": "bar" if spec.kind in ("bar", "stacked_bar") else "column",
                              **({"subtype": "stacked"} if spec.kind == "stacked_bar" else {})})
        for name, (r0, c0, r1, c1), colour in spec.series:
            chart.add_series({"name": name,
                              "categories": [ws.name, *spec.categories],
                              "values": [ws.name, r0, c0, r1, c1],
                              "fill": {"color": colour}})
        chart.set_title({"name": spec.title})
        chart.set_legend({"position": "bottom"})
        ws.insert_chart(spec.anchor, chart)
    if sheet.landscape:
        ws.set_landscape()
    ws.set_paper(9)  # A4; Letter users get the same fit-to-width layout
    ws.fit_to_pages(1, 0)
    ws.set_header(f"&L{_escape_hf(plan)}&R{_escape_hf(sheet.name)}")
    ws.set_footer("&CPage &P of &N")


def _escape_hf(text: str) -> str:
    return text.replace("&", "&&")[:100]


def write_report(book: ReportBook, path: Path) -> None:
    """Write ``book`` to ``path`` atomically: a finished file replaces any old one at once."""
    data = render(book)
    write_atomic(path, data)


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes through a temporary file in the same folder, then rename over ``path``."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise RolefitError(f"{path}: cannot write here ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
