"""Read a plan workbook's sheets as values with openpyxl (a shell: file -> WorkbookData)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .model import CellValue, RolefitError, SheetData, WorkbookData

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def read_workbook(path: Path) -> WorkbookData:
    """The values of every worksheet of ``path``, formulas as their last computed values."""
    import openpyxl  # imported here: loading it costs start-up time the other commands skip

    if not path.exists():
        raise RolefitError(f"{path}: file not found")
    if path.is_dir():
        raise RolefitError(f"{path}: is a folder, not a workbook")
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise RolefitError(f"{path}: not an Excel workbook (.xlsx or .xlsm)")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except PermissionError:
        raise RolefitError(f"{path}: permission denied; cannot read the file") from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise RolefitError(f"{path}: not a readable Excel workbook ({exc})") from None
    try:
        sheets = []
        for ws in book.worksheets:
            rows: list[tuple[CellValue, ...]] = []
            for row in ws.iter_rows(values_only=True):
                rows.append(tuple(row))
            while rows and not any(v not in (None, "") for v in rows[-1]):
                rows.pop()
            sheets.append(SheetData(name=ws.title, rows=tuple(rows)))
    finally:
        book.close()
    return WorkbookData(name=path.name, sheets=tuple(sheets))
