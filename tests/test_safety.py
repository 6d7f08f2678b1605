"""Hostile and odd files never crash rolefit, and what it writes can never hurt the user."""

from __future__ import annotations

import hashlib
import io
import os
import re
import resource
import stat
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin import xlsx_parts, xlsx_reader
from addin.cli import main
from addin.files import write_atomic
from addin.model import RolefitError
from addin.report_model import Cell, Link, ReportBook, ReportSheet
from addin.report_sheets import text_cell
from addin.web_sheets import TEXT_FORMAT, sheet_to_json
from addin.xlsx_into import copy_losses
from addin.xlsx_reader import read_workbook
from addin.xlsx_writer import _url

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"
sys.path.insert(0, str(ROOT / "tests"))
import make_bad_files  # noqa: E402

sys.path.pop(0)

PLAN_ROWS: list[list[Any]] = make_bad_files.GOOD_ROWS
HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+SUM(1,2)", "-2+3",
           "@SUM(1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_plan(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a duty written as text, even one starting with '='
    wb.save(path)
    return path


# ---------------------------------------------------------------- hostile XML and zips


def test_defusedxml_is_in_force() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def _limited(memory: int) -> Any:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    return apply


@pytest.mark.parametrize("name", ["billion_laughs.xlsx", "billion_laughs_late.xlsx",
                                  "external_entity.xlsx", "zip_bomb.xlsx"])
def test_attacks_refused_within_bounded_memory(name: str, tmp_path: Path) -> None:
    """Under a 1 GB address-space limit: an expanded or inflated part would not fit."""
    proc = subprocess.run([sys.executable, "-m", "addin", "check", str(BAD / name), "-o",
                           str(tmp_path / "r.xlsx")], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, preexec_fn=_limited(1024**3))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"rolefit: error: {BAD / name}: refused: ")
    assert proc.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_entities_in_a_sheet_are_refused_by_the_parser(tmp_path: Path) -> None:
    """Past the package check's look-ahead, the sheet parser itself refuses a DTD."""
    data = make_bad_files.xlsxwriter_book(PLAN_ROWS)
    pad = b"<!--" + b" padding" * 1200 + b" -->\n"
    attack = make_bad_files.LAUGHS.replace(b"<!DOCTYPE", pad + b"<!DOCTYPE", 1)
    path = tmp_path / "sheet_laughs.xlsx"
    path.write_bytes(make_bad_files.replace_part(
        data, "xl/worksheets/sheet1.xml",
        lambda body: attack + re.sub(rb"^<\?xml[^>]*\?>\s*", b"", body)))
    with pytest.raises(RolefitError) as refused:
        read_workbook(path)
    assert str(refused.value) == (f"{path}: refused: the workbook declares XML entities or a "
                                  f"DTD, which Excel never writes (the file may be malicious)")


def test_compression_ratio_is_checked() -> None:
    info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
    info.file_size, info.compress_size = 100 * 1024**2, 100 * 1024
    with pytest.raises(xlsx_reader._Refused, match="would unpack to 100 MB"):
        xlsx_reader._check_sizes([info])
    info.compress_size = 10 * 1024**2  # a big but ordinary sheet: 10x
    xlsx_reader._check_sizes([info])


# ---------------------------------------------------------------- random input


def _one_line_error(path: Path) -> str:
    with pytest.raises(RolefitError) as err:
        read_workbook(path)
    message = str(err.value)
    assert message.startswith(str(path)) and "\n" not in message and "Traceback" not in message
    return message


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from([b"", b"PK\x03\x04", b"PK\x05\x06",
                               bytes.fromhex("d0cf11e0a1b11ae1"), b"%PDF", b"<?xml"]),
       body=st.binary(max_size=4000))
def test_random_bytes_give_one_clean_line(tmp_path: Path, prefix: Any, body: bytes) -> None:
    path = tmp_path / "random.xlsx"
    path.write_bytes(bytes(prefix) + body)
    _one_line_error(path)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), cut=st.floats(0.05, 0.95),
       flips=st.lists(st.integers(0, 10**6), max_size=8))
