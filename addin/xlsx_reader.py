"""Read a plan workbook's sheets as values (a shell: .xlsx/.xlsm file -> WorkbookData).

The file is checked before any XML is parsed: what kind of file it really is (whatever its
name says), whether its zip parts are sane, and that no XML part declares entities. Sheets
are then streamed once each (by :mod:`addin.xlsx_parts`), keeping only cells that hold a
value, so a sheet that claims a million rows or 16,384 columns costs time and memory for the
cells it really uses.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from .files import cannot_read, read_input_bytes
from .model import CellValue, RolefitError, SheetData, WorkbookData
from .xlsx_parts import Book, scan_sheet

#: No plan needs more: a part or a package that would unpack to more is refused unread.
MAX_PART_BYTES = 256 * 1024**2
MAX_PACKAGE_BYTES = 512 * 1024**2
#: Deflate squeezes real sheets up to a few hundred times; bombs go far beyond that.
MAX_RATIO = 400
RATIO_CHECK_FROM = 8 * 1024**2
MAX_PARTS = 20_000
#: Cells kept in memory across the workbook (row by row, up to each row's last value).
MAX_CELLS = 5_000_000

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS_XLSX = "(File > Save As > Excel Workbook)"
PROTECTED = ("the workbook is protected with a password; remove it in Excel (File > Info > "
             "Protect Workbook > Encrypt with Password, clear the password, save) and check "
             "it again")
# Entity and DTD declarations: Excel never writes them, attacks always need them.
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def read_workbook(path: Path, sheet: str | None = None) -> WorkbookData:
    """The values of every worksheet of ``path`` (or only ``sheet``), formulas as their last
    computed values. Any problem with the file raises :class:`RolefitError` in one line."""
    check_package(path)
    return _read(path, sheet)


# ---------------------------------------------------------------- before opening


def check_package(path: Path) -> None:
    """Refuse anything that is not a sane .xlsx/.xlsm package, before any XML is parsed."""
    head = _head(path)
    try:
        if head.startswith(CFB_MAGIC):
            raise _Refused(_cfb_problem(path))
        if not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            raise _Refused(_not_a_workbook(head))
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_kind({i.filename for i in infos}, zf)
            _check_sizes(infos)
            if any(i.flag_bits & 0x1 for i in infos):
                raise _Refused(PROTECTED)
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    _check_prolog(zf, info)
    except _Refused as exc:
        raise RolefitError(f"{path}: {exc}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise RolefitError(f"{path}: the workbook is damaged (incomplete or corrupt file: "
                           f"{_one_line(exc)}); open it in Excel to repair it, or use a "
                           f"fresh copy") from None
    except OSError as exc:
        raise cannot_read(path, exc, "workbook") from None


class _Refused(Exception):
    """Why the package is refused, without the file name (added once, by the caller)."""


def _head(path: Path) -> bytes:
    return read_input_bytes(path, "workbook", limit=8192)


def _cfb_problem(path: Path) -> str:
    """An OLE compound file is either an encrypted workbook or a legacy .xls."""
    marker = "EncryptedPackage".encode("utf-16-le")
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            if marker in tail + chunk:
                return PROTECTED
            tail = chunk[-len(marker):]
    return ("an old-style Excel 97-2003 workbook (.xls) cannot be read; open it in Excel or "
            f"LibreOffice and save it as .xlsx {SAVE_AS_XLSX}")


def _not_a_workbook(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        kind = "a PDF document"
    elif head.startswith(b"{\\rtf"):
        kind = "an RTF document"
    elif head.lstrip().lower().startswith((b"<html", b"<!doctype html")):
        kind = "a web page (HTML)"
    elif head.lstrip().startswith(b"<?xml"):
        kind = "an XML file (perhaps an Excel 2003 XML spreadsheet)"
    elif not head:
        kind = "an empty file"
    elif _is_text(head):
        return ("is a text file, not an Excel workbook; if it is a CSV file, name it .csv, "
                f"or open it in Excel and save it as .xlsx {SAVE_AS_XLSX}")
    else:
        return "is not an Excel workbook (.xlsx or .xlsm), nor any file rolefit can read"
    return (f"is {kind}, not an Excel workbook; rolefit reads .xlsx, .xlsm and .csv files: "
            f"open it in Excel and save it as .xlsx {SAVE_AS_XLSX}")


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the end of the sample is still text
        if exc.start < len(head) - 3:
            return False
    return b"\x00" not in head


def _check_kind(names: set[str], zf: zipfile.ZipFile) -> None:
    if "xl/workbook.xml" in names:
        return
    if "xl/workbook.bin" in names:
        raise _Refused("an Excel binary workbook (.xlsb) cannot be read; open it in Excel "
                           f"and save it as .xlsx {SAVE_AS_XLSX}")
    if "mimetype" in names and b"spreadsheet" in zf.read("mimetype")[:100]:
        raise _Refused("an OpenDocument spreadsheet (.ods) cannot be read; open it in "
                           f"LibreOffice or Excel and save it as .xlsx {SAVE_AS_XLSX}")
    if "word/document.xml" in names:
        raise _Refused("is a Word document, not an Excel workbook")
    if "ppt/presentation.xml" in names:
        raise _Refused("is a PowerPoint presentation, not an Excel workbook")
    raise _Refused("is a zip file without a workbook in it, not an Excel workbook "
                       "(.xlsx or .xlsm)")


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PARTS:
        raise _Refused(f"refused: the package has {len(infos):,} parts; a workbook has "
                           f"a few dozen (the file may be damaged or malicious)")
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        ratio = size / max(info.compress_size, 1)
        if size > MAX_PART_BYTES or (size > RATIO_CHECK_FROM and ratio > MAX_RATIO):
            raise _Refused(
                f"refused: part '{info.filename}' would unpack to {_mb(size)} from "
                f"{_mb(info.compress_size)}; no plan needs that (the file may be damaged "
                f"or a zip bomb)")
    if total > MAX_PACKAGE_BYTES:
        raise _Refused(f"refused: the workbook would unpack to {_mb(total)}, more than "
                           f"the {_mb(MAX_PACKAGE_BYTES)} any plan needs")


def _check_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse DTDs and entity declarations; they sit in the prolog, before the root."""
    with zf.open(info) as fh:
        start = fh.read(4096)
    root = _root_start(start)
    if _DTD.search(start[:root] if root >= 0 else start):
        raise _Refused(f"refused: part '{info.filename}' declares XML entities or a "
                           f"DTD, which Excel never writes (the file may be malicious)")


