"""The parts of an .xlsx/.xlsm package a plan is read from, streamed through expat.

A plan needs only its cells' values: the workbook part (sheets, date system), the
relationships, the shared strings, the number formats that show dates, and each sheet's
cells, merged ranges and tables. Every part goes through expat, the standard library's XML
parser, with defusedxml's refusals of DTDs and entities (its exceptions, so a refusal is
reported as an attack). It loads in a millisecond, where a full workbook library took a
third of a whole check to load. The package itself is checked first, by
:mod:`addin.xlsx_reader`.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import IO, Any, Protocol

from .model import CellValue

WORKBOOK_PART = "xl/workbook.xml"
#: Number formats Excel builds in that show dates or times (ECMA-376 Part 1, 18.8.30),
#: 27-36 and 50-58 being the East Asian locales' date formats.
BUILTIN_DATES = frozenset((*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)))
BUILTIN_DURATIONS = frozenset((46,))  # [h]:mm:ss
WINDOWS_EPOCH = datetime(1899, 12, 30)
MAC_EPOCH = datetime(1904, 1, 1)


class Book:
    """What every sheet of the workbook shares: the sheets and their parts, the shared
    strings, which cell styles show dates, and the date system."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        #: the main namespace (transitional or strict) as expat's element names begin
        self.ns, elements = _elements(zf, WORKBOOK_PART, frozenset(("sheet", "workbookPr")))
        self.epoch = WINDOWS_EPOCH
        rels = _relationships(zf, WORKBOOK_PART)
        names = set(zf.namelist())
        #: (name, part, "worksheet" or "chart") of each sheet in tab order
        self.sheets: list[tuple[str, str, str]] = []
        for parent, name, attrs in elements:
            if name == "sheet" and parent == "sheets":
                kind, part = rels.get(_rel_id(attrs) or "", ("", ""))
                if part not in names:
                    continue
                if kind.endswith("/worksheet"):
                    self.sheets.append((attrs.get("name", ""), part, "worksheet"))
                elif kind.endswith("/chartsheet"):
                    self.sheets.append((attrs.get("name", ""), part, "chart"))
            elif name == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                self.epoch = MAC_EPOCH
        parts = {kind.rsplit("/", 1)[-1]: part for kind, part in rels.values()}
        strings = parts.get("sharedStrings")
        self.strings = self._strings(strings) if strings in names else []
        styles = parts.get("styles", "xl/styles.xml")
        none: frozenset[int] = frozenset()
        self.dates, self.durations = (self._date_styles(styles) if styles in names
                                      else (none, none))

    def _strings(self, part: str) -> list[str]:
        scan = _Strings(self.ns)
        with self.zf.open(part) as src:
            _parse(src, scan.start, scan.end, scan.text)
        return scan.strings

    def _date_styles(self, part: str) -> tuple[frozenset[int], frozenset[int]]:
        """The cell styles (by index) whose number format shows a date, and a duration."""
        _, elements = _elements(self.zf, part, frozenset(("numFmt", "xf")))
        custom = {int(attrs.get("numFmtId", -1)): attrs.get("formatCode", "")
                  for parent, name, attrs in elements
                  if name == "numFmt" and parent == "numFmts"}
        dates: set[int] = set()
        durations: set[int] = set()
        cell_styles = [attrs for parent, name, attrs in elements
                       if name == "xf" and parent == "cellXfs"]
        for index, attrs in enumerate(cell_styles):
            fid = int(attrs.get("numFmtId") or 0)
            if fid in custom:
                code = custom[fid].split(";")[0]
                is_date, is_duration = _is_date_code(code), bool(_DURATION.search(code))
            else:
                is_date, is_duration = fid in BUILTIN_DATES, fid in BUILTIN_DURATIONS
            if is_date:
                dates.add(index)
            if is_duration:
                durations.add(index)
        return frozenset(dates), frozenset(durations)


# Quoted text and [...] sections (colours, locales, but not [h] [m] [s]) show no date part.
_FORMAT_NOISE = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?",
                       re.IGNORECASE)


def _is_date_code(code: str) -> bool:
    return _DATE_PART.search(_FORMAT_NOISE.sub("", code)) is not None


#: An element of a small part: (parent's name, name, attributes), without namespaces.
_Element = tuple[str, str, dict[str, str]]


#: More wanted elements in one small part than any workbook holds (Excel allows 64,000
#: cell styles).
MAX_ELEMENTS = 200_000


