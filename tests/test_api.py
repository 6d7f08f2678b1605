"""The one function per job in addin.api, called directly as every front end calls it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from addin import api
from addin.demo import write_example_plan
from addin.model import RolefitError, WorkbookData
from addin.report_json import report_to_json
from addin.summary import summary_lines
from addin.xlsx_reader import read_workbook


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_example_plan(tmp_path_factory.mktemp("plan") / "example-plan.xlsx")


@pytest.fixture(scope="module")
def workbook(plan: Path) -> WorkbookData:
    return read_workbook(plan)


# ---------------------------------------------------------------- an open workbook


def test_open_workbook_gives_report_sheets_and_summary(workbook: WorkbookData) -> None:
    done = api.check_open_workbook(workbook, checked_on=date(2027, 3, 1))
    assert report_to_json(done.report) == report_to_json(api.check_workbook(workbook))
    assert done.summary == tuple(summary_lines(done.report))
    assert done.summary[0].startswith(workbook.name)
    assert [s.name for s in done.book.sheets] == [
        s.name for s in api.report_book(done.report).sheets]
    # the plan is the open workbook: links to its cells name it, never a path beside it
    files = {c.link.file for s in done.book.sheets for row in s.rows for c in row
             if c.link is not None and c.link.file is not None}
    assert files == {workbook.name}
    shown = [c.value for s in done.book.sheets for row in s.rows for c in row]
    assert any("2027-03-01" in str(v) for v in shown)


def test_open_workbook_in_another_language_and_one_sheet(workbook: WorkbookData) -> None:
    done = api.check_open_workbook(workbook, lang="vi", sheet=workbook.sheets[0].name)
    assert done.report.lang == "vi" and done.book.lang == "vi"
    assert done.summary[-1] != api.check_open_workbook(workbook, lang="en").summary[-1]


def test_unknown_language_is_one_line(workbook: WorkbookData) -> None:
    with pytest.raises(RolefitError) as info:
        api.check_open_workbook(workbook, lang="fr")
    assert str(info.value) == "unknown report language 'fr': use one of en, vi, bn"


def test_ribbon_and_service_share_the_job(workbook: WorkbookData) -> None:
    from addin.service import check_to_json

    done = api.check_open_workbook(workbook)
    answer = check_to_json(workbook)
    assert answer["summary"] == list(done.summary)
    assert answer["report"] == report_to_json(done.report)
    assert [s["name"] for s in answer["sheets"]] == [s.name for s in done.book.sheets]


# ---------------------------------------------------------------- rolefit check


def test_plan_link_is_relative_to_the_output(tmp_path: Path) -> None:
    plan = tmp_path / "plans" / "acme.xlsx"
    assert api.plan_link(plan, tmp_path / "reports" / "acme.rolefit.xlsx") == str(
        Path("..") / "plans" / "acme.xlsx")
    assert api.plan_link(plan, tmp_path / "plans" / "r.html") == "acme.xlsx"


def test_default_workbook_is_beside_the_plan(tmp_path: Path) -> None:
    plan = tmp_path / "acme.xlsx"
    assert api.CheckJob(plan).workbook == tmp_path / "acme.rolefit.xlsx"
    assert api.CheckJob(plan, report=tmp_path / "r.xlsx").workbook == tmp_path / "r.xlsx"
    assert api.CheckJob(plan, into=tmp_path / "c.xlsx").workbook == tmp_path / "c.xlsx"


@pytest.mark.parametrize(("field", "message"), [
    ("report", "the report would overwrite the plan; choose another -o name"),
    ("into", "the copy would overwrite the plan; choose another --into name"),
    ("json", "the JSON would overwrite the plan; choose another --json name"),
    ("html", "the HTML page would overwrite the plan; choose another --html name"),
])
def test_no_output_may_replace_the_plan(plan: Path, field: str, message: str) -> None:
    job = api.CheckJob(plan, **{field: plan.parent / "." / plan.name})  # type: ignore[arg-type]
    with pytest.raises(RolefitError) as info:
        api.check_to_files(job)
    assert str(info.value) == f"{plan.parent / '.' / plan.name}: {message}"


def test_report_and_copy_are_not_both_asked(tmp_path: Path, plan: Path) -> None:
    job = api.CheckJob(plan, report=tmp_path / "r.xlsx", into=tmp_path / "c.xlsx")
    with pytest.raises(RolefitError, match="not both"):
        api.check_outputs(job)
    assert list(tmp_path.iterdir()) == []


def test_check_to_files_writes_every_output(tmp_path: Path, plan: Path) -> None:
    job = api.CheckJob(plan, report=tmp_path / "r.xlsx", json=tmp_path / "r.json",
                       html=tmp_path / "web" / "r.html", lang="en")
    (tmp_path / "web").mkdir()
    done = api.check_to_files(job)
    assert done.workbook == tmp_path / "r.xlsx"
    assert done.lines == (*summary_lines(done.report), f"Report written to {done.workbook}")
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8")) == report_to_json(
        done.report)
    assert (tmp_path / "r.json").read_text(encoding="utf-8") == api.report_json_text(done.report)
    html = (tmp_path / "web" / "r.html").read_text(encoding="utf-8")
    assert api.plan_link(plan, job.html) in html  # type: ignore[arg-type]
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    try:
        assert wb.sheetnames == [s.name for s in api.report_book(done.report).sheets]
    finally:
        wb.close()