def _root_start(data: bytes) -> int:
    """Offset of the root element's '<' (after the declaration, comments and DTD)."""
    for m in re.finditer(rb"<([^?!])", data):
        return m.start()
    return -1


def _mb(size: int) -> str:
    return f"{size / 1024**3:.1f} GB" if size >= 1024**3 else f"{size / 1024**2:.0f} MB"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


# ---------------------------------------------------------------- reading


def _read(path: Path, only: str | None) -> WorkbookData:
    budget = _Budget(path)
    sheets: list[SheetData] = []
    try:
        with zipfile.ZipFile(path) as zf:
            book = Book(zf)
            for name, part, kind in book.sheets:
                if only is not None and name != only:
                    continue
                if kind == "chart":
                    sheets.append(SheetData(name=name, rows=(), kind="chart"))
                    continue
                try:
                    sheets.append(_read_sheet(book, name, part, budget))
                except RolefitError:
                    raise
                except Exception as exc:
                    raise RolefitError(_damaged(path, name, exc)) from None
    except RolefitError:
        raise
    except PermissionError as exc:
        raise cannot_read(path, exc, "workbook") from None
    except Exception as exc:  # any fault in a package that passed the checks is damage
        raise RolefitError(_damaged(path, None, exc)) from None
    if only is not None and not sheets:
        listed = ", ".join(f"'{n}'" for n, _, _ in book.sheets)
        raise RolefitError(f"{path.name}: no sheet named '{only}' (sheets: {listed})")
    budget.check_formulas()
    return WorkbookData(name=path.name, sheets=tuple(sheets))


def _damaged(path: Path, sheet: str | None, exc: BaseException) -> str:
    if _is_entity_attack(exc):
        return (f"{path}: refused: the workbook declares XML entities or a DTD, which Excel "
                f"never writes (the file may be malicious)")
    where = f" (sheet '{sheet}')" if sheet else ""
    return (f"{path}: the workbook is damaged{where}: {_one_line(exc)}; open it in Excel to "
            f"repair it, or use a fresh copy")


def _is_entity_attack(exc: BaseException) -> bool:
    from defusedxml import DefusedXmlException

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DefusedXmlException):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class _Budget:
    """Cells kept across the workbook, and formula cells saved without a result."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cells = 0
        self.unsaved: list[tuple[str, str]] = []

    def spend(self, sheet: str, cells: int) -> None:
        self.cells += cells
        self.check(sheet, 0)

    def check(self, sheet: str, more: int) -> None:
        """Refuse, once the cells kept and ``more`` of them would exceed the limit."""
        if self.cells + more > MAX_CELLS:
            raise RolefitError(
                f"{self.path}: sheet '{sheet}' is too large to read as a plan (more than "
                f"{MAX_CELLS:,} cells in use); delete unused rows and columns, or name the "
                f"plan's sheet with --sheet")

    def check_formulas(self) -> None:
        if not self.unsaved:
            return
        sheet, cell = self.unsaved[0]
        more = f" (and {len(self.unsaved) - 1:,} more)" if len(self.unsaved) > 1 else ""
        raise RolefitError(
            f"{self.path}: sheet '{sheet}' cell {cell} holds a formula with no saved "
            f"result{more}; the program that saved the file did not calculate its formulas: "
            f"open it in Excel or LibreOffice, save it, and check it again")


def _read_sheet(book: Book, name: str, part: str, budget: _Budget) -> SheetData:
    """One sheet's values, within the workbook's budget of cells."""
    scan = scan_sheet(book, part, lambda kept: budget.check(name, kept))
    budget.unsaved.extend((name, ref) for ref in scan.unsaved)
    rows, origin = _dense(scan.kept, name, budget)
    return SheetData(name=name, rows=rows, origin=origin, merged=tuple(scan.merged),
                     tables=scan.tables)


def _dense(kept: dict[int, dict[int, CellValue]], sheet: str,
           budget: _Budget) -> tuple[tuple[tuple[CellValue, ...], ...], tuple[int, int]]:
    """Rows from the first to the last used one, each from the first used column up to its
    own last value (shorter rows are not padded; a missing row is empty)."""
    if not kept:
        return (), (1, 1)
    first_row, last_row = min(kept), max(kept)
    first_col = min(min(cols) for cols in kept.values())
    budget.spend(sheet, sum(max(cols) - first_col + 1 for cols in kept.values()))
    rows: list[tuple[CellValue, ...]] = []
    for r in range(first_row, last_row + 1):
        cols = kept.get(r)
        if not cols:
            rows.append(())
            continue
        line: list[CellValue] = [None] * (max(cols) - first_col + 1)
        for c, v in cols.items():
            line[c - first_col] = v
        rows.append(tuple(line))
    return tuple(rows), (first_row, first_col)
