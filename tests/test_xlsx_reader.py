"""The workbook reader gives every cell the value Excel shows, as openpyxl reads it too.

openpyxl is the reference here (tests only): the reader is compared with it on every
workbook in tests/data, on generated plans, on workbooks written by openpyxl, XlsxWriter
and LibreOffice, and on random cells; then the cases only hand-made XML shows.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.model import CellValue, RolefitError, SheetData, WorkbookData
from addin.xlsx_reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
sys.path.insert(0, str(ROOT / "tests"))
import gen_plans  # noqa: E402

sys.path.pop(0)


# ---------------------------------------------------------------- the reference


def _plain(value: Any) -> CellValue:
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, (str, bool, int, float, datetime, date)) or value is None:
        return value
    return str(value)


def openpyxl_read(path: Path) -> WorkbookData:
    """The same workbook as openpyxl sees it, in the reader's terms."""
    values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    full = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in values.worksheets:
        kept: dict[int, dict[int, CellValue]] = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None and cell.value != "":
                    kept.setdefault(cell.row, {})[cell.column] = _plain(cell.value)
        if kept:
            first_row, first_col = min(kept), min(min(c) for c in kept.values())
            rows: list[tuple[CellValue, ...]] = []
            for r in range(first_row, max(kept) + 1):
                cols = kept.get(r, {})
                line: list[CellValue] = [None] * (max(cols, default=first_col - 1)
                                                  - first_col + 1)
                for c, v in cols.items():
                    line[c - first_col] = v
                rows.append(tuple(line))
            origin = (first_row, first_col)
        else:
            rows, origin = [], (1, 1)
        sheet = full[ws.title]
        merged = tuple((m.min_row, m.min_col, m.max_row, m.max_col)
                       for m in sheet.merged_cells.ranges)
        tables = []
        for t in sheet.tables.values():
            min_col, min_row, max_col, max_row = openpyxl.utils.range_boundaries(t.ref)
            tables.append((t.displayName or t.name or "", min_row, min_col, max_row, max_col))
        sheets.append(SheetData(ws.title, tuple(rows), origin, merged, tuple(tables)))
    return WorkbookData(path.name, tuple(sheets))


def same_as_openpyxl(path: Path) -> None:
    """The same worksheets with the same cells (openpyxl does not list chart sheets)."""
    ours, theirs = read_workbook(path), openpyxl_read(path)
    worksheets = [s for s in ours.sheets if s.kind == "worksheet"]
    assert [s.name for s in worksheets] == [s.name for s in theirs.sheets], path
    for mine, ref in zip(worksheets, theirs.sheets, strict=True):
        assert mine.origin == ref.origin, (path, mine.name)
        assert mine.rows == ref.rows, (path, mine.name)
        assert sorted(mine.merged) == sorted(ref.merged), (path, mine.name)
        assert sorted(mine.tables) == sorted(ref.tables), (path, mine.name)


# ---------------------------------------------------------------- corpora


def _readable(path: Path) -> bool:
    try:
        read_workbook(path)
    except RolefitError:
        return False
    return True


CORPUS = sorted(p for p in DATA.rglob("*.xls[xm]") if _readable(p))


def test_corpus_is_not_empty() -> None:
    # layouts, reference reports and the good files among the bad ones
    assert len(CORPUS) >= 10


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(DATA)))
def test_every_workbook_in_tests_data_reads_as_openpyxl_reads_it(path: Path) -> None:
    same_as_openpyxl(path)


def test_generated_plans_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    gen_plans.main([str(tmp_path), "--count", "12", "--seed", "7"])
    plans = sorted(p for p in tmp_path.rglob("*") if p.suffix in (".xlsx", ".xlsm"))
    assert len(plans) >= 8
    for plan in plans:
        same_as_openpyxl(plan)


