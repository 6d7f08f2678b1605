"""The terminal summary of a report: sheet notes said in the report's language."""

from __future__ import annotations

from pathlib import Path

from addin import api
from addin.summary import summary_lines

LAYOUTS = Path(__file__).resolve().parent / "data" / "layouts"


def test_vietnamese_summary_says_how_the_sheet_was_read_in_vietnamese() -> None:
    report = api.check_file(LAYOUTS / "long_messy.xlsx", lang="vi")
    (line,) = [ln for ln in summary_lines(report) if "'Leadership plan'" in ln]
    assert line == (
        "  trang 'Leadership plan': mỗi dòng một nhiệm vụ, 3 lãnh đạo, 9 nhiệm vụ "
        "(dòng tiêu đề 4 (lãnh đạo: cột A, chức danh: cột B, nhiệm vụ: cột D); "
        "không đọc: ô D13 (dòng này không có lãnh đạo); ô D15 (ghi chú dưới bảng))")


def test_english_summary_keeps_the_english_note() -> None:
    report = api.check_file(LAYOUTS / "long_messy.xlsx", lang="en")
    (sheet,) = report.plan.sheets
    assert sheet.note == ("header row 4 (executive A, title B, duty D); not read: "
                          "D13 (no executive on this row); D15 (note under the table)")
    assert f"({sheet.note})" in summary_lines(report)[1]


def test_bengali_summary_names_the_skipped_sheet_reason_in_bengali() -> None:
    report = api.check_file(LAYOUTS / "per_executive.xlsx", lang="bn")
    (line,) = [ln for ln in summary_lines(report) if "'Empty'" in ln]
    assert line == "  শিট 'Empty': বাদ দেওয়া হয়েছে (শিটটি ফাঁকা)"


def test_percent_rounds_halves_up_as_excel_shows_them() -> None:
    from addin.summary import percent

    assert [percent(x) for x in (0.625, 0.375, 0.125, 0.0, 1.0, 0.1)] == [
        "63%", "38%", "13%", "0%", "100%", "10%"]


def test_counts_take_the_singular_for_one() -> None:
    from addin.i18n import say_count

    assert [say_count("en", "executives", n) for n in (0, 1, 2)] == [
        "0 executives", "1 executive", "2 executives"]
    assert say_count("en", "duties", 1) == "1 duty"
    assert say_count("vi", "duties", 1) == "1 nhiệm vụ"
