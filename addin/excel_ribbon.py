"""The ribbon button in desktop Excel (through xlwings): check the open plan, add the report.

A thin shell. The add-in's VBA runs ``import addin.excel_ribbon; addin.excel_ribbon.main()``
(see :mod:`addin.xlam`). This module reads the workbook's used ranges, calls
:func:`addin.api.check_open_workbook` (the same job as the Office add-in's service), and
carries out the write plan made by
:mod:`addin.report_sheets`: one bulk value write per sheet, then formats per range.
"""

from __future__ import annotations

import contextlib
import io
import sys
import warnings
from collections.abc import Iterator
from typing import Any

from .model import RolefitError
from .report_model import Style
from .report_sheets import (
    MARKER,
    MARKER_REFERS_TO,
    SheetWrite,
    WritePlan,
    done_message,
    is_report_sheet,
    plan_writes,
    sheet_data,
    workbook_data,
)

TITLE = "rolefit"


def main() -> None:
    """What the ribbon button runs: every outcome ends in one message, never a traceback."""
    # xlwings on macOS shows anything written to stderr as an error: keep warnings quiet
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        import xlwings as xw

        try:
            book = xw.Book.caller()
        except Exception as exc:  # no workbook to work on, or Excel cannot be reached
            message = f"rolefit cannot reach the workbook: {exc}"
            try:
                app = xw.apps.active
                if app is not None:
                    app.alert(message, TITLE, mode="critical")
                    return
            except Exception:
                pass
            # xlwings shows what the process wrote to stderr when it exits with an error
            print(message.splitlines()[0] if message else TITLE, file=sys.__stderr__)
            raise SystemExit(1) from None
        run(book, multi_area=sys.platform.startswith("win"))


def run(book: Any, *, multi_area: bool = False) -> str:
    """Check the plan in ``book``, write the report sheets, and tell the user how it went.

    Returns the message shown. ``multi_area``: format several ranges per call (Windows).
    """
    try:
        message = check_into(book, multi_area=multi_area)
    except RolefitError as exc:
        message = f"rolefit could not check this workbook: {exc}"
        book.app.alert(message, TITLE, mode="critical")
        return message
    except Exception as exc:  # an unexpected fault still gets one line, never a traceback
        message = f"rolefit stopped on an internal error: {type(exc).__name__}: {exc}"
        book.app.alert(message, TITLE, mode="critical")
        return message
    book.app.alert(message, TITLE, mode="info")
    return message


def is_ours(sheet: Any) -> bool:
    """Whether ``sheet`` is a report sheet rolefit wrote (it carries the marker name)."""
    return is_report_sheet(n.name for n in sheet.names)


def check_into(book: Any, *, multi_area: bool = False) -> str:
    """Read, check and write; nothing is written to the workbook before the report is ready."""
    from . import api

    sheets = list(book.sheets)
    ours = [is_ours(s) for s in sheets]
    data = []
    for sheet, mine in zip(sheets, ours, strict=True):
        if mine:
            continue
        used = sheet.used_range
        data.append(sheet_data(sheet.name, used.options(ndim=2).value, (used.row, used.column)))
    checked = api.check_open_workbook(workbook_data(book.name, data))
    plan = plan_writes(checked.book, [(s.name, m) for s, m in zip(sheets, ours, strict=True)],
                       this_file=book.name, multi_area=multi_area)
    write_plan(book, plan)
    return done_message(checked.summary, plan.names, checked.report.lang)


@contextlib.contextmanager
def _quiet_screen(app: Any) -> Iterator[None]:
    """No repainting while the sheets are written; restored whatever happens."""
    before = app.screen_updating
    app.screen_updating = False
    try:
        yield
    finally:
        app.screen_updating = before


def write_plan(book: Any, plan: WritePlan) -> None:
    """Delete our old report sheets, then write each report sheet as planned."""
    with _quiet_screen(book.app):
        for name in plan.delete:
            book.sheets[name].delete()
        written = []
        for sw in plan.sheets:
            if sw.reuse:
                sheet = book.sheets[sw.name]
                sheet.clear()
            else:
                sheet = book.sheets.add(sw.name, after=book.sheets[len(book.sheets) - 1])
                sheet.names.add(MARKER, MARKER_REFERS_TO)
            _fill(sheet, sw)
            written.append(sheet)
        if written:
            written[0].activate()


def _apply(rng: Any, style: Style, top_aligned: bool) -> None:
    if style.fill:
        rng.color = style.fill
    if style.bold:
        rng.font.bold = True
    if style.italic:
        rng.font.italic = True
    if style.size:
        rng.font.size = style.size
    if style.color:
        rng.font.color = style.color
    if style.wrap:
        rng.wrap_text = True
    if style.num_format:
        rng.number_format = style.num_format
    if style.valign_top != top_aligned:
        rng.vertical_alignment = "top" if style.valign_top else "bottom"


def _fill(sheet: Any, sw: SheetWrite) -> None:
    address = sw.values_address
    if address is not None:
        sheet.range(address).value = [list(row) for row in sw.values]
    if sw.top_aligned:
        sheet.range(sw.top_aligned).vertical_alignment = "top"
    for styled in sw.styles:
        for part in styled.addresses:
            _apply(sheet.range(part), styled.style, sw.top_aligned is not None)
    for col, width in enumerate(sw.widths, 1):
        sheet.range((1, col)).column_width = width  # a cell's width is its column's
    if sw.freeze:
        freeze(sheet, sw.freeze, sw.split)


def freeze(sheet: Any, address: str, split: tuple[int, int]) -> None:
    """Freeze the header rows/columns; cosmetic, so a failure leaves the sheet unfrozen."""
    try:
        sheet.freeze_panes.freeze_at(address)
        return
    except NotImplementedError:
        pass  # xlwings drives frozen panes only in xlwings Server; desktop needs the window
    with contextlib.suppress(Exception):
        _freeze_window(sheet, *split)


def _freeze_window(sheet: Any, rows: int, cols: int) -> None:
    """Freeze through Excel's own window object (COM on Windows, AppleScript on macOS)."""
    sheet.activate()
    window = sheet.book.app.api.ActiveWindow if sys.platform.startswith("win") else None
    if window is not None:
        window.FreezePanes = False
        window.SplitColumn = cols
        window.SplitRow = rows
        window.FreezePanes = True
        return
    mac = sheet.book.app.api.active_window
    mac.freeze_panes.set(False)
    mac.split_column.set(cols)
    mac.split_row.set(rows)
    mac.freeze_panes.set(True)
