"""The ``rolefit`` command through its real entry points: in-process and as a subprocess."""

from __future__ import annotations

import gc
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from addin.cli import main
from addin.demo import example_plan
from addin.profiles import load_profiles


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--dir", str(folder)]) == 0
    return folder


def test_demo_writes_plan_and_report(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = demo_dir / "example-plan.xlsx"
    report = demo_dir / "example-plan.rolefit.xlsx"
    assert plan.is_file() and report.is_file()
    book = openpyxl.load_workbook(report)
    assert book.sheetnames == ["Summary", "Findings", "Coverage", "Duties", "Profiles"]
    # the plan as a company writes it: every duty of the example is in the Duties sheet
    duties = [row[4] for row in book["Duties"].iter_rows(min_row=2, values_only=True)]
    expected = [d for e in example_plan()["executives"] for d in e["duties"]]
    assert duties == expected


def test_demo_shows_the_planted_problems(demo_dir: Path) -> None:
    out = demo_dir / "demo.json"
    assert main(["check", str(demo_dir / "example-plan.xlsx"), "-o",
                 str(demo_dir / "again.xlsx"), "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    found = {(f["kind"], f["responsibility"], tuple(f["executives"])) for f in data["findings"]}
    assert ("misfit", "cio.it_operations", ("Daniel Okafor",)) in found
    assert ("overlap", "cto.engineering_rnd", ("Daniel Okafor", "Priya Nair")) in found
    assert ("out_of_scope", None, ("Nguyễn Thu Hà",)) in found
    assert ("reporting_line", None, ("Daniel Okafor",)) in found
    # the CTO running infrastructure sits on a pair the sources share: not a misfit
    wifi = next(d for d in data["duties"] if d["text"].startswith("Upgrade and maintain the Wi-Fi"))
    assert (wifi["responsibility"], wifi["verdict"]) == ("cio.it_infrastructure", "shared")
    gaps = {f["responsibility"] for f in data["findings"] if f["kind"] == "gap"}
    assert {"cto.new_products", "cio.user_access_training"} <= gaps
    roles = {e["name"]: e["role"] for e in data["executives"]}
    assert roles["Daniel Okafor"] == "CTO" and roles["Nguyễn Thu Hà"] == "CIO"
    assert roles["Priya Nair"] is None
    assert data["schema"] == "rolefit/report-v1"
    assert set(data["summary"]["coverage"]) == {"CTO", "CIO"}


def test_check_default_output_and_plan_untouched(tmp_path: Path, demo_dir: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.xlsx"
    plan.write_bytes((demo_dir / "example-plan.xlsx").read_bytes())
    before = _sha(plan)
    assert main(["check", str(plan)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "plan.rolefit.xlsx").is_file()
    assert out.splitlines()[0] == "plan.xlsx: 6 executives, 22 duties"
    assert out.rstrip().endswith(f"Report written to {tmp_path / 'plan.rolefit.xlsx'}")
    assert _sha(plan) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.rolefit.xlsx", "plan.xlsx"]


def test_check_json_to_stdout_is_only_json(demo_dir: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(demo_dir / "example-plan.xlsx"), "-o",
                 str(tmp_path / "r.xlsx"), "--json", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["text"] for d in data["duties"]][:2] == [
        "Set the group's five-year business strategy with the board",
        "Chair the weekly executive committee",
    ]
    assert all(d["verdict"] in {"aligned", "misfit", "shared", "out_of_scope", "other"}
               for d in data["duties"])


def test_errors_are_one_line_with_exit_2(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.xlsx"
    assert main(["check", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err == f"rolefit: error: {missing}: file not found\n"
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("rolefit: error: ")
    assert main(["nonsense"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_classify_prints_one_json_object_per_line(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    lines = tmp_path / "duties.txt"
    lines.write_text("Patch the office servers\n\nPlan the payroll calendar\n", encoding="utf-8")
    assert main(["classify", str(lines)]) == 0
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [o["text"] for o in out] == ["Patch the office servers", "Plan the payroll calendar"]
    assert list(out[0]) == ["text", "lang", "role", "responsibility", "confidence", "evidence"]
    assert out[0]["role"] == "CIO" and out[0]["responsibility"] == "cio.it_infrastructure"
    assert out[1]["role"] is None and out[1]["responsibility"] is None
    assert 0.0 <= out[0]["confidence"] <= 1.0 and out[0]["evidence"]


def test_profiles_lists_every_responsibility(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles"]) == 0
    out = capsys.readouterr().out
    profiles = load_profiles()
    for resp in profiles.responsibilities():
        line = next(x for x in out.splitlines() if f" {resp.id} " in x)
        assert line.startswith(resp.role)
        assert all(str(s) in line for s in resp.sources)
    assert "cto.architecture / cio.it_infrastructure" in out


def test_subprocess_entry_point(demo_dir: Path, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "addin", "check",
                           str(demo_dir / "example-plan.xlsx"), "-o", str(tmp_path / "r.xlsx")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Report written to" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "addin", "check", str(tmp_path / "x.xlsx")],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr and bad.stderr.count("\n") == 1


def test_one_shot_commands_pace_the_cycle_collector_batch_keeps_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert main(["profiles"]) == 0
        assert gc.get_threshold()[0] >= 100_000
        gc.set_threshold(700, 10, 10)
        main(["batch", str(tmp_path)])
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)
    capsys.readouterr()