def _elements(zf: zipfile.ZipFile, part: str,
              wanted: frozenset[str]) -> tuple[str, list[_Element]]:
    """The ``wanted`` elements of a small part in order, as (parent, name, attributes)
    without namespaces, and its root's namespace as expat's element names begin ("uri ")."""
    found: list[_Element] = []
    open_names: list[str] = []
    root_ns: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        if not root_ns:
            root_ns.append(f"{ns} " if ns else "")
        if local in wanted or not open_names:
            if len(found) > MAX_ELEMENTS:
                raise ValueError(f"part '{part}' holds more than {MAX_ELEMENTS:,} '{local}' "
                                 f"elements")
            found.append((open_names[-1] if open_names else "", local, attrs))
        open_names.append(local)

    def end(name: str) -> None:
        open_names.pop()

    with zf.open(part) as src:
        _parse(src, start, end, None)
    return (root_ns[0] if root_ns else ""), found


def _relationships(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id -> (type, the target part's name in the package)."""
    folder, _, name = part.rpartition("/")
    try:
        _, elements = _elements(zf, f"{folder}/_rels/{name}.rels",
                                frozenset(("Relationship",)))
    except KeyError:
        return {}
    found = {}
    for _, element, rel in elements:
        target = rel.get("Target", "")
        if element != "Relationship" or rel.get("TargetMode") == "External" or not target:
            continue
        target = target[1:] if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        found[rel.get("Id", "")] = (rel.get("Type", ""), target)
    return found


def _rel_id(attrs: dict[str, str]) -> str | None:
    """An element's r:id, whichever relationships namespace (transitional or strict)."""
    for key, value in attrs.items():
        if key.endswith(" id"):
            return value
    return None


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _parse(src: _Readable, start: Any, end: Any, text: Any) -> None:
    """Feed a part to expat with these handlers, refusing DTDs and entities as defusedxml
    does (its exceptions, so the refusal is reported as an attack)."""
    import pyexpat

    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

    def dtd(name: str, sysid: str | None, pubid: str | None, _: bool) -> None:
        raise DTDForbidden(name, sysid, pubid)

    def entity(name: str, *args: Any) -> None:
        raise EntitiesForbidden(name, None, None, None, None, None)

    def external(context: str, base: str | None, sysid: str | None,
                 pubid: str | None) -> int:
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    # element names arrive as "namespace local"; their text in as few pieces as expat can
    parser = pyexpat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = dtd
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler = start, end
    if text is not None:
        parser.CharacterDataHandler = text
    while chunk := src.read(1 << 16):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


# Excel writes characters XML cannot hold (and a literal "_x" sequence) as _xHHHH_.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


class _RichText:
    """The text of a string item (<si>, or a cell's <is>): its plain text or its formatted
    runs, without phonetic guides (<rPh>)."""

    def __init__(self, ns: str) -> None:
        self.t, self.phonetic = f"{ns}t", f"{ns}rPh"
        self.parts: list[str] = []
        self.piece: list[str] | None = None  # inside a <t> that counts
        self.in_phonetic = False

    def start(self, name: str) -> None:
        if name == self.t:
            if not self.in_phonetic:
                self.piece = []
        elif name == self.phonetic:
            self.in_phonetic = True

    def end(self, name: str) -> None:
        if name == self.t:
            if self.piece is not None:
                self.parts.append("".join(self.piece))
                self.piece = None
        elif name == self.phonetic:
            self.in_phonetic = False

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return _unescape(text)


class _Strings:
    """Expat handlers for the shared strings part."""

    def __init__(self, ns: str) -> None:
        self.item = f"{ns}si"
        self.rich = _RichText(ns)
        self.strings: list[str] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.rich.start(name)

    def end(self, name: str) -> None:
        if name == self.item:
            self.strings.append(self.rich.take())
        else:
            self.rich.end(name)

    def text(self, data: str) -> None:
        piece = self.rich.piece
        if piece is not None:
            piece.append(data)


# ---------------------------------------------------------------- one sheet


def scan_sheet(book: Book, part: str, check: Callable[[int], None]) -> SheetScan:
    """Stream one sheet's part: values, merged ranges and tables in a single pass.

    ``check`` is called with the number of values kept so far, now and then, and may raise
    to stop a sheet far larger than any plan.
    """
    scan = SheetScan(book, check)
    with book.zf.open(part) as raw:
        # rows and cells without values never reach the parser, see Thinned
        _parse(Thinned(raw), scan.start, scan.end, scan.text)
    scan.tables = _tables(book, part, scan.table_ids)
    return scan


class SheetScan:
    """Expat handlers that keep a sheet's values (as the last program to save the file
    computed them), its merged ranges and its table parts."""

    def __init__(self, book: Book, check: Callable[[int], None]) -> None:
        ns = book.ns
        self.row_tag, self.cell_tag, self.value_tag = f"{ns}row", f"{ns}c", f"{ns}v"
        self.formula_tag, self.inline_tag = f"{ns}f", f"{ns}is"
        self.merge_tag, self.table_tag = f"{ns}mergeCell", f"{ns}tablePart"
        self.strings, self.dates, self.durations = book.strings, book.dates, book.durations
        self.epoch = book.epoch
        self.rich = _RichText(ns)
        self.kept: dict[int, dict[int, CellValue]] = {}
        # values kept so far, checked against the workbook's limit as the sheet streams
        # by, so a sheet of millions of values is refused before it fills the memory
        self.count, self.check = 0, check
        self.merged: list[tuple[int, int, int, int]] = []
        self.table_ids: list[str] = []
        #: the sheet's tables as (name, min_row, min_col, max_row, max_col), once scanned
        self.tables: tuple[tuple[str, int, int, int, int], ...] = ()
        #: cells holding a formula saved without its result
        self.unsaved: list[str] = []
        self.row_no = self.col = 0
        self.values: dict[int, CellValue] = {}
        # the cell being read: its reference, type, style, <v> text, formula, inline text
        self.ref: str | None = None
        self.kind, self.style = "n", ""
        self.value: str | None = None
        self.piece: list[str] | None = None  # inside <v>
        self.formula = self.inline = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == self.value_tag:
            self.piece = []
        elif name == self.cell_tag:
            ref = self.ref = attrs.get("r")
            self.col = _column(ref) if ref else self.col + 1
            self.kind, self.style = attrs.get("t", "n"), attrs.get("s", "")
            self.value, self.formula, self.inline = None, False, False
            self.rich.parts = []
        elif name == self.row_tag:
            number = attrs.get("r")
            self.row_no = _row_number(number) if number else self.row_no + 1
            self.col = 0
            self.values = {}
        elif self.inline:
            self.rich.start(name)
        elif name == self.inline_tag:
            self.inline = True
        elif name == self.formula_tag:
            self.formula = True
        elif name == self.merge_tag:
            self.merged.append(_range(attrs.get("ref", "")))
        elif name == self.table_tag:
            rid = _rel_id(attrs)
            if rid:
                self.table_ids.append(rid)

    def end(self, name: str) -> None:
        if name == self.value_tag:
            self.value = "".join(self.piece or ())
            self.piece = None
        elif name == self.cell_tag:
            value = self._cell_value()
            if value is not None and value != "":
                self.values[self.col] = value
        elif name == self.row_tag:
            if self.values:
                self.kept.setdefault(self.row_no, {}).update(self.values)
                self.count += len(self.values)
                if self.count & 0x3FFF < len(self.values):  # every 16,384 values or so
                    self.check(self.count)
        elif self.inline:
            if name == self.inline_tag:
                self.inline = False
            else:
                self.rich.end(name)

    def text(self, data: str) -> None:
        piece = self.piece if self.piece is not None else self.rich.piece
        if piece is not None:
            piece.append(data)

    def _cell_value(self) -> CellValue:
        kind, text = self.kind, self.value
        # an empty <v/> is a result only for text formulas (Excel's ="" is t="str", <v/>)
        if self.formula and not (text is not None and (text or kind == "str")):
            self.unsaved.append(self.ref or f"row {self.row_no}")
        if kind == "inlineStr":
            return self.rich.take() if self.rich.parts else None
        if not text:
            return None
        if kind == "n":
            number = float(text) if "." in text or "E" in text or "e" in text else int(text)
            if self.style and int(self.style) in self.dates:
                return _serial_value(number, self.epoch, int(self.style) in self.durations)
            return number
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return _iso_value(text)
        return text  # "str" (a formula's text) or "e" (an error such as #N/A)


def _serial_value(number: float, epoch: datetime, duration: bool) -> CellValue:
    """A date-formatted number as the date, time or duration Excel shows."""
    try:
        if duration:
            return str(timedelta(milliseconds=round(number * 86_400_000)))
        day, fraction = divmod(number, 1)
        diff = timedelta(milliseconds=round(fraction * 86_400_000))
        if 0 <= number < 1 and diff.days == 0:
            return (datetime.min + diff).time().isoformat()
        if 0 < number < 60 and epoch == WINDOWS_EPOCH:
            day += 1  # Excel counts a 29 February 1900 that never was
        return epoch + timedelta(days=day) + diff
    except (OverflowError, ValueError):
        return "#VALUE!"  # as Excel shows a date beyond its calendar


def _iso_value(text: str) -> CellValue:
    """A t="d" cell (ISO 8601 text, written by some programs); the text if not a date."""
    try:
        if "T" not in text and ":" in text:
            return time.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text.removesuffix("Z"))
    except ValueError:
        return text


_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def _column(ref: str) -> int:
    """The column number of a cell reference such as 'C7'."""
    letters = ref.rstrip("0123456789")
    col = _COLUMNS.get(letters)
    if col is None:
        col = 0
        for ch in letters.replace("$", "").upper():
            col = col * 26 + (ord(ch) - 64)
        if not (letters.replace("$", "").isalpha() and letters.isascii()
                and 1 <= col <= 16_384):
            raise ValueError(f"bad cell reference '{ref}'")
        _COLUMNS[letters] = col
    return col


#: Column letters met so far, and their numbers (at most every column of a sheet).
_COLUMNS: dict[str, int] = {}


def _row_number(text: str) -> int:
    number = float(text)
    if not number.is_integer() or not 1 <= number <= 1_048_576:
        raise ValueError(f"bad row number '{text}'")
    return int(number)


def _range(ref: str) -> tuple[int, int, int, int]:
    """'B2:D4' (or one cell) as (min_row, min_col, max_row, max_col)."""
    first, _, last = ref.partition(":")
    ends = []
    for one in (first, last or first):
        m = _CELL.fullmatch(one.strip())
        if m is None:
            raise ValueError(f"bad cell range '{ref}'")
        ends.append((int(m.group(2)), _column(m.group(1))))
    (r0, c0), (r1, c1) = ends
    return min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)