def test_damaged_workbooks_give_one_clean_line_or_read(tmp_path: Path, seed: int, cut: float,
                                                      flips: list[int]) -> None:
    """A real workbook cut short or with bytes flipped: read, or refused in one line."""
    data = bytearray(make_bad_files.xlsxwriter_book(PLAN_ROWS))
    for f in flips:
        data[f % len(data)] ^= 1 + seed % 255
    if seed % 2:
        data = data[: int(len(data) * cut)]
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    try:
        read_workbook(path)
    except RolefitError as exc:
        assert "\n" not in str(exc)


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)
_VALUES = st.one_of(
    _TEXT, st.sampled_from(HOSTILE), st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32), st.booleans(),
    st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0)),
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.dictionaries(st.tuples(st.integers(1, 3000), st.integers(1, 700)), _VALUES,
                             max_size=40),
       merges=st.lists(st.tuples(st.integers(1, 50), st.integers(1, 20), st.integers(0, 3),
                                 st.integers(0, 3)), max_size=3))
def test_random_sheets_read_every_value_in_place(tmp_path: Path, cells: dict[Any, Any],
                                                 merges: list[Any]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for (r, c), value in cells.items():
        cell = ws.cell(row=r, column=c, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
    wanted_merges: set[tuple[int, int, int, int]] = set()
    for r, c, h, w in merges:
        box = (r, c, r + h, c + w)
        if h + w and not any(_overlap(box, m) for m in wanted_merges):
            wanted_merges.add(box)
            ws.merge_cells(start_row=r, start_column=c, end_row=r + h, end_column=c + w)
    # merging empties all but the top-left cell, as in Excel
    want = {k: ws.cell(*k).value for k in cells}
    want = {k: v for k, v in want.items() if v is not None and v != ""}
    path = tmp_path / "random.xlsx"
    wb.save(path)
    sheet = read_workbook(path).sheets[0]
    r0, c0 = sheet.origin
    got = {(r0 + i, c0 + j): v for i, row in enumerate(sheet.rows) for j, v in enumerate(row)
           if v is not None}
    assert got.keys() == want.keys()
    for key, value in want.items():
        if isinstance(value, float):  # the writer keeps 15 significant digits, as Excel
            assert got[key] == pytest.approx(value, rel=1e-14, abs=1e-300)
        else:
            assert got[key] == value
    assert set(sheet.merged) == wanted_merges


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


# ---------------------------------------------------------------- sheet shapes


def test_merged_ranges_and_tables_are_read(tmp_path: Path) -> None:
    from openpyxl.worksheet.table import Table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    for row in PLAN_ROWS:
        ws.append([None, *row])
    ws.merge_cells("B2:B3")
    ws.merge_cells("F10:H12")
    ws.add_table(Table(displayName="Duties", ref="B1:D4"))
    wb.save(tmp_path / "p.xlsx")
    sheet = read_workbook(tmp_path / "p.xlsx").sheets[0]
    assert sheet.origin == (1, 2)
    assert sheet.rows[0] == ("Executive", "Title", "Duty")
    assert set(sheet.merged) == {(2, 2, 3, 2), (10, 6, 12, 8)}
    assert sheet.tables == (("Duties", 1, 2, 4, 4),)


def test_bogus_dimension_costs_only_the_used_cells(tmp_path: Path) -> None:
    data = make_bad_files.xlsxwriter_book(PLAN_ROWS)
    path = tmp_path / "bogus.xlsx"
    path.write_bytes(make_bad_files.replace_part(
        data, "xl/worksheets/sheet1.xml",
        lambda body: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>',
                            body)))
    sheet = read_workbook(path).sheets[0]
    assert len(sheet.rows) == len(PLAN_ROWS)
    assert max(len(r) for r in sheet.rows) == 3


def test_far_away_stray_cell_does_not_widen_other_rows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in PLAN_ROWS:
        ws.append(row)
    ws["XFD1048576"] = "stray"
    wb.save(tmp_path / "stray.xlsx")
    sheet = read_workbook(tmp_path / "stray.xlsx").sheets[0]
    assert len(sheet.rows) == 1048576
    assert [len(r) for r in sheet.rows[:4]] == [3, 3, 3, 3]
    assert sheet.rows[-1][-1] == "stray" and len(sheet.rows[-1]) == 16384


def test_too_many_cells_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_reader, "MAX_CELLS", 5)
    path = write_plan(tmp_path / "p.xlsx", PLAN_ROWS)
    with pytest.raises(RolefitError, match=r"sheet 'Plan' is too large to read as a plan"):
        read_workbook(path)


