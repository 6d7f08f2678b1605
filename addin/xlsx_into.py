"""Write the report sheets into a copy of the plan (a shell: ``rolefit check PLAN --into COPY``).

openpyxl loads the whole plan, the report sheets are added, and the copy is saved. openpyxl
does not keep everything a workbook can hold (shapes, some charts' looks, slicers, Excel 2010
extensions...), so before writing, the plan is re-saved in memory and the two packages are
compared part by part; if anything would go missing the copy is refused, naming what.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from .model import RolefitError
from .report_model import Cell, Link, ReportBook, ReportSheet, Style

#: Package parts by what they hold; a kind with fewer parts after re-saving was lost.
PART_KINDS: tuple[tuple[str, str], ...] = (
    (r"xl/vbaProject\.bin", "macros (VBA)"),
    (r"xl/charts/chart\d*\.xml", "charts"),
    (r"xl/chartsheets/sheet\d*\.xml", "chart sheets"),
    (r"xl/media/.*", "pictures"),
    (r"xl/drawings/drawing\d*\.xml", "drawings"),
    (r"xl/pivotTables/.*\.xml", "pivot tables"),
    (r"xl/pivotCache/pivotCacheDefinition\d*\.xml", "pivot table caches"),
    (r"xl/(slicers|slicerCaches)/.*\.xml", "slicers"),
    (r"xl/(timelines|timelineCaches)/.*\.xml", "timelines"),
    (r"xl/threadedComments/.*\.xml", "threaded comments"),
    (r"xl/(comments\d*|comments/comment\d*)\.xml", "comments"),
    (r"xl/embeddings/.*", "embedded objects"),
    (r"xl/activeX/.*", "ActiveX controls"),
    (r"xl/ctrlProps/.*", "form controls"),
    (r"customXml/item\d*\.xml", "custom XML data"),
    (r"customUI/.*", "a custom ribbon"),
    (r"xl/queryTables/.*", "query tables"),
    (r"xl/connections\.xml", "data connections"),
    (r"xl/externalLinks/externalLink\d*\.xml", "links to other workbooks"),
    (r"xl/model/.*", "the data model (Power Pivot)"),
    (r"xl/webextensions/.*", "Office add-in data"),
    (r"xl/richData/.*", "rich data types"),
    (r"xl/metadata\.xml", "dynamic array and data type metadata"),
    (r"docProps/custom\.xml", "custom document properties"),
    (r"xl/tables/table\d*\.xml", "tables"),
)
_PART_KINDS = tuple((re.compile(p), label) for p, label in PART_KINDS)

#: Elements counted inside parts: (part pattern, element local name) -> what it is.
ELEMENT_KINDS: dict[tuple[str, str], str] = {
    ("sheet", "dataValidation"): "data validation rules",
    ("sheet", "cfRule"): "conditional formatting rules",
    ("sheet", "hyperlink"): "hyperlinks",
    ("sheet", "mergeCell"): "merged cells",
    ("sheet", "sparklineGroup"): "sparklines",
    ("sheet", "protectedRange"): "protected ranges",
    ("sheet", "oleObject"): "embedded objects",
    ("sheet", "control"): "form controls",
    ("sheet", "picture"): "sheet background pictures",
    ("sheet", "r"): "rich text formatting in cells",
    ("strings", "r"): "rich text formatting in cells",
    ("drawing", "sp"): "shapes and text boxes",
    ("drawing", "grpSp"): "grouped shapes",
    ("drawing", "cxnSp"): "connector lines",
    ("drawing", "pic"): "pictures",
    ("drawing", "graphicFrame"): "charts",
    ("workbook", "definedName"): "named ranges",
    ("workbook", "sheet"): "sheets",
    ("workbook", "externalReference"): "links to other workbooks",
    ("workbook", "pivotCache"): "pivot tables",
    ("comments", "comment"): "comments",
}
_WHERE = (
    ("sheet", re.compile(r"xl/worksheets/sheet\d*\.xml")),
    ("strings", re.compile(r"xl/sharedStrings\.xml")),
    ("drawing", re.compile(r"xl/drawings/drawing\d*\.xml")),
    ("workbook", re.compile(r"xl/workbook\.xml")),
    ("comments", re.compile(r"xl/(comments\d*|comments/comment\d*)\.xml")),
)


_VML = re.compile(r"xl/drawings/.*\.vml")
#: openpyxl keeps comments' text but draws every comment box anew, at its default size.
COMMENT_BOXES = "the size and formatting of comment boxes"
ALWAYS_LOST = frozenset({COMMENT_BOXES})


def census(package: bytes) -> Counter[str]:
    """What a workbook package holds, counted by the kinds openpyxl may not keep."""
    from defusedxml.ElementTree import iterparse

    found: Counter[str] = Counter()
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        for name in zf.namelist():
            for pattern, label in _PART_KINDS:
                if pattern.fullmatch(name):
                    found[label] += 1
            if _VML.fullmatch(name):
                for kind in re.findall(rb'ObjectType="(\w+)"', zf.read(name)):
                    found[COMMENT_BOXES if kind == b"Note" else "form controls"] += 1
            where = next((w for w, p in _WHERE if p.fullmatch(name)), None)
            if where is None:
                continue
            with zf.open(name) as fh:
                for _, el in iterparse(fh, forbid_dtd=True):
                    local = el.tag.rsplit("}", 1)[-1]
                    kind = ELEMENT_KINDS.get((where, local))
                    if kind:
                        found[kind] += 1
                    elif local == "ext" and el.get("uri"):
                        found[_extension(str(el.get("uri")))] += 1
                    if local in ("row", "si", "sp", "pic"):
                        el.clear()
    return found


def _extension(uri: str) -> str:
    from openpyxl.worksheet._reader import EXT_TYPES

    kind = {k.upper(): v for k, v in EXT_TYPES.items()}.get(uri.upper())
    return f"Excel 2010+ {kind.lower()} settings" if kind else "other Excel 2010+ settings"


def copy_losses(original: bytes, resaved: bytes) -> list[str]:
    """What ``resaved`` (the plan saved again by openpyxl) no longer holds of ``original``."""
    before, after = census(original), census(resaved)
    return sorted({label for label, n in before.items()
                   if after[label] < n or label in ALWAYS_LOST})


def write_into_copy(plan: Path, copy: Path, book: ReportBook) -> None:
    """Save a copy of ``plan`` with the report's sheets added; the plan is only read.

    Refused, with what would be lost named, when openpyxl cannot keep all of the plan.
    """
    import warnings

    import openpyxl

    from .files import read_input_bytes, write_atomic
    from .xlsx_reader import check_package

    suffix = copy.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise RolefitError(f"{copy}: the copy must be an .xlsx or .xlsm workbook")
    check_package(plan)
    original = read_input_bytes(plan, "workbook")
    with zipfile.ZipFile(io.BytesIO(original)) as zf:
        macros = "xl/vbaProject.bin" in zf.namelist()
    if macros and suffix != ".xlsm":
        raise RolefitError(f"{copy}: the plan has macros; name the copy .xlsm to keep them")
    if not macros and suffix == ".xlsm":
        raise RolefitError(f"{copy}: the plan has no macros; name the copy .xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wb = openpyxl.load_workbook(io.BytesIO(original), keep_vba=macros,
                                        keep_links=True, rich_text=True)
        except Exception as exc:  # a fault in a package that passed the checks is damage
            raise RolefitError(f"{plan}: the workbook cannot be copied: "
                               f"{' '.join(str(exc).split())[:200]}") from None
        losses = copy_losses(original, _save(wb))
        if losses:
            raise RolefitError(
                f"{plan}: a copy with the report inside would lose the plan's "
                f"{', '.join(losses)}; nothing was written: leave out --into to get the "
                f"report as a separate workbook")
        add_report_sheets(wb, book)
        data = _save(wb)
    write_atomic(copy, data)


def _save(wb: Any) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- report sheets


def add_report_sheets(wb: Any, book: ReportBook) -> dict[str, str]:
    """Add the report's sheets to an openpyxl workbook; returns report name -> sheet name.

    A user's sheet is never replaced: a report sheet whose name is taken gets a number.
    Links to the plan's cells point inside the workbook, since the plan is this workbook.
    """
    from .report_sheets import MARKER, MARKER_REFERS_TO, sheet_names

    placed, _ = sheet_names(book, [(name, False) for name in wb.sheetnames])
    names = {report_name: name for report_name, (name, _) in placed.items()}
    styles = {key: _openpyxl_style(style) for key, style in book.styles.items()}
    for sheet in book.sheets:
        ws = wb.create_sheet(names[sheet.name])
        _fill(ws, sheet, styles, names)
        _marker(ws, MARKER, MARKER_REFERS_TO)
    return names


def _marker(ws: Any, name: str, refers_to: str) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    ws.defined_names[name] = DefinedName(name, attr_text=refers_to.removeprefix("="))


def _openpyxl_style(style: Style) -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    props: dict[str, Any] = {
        "font": Font(bold=style.bold, italic=style.italic, size=style.size,
                     color=style.color.lstrip("#") if style.color else None),
        "alignment": Alignment(wrap_text=style.wrap or None,
                               vertical="top" if style.valign_top else None),
    }
    if style.fill:
        props["fill"] = PatternFill("solid", fgColor=style.fill.lstrip("#"))
    if style.border:
        thin = Side(style="thin")
        props["border"] = Border(left=thin, right=thin, top=thin, bottom=thin)
    if style.num_format:
        props["number_format"] = style.num_format
    return props


def _fill(ws: Any, sheet: ReportSheet, styles: dict[str, dict[str, Any]],
          names: dict[str, str]) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.worksheet.hyperlink import Hyperlink

    from .layout_cells import column_letter
    from .live_sheets import address

    for c, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[column_letter(c)].width = width
    for r, row in enumerate(sheet.rows, start=1):
        for c, cell in enumerate(row, start=1):
            if cell.value is None and not cell.style:
                continue
            target = ws.cell(row=r, column=c)
            _set_value(target, cell, ILLEGAL_CHARACTERS_RE)
            for attr, value in styles.get(cell.style, {}).items():
                setattr(target, attr, value)
            if cell.link is not None:
                target.hyperlink = Hyperlink(ref=target.coordinate,
                                             location=_location(cell.link, names))
    if sheet.freeze != (0, 0):
        ws.freeze_panes = ws.cell(row=sheet.freeze[0] + 1, column=sheet.freeze[1] + 1)
    t = sheet.table
    if t is not None and t.last_row > t.header_row:
        ws.auto_filter.ref = address(t.header_row, t.first_col, t.last_row, t.last_col)
        ws.print_title_rows = f"{t.header_row + 1}:{t.header_row + 1}"
    for s in sheet.scales:
        ref = address(s.first_row, s.first_col, s.last_row, s.last_col)
        ws.conditional_formatting.add(ref, ColorScaleRule(
            start_type="min", start_color=s.low.lstrip("#"),
            end_type="max", end_color=s.high.lstrip("#")))
    _charts(ws, sheet)
    if sheet.landscape:
        ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _set_value(target: Any, cell: Cell, illegal: re.Pattern[str]) -> None:
    value = cell.value
    if isinstance(value, str):
        target.value = illegal.sub("", value)
        # text is text: a duty starting with '=' must never become a formula
        target.data_type = "s"
    elif value is not None and not isinstance(value, (bool, int, float)):
        target.value = value.isoformat()
    else:
        target.value = value


def _location(link: Link, names: dict[str, str]) -> str:
    from .live_sheets import cell_ref, link_sheet

    return cell_ref(link_sheet(link, names), link.cell)


def _charts(ws: Any, sheet: ReportSheet) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.series import SeriesLabel

    for spec in sheet.charts:
        chart = BarChart()
        chart.type = "bar" if spec.kind in ("bar", "stacked_bar") else "col"
        if spec.kind == "stacked_bar":
            chart.grouping = "stacked"
            chart.overlap = 100
        chart.title = spec.title
        chart.legend.position = "b"
        r0, c0, r1, c1 = spec.categories
        cats = Reference(ws, min_col=c0 + 1, min_row=r0 + 1, max_col=c1 + 1, max_row=r1 + 1)
        for name, (s0, k0, s1, k1), colour in spec.series:
            values = Reference(ws, min_col=k0 + 1, min_row=s0 + 1, max_col=k1 + 1,
                               max_row=s1 + 1)
            chart.add_data(values, titles_from_data=False)
            series = chart.series[-1]
            series.tx = SeriesLabel(v=name)
            series.graphicalProperties.solidFill = colour.lstrip("#")
        chart.set_categories(cats)
        ws.add_chart(chart, spec.anchor)

