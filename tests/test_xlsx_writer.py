"""The report workbook as written: values, styles, links, charts, print setup, OOXML validity.

The reference test compares today's output with committed workbooks made from a fixed
report; when the report changes on purpose, regenerate them with
``.venv/bin/python tests/make_reference_reports.py`` and review the difference.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from make_reference_reports import LANGS, reference_path, sample_book

from addin.report_model import ReportBook
from addin.xlsx_writer import render


def _load(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def written() -> dict[str, bytes]:
    return {lang: render(sample_book(lang)) for lang in LANGS}


# ---------------------------------------------------------------- reference workbooks


def _snapshot(ws: Any) -> dict[str, tuple[Any, ...]]:
    """Every non-empty cell's value and the styles a reader sees."""
    out = {}
    for row in ws.iter_rows():
        for c in row:
            fill = c.fill.fgColor.rgb if c.fill and c.fill.fill_type == "solid" else None
            link = c.hyperlink.location or c.hyperlink.target if c.hyperlink else None
            if c.value is None and fill is None:
                continue
            out[c.coordinate] = (c.value, bool(c.font.b), fill, c.number_format,
                                 bool(c.alignment.wrap_text), link)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_matches_reference_workbook(lang: str, written: dict[str, bytes]) -> None:
    ref = openpyxl.load_workbook(reference_path(lang))
    now = _load(written[lang])
    assert now.sheetnames == ref.sheetnames
    for name in ref.sheetnames:
        want, got = _snapshot(ref[name]), _snapshot(now[name])
        diff = sorted(set(want) ^ set(got)) + sorted(k for k in want.keys() & got.keys()
                                                    if want[k] != got[k])
        assert not diff, (f"{name}: cells differ from {reference_path(lang).name}: "
                          f"{diff[:5]}; if intended, run tests/make_reference_reports.py")
        assert ref[name].freeze_panes == now[name].freeze_panes
        assert [str(r.sqref) for r in ref[name].conditional_formatting] == \
            [str(r.sqref) for r in now[name].conditional_formatting]


# ---------------------------------------------------------------- what a reader sees


def test_values_links_and_formula_safety(written: dict[str, bytes]) -> None:
    book = sample_book("en")
    wb = _load(written["en"])
    assert wb.sheetnames == [s.name for s in book.sheets]
    for sheet in book.sheets:
        ws = wb[sheet.name]
        for r, row in enumerate(sheet.rows):
            for c, cell in enumerate(row):
                got = ws.cell(r + 1, c + 1)
                if cell.value not in (None, ""):
                    assert got.value == cell.value, (sheet.name, r, c)
                if cell.link is not None:
                    assert got.hyperlink is not None
                    assert got.hyperlink.location == f"'{cell.link.sheet}'!{cell.link.cell}"
                    # a link into the plan names its file, relative to the report
                    assert got.hyperlink.target == cell.link.file
    duties = wb["Duties"]
    formula_like = duties.cell(5, 5)
    assert formula_like.value.startswith("=SUM") and formula_like.data_type == "s"


def test_charts_heat_map_and_print_setup(written: dict[str, bytes]) -> None:
    data = written["en"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        coverage = z.read(charts[0]).decode()
        assert '<c:barDir val="bar"/>' in coverage and '<c:grouping val="stacked"/>' in coverage
        assert coverage.count("<c:ser>") == 3
        assert "Summary!$D$" in coverage  # series read the coverage table's cells
        kinds = z.read(charts[1]).decode()
        assert "<c:dLbls>" in kinds and "Findings by kind" in kinds
    wb = _load(data)
    cov = wb["Coverage"]
    rules = [r for rng in cov.conditional_formatting for r in rng.rules]
    assert [r.type for r in rules] == ["colorScale"]
    assert str(next(iter(cov.conditional_formatting)).sqref) == "F2:I9"
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # one page wide (1 is the OOXML default, so it may be left out), any number tall
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert "lotus-plan.xlsx" in ws.oddHeader.left.text
        assert ws.oddFooter.center.text == "Page &P of &N"
        if ws.title != "Summary":
            assert ws.print_title_rows == "$1:$1"
    assert not wb["Summary"].sheet_view.showGridLines


def test_wrapped_rows_get_room(written: dict[str, bytes]) -> None:
    ws = _load(written["en"])["Findings"]
    overlap = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "Overlap")
    assert ws.row_dimensions[overlap].height >= 30  # two duties on two lines


def test_page_label_in_other_languages(written: dict[str, bytes]) -> None:
    wb = _load(written["vi"])
    assert wb.worksheets[0].oddFooter.center.text == "Trang &P/&N"
    wb = _load(written["bn"])
    assert wb.worksheets[0].oddFooter.center.text == "পৃষ্ঠা &P / &N"


def test_ampersand_in_plan_name_is_not_a_print_code() -> None:
    from dataclasses import replace

    book = sample_book("en")
    wb = _load(render(replace(book, plan="R&D plan.xlsx")))
    assert wb.worksheets[0].oddHeader.left.text == "R&&D plan.xlsx"


# ---------------------------------------------------------------- OOXML schemas

#: Checks of the offline OOXML validator (openxml-audit, a port of the Open XML SDK's
#: validator) that we accept for XlsxWriter's output, as {error id: why Excel accepts it}.
#: Empty: every report kind passes all of its checks. Add an entry only with its reason.
ALLOWED: dict[str, str] = {}


def validate_package(path: Path) -> list[str]:
    """The validator's complaints about ``path`` that are not on the allow-list."""
    from openxml_audit import FileFormat, OpenXmlValidator

    result = OpenXmlValidator(file_format=FileFormat.OFFICE_2019,
                              max_errors=100).validate(str(path))
    return [str(e) for e in result.errors if e.id not in ALLOWED]


@pytest.mark.parametrize("lang", LANGS)
def test_package_is_valid_ooxml(lang: str, written: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / f"report-{lang}.xlsx"
    path.write_bytes(written[lang])
    assert validate_package(path) == []


def test_validator_does_catch_a_broken_package(written: dict[str, bytes],
                                               tmp_path: Path) -> None:
    """Guard against a validator that passes everything: a bad chart value must fail."""
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(io.BytesIO(written["en"])) as src, \
            zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/charts/chart1.xml":
                data = re.sub(rb'<c:barDir val="bar"/>', b'<c:barDir val="sideways"/>', data)
            dst.writestr(item, data)
    problems = validate_package(broken)
    assert len(problems) == 1 and "sideways" in problems[0]


def test_other_books_render(tmp_path: Path) -> None:
    """A book with no charts, scales or tables (as other writers may make) still renders."""
    from addin.report_model import Cell, ReportSheet

    book = ReportBook(title="t", plan="p", sheets=(ReportSheet("S", ((Cell("x"),),), (10,)),))
    wb = _load(render(book))
    assert wb["S"]["A1"].value == "x"
