"""Bad plan files through the real entry points: one clear line, exit 2, nothing written.

The corpus in tests/data/bad/ is made by tests/make_bad_files.py; cases.json holds the
exact line each file must produce.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from addin.cli import main

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).resolve().parent / "data" / "bad"
CASES: dict[str, str] = json.loads((BAD / "cases.json").read_text(encoding="utf-8"))["cases"]
ERROR = "rolefit: error: "


def expected(name: str, path: Path) -> str:
    return ERROR + CASES[name].format(path=path, name=path.name) + "\n"


def run_check(path: Path, out_dir: Path, *extra: str) -> int:
    return main(["check", str(path), "-o", str(out_dir / "report.xlsx"),
                 "--json", str(out_dir / "report.json"), *extra])


def write_plan(path: Path, rows: list[list[Any]], sheet: str = "Plan") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


PLAN_ROWS: list[list[Any]] = [
    ["Executive", "Title", "Duty"],
    ["Lan Pham", "Chief Technology Officer", "Own the product technology roadmap"],
    [None, None, "Lead the software engineering teams"],
    ["Omar Haque", "Chief Information Officer", "Run the company's internal IT systems"],
]


def test_every_corpus_file_has_its_line() -> None:
    files = {p.name for p in BAD.iterdir() if p.name != "cases.json"}
    assert files == set(CASES)


def test_corpus_matches_its_generator() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import make_bad_files
    finally:
        sys.path.pop(0)
    for name, make in make_bad_files.CASES.items():
        if name == "zip_bomb.xlsx":
            continue  # 1 GB to deflate: checked by size in its own case below
        assert (BAD / name).read_bytes() == make(), f"{name}: rerun tests/make_bad_files.py"


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_gives_its_line(name: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = BAD / name
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    out = tmp_path / "out"
    out.mkdir()
    assert run_check(path, out) == 2
    err = capsys.readouterr().err
    assert err == expected(name, path)
    assert list(out.iterdir()) == [], "nothing may be written for a bad plan"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("name", ["encrypted.xlsx", "billion_laughs_late.xlsx", "zip_bomb.xlsx",
                                  "corrupt_part.xlsx", "no_plan.xlsx"])
def test_bad_file_as_a_command(name: str, tmp_path: Path) -> None:
    path = BAD / name
    proc = subprocess.run([sys.executable, "-m", "addin", "check", str(path), "-o",
                           str(tmp_path / "r.xlsx")], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr == expected(name, path)
    assert proc.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "no-such-plan.xlsx"
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err == f"{ERROR}{path}: file not found\n"
    assert list(tmp_path.iterdir()) == []


def test_folder_named_like_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plan.xlsx"
    path.mkdir()
    assert main(["check", str(path), "-o", str(tmp_path / "r.xlsx")]) == 2
    assert capsys.readouterr().err == f"{ERROR}{path}: is a folder, not a workbook\n"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    plan = write_plan(tmp_path / "plan.xlsx", PLAN_ROWS)
    if os.geteuid() != 0:
        plan.chmod(0o000)
    else:  # root reads everything: make the plan's opening fail as it would for a user
        real_open = Path.open

        def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
            if self == plan:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", denied)
    try:
        assert main(["check", str(plan), "-o", str(tmp_path / "r.xlsx")]) == 2
    finally:
        plan.chmod(0o644)
    assert capsys.readouterr().err == f"{ERROR}{plan}: permission denied; cannot read the file\n"
    assert not (tmp_path / "r.xlsx").exists()


def test_report_may_not_replace_the_plan(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    plan = write_plan(tmp_path / "plan.xlsx", PLAN_ROWS)
    before = plan.read_bytes()
    assert main(["check", str(plan), "-o", str(plan)]) == 2
    assert "would overwrite the plan" in capsys.readouterr().err
    assert main(["check", str(plan), "-o", str(tmp_path / "r.xlsx"), "--json", str(plan)]) == 2
    assert "would overwrite the plan" in capsys.readouterr().err
    assert plan.read_bytes() == before
    assert not (tmp_path / "r.xlsx").exists()


def test_output_folder_missing_or_a_folder(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    plan = write_plan(tmp_path / "plan.xlsx", PLAN_ROWS)
    missing = tmp_path / "nowhere" / "r.xlsx"
    assert main(["check", str(plan), "-o", str(missing)]) == 2
    assert capsys.readouterr().err == (f"{ERROR}{missing}: the folder {missing.parent} does "
                                       f"not exist\n")
    folder = tmp_path / "reports"
    folder.mkdir()
    assert main(["check", str(plan), "-o", str(folder)]) == 2
    assert capsys.readouterr().err == (f"{ERROR}{folder}: is a folder; give a file name for "
                                       f"the output\n")


def test_locked_report_keeps_the_old_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Excel on Windows locks an open file: the rename fails, the old report stays whole."""
    plan = write_plan(tmp_path / "plan.xlsx", PLAN_ROWS)
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"old report")

    def locked(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    assert main(["check", str(plan), "-o", str(out)]) == 2
    assert capsys.readouterr().err == (f"{ERROR}{out}: cannot write the file (Permission "
                                       f"denied); if it is open in Excel, close it and try "
                                       f"again\n")
    assert out.read_bytes() == b"old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx", "r.xlsx"]