def _every_kind(path: Path, *, epoch_1904: bool = False) -> None:
    """One sheet with each kind of cell a plan may hold, a merged title and a table."""
    wb = xlsxwriter.Workbook(str(path), {"date_1904": epoch_1904,
                                         "strings_to_numbers": False})
    ws = wb.add_worksheet("Plan")
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    moment = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    clock = wb.add_format({"num_format": "h:mm AM/PM"})
    hours = wb.add_format({"num_format": "[h]:mm:ss"})
    money = wb.add_format({"num_format": '"$"#,##0.00;[Red]"-$"#,##0.00'})
    quoted = wb.add_format({"num_format": '0.0" days"'})
    bold = wb.add_format({"bold": True})
    ws.merge_range("A1:D1", "Leadership plan 2027", bold)
    ws.add_table("A3:G6", {"name": "Duties", "columns": [
        {"header": h} for h in ("Executive", "Title", "Duty", "Since", "Budget", "Days",
                                "Lead")]})
    rows = [("An Nguyễn", "CTO", "Dẫn dắt kiến trúc nền tảng", datetime(2024, 1, 5), 1250.5,
             2.5, True),
            ("বিনা", "CIO", "আইটি পরিষেবা ডেস্ক", datetime(2023, 5, 6, 7, 8, 9), -3, 0.0, False),
            ("Chi", "COO", "  Run operations  ", datetime(1999, 12, 31), 10**12, 1e-5, True)]
    for r, row in enumerate(rows, start=3):
        ws.write_string(r, 0, row[0])
        ws.write_string(r, 1, row[1])
        ws.write_string(r, 2, row[2])
        ws.write_datetime(r, 3, row[3], moment if row[3].hour else day)
        ws.write_number(r, 4, row[4], money)
        ws.write_number(r, 5, row[5], quoted)
        ws.write_boolean(r, 6, row[6])
    ws.write_datetime(8, 0, time(9, 30), clock)
    ws.write_number(8, 1, 1.25, hours)
    ws.write_formula(8, 2, "=E4*2", None, 2501)
    ws.write_formula(8, 3, '=C4&"!"', None, "Dẫn dắt kiến trúc nền tảng!")
    ws.write_formula(8, 4, "=1/0", None, "#DIV/0!")
    ws.write_string(8, 5, "")
    ws.write_rich_string(9, 0, "Own ", bold, "the", " roadmap")
    ws.write_number(200, 30, 7)  # a stray far cell widens the range, as in Excel
    wb.add_worksheet("Empty")
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({"values": "=Plan!$E$4:$E$6"})
    wb.add_chartsheet("Chart").set_chart(chart)  # a chart sheet: listed, with no cells
    wb.close()


@pytest.mark.parametrize("epoch_1904", [False, True])
def test_every_kind_of_cell_written_by_xlsxwriter(tmp_path: Path, epoch_1904: bool) -> None:
    path = tmp_path / "kinds.xlsx"
    _every_kind(path, epoch_1904=epoch_1904)
    same_as_openpyxl(path)
    book = read_workbook(path)
    assert [(s.name, s.kind) for s in book.sheets] == [
        ("Plan", "worksheet"), ("Empty", "worksheet"), ("Chart", "chart")]
    assert book.sheets[2].rows == ()
    plan = book.sheets[0]
    assert plan.merged == ((1, 1, 1, 4),)
    assert plan.tables == (("Duties", 3, 1, 6, 7),)
    assert plan.rows[3][:7] == ("An Nguyễn", "CTO", "Dẫn dắt kiến trúc nền tảng",
                                datetime(2024, 1, 5), 1250.5, 2.5, True)
    assert plan.rows[8][:5] == ("09:30:00", "1 day, 6:00:00", 2501,
                                "Dẫn dắt kiến trúc nền tảng!", "#DIV/0!")
    assert plan.rows[9] == ("Own the roadmap",)


def test_every_kind_of_cell_written_by_openpyxl(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kế hoạch"
    ws.append(["Executive", "Title", "Duty", "Since", "At", "Lead", "Share"])
    ws.append(["An", "CTO", "Own the roadmap", date(2024, 1, 5), time(9, 30), True, 0.25])
    ws.append(["Binh", "CIO", "Run the service desk", datetime(2023, 5, 6, 7, 8, 9), None,
               False, 3])
    ws.merge_cells("A5:C5")
    ws["A5"] = "Notes"
    hidden = wb.create_sheet("Hidden")
    hidden.sheet_state = "hidden"
    hidden["C4"] = "kept all the same"
    path = tmp_path / "kinds.xlsx"
    wb.save(path)
    same_as_openpyxl(path)
    assert [s.name for s in read_workbook(path).sheets] == ["Kế hoạch", "Hidden"]


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_workbooks_saved_by_libreoffice(tmp_path: Path) -> None:
    """LibreOffice computes the formulas and writes its own styles and strings."""
    source = tmp_path / "src"
    source.mkdir()
    _every_kind(source / "kinds.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Executive", "Duty", "Twice"])
    ws.append(["An", "Own the roadmap", 21])
    ws["C3"] = "=C2*2"
    ws["B3"] = '=B2&" (shared)"'
    wb.save(source / "formulas.xlsx")
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"),
                    *map(str, sorted(source.iterdir()))],
                   check=True, capture_output=True, timeout=180)
    saved = sorted((tmp_path / "lo").iterdir())
    assert len(saved) == 2
    for path in saved:
        same_as_openpyxl(path)
    formulas = read_workbook(tmp_path / "lo" / "formulas.xlsx").sheets[0]
    assert formulas.rows[2] == (None, "Own the roadmap (shared)", 42)


