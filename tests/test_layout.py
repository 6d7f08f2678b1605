"""Layout reading on sheet values: RACI codes, cell splitting, and no duty ever lost."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.i18n import say_notes
from addin.layout import read_plan, read_sheet
from addin.layout_cells import Roster, split_duties, split_person
from addin.layout_raci import parse_raci
from addin.model import CellValue, Profiles, RolefitError, SheetData, WorkbookData


@pytest.mark.parametrize(("cell", "letters"), [
    ("R", "R"), ("A", "A"), ("A/R", "AR"), ("R/A", "AR"), ("RA", "AR"), ("ar", "AR"),
    ("R (A)", "AR"), ("C /I", "CI"), ("I/C", "CI"), (" r ", "R"), ("c, i", "CI"),
    ("R+A", "AR"), ("S", "S"), ("N", ""), ("n", ""), ("-", ""), ("–", ""), ("", ""),
    ("N/A", ""), ("n/a", ""),
])
def test_parse_raci_codes(cell: str, letters: str) -> None:
    assert parse_raci(cell) == frozenset(letters)


@pytest.mark.parametrize("cell", ["CIO", "CTO", "x", "Lead", "RR", "Responsible",
                                  "R - Responsible", "yes", "12", "Approve budget"])
def test_parse_raci_rejects_other_text(cell: str) -> None:
    assert parse_raci(cell) is None


@pytest.mark.parametrize(("cell", "duties"), [
    ("Set strategy", ["Set strategy"]),
    ("• Set strategy\n• Run IT operations", ["Set strategy", "Run IT operations"]),
    ("- one thing\n- another thing", ["one thing", "another thing"]),
    ("* one\n* two", ["one", "two"]),
    ("1. Strategy\n2. Architecture", ["Strategy", "Architecture"]),
    ("1) Strategy\n2) Architecture", ["Strategy", "Architecture"]),
    ("1. Strategy 2. Architecture", ["Strategy", "Architecture"]),
    ("Budget; hiring；payroll", ["Budget", "hiring", "payroll"]),
    ("Strategy\nArchitecture", ["Strategy", "Architecture"]),
    ("Strategy • Architecture", ["Strategy", "Architecture"]),
    ("Manage the IT infrastructure\nand the data centre",
     ["Manage the IT infrastructure and the data centre"]),
    ("Key duties:\n- run servers\n- hire staff", ["run servers", "hire staff"]),
    ("Networks, servers and data centre", ["Networks, servers and data centre"]),
    ("Version 2.5 rollout", ["Version 2.5 rollout"]),
    ("e.g. run servers", ["e.g. run servers"]),
    ("24/7 support - tier 1", ["24/7 support - tier 1"]),
    ("• Chiến lược công nghệ\n• Quản lý kỹ sư", ["Chiến lược công nghệ", "Quản lý kỹ sư"]),
    ("প্রযুক্তি কৌশল; নতুন পণ্য", ["প্রযুক্তি কৌশল", "নতুন পণ্য"]),
    ("-", []), ("1.", []), ("•\n•", []),
])
def test_split_duties(cell: str, duties: list[str]) -> None:
    assert split_duties(cell) == duties


@pytest.mark.parametrize(("heading", "person"), [
    ("CTO", ("", "CTO")),
    ("Lan Tran (CTO)", ("Lan Tran", "CTO")),
    ("Lan Tran\nChief Technology Officer", ("Lan Tran", "Chief Technology Officer")),
    ("CIO: Minh Le", ("Minh Le", "CIO")),
    ("Ana Lee (Head of Finance)", ("Ana Lee", "Head of Finance")),
    ("Head of IT", ("", "Head of IT")),
    ("Nguyễn An - Giám đốc công nghệ", ("Nguyễn An", "Giám đốc công nghệ")),
])
def test_split_person(heading: str, person: tuple[str, str], profiles: Profiles) -> None:
    assert split_person(heading, profiles) == person


def _sheet(rows: list[tuple[CellValue, ...]], **kw: Any) -> SheetData:
    return SheetData("S", tuple(rows), **kw)


def test_long_list_with_origin_and_merged_names(profiles: Profiles) -> None:
    # the used range starts at C5; the name in C6 is merged down to C8 across a blank row
    sheet = _sheet([
        ("Name", "Duty"),
        ("Lan", "Strategy"),
        (None, None),
        (None, "Architecture"),
        ("Minh", "Help desk"),
    ], origin=(5, 3), merged=((6, 3, 8, 3),))
    plan = read_plan(WorkbookData("w", (sheet,)), profiles)
    assert [(d.executive, d.cell) for d in plan.duties] == [
        ("Lan", "D6"), ("Lan", "D8"), ("Minh", "D9")]


def test_section_row_merged_across_the_table_is_not_a_person(profiles: Profiles) -> None:
    sheet = _sheet([
        ("Executive", "Duty"),
        ("TECHNOLOGY", None),
        ("Lan", "Strategy"),
        ("OPERATIONS", None),
        (None, "Payroll"),
    ], merged=((2, 1, 2, 2), (4, 1, 4, 2)))
    (outcome,) = read_sheet(sheet, Roster(profiles))
    assert [(d.executive, d.text) for d in outcome.duties] == [("Lan", "Strategy"),
                                                                ("Lan", "Payroll")]


def test_duties_without_executive_column_say_why(profiles: Profiles) -> None:
    sheet = _sheet([("Plan",), ("Duty", "Priority"), ("Run servers", "High")])
    with pytest.raises(RolefitError) as err:
        read_plan(WorkbookData("w.xlsx", (sheet,)), profiles)
    assert str(err.value) == (
        "w.xlsx: no plan found; sheet 'S': row 2 has a duty column ('Duty' in A2) but no "
        "executive column (Executive, Name, Owner, Title, Role, Họ tên, Chức danh, নাম, "
        "পদবী) and no name or title at the top of the sheet saying whose duties they are; "
        "not read")


def test_raci_legend_and_section_rows(profiles: Profiles) -> None:
    sheet = _sheet([
        (None, "CTO", "CIO", None, "R = Responsible"),
        ("Platform", None, None, None, "A = Accountable"),
        ("Design the platform", "A", "C", None, "C = Consulted"),
        ("Run the platform", "I", "R", None, "I = Informed"),
    ])
    (outcome,) = read_sheet(sheet, Roster(profiles))
    assert outcome.read.layout == "raci"
    assert [(d.executive, d.cell) for d in outcome.duties] == [("CTO", "A3"), ("CIO", "A4")]
    assert [(a.activity, a.accountable) for a in outcome.raci] == [
        ("Design the platform", ("CTO",)), ("Run the platform", ())]
    assert [(s.cell, s.reason) for s in outcome.skipped] == [
        ("A2", "section heading: no codes")]


def test_raci_unreadable_code_is_listed(profiles: Profiles) -> None:
    sheet = _sheet([
        ("Activity", "CTO", "CIO"),
        ("Strategy", "A", "C"),
        ("Security", "Lead", "A"),
        ("Helpdesk", "I", "R"),
    ])
    (outcome,) = read_sheet(sheet, Roster(profiles))
    assert ("B3", "not a RACI code") in [(s.cell, s.reason) for s in outcome.skipped]
    assert "B3 (not a RACI code)" in outcome.read.note


def test_name_block_sheet(profiles: Profiles) -> None:
    sheet = SheetData("Sheet1", (("Họ tên:", "Trần Bình"), ("Chức danh:", "Giám đốc thông tin"),
                                 (None,), ("1. Vận hành hệ thống",), ("2. An ninh thông tin",)))
    (outcome,) = read_sheet(sheet, Roster(profiles))
    assert outcome.read.layout == "per_executive"
    assert [(d.executive, d.text, d.cell) for d in outcome.duties] == [
        ("Trần Bình", "Vận hành hệ thống", "A4"), ("Trần Bình", "An ninh thông tin", "A5")]


# ---------------------------------------------------------------- nothing is ever lost

NAMES = ["Lan", "Minh", "Ann Lee", "CTO", "Nguyễn An", "রহিম", "Note", "Source: HR"]
TEXTS = ["Strategy", "Run the servers", "• Budget\n• Hiring", "1. Vendors 2. Audits",
         "Payroll; tax", "Quản lý hạ tầng", "দায়িত্ব পালন", "-", "42", "* footnote",
         "Note: draft", "Manage infra\nand data centre", "A", "R/A", "Duty"]
OTHER = ["High", "Low", "A", "C", "", "2024"]


@st.composite
def long_sheets(draw: st.DrawFn) -> tuple[SheetData, int, int]:
    titles = draw(st.lists(st.sampled_from(["Plan 2024", "Leadership", "Draft v2"]),
                           max_size=3))
    order = draw(st.permutations(["exec", "duty", "other"]))
    header = {"exec": draw(st.sampled_from(["Executive", "Họ và tên", "নাম", "Owner"])),
              "duty": draw(st.sampled_from(["Duty", "Nhiệm vụ", "দায়িত্ব", "Tasks"])),
              "other": "Priority"}
    body: list[dict[str, str]] = draw(st.lists(st.fixed_dictionaries({
        "exec": st.sampled_from([*NAMES, "", "", ""]),
        "duty": st.sampled_from([*TEXTS, "", ""]),
        "other": st.sampled_from(OTHER),
    }), max_size=25))
    blank = draw(st.lists(st.booleans(), min_size=len(body), max_size=len(body)))
    rows: list[tuple[CellValue, ...]] = [(t,) for t in titles]
    header_row = len(rows)
    rows.append(tuple(header[k] for k in order))
    for cells, is_blank in zip(body, blank, strict=True):
        rows.append(() if is_blank else tuple(cells[k] or None for k in order))
    # merge some executive cells down over the rows below them, as Excel files do
    col = order.index("exec")
    merged = []
    top, left = draw(st.integers(1, 30)), draw(st.integers(1, 5))
    for r in range(header_row + 1, len(rows)):
        span = draw(st.integers(0, 2))
        if span and r + span < len(rows) and len(rows[r]) > col and rows[r][col]:
            merged.append((top + r, left + col, top + r + span, left + col))
            for k in range(r + 1, r + span + 1):
                row = list(rows[k]) or [None] * 3
                row[col] = None
                rows[k] = tuple(row)
    merged = [m for i, m in enumerate(merged)
              if all(m[0] > n[2] or m[2] < n[0] for n in merged[:i])]
    sheet = SheetData("Plan", tuple(rows), origin=(top, left), merged=tuple(merged))
    return sheet, header_row, order.index("duty")


def _letters(text: str) -> str:
    return re.sub(r"[\W\d_]+", "", text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=long_sheets())
def test_long_layout_never_loses_a_duty(case: tuple[SheetData, int, int],
                                        profiles: Profiles) -> None:
    sheet, header_row, duty_col = case
    (outcome,) = read_sheet(sheet, Roster(profiles))
    assert outcome.read.layout == "long"
    r0, c0 = sheet.origin
    letter = chr(ord("A") + c0 - 1 + duty_col)
    cells = {f"{letter}{r0 + r}": row[duty_col] for r, row in enumerate(sheet.rows)
             if r > header_row and len(row) > duty_col and row[duty_col]}
    read = [d.cell for d in outcome.duties]
    skipped = [s.cell for s in outcome.skipped]
    assert len(skipped) == len(set(skipped))
    assert not set(read) & set(skipped)
    assert set(read) | set(skipped) == set(cells)
    for cell, text in cells.items():
        pieces = [d.text for d in outcome.duties if d.cell == cell]
        if pieces:  # the items of a cell carry all its words, bullets and numbers aside
            assert _letters("".join(pieces)) == _letters(str(text))
    assert outcome.read.duties == len(outcome.duties)


PEOPLE = ["CTO", "CIO", "Lan Tran (CEO)", "Finance", "Giám đốc thông tin"]
CODES = ["R", "A", "C", "I", "A/R", "R/A", "RA", "R (A)", "C /I", "I/C", "a", " r ", "N",
         "-", "", ""]


@st.composite
def raci_sheets(draw: st.DrawFn) -> tuple[SheetData, list[tuple[str, list[str]]], int]:
    n = draw(st.integers(2, len(PEOPLE)))
    people = PEOPLE[:n]
    first = ["A", draw(st.sampled_from(["R", "C", "I"]))] + ["I"] * (n - 2)
    more = draw(st.lists(st.lists(st.sampled_from(CODES), min_size=n, max_size=n),
                         max_size=12))
    grid = [first, *more]
    sections = draw(st.lists(st.booleans(), min_size=len(grid), max_size=len(grid)))
    corner = draw(st.sampled_from([None, "Teams /\nDeliverables", "Activity"]))
    rows: list[tuple[CellValue, ...]] = [("RACI matrix",), (corner, *people)]
    truth: list[tuple[str, list[str]]] = []
    for i, (codes, section) in enumerate(zip(grid, sections, strict=True)):
        if section and i:
            rows.append((f"Section {i}",))
        rows.append((f"Activity {i}", *(c or None for c in codes)))
        truth.append((f"Activity {i}", codes))
    return SheetData("RACI", tuple(rows), merged=((1, 1, 1, n + 1),)), truth, n


@settings(max_examples=200, deadline=None)
@given(case=raci_sheets())
def test_raci_holders_and_nothing_lost(case: tuple[SheetData, list[tuple[str, list[str]]], int],
                                       profiles: Profiles) -> None:
    sheet, truth, n = case
    roster = Roster(profiles)
    (outcome,) = read_sheet(sheet, roster)
    assert outcome.read.layout == "raci"
    keys = [split_person(p, profiles)[0] or split_person(p, profiles)[1] for p in PEOPLE[:n]]
    by_activity = {a.activity: a for a in outcome.raci}
    for activity, codes in truth:
        letters = [parse_raci(c) or frozenset() for c in codes]
        accountable = [k for k, s in zip(keys, letters, strict=True) if "A" in s]
        responsible = [k for k, s in zip(keys, letters, strict=True) if "R" in s]
        if not any(letters):
            assert activity not in by_activity
            continue
        row = by_activity[activity]
        assert list(row.accountable) == accountable
        assert list(row.responsible) == responsible
        holders = [d.executive for d in outcome.duties if d.text == activity]
        assert holders == (accountable or responsible)
    activity_cells = {f"A{r + 1}" for r, row in enumerate(sheet.rows) if r >= 2 and row[0]}
    read = {d.cell for d in outcome.duties}
    skipped = {s.cell for s in outcome.skipped}
    assert not read & skipped
    assert read | skipped == activity_cells


def test_notes_are_message_keys_said_in_any_report_language(profiles: Profiles) -> None:
    rows: list[tuple[CellValue, ...]] = [("Executive", "Duty"), ("Lan", "Strategy"), (None,)]
    rows += [(None, f"Orphan duty {i}") for i in range(8)]  # after a blank row: no executive
    (outcome,) = read_sheet(_sheet(rows), Roster(profiles))
    notes = outcome.read.notes
    assert [n.key for n in notes] == ["note.long_header_executive", "note.not_read"]
    assert notes[0].params == {"row": 1, "executive": "A", "duty": "B"}
    assert outcome.read.note == ("header row 1 (executive A, duty B); not read: B4, B5, B6, B7, "
                                 "B8, B9 and 2 more (no executive on this row)")
    assert say_notes("vi", notes) == (
        "dòng tiêu đề 1 (lãnh đạo: cột A, nhiệm vụ: cột B); không đọc: ô B4, B5, B6, B7, B8, "
        "B9 và 2 ô khác (dòng này không có lãnh đạo)")
    assert notes[1].to_json() == {"key": "note.not_read", "params": {"groups": [
        {"key": "note.cells_more", "params": {
            "cells": "B4, B5, B6, B7, B8, B9", "more": 2,
            "reason": {"key": "skip.no_executive", "params": {}}}}]}}
    assert {s.reason for s in outcome.skipped} == {"no executive on this row"}


@pytest.mark.parametrize("header", [
    "Reporting line", "Direct manager", "Manager (reports to)", "Người quản lý trực tiếp",
    "Báo cáo trực tiếp cho", "কার কাছে রিপোর্ট", "রিপোর্টিং",
])
def test_reports_to_header_words(header: str, profiles: Profiles) -> None:
    rows: list[tuple[CellValue, ...]] = [("Name", "Title", header, "Duty"),
                                         ("Lan", "CTO", "Board", "Set the technology strategy")]
    plan = read_plan(WorkbookData("p.xlsx", (_sheet(rows),)), profiles)
    assert plan.executives[0].reports_to == "Board"
    assert plan.sheets[0].note == "header row 1 (executive A, title B, duty D)"


def test_header_cells_not_read_are_named(profiles: Profiles) -> None:
    rows: list[tuple[CellValue, ...]] = [
        ("Name", "Reports to", "Duty", "Priority", None, "Reports to\n(dotted line)"),
        ("Lan", "CEO", "Set the technology strategy", "High", None, "Board")]
    (outcome,) = read_sheet(_sheet(rows), Roster(profiles))
    assert outcome.read.note == ("header row 1 (executive A, duty C); columns not read: "
                                 "D 'Priority', F 'Reports to (dotted line)'")
    assert say_notes("vi", outcome.read.notes).endswith(
        "các cột không được đọc: D 'Priority', F 'Reports to (dotted line)'")


@pytest.mark.parametrize("rows", [
    [("Name", "Notes"), ("Ann", "x")],
    [("Name", "Comment"), ("Ann", "x"), ("Bob", "y")],
    [("Name", "Title")],
    [("Owner", "Reports to"), ("Ann", "Bob")],
])
def test_two_column_table_is_not_an_executive_sheet(rows: list[tuple[CellValue, ...]],
                                                    profiles: Profiles) -> None:
    with pytest.raises(RolefitError, match="no plan found"):
        read_plan(WorkbookData("p.xlsx", (SheetData("Sheet1", tuple(rows)),)), profiles)


@pytest.mark.parametrize("rows", [
    [("Name:", "Minh Le"), ("Run the IT department", "weekly")],
    [("Name", "Minh Le"), (None,), ("Run the IT department",)],
    [("Name", "Minh Le"), ("Title", "CIO"), ("Run the IT department", "weekly")],
])
def test_name_blocks_still_name_the_owner(rows: list[tuple[CellValue, ...]],
                                          profiles: Profiles) -> None:
    plan = read_plan(WorkbookData("p.xlsx", (SheetData("Sheet1", tuple(rows)),)), profiles)
    assert [e.name for e in plan.executives] == ["Minh Le"]
    assert [d.text for d in plan.duties] == ["Run the IT department"]


def test_row_number_column_is_not_named_as_unread(profiles: Profiles) -> None:
    rows: list[tuple[CellValue, ...]] = [("STT", "Họ tên", "Nhiệm vụ"),
                                         (1, "Lan", "Chiến lược công nghệ")]
    (outcome,) = read_sheet(_sheet(rows), Roster(profiles))
    assert outcome.read.note == "header row 1 (executive B, duty C)"
