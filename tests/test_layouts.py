"""Data-driven layout cases: each workbook in tests/data/layouts/ with its expected JSON.

A new case is a dropped-in plan (.xlsx/.csv; tests/make_layouts.py writes the shipped
ones) and ``<name>.json`` saying what reading it must give: sheets and layouts,
executives, the exact duties with owner and source cell, the cells listed as not read,
the RACI rows and the RACI findings; or ``"error"``: a part of the one-line error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from addin import api
from addin.cli import main
from addin.layout import read_plan_detail
from addin.model import Profiles, RolefitError

CASES = Path(__file__).resolve().parent / "data" / "layouts"
EXPECTED = sorted(CASES.glob("*.json"))


def _case(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("expected_file", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_layout_case(expected_file: Path, tmp_path: Path,
                     capsys: pytest.CaptureFixture[str]) -> None:
    case = _case(expected_file)
    plan = CASES / case["file"]
    argv = ["check", str(plan), "-o", str(tmp_path / "report.xlsx"),
            "--json", str(tmp_path / "report.json")]
    if case.get("sheet"):
        argv += ["--sheet", case["sheet"]]
    code = main(argv)
    err = capsys.readouterr().err
    if "error" in case:
        assert code != 0
        assert case["error"] in err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert not (tmp_path / "report.xlsx").exists()
        return
    assert code == 0, err
    got = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))

    sheets = [{k: s[k] for k in ("name", "layout", "executives", "duties")}
              for s in got["sheets"]]
    want_sheets = [{k: s[k] for k in ("name", "layout", "executives", "duties")}
                   for s in case["sheets"]
                   if not s.get("optional") or s["name"] in {g["name"] for g in sheets}]
    assert sheets == want_sheets
    assert all(s["note"] for s in got["sheets"]), "every sheet says how it was read"
    # ... and says it as message keys too, for a program to show in another language
    assert all(s["notes"] and all(n["key"].startswith("note.") and isinstance(n["params"], dict)
                                  for n in s["notes"]) for s in got["sheets"])
    assert got["executives"] == case["executives"]
    duties = [[d["executive"], d["text"], d["sheet"], d["cell"]] for d in got["duties"]]
    assert duties == case["duties"]
    raci = [[a["activity"], a["sheet"], a["cell"], a["accountable"], a["responsible"]]
            for a in got["raci"]]
    assert raci == case["raci"]
    findings = sorted([f["kind"], f["duties"][0], f["executives"]] for f in got["findings"]
                      if f["kind"].startswith("raci_"))
    assert findings == sorted(case["raci_findings"])


@pytest.mark.parametrize("expected_file", [p for p in EXPECTED if "error" not in _case(p)],
                         ids=lambda p: p.stem)
def test_layout_case_skipped_cells(expected_file: Path, profiles: Profiles) -> None:
    case = _case(expected_file)
    read = read_plan_detail(api.read_plan_file(CASES / case["file"]), profiles,
                            case.get("sheet"))
    assert [[sheet, s.cell] for sheet, s in read.skipped] == case["skipped"]
    # a cell is either read as duties or listed as not read, never both
    used = {(d.sheet, d.cell) for d in read.plan.duties}
    assert not used & {(sheet, s.cell) for sheet, s in read.skipped}


def test_every_plan_layout_is_covered() -> None:
    layouts = {s["layout"] for p in EXPECTED for s in _case(p).get("sheets", [])}
    assert {"long", "raci", "per_executive", "skipped"} <= layouts
    suffixes = {(CASES / _case(p)["file"]).suffix for p in EXPECTED}
    assert {".xlsx", ".csv"} <= suffixes


def test_sheet_option_reads_one_sheet(profiles: Profiles) -> None:
    report = api.check_file(CASES / "per_executive.xlsx", sheet="Information")
    assert [s.name for s in report.plan.sheets] == ["Information"]
    assert {d.executive for d in report.plan.duties} == {"Minh Le"}
    with pytest.raises(RolefitError, match="no plan found; sheet 'Stakeholders': no duty column"):
        api.check_file(CASES / "per_executive.xlsx", sheet="Stakeholders")


def test_raci_findings_link_to_the_activity_duties() -> None:
    report = api.check_file(CASES / "raci_messy.xlsx")
    (multiple,) = [f for f in report.findings if f.kind == "raci_multiple_accountable"]
    assert [(report.duties[i].duty.executive, report.duties[i].duty.cell)
            for i in multiple.duty_rows] == [("Minh Le", "A6"), ("CEO", "A6")]