def test_odd_cells_are_read_not_lost(tmp_path: Path) -> None:
    """Numbers, dates, errors, cached formula results and very long text in a plan."""
    import datetime as dt

    # 29k characters: a cell holds at most 32,767
    long_duty = "Own the product technology roadmap " + "and its architecture " * 1400
    plan = tmp_path / "odd.xlsx"
    write_plan(plan, [
        ["Executive", "Title", "Duty", "Since"],
        ["Lan Pham", "Chief Technology Officer", long_duty, dt.datetime(2021, 3, 1)],
        [None, None, 2024, 3.5],
        ["Omar Haque", "Chief Information Officer", "Run the internal IT systems", True],
    ])
    assert main(["check", str(plan), "-o", str(tmp_path / "r.xlsx"),
                 "--json", str(tmp_path / "r.json")]) == 0
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    texts = json.dumps(data, ensure_ascii=False)
    assert long_duty.strip() in texts, "the JSON keeps a long duty whole"
    report = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)
    longest = max(len(str(v)) for ws in report.worksheets
                  for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    report.close()
    assert longest < len(long_duty), "the workbook shows a capped text"


def test_error_values_are_read_as_excel_shows_them(tmp_path: Path) -> None:
    from addin.api import read_plan_file

    src = tmp_path / "errors.xlsx"
    _errors_plan(src)
    book = read_plan_file(src)
    assert book.sheets[0].rows[1] == ("Lan Pham", "#N/A", "#DIV/0!")


def _errors_plan(path: Path) -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Executive", "Duty", "Other"])
    ws.append(["Lan Pham", "x", "y"])
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b'<c r="B2" t="inlineStr"><is><t>x</t></is></c>',
                                    b'<c r="B2" t="e"><f>VLOOKUP(A2,Z:Z,2,0)</f>'
                                    b"<v>#N/A</v></c>")
                body = body.replace(b'<c r="C2" t="inlineStr"><is><t>y</t></is></c>',
                                    b'<c r="C2" t="e"><v>#DIV/0!</v></c>')
            dst.writestr(info, body)
    path.write_bytes(out.getvalue())


def test_broken_roles_data_names_file_and_key(tmp_path: Path) -> None:
    from addin import profiles as profiles_module
    from addin.model import RolefitError
    from addin.resources import data_dir

    load = profiles_module.load_profiles
    folder = tmp_path / "roles_data"
    shutil.copytree(data_dir("roles_data"), folder)
    target = sorted(folder.glob("*.yaml"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n  bad: [unclosed\n",
                      encoding="utf-8")
    with pytest.raises(RolefitError) as broken:
        load(folder)
    message = str(broken.value)
    assert target.name in message and "\n" not in message


def test_two_column_list_is_no_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = write_plan(tmp_path / "people.xlsx", [["Name", "Notes"], ["Ann", "x"]], "Sheet1")
    out = tmp_path / "out"
    out.mkdir()
    assert run_check(plan, out) == 2
    err = capsys.readouterr().err
    assert err.startswith(ERROR) and "no plan found" in err and err.count("\n") == 1
    assert not list(out.iterdir())
