"""The plan for writing a report into an open workbook (addin.report_sheets), without Excel."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from addin.live_sheets import Block, blocks, clean_sheet_name
from addin.report_model import Cell, Link, ReportBook, ReportSheet, Style
from addin.report_sheets import (
    MAX_ADDRESS,
    MAX_MESSAGE,
    done_message,
    freeze_address,
    hyperlink_formula,
    is_marker,
    join_addresses,
    plan_writes,
    sheet_data,
    text_cell,
)

STYLES = {"": Style(), "head": Style(bold=True, fill="#1F3864"), "red": Style(fill="#FFC7CE"),
          "plain": Style(valign_top=False)}


def book(*names: str) -> ReportBook:
    sheets = tuple(ReportSheet(n, ((Cell("x", "head"), Cell("y", "head")),
                                   (Cell("=1+1"), Cell(3))), (10, 20), freeze=(1, 0))
                   for n in names)
    return ReportBook("t", "plan.xlsx", sheets, STYLES)


@given(st.sets(st.tuples(st.integers(0, 12), st.integers(0, 6)), max_size=60))
def test_blocks_cover_exactly_the_cells(cells: set[tuple[int, int]]) -> None:
    covered: list[tuple[int, int]] = []
    for b in blocks(cells):
        covered += [(r, c) for r in range(b.first_row, b.last_row + 1)
                    for c in range(b.first_col, b.last_col + 1)]
    assert sorted(covered) == sorted(cells)  # no gaps, no overlaps


def test_blocks_merge_columns_and_rows() -> None:
    column = {(r, 2) for r in range(1, 500)}
    assert [b.address for b in blocks(column)] == ["C2:C500"]
    grid = {(r, c) for r in range(3) for c in range(4)}
    assert [b.address for b in blocks(grid)] == ["A1:D3"]


def test_multi_area_addresses_stay_within_excel_limit() -> None:
    parts = blocks({(r, 0) for r in range(0, 400, 2)})
    joined = join_addresses(parts, multi_area=True)
    assert all(len(a) <= MAX_ADDRESS for a in joined)
    assert ",".join(joined).split(",") == [b.address for b in parts]
    assert join_addresses(parts, multi_area=False) == tuple(b.address for b in parts)


def test_used_range_values_become_sheet_data() -> None:
    assert sheet_data("S", None, (1, 1)).rows == ()
    assert sheet_data("S", "only", (4, 2)).rows == (("only",),)
    assert sheet_data("S", ["a", 2.0], (1, 1)).rows == (("a", 2),)
    data = sheet_data("S", [["CTO", 1.5], [None, None]], (3, 2))
    assert data.rows == (("CTO", 1.5),) and data.origin == (3, 2)
    when = date(2024, 5, 1)
    assert sheet_data("S", [[when]], (1, 1)).rows == ((when,),)


def test_text_is_always_written_as_text() -> None:
    for text in ("=SUM(A1)", "+44 20", "-x", "@ops", "2024-05-01", "00123", "'quoted"):
        assert text_cell(text) == "'" + text
    assert text_cell("") == ""


def test_hyperlink_formula_escapes_and_splits_long_text() -> None:
    formula = hyperlink_formula("#'It''s'!A1", 'say "hi"')
    assert formula == '=HYPERLINK("#\'It\'\'s\'!A1","say ""hi""")'
    long = hyperlink_formula("#'D'!A1", "x" * 600)
    assert long.count('"&"') == 2 and len(long) < 8192


def test_names_are_legal_and_unique() -> None:
    assert clean_sheet_name("Role check: [CTO/CIO]?") == "Role check_ _CTO_CIO__"
    assert len(clean_sheet_name("x" * 40)) == 31
    assert is_marker("'My sheet'!rolefit_report") and is_marker("rolefit_report")
    assert not is_marker("rolefit_report_old")


def test_first_run_takes_free_names_and_avoids_users_sheets() -> None:
    plan = plan_writes(book("Summary", "Duties"), [("Plan", False), ("summary", False)])
    assert plan.names == ("Summary (2)", "Duties") and plan.delete == ()
    assert not any(s.reuse for s in plan.sheets)


def test_second_run_reuses_ours_and_deletes_the_rest() -> None:
    existing = [("Plan", False), ("Summary", False), ("Summary (2)", True), ("Duties", True),
                ("Old sheet", True)]
    plan = plan_writes(book("Summary", "Duties"), existing)
    assert plan.names == ("Summary (2)", "Duties")
    assert [s.reuse for s in plan.sheets] == [True, True]
    assert plan.delete == ("Old sheet",)


def test_links_follow_renamed_sheets_and_the_plan_is_this_workbook() -> None:
    sheets = (
        ReportSheet("Findings", ((Cell("see", "", Link("Duties", "A2")),),), (10,)),
        ReportSheet("Duties", ((Cell("B7", "", Link("Plan", "B7", "plan.xlsx")),
                                Cell("C1", "", Link("Plan", "C1", "other.xlsx"))),), (10,)),
    )
    plan = plan_writes(ReportBook("t", "p", sheets, STYLES), [("Duties", False), ("Plan", False)],
                       this_file="plan.xlsx")
    assert plan.sheets[0].values[0][0] == '=HYPERLINK("#\'Duties (2)\'!A2","see")'
    assert plan.sheets[1].values[0] == ('=HYPERLINK("#\'Plan\'!B7","B7")',
                                        '=HYPERLINK("other.xlsx#\'Plan\'!C1","C1")')


def test_values_styles_and_freeze() -> None:
    sheet = plan_writes(book("S"), []).sheets[0]
    assert sheet.values == (("'x", "'y"), ("'=1+1", 3))
    assert sheet.values_address == "A1:B2"
    assert sheet.freeze == "1:1" and sheet.top_aligned == "A1:B2"
    assert [(s.style, s.addresses) for s in sheet.styles] == [(STYLES["head"], ("A1:B1",))]


def test_a_bottom_aligned_style_keeps_its_alignment() -> None:
    sheets = (ReportSheet("S", ((Cell("a", "plain"), Cell("b", "head")),), (10, 10)),)
    sheet = plan_writes(ReportBook("t", "p", sheets, STYLES), []).sheets[0]
    assert sheet.top_aligned is None
    # Excel's own default is bottom: only the top-aligned header needs a call
    assert [s.addresses for s in sheet.styles] == [("B1",)]


def test_freeze_addresses() -> None:
    assert freeze_address(0, 0) is None
    assert freeze_address(1, 0) == "1:1"
    assert freeze_address(0, 2) == "A:B"
    assert freeze_address(1, 3) == "A1:C1"


def test_done_message_fits_a_message_box() -> None:
    message = done_message(["x" * 300] * 10, ["Summary", "Findings"])
    assert len(message) <= MAX_MESSAGE and message.endswith("run the check again after changes.")
    assert "…" in message
    short = done_message(["plan: 3 executives"], ["Summary"])
    assert short.startswith("plan: 3 executives\n\nReport sheets: Summary.")


def test_block_address() -> None:
    assert Block(0, 0, 0, 0).address == "A1" and Block(1, 26, 9, 27).address == "AA2:AB10"