def test_a_sheet_of_too_many_values_is_refused_while_it_streams(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_reader, "MAX_CELLS", 10_000)
    path = tmp_path / "big.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Plan")
    for r in range(20_000):
        ws.write_row(r, 0, ("An", "CTO", f"Duty {r}"))
    wb.close()

    read = xlsx_parts.Thinned.read
    given: list[int] = []

    def counted(self: Any, size: int = -1) -> bytes:
        data: bytes = read(self, size)
        given.append(len(data))
        return data

    monkeypatch.setattr(xlsx_parts.Thinned, "read", counted)
    with pytest.raises(RolefitError, match=r"sheet 'Plan' is too large to read as a plan"):
        read_workbook(path)
    with zipfile.ZipFile(path) as zf:
        whole = zf.getinfo("xl/worksheets/sheet1.xml").file_size
    assert sum(given) < whole / 2  # refused a third of the way in, not at the end


def test_only_the_named_sheet_is_read(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active["A1"] = "x"
    plan = wb.create_sheet("Plan")
    for row in PLAN_ROWS:
        plan.append(row)
    wb.save(tmp_path / "p.xlsx")
    book = read_workbook(tmp_path / "p.xlsx", "Plan")
    assert [s.name for s in book.sheets] == ["Plan"]
    with pytest.raises(RolefitError, match=r"no sheet named 'Nope' \(sheets: 'Notes', 'Plan'\)"):
        read_workbook(tmp_path / "p.xlsx", "Nope")


def test_cached_formula_results_are_read(tmp_path: Path) -> None:
    """Formulas saved by a calculating program: their results are the duties."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Plan")
    ws.write_row(0, 0, ["Executive", "Duty"])
    ws.write(1, 0, "Lan Pham")
    ws.write_formula(1, 1, '="Own the "&"roadmap"', None, "Own the roadmap")
    ws.write_formula(2, 1, '=UPPER("it")', None, "IT")
    wb.close()
    (tmp_path / "f.xlsx").write_bytes(buf.getvalue())
    sheet = read_workbook(tmp_path / "f.xlsx").sheets[0]
    assert sheet.rows[1:] == (("Lan Pham", "Own the roadmap"), (None, "IT"))


# ---------------------------------------------------------------- what we write


def _formula_cells(package: Path) -> list[str]:
    found = []
    with zipfile.ZipFile(package) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found += [f"{name}: {m}" for m in
                          re.findall(rb"<c [^>]*>(?:(?!</c>).)*<f[ >/]", zf.read(name))]
    return found


def test_plan_bytes_unchanged_and_no_formulas_in_report(tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "plan.xlsx", [
        ["Executive", "Title", "Duty"],
        ["Lan Pham", "Chief Technology Officer", "Own the product technology roadmap"],
        *[[None, None, h] for h in HOSTILE],
        ["=Omar", "=Chief Information Officer", "Run the internal IT systems"],
    ])
    before = sha(plan)
    out = tmp_path / "report.xlsx"
    assert main(["check", str(plan), "-o", str(out), "--json", str(tmp_path / "r.json")]) == 0
    assert sha(plan) == before
    assert _formula_cells(out) == []
    report = openpyxl.load_workbook(out)
    values = [c.value for ws in report.worksheets for row in ws.iter_rows() for c in row]
    # the plan reader drops list bullets (+, -) and skips cells without words; the rest
    # is shown exactly as typed, as text
    assert all(h in values for h in (HOSTILE[0], HOSTILE[3], HOSTILE[6], "=Omar"))
    assert all(c.data_type != "f" for ws in report.worksheets for row in ws.iter_rows()
               for c in row)


def test_hyperlinks_point_only_at_cells(tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "https:plan.xlsx", [
        ["Executive", "Title", "Duty"],
        ["Lan Pham", "Chief Technology Officer", "https://evil.example/x"],
        [None, None, HOSTILE[0]],
    ])
    out = tmp_path / "report.xlsx"
    assert main(["check", str(plan), "-o", str(out)]) == 0
    targets = []
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/_rels/"):
                targets += re.findall(r'Type="[^"]*hyperlink" Target="([^"]*)"',
                                      zf.read(name).decode())
    assert targets, "the Duties sheet links to the plan's cells"
    for target in targets:
        assert not re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", target), target
    assert "evil" not in "".join(targets)


def test_link_to_a_file_can_never_become_a_url() -> None:
    assert _url(Link("Plan", "C2", "https://evil.example/p.xlsx")).startswith(
        "external:././https:")
    assert _url(Link("Plan", "C2", "C:\\plans\\p.xlsx")) == "external:C:\\plans\\p.xlsx#'Plan'!C2"
    assert _url(Link("Duties", "A2")) == "internal:'Duties'!A2"


def test_text_for_live_excel_stays_text() -> None:
    # desktop Excel (xlwings) is given text behind an apostrophe, which is not part of the value
    for h in HOSTILE:
        assert text_cell(h) == "'" + h
    assert text_cell("'quoted") == "''quoted"
    # the Office.js add-in sets the same cells with Excel's text number format first
    sheet = ReportSheet("S", (*((Cell(h),) for h in HOSTILE), (Cell(3),)), (10,))
    out = sheet_to_json(sheet, ReportBook("t", "p", (sheet,)))
    assert out["values"] == [*([h] for h in HOSTILE), [3]]
    assert out["numberFormat"] == [*([TEXT_FORMAT] for _ in HOSTILE), ["General"]]


def test_write_atomic_keeps_old_file_on_failure(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"old")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(RolefitError, match=r"cannot write the file \(No space left on device\)"):
        write_atomic(target, b"new report")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]


def test_write_atomic_gives_ordinary_permissions(tmp_path: Path) -> None:
    write_atomic(tmp_path / "new.xlsx", b"x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.xlsx").stat().st_mode) == 0o666 & ~mask
    (tmp_path / "new.xlsx").chmod(0o640)
    write_atomic(tmp_path / "new.xlsx", b"y")
    assert stat.S_IMODE((tmp_path / "new.xlsx").stat().st_mode) == 0o640


# ---------------------------------------------------------------- --into


def _featured(feature: str) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Plan")
    for r, row in enumerate(PLAN_ROWS):
        ws.write_row(r, 0, row)
    if feature == "textbox":
        ws.insert_textbox("E2", "Draft: to be agreed")
    elif feature == "comment":
        ws.write_comment("C2", "Check with the board", {"x_scale": 2})
    elif feature == "databar":
        ws.write_column(10, 0, [1, 2, 3])
        ws.conditional_format("A11:A13", {"type": "data_bar", "data_bar_2010": True})
    elif feature == "sparkline":
        ws.write_row(10, 0, [1, 2, 3])
        ws.add_sparkline("D11", {"range": "Plan!A11:C11"})
    elif feature == "button":
        ws.insert_button("E2", {"caption": "Refresh"})
    elif feature == "kept":
        ws.data_validation("A2:A20", {"validate": "list", "source": ["Lan Pham", "Omar Haque"]})
        ws.conditional_format("C2:C4", {"type": "text", "criteria": "containing",
                                        "value": "IT", "format": wb.add_format({"bold": 1})})
        ws.merge_range("E6:F7", "merged note")
        ws.write_url("E1", "https://example.com/policy")
        wb.define_name("Executives", "=Plan!$A$2:$A$4")
    wb.close()
    return buf.getvalue()


@pytest.mark.parametrize(("feature", "lost"), [
    ("textbox", "shapes and text boxes"),
    ("comment", "the size and formatting of comment boxes"),
    ("databar", "Excel 2010+ conditional formatting settings"),
    ("sparkline", "sparklines"),
    ("button", "form controls"),
])
def test_into_refuses_what_openpyxl_would_drop(feature: str, lost: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.xlsx"
    plan.write_bytes(_featured(feature))
    before = sha(plan)
    copy = tmp_path / "copy.xlsx"
    assert main(["check", str(plan), "--into", str(copy)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rolefit: error: {plan}: a copy with the report inside would lose "
                          f"the plan's ")
    assert lost in err and err.endswith("leave out --into to get the report as a separate "
                                        "workbook\n")
    assert not copy.exists() and sha(plan) == before


def test_into_writes_plan_and_report_in_one_copy(tmp_path: Path) -> None:
    plan = tmp_path / "plan.xlsx"
    plan.write_bytes(_featured("kept"))
    before = sha(plan)
    copy = tmp_path / "copy.xlsx"
    assert main(["check", str(plan), "--into", str(copy)]) == 0
    assert sha(plan) == before
    assert copy_losses(plan.read_bytes(), copy.read_bytes()) == []
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames[0] == "Plan" and len(wb.sheetnames) > 1
    assert [[c.value for c in row] for row in wb["Plan"].iter_rows(max_row=4, max_col=3)] == \
        PLAN_ROWS
    links = [c.hyperlink for ws in wb.worksheets[1:] for row in ws.iter_rows() for c in row
             if c.hyperlink is not None]
    assert links and all(link.target is None and link.location for link in links)
    assert any(link.location.startswith("'Plan'!") for link in links)
    assert _formula_cells(copy) == []


def test_into_refuses_the_plan_itself_and_wrong_suffixes(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    plan = write_plan(tmp_path / "plan.xlsx", PLAN_ROWS)
    before = sha(plan)
    assert main(["check", str(plan), "--into", str(plan)]) == 2
    assert "would overwrite the plan" in capsys.readouterr().err
    assert main(["check", str(plan), "--into", str(tmp_path / "copy.xlsm")]) == 2
    assert capsys.readouterr().err.endswith("the plan has no macros; name the copy .xlsx\n")
    assert main(["check", str(plan), "--into", str(tmp_path / "c.xlsx"), "-o",
                 str(tmp_path / "r.xlsx")]) == 2
    assert "not both" in capsys.readouterr().err
    assert sha(plan) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_cells_without_references_and_cdata_keep_their_place(tmp_path: Path) -> None:
    """Some writers leave out r="..." (cells follow each other) or wrap text in CDATA."""
    xml = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main"><sheetData>'
           b'<row><c s="1"/><c t="inlineStr"><is><t>Executive</t></is></c></row><row/>'
           b'<row><c r="A3" s="1"/><c t="inlineStr"><is><t>x</t></is></c></row>'
           b'<row r="9"><c r="C9" t="inlineStr"><is><t><![CDATA[<c r="A1"/>]]></t></is></c>'
           b"</row></sheetData></worksheet>")
    path = tmp_path / "unreferenced.xlsx"
    path.write_bytes(make_bad_files.replace_part(make_bad_files.xlsxwriter_book([["a"]]),
                                                 "xl/worksheets/sheet1.xml", xml))
    sheet = read_workbook(path).sheets[0]
    assert sheet.origin == (1, 2)
    assert sheet.rows == (("Executive",), (), ("x",), (), (), (), (), (), (None, '<c r="A1"/>'))