def _tables(book: Book, part: str, ids: list[str]) -> tuple[tuple[str, int, int, int, int], ...]:
    if not ids:
        return ()
    rels = _relationships(book.zf, part)
    found = []
    for rid in ids:
        _, elements = _elements(book.zf, rels[rid][1], frozenset())
        table = elements[0][2] if elements else {}  # the root, <table ref=...>
        min_row, min_col, max_row, max_col = _range(table.get("ref", ""))
        found.append((table.get("displayName") or table.get("name") or "", min_row, min_col,
                      max_row, max_col))
    return tuple(found)


# A cell with no content (formatting only) and a row left with no cells hold no value; both
# carry their own reference (r=...), so dropping them moves nothing else.
_EMPTY_CELL = re.compile(rb'<(?:\w+:)?c\s+r="[A-Z]{1,3}[0-9]{1,7}"(?:\s+[\w:]+="[^"<>]*")*\s*/>')
_EMPTY_ROW = re.compile(rb'<(?:\w+:)?row\s+r="[0-9]{1,7}"(?:\s+[\w:]+="[^"<>]*")*\s*'
                        rb'(?:/>|>\s*</(?:\w+:)?row>)')
# a row or cell without its own reference is placed after the one before it: keep them all
_UNREFERENCED = re.compile(rb'<(?:\w+:)?(?:c|row)(?=[\s/>])(?![^>]*\sr=")')


class Thinned:
    """A sheet part with its value-less cells and rows taken out before XML parsing.

    Sheets formatted down to row 1,048,576 or across all 16,384 columns are mostly such
    elements; a regular expression drops them far faster than the parser could.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.carry = b""
        self.thin: bool | None = None  # until a cell without its own reference turns up

    def read(self, size: int = -1) -> bytes:
        while True:
            chunk = self.raw.read(1 << 16)
            if not chunk:
                rest, self.carry = self.carry, b""
                return rest
            data = self.carry + chunk
            cut = data.rfind(b">") + 1
            data, self.carry = data[:cut], data[cut:]
            if self.thin is not False and (b"<![CDATA[" in data  # text that looks like a cell
                                           or _UNREFERENCED.search(data)):
                self.thin = False
            elif self.thin is None:
                self.thin = True
            if self.thin:
                data = _EMPTY_ROW.sub(b"", _EMPTY_CELL.sub(b"", data))
            if data:
                return data

    def close(self) -> None:
        self.raw.close()