# ---------------------------------------------------------------- random cells

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
               max_size=30).filter(lambda s: s.strip() and "_x" not in s)
VALUES = st.one_of(
    TEXT,
    st.sampled_from(["Giám đốc công nghệ", "প্রধান তথ্য কর্মকর্তা", "  padded  ", "a\nb"]),
    st.integers(-10**12, 10**12),
    st.integers(-4000, 4000).map(lambda n: n / 8),
    st.booleans(),
    st.datetimes(datetime(1900, 3, 1), datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0)),
)
CELLS = st.dictionaries(st.tuples(st.integers(1, 40), st.integers(1, 12)), VALUES,
                        min_size=1, max_size=25)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=CELLS, writer=st.sampled_from(["openpyxl", "xlsxwriter"]))
def test_random_cells_read_back_as_written(tmp_path: Path, cells: dict[tuple[int, int], Any],
                                           writer: str) -> None:
    path = tmp_path / f"random-{writer}.xlsx"
    if writer == "openpyxl":
        wb = openpyxl.Workbook()
        for (r, c), value in cells.items():
            cell = wb.active.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
        wb.save(path)
    else:
        book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                               "strings_to_formulas": False,
                                               "strings_to_urls": False})
        ws = book.add_worksheet()
        when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        for (r, c), value in cells.items():
            if isinstance(value, datetime):
                ws.write_datetime(r - 1, c - 1, value, when)
            else:
                ws.write(r - 1, c - 1, value)
        book.close()
    sheet = read_workbook(path).sheets[0]
    r0, c0 = sheet.origin
    got = {(r0 + i, c0 + j): v for i, row in enumerate(sheet.rows)
           for j, v in enumerate(row) if v is not None}
    assert got == cells


# ---------------------------------------------------------------- hand-made parts

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
TRANSITIONAL = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships")
STRICT = ("http://purl.oclc.org/ooxml/spreadsheetml/main",
          "http://purl.oclc.org/ooxml/officeDocument/relationships")


def package(path: Path, sheet_data: str, *, strings: str | None = None,
            names: tuple[str, str] = TRANSITIONAL, extra: str = "") -> Path:
    """A minimal package: one worksheet (and shared strings, if given)."""
    main, rel = names
    rels = [f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>']
    if strings is not None:
        rels.append(f'<Relationship Id="rId2" Type="{rel}/sharedStrings" '
                    f'Target="/xl/sharedStrings.xml"/>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("xl/workbook.xml",
                    f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                    f'<sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels",
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                    f'relationships">{"".join(rels)}</Relationships>')
        zf.writestr("xl/worksheets/sheet1.xml",
                    f'<worksheet xmlns="{main}"><sheetData>{sheet_data}</sheetData>{extra}'
                    f'</worksheet>')
        if strings is not None:
            zf.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}">{strings}</sst>')
    return path


def test_phonetic_guides_and_escapes_are_not_part_of_the_text(tmp_path: Path) -> None:
    strings = ('<si><r><t>Own </t></r><r><rPr><b/></rPr><t xml:space="preserve">the '
               'roadmap</t></r><rPh sb="0" eb="1"><t>ルビ</t></rPh></si>'
               '<si><t>Line one_x000D_\nline two</t></si>'
               '<si><t>a literal _x005F_x000D_ stays</t></si>')
    path = package(tmp_path / "p.xlsx",
                   '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
                   '<c r="C1" t="s"><v>2</v></c></row>', strings=strings)
    assert read_workbook(path).sheets[0].rows == (
        ("Own the roadmap", "Line one\r\nline two", "a literal _x000D_ stays"),)


def test_inline_strings_unreferenced_cells_and_iso_dates(tmp_path: Path) -> None:
    path = package(tmp_path / "p.xlsx",
                   '<row><c t="inlineStr"><is><t>Executive</t></is></c>'
                   '<c t="inlineStr"><is><r><t>Du</t></r><r><t>ty</t></r></is></c></row>'
                   '<row><c t="str"><v>An</v></c><c r="C2" t="d"><v>2026-03-01T09:00:00</v></c>'
                   '<c t="e"><v>#N/A</v></c></row>')
    sheet = read_workbook(path).sheets[0]
    assert sheet.rows == (("Executive", "Duty"),
                          ("An", None, datetime(2026, 3, 1, 9), "#N/A"))


def test_strict_open_xml_workbooks_are_read(tmp_path: Path) -> None:
    path = package(tmp_path / "p.xlsx",
                   '<row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2"><v>3</v></c></row>',
                   strings="<si><t>Giám đốc công nghệ</t></si>", names=STRICT,
                   extra='<mergeCells count="1"><mergeCell ref="B2:C2"/></mergeCells>')
    sheet = read_workbook(path).sheets[0]
    assert sheet.rows == (("Giám đốc công nghệ", 3),)
    assert sheet.origin == (2, 2)
    assert sheet.merged == ((2, 2, 2, 3),)


@pytest.mark.parametrize(("cells", "message"), [
    ('<row r="1"><c r="A1" t="s"><v>5</v></c></row>', "(sheet 'Plan'): list index out of range"),
    ('<row r="1"><c r="A1"><v>twelve</v></c></row>', "(sheet 'Plan'): could not convert"),
    ('<row r="x"><c r="A1"><v>1</v></c></row>', "(sheet 'Plan'): could not convert"),
    ('<row r="1"><c r="AAAA1"><v>1</v></c></row>', "(sheet 'Plan'): bad cell reference"),
    ('<row r="1"><c r="A1"><v>1</v></c>', "(sheet 'Plan'): mismatched tag"),
])
def test_damaged_cells_are_named_in_one_line(tmp_path: Path, cells: str, message: str) -> None:
    path = package(tmp_path / "p.xlsx", cells, strings="<si><t>only one</t></si>")
    with pytest.raises(RolefitError) as err:
        read_workbook(path)
    line = str(err.value)
    assert line.startswith(f"{path}: the workbook is damaged (sheet 'Plan'): ")
    assert message in line and "\n" not in line


def test_a_damaged_relationships_part_is_damage(tmp_path: Path) -> None:
    path = package(tmp_path / "p.xlsx", "")
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist() if n != "xl/_rels/workbook.xml.rels"}
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        zf.writestr("xl/_rels/workbook.xml.rels", b"<Relationships")
    with pytest.raises(RolefitError, match=r"the workbook is damaged: unclosed token"):
        read_workbook(path)


def test_a_chart_sheet_is_named_in_the_summary_as_not_read(tmp_path: Path) -> None:
    from addin.api import check_file
    from addin.summary import summary_lines

    path = tmp_path / "plan.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Plan")
    for r, row in enumerate([("Executive", "Title", "Duty"),
                             ("An", "CTO", "Own the technology roadmap"),
                             ("Binh", "CIO", "Run the internal IT service desk")]):
        ws.write_row(r, 0, row)
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=Plan!$A$1:$A$3"})
    wb.add_chartsheet("Headcount").set_chart(chart)
    wb.close()
    report = check_file(path)
    assert [(s.name, s.layout, s.note) for s in report.plan.sheets][1] == (
        "Headcount", "skipped", "chart sheet: a chart, no cells to read")
    assert any("Headcount" in line and "chart sheet" in line
               for line in summary_lines(report))
    with pytest.raises(RolefitError, match=r"no plan found; sheet 'Headcount': chart sheet"):
        check_file(path, sheet="Headcount")


def test_a_part_with_more_elements_than_any_workbook_is_damage(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from addin import xlsx_parts

    path = tmp_path / "styles.xlsx"
    _every_kind(path)
    monkeypatch.setattr(xlsx_parts, "MAX_ELEMENTS", 6)  # the workbook part has 5
    with pytest.raises(RolefitError, match=r"the workbook is damaged: part 'xl/styles.xml' "
                                           r"holds more than 6 '\w+' elements"):
        read_workbook(path)
