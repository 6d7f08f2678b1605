"""``rolefit batch``: a folder tree of plans -> reports, portfolio, JSON lines, exit codes."""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from gen_plans import generate_folder, generate_plan, write_plan  # tests/ is on the path
from make_bad_files import encrypted, no_plan

from addin.batch import Progress, discover
from addin.cli import main
from addin.model import FINDING_KINDS, Profiles
from addin.portfolio import (
    Failure,
    PlanSummary,
    PortfolioInfo,
    build_portfolio,
    summary_from_json,
    summary_to_json,
)

ROOT = Path(__file__).resolve().parent.parent

#: Files of the test folder that cannot be checked, each for its own reason.
BAD = ("north/budget.xlsx", "south/broken.xlsx", "south/locked.xlsx")
#: The plans of the test folder: path -> (language, has CTO, has CIO).
PLANS = {
    "north/acme.xlsx": ("en", True, True),
    "north/deep/beta.xlsx": ("vi", True, False),
    "south/gamma.xlsm": ("bn", False, True),
    "south/delta.csv": ("en", True, True),
}


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "rolefit-reports" not in p.parts}


@pytest.fixture()
def plans(tmp_path: Path) -> Path:
    """A folder of plans with the things real folders hold besides plans."""
    folder = tmp_path / "plans"
    rng = random.Random(11)
    for rel, (lang, cto, cio) in PLANS.items():
        write_plan(generate_plan(rng, duties=24, lang=lang, has_cto=cto, has_cio=cio),
                   folder / rel)
    (folder / "north" / "~$acme.xlsx").write_bytes(b"\x00locked by Excel")  # Excel's lock file
    (folder / "south" / "broken.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    (folder / "south" / "locked.xlsx").write_bytes(encrypted())  # password-protected
    (folder / "north" / "budget.xlsx").write_bytes(no_plan())  # a workbook but not a plan
    write_plan(generate_plan(rng, duties=20), folder / ".archive" / "old.xlsx")  # hidden
    (folder / "north" / "notes.txt").write_text("not a plan", encoding="utf-8")
    (folder / "north" / "acme.rolefit.xlsx").write_bytes(b"a report of rolefit check")
    return folder


def _sheet_rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(path)
    try:
        return [tuple(c.value for c in row) for row in wb[sheet].iter_rows()]
    finally:
        wb.close()


def _json_lines(path: Path) -> dict[str, dict[str, object]]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {rec["path"]: rec for rec in lines}


def test_batch_writes_reports_portfolio_and_json(plans: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    before = _hashes(plans)
    jsonl = tmp_path / "runs" / "batch.jsonl"
    jsonl.parent.mkdir()
    code = main(["batch", str(plans), "--jobs", "2", "--json", str(jsonl)])
    out, err = capsys.readouterr()

    assert code == 1  # the bad files failed; every plan was checked
    assert "7 plans: 4 checked, 0 unchanged since the last run, 3 failed" in out
    assert all(Path(b).name in err for b in BAD) and "Traceback" not in err
    assert _hashes(plans) == before  # no plan (nor anything else) changed

    reports = plans / "rolefit-reports"
    for rel in PLANS:
        report = reports / Path(rel).with_name(Path(rel).stem + ".rolefit.xlsx")
        assert zipfile.is_zipfile(report), rel
    assert not list(reports.rglob("*.tmp"))
    assert not (reports / "south" / "broken.rolefit.xlsx").exists()

    # portfolio: one row per plan, sorted, with the roles each plan has or lacks
    portfolio = reports / "rolefit-portfolio.xlsx"
    rows = _sheet_rows(portfolio, "Plans")
    header = rows[0]
    body = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert list(body) == sorted(PLANS)
    for rel, (_lang, cto, cio) in PLANS.items():
        row = body[rel]
        assert (row["CTO"] == "missing") != cto, rel
        assert (row["CIO"] == "missing") != cio, rel
        assert 0.0 <= float(row["CTO coverage"]) <= 1.0  # type: ignore[arg-type]
        assert row["Findings"] == sum(int(row[k]) for k in header  # type: ignore[call-overload]
                                      if k in _kind_labels())
        assert row["Duties"] == 24
    assert body["south/gamma.xlsm"]["Missing role"] == 1
    assert body["north/deep/beta.xlsx"]["Missing role"] == 1

    # each row links to its report's summary sheet, by a path relative to the portfolio
    wb = openpyxl.load_workbook(portfolio)
    ws = wb["Plans"]
    for r in range(2, ws.max_row + 1):
        link = ws.cell(r, 2).hyperlink
        assert link is not None
        target = unquote(link.target).replace("\\", "/")
        assert not Path(target).is_absolute()
        assert (reports / target).is_file()
        assert ws.cell(r, 1).value.rsplit(".", 1)[0] in target
        assert link.location.endswith("!A1")
    wb.close()

    # gaps and overlaps counted per responsibility across plans, with a chart
    resp = _sheet_rows(portfolio, "Responsibilities")
    gaps = {r[1]: r[3] for r in resp[1:]}
    jl = _json_lines(jsonl)
    expect = {rid: sum(rid in rec["summary"]["gaps"] for rec in jl.values()  # type: ignore[index]
                       if rec["status"] == "checked") for rid in gaps}
    assert gaps == expect
    assert sum(gaps.values()) > 0  # type: ignore[arg-type]
    wb = openpyxl.load_workbook(portfolio)
    assert len(wb["Responsibilities"]._charts) == 1
    # the count of failed files is a number that links to their list
    failed_count = [c for row in wb["Overview"].iter_rows() for c in row
                    if c.hyperlink is not None and "Failed" in str(c.hyperlink.location)]
    assert [c.value for c in failed_count] == [len(BAD)]
    wb.close()

    failed = _sheet_rows(portfolio, "Failed")
    assert [r[0] for r in failed[1:]] == list(BAD)
    assert all(Path(f).name in str(r[1]) for f, r in zip(BAD, failed[1:], strict=True))
    assert "password" in str(failed[3][1]).lower()

    # JSON lines: one per plan, the failure with its reason; skipped files are not plans
    assert set(jl) == {*PLANS, *BAD}
    for bad in BAD:
        assert jl[bad]["status"] == "failed" and Path(bad).name in str(jl[bad]["error"])
    for rel in PLANS:
        assert jl[rel]["status"] == "checked"
        summary = jl[rel]["summary"]
        assert isinstance(summary, dict) and summary["duties"] == 24


def _kind_labels() -> set[str]:
    from addin.i18n import say

    return {say("en", f"kind.{k}") for k in FINDING_KINDS}


def test_rerun_checks_only_new_or_changed_plans(plans: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(plans), "--jobs", "2"]) == 1
    reports = plans / "rolefit-reports"
    acme = reports / "north" / "acme.rolefit.xlsx"
    stamp = acme.stat().st_mtime_ns
    capsys.readouterr()

    # a plan added to the folder: only it is checked; the portfolio still lists every plan
    write_plan(generate_plan(random.Random(5), duties=20, lang="en"), plans / "west" / "new.xlsx")
    for bad in BAD:
        (plans / bad).unlink()
    jsonl = tmp_path / "rerun.jsonl"
    assert main(["batch", str(plans), "--jobs", "2", "--json", str(jsonl)]) == 0
    out = capsys.readouterr().out
    assert "5 plans: 1 checked, 4 unchanged since the last run, 0 failed" in out
    assert acme.stat().st_mtime_ns == stamp
    statuses = {k: v["status"] for k, v in _json_lines(jsonl).items()}
    assert statuses == {**{rel: "up_to_date" for rel in PLANS}, "west/new.xlsx": "checked"}
    rows = _sheet_rows(reports / "rolefit-portfolio.xlsx", "Plans")
    assert [r[0] for r in rows[1:]] == sorted([*PLANS, "west/new.xlsx"])
    assert _sheet_rows(reports / "rolefit-portfolio.xlsx", "Failed")[0][0] == (
        "Every file was checked.")

    # a changed plan is checked again; --force checks them all
    write_plan(generate_plan(random.Random(6), duties=30, lang="en"), plans / "north" / "acme.xlsx")
    assert main(["batch", str(plans), "--jobs", "2"]) == 0
    assert "1 checked, 4 unchanged" in capsys.readouterr().out
    assert main(["batch", str(plans), "--jobs", "1", "--force"]) == 0
    assert "5 checked, 0 unchanged" in capsys.readouterr().out


def test_other_output_folder_and_pattern(plans: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["batch", str(plans), "-o", str(out), "--pattern", "deep/*.XLSX",
                 "--pattern", "*.xlsm", "--jobs", "1"]) == 0
    rows = _sheet_rows(out / "rolefit-portfolio.xlsx", "Plans")
    assert [r[0] for r in rows[1:]] == ["north/deep/beta.xlsx", "south/gamma.xlsm"]
    assert (out / "north" / "deep" / "beta.rolefit.xlsx").is_file()
    assert not (plans / "rolefit-reports").exists()
    capsys.readouterr()


def test_unusable_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(tmp_path / "nowhere")]) == 2
    assert "folder not found" in capsys.readouterr().err
    plan = write_plan(generate_plan(random.Random(1), duties=20), tmp_path / "one.xlsx")
    assert main(["batch", str(plan)]) == 2
    assert "not a folder" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["batch", str(empty)]) == 2
    err = capsys.readouterr().err
    assert "no plan files found" in err and err.count("\n") == 1
    assert main(["batch", str(empty), "--jobs", "0"]) == 2


def test_discovery_keeps_reports_of_same_named_plans_apart(tmp_path: Path) -> None:
    rng = random.Random(3)
    for name in ("plan.xlsx", "plan.csv", "other.xlsm"):
        write_plan(generate_plan(rng, duties=20), tmp_path / name)
    (tmp_path / "~$plan.xlsx").write_bytes(b"lock")
    jobs = discover(tmp_path, tmp_path / "rolefit-reports")
    assert [j.rel for j in jobs] == ["other.xlsm", "plan.csv", "plan.xlsx"]
    assert [j.report_rel for j in jobs] == [
        "other.rolefit.xlsx", "plan.csv.rolefit.xlsx", "plan.xlsx.rolefit.xlsx"]


def test_progress_bar_on_terminal_and_lines_in_a_log() -> None:
    log = io.StringIO()
    p = Progress(40, log, tty=False)
    for i in range(40):
        p.update(failed=i == 3)
    p.close()
    lines = log.getvalue().splitlines()
    assert 15 <= len(lines) <= 21 and "\r" not in log.getvalue()
    assert lines[-1].startswith("40/40 plans (100%), 1 failed")
    term = io.StringIO()
    p = Progress(3, term, tty=True)
    for _ in range(3):
        p.update(failed=False)
    p.close()
    assert term.getvalue().startswith("\r[") and "3/3 plans" in term.getvalue()
    assert term.getvalue().endswith("\n")


def _summary(file: str, gaps: tuple[str, ...], overlaps: tuple[str, ...],
             cto: tuple[str, ...]) -> PlanSummary:
    counts = {k: 0 for k in FINDING_KINDS}
    counts.update(gap=len(gaps), overlap=len(overlaps), missing_role=0 if cto else 1)
    return PlanSummary(file=file, report=file + ".rolefit.xlsx", report_sheet="Tóm tắt",
                       lang="vi", executives=3, duties=40,
                       role_holders={"CTO": cto, "CIO": ("Lan",)},
                       coverage={"CTO": 0.5, "CIO": 0.25}, counts=counts,
                       top_kind="gap" if gaps else None,
                       top_message="Nobody holds it." if gaps else None,
                       gaps=gaps, overlaps=overlaps, profiles_version="v1")


def test_portfolio_model_counts_gaps_and_overlaps_across_plans(profiles: Profiles) -> None:
    ids = [r.id for r in profiles.responsibilities()]
    a = _summary("a.xlsx", (ids[0], ids[1]), (ids[2],), ("Huy",))
    b = _summary("b/b.xlsx", (ids[0],), (), ())
    assert summary_from_json(json.loads(json.dumps(summary_to_json(a)))) == a
    book = build_portfolio(iter([a, b]), [Failure("c.xlsx", "c.xlsx: not a workbook")],
                           profiles, PortfolioInfo("plans", date(2027, 1, 5), "v1"))
    plans = book.sheet("Plans")
    assert [r[0].value for r in plans.rows[1:]] == ["a.xlsx", "b/b.xlsx"]
    link = plans.rows[1][1].link
    assert link is not None and (link.file, link.sheet) == ("a.xlsx.rolefit.xlsx", "Tóm tắt")
    assert [c.value for c in plans.rows[2]][6] == "Lan"
    assert plans.rows[2][5].value == "missing" and plans.rows[2][5].style == "missing"
    resp = {r[1].value: (r[3].value, r[4].value) for r in book.sheet("Responsibilities").rows[1:]}
    assert resp[ids[0]] == (2, 0) and resp[ids[1]] == (1, 0) and resp[ids[2]] == (0, 1)
    assert sum(g for g, _ in resp.values()) == 3  # type: ignore[misc]
    chart = book.sheet("Responsibilities").charts[0]
    assert chart.categories == (1, 2, len(ids), 2)
    assert [r[0].value for r in book.sheet("Failed").rows] == ["File", "c.xlsx"]
    overview = {r[0].value: r[1].value for r in book.sheet("Overview").rows if len(r) > 1}
    assert overview["Plans checked"] == 2 and overview["Files that failed"] == 1
    assert overview["Plans without a CTO"] == 1 and overview["Plans without a CIO"] == 0
    with pytest.raises(ValueError):
        summary_from_json({"schema": "something else"})


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_batch_as_a_subprocess_logs_plain_progress(plans: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "addin", "batch", str(plans), "--jobs", "2",
                           "--json", "-"], capture_output=True, text=True, cwd=ROOT, env=_env(),
                          timeout=300)
    assert proc.returncode == 1, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert sorted(r["path"] for r in records) == sorted([*PLANS, *BAD])
    assert "7/7 plans (100%), 3 failed" in proc.stderr  # a log gets lines, not a redrawn bar
    assert "\r" not in proc.stderr and "Traceback" not in proc.stderr
    assert "Portfolio written to" in proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child needs POSIX")
def test_ctrl_c_keeps_finished_reports_and_leaves_no_partial_files(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    generate_folder(folder, 40, seed=2, kinds=((".xlsx", 1.0),))
    before = _hashes(folder)
    proc = subprocess.Popen([sys.executable, "-m", "addin", "batch", str(folder), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env=_env())
    reports = folder / "rolefit-reports"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(reports.rglob("*.rolefit.xlsx")):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "stopped" in err and "Traceback" not in err
    done = list(reports.rglob("*.rolefit.xlsx"))
    assert 0 < len(done) < 40
    assert all(zipfile.is_zipfile(p) for p in done)
    assert not [p for p in reports.rglob("*") if p.name.endswith(".tmp")]
    assert not (reports / "rolefit-portfolio.xlsx").exists()
    assert _hashes(folder) == before
    # the next run does only what is left
    rerun = subprocess.run([sys.executable, "-m", "addin", "batch", str(folder), "--jobs", "2"],
                           capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"40 plans: {40 - len(done)} checked, {len(done)} unchanged" in rerun.stdout


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the stand-in crash reaches the workers only when they are forked")
def test_a_plan_that_kills_its_worker_fails_alone(plans: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from addin import api

    real = api.check_to_workbook

    def crashing(plan: Path, out: Path, **kw: object) -> object:
        if plan.name == "acme.xlsx":
            os._exit(3)  # what the out-of-memory killer or a crashing library looks like
        return real(plan, out, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "check_to_workbook", crashing)
    for bad in BAD:
        (plans / bad).unlink()
    assert main(["batch", str(plans), "--jobs", "2"]) == 1
    out, err = capsys.readouterr()
    assert "4 plans: 3 checked, 0 unchanged since the last run, 1 failed" in out
    assert "acme.xlsx: checking this file stopped its process" in err


def test_portfolio_speaks_the_language_asked_for(profiles: Profiles) -> None:
    book = build_portfolio(iter([_summary("a.xlsx", (), (), ())]), [], profiles,
                           PortfolioInfo("plans", date(2027, 1, 5), "v1"), lang="vi")
    assert [s.name for s in book.sheets] == ["Tổng quan", "Kế hoạch", "Trách nhiệm",
                                             "Không kiểm tra được"]
    assert book.sheet("Kế hoạch").rows[1][5].value == "thiếu"
    assert book.sheet("Không kiểm tra được").rows[0][0].value == "Đã kiểm tra mọi tệp."


def test_portfolio_and_messages_in_the_language_asked(plans: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    out = tmp_path / "out"
    assert main(["batch", str(plans), "-o", str(out), "--pattern", "north/acme.xlsx",
                 "--jobs", "1", "--lang", "vi"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed == ["1 kế hoạch: 1 đã kiểm tra, 0 không đổi từ lần chạy trước, "
                       "0 không kiểm tra được",
                       f"Đã ghi các báo cáo vào {out}",
                       f"Đã ghi bảng tổng hợp vào {out / 'rolefit-portfolio.xlsx'}"]
    wb = openpyxl.load_workbook(out / "rolefit-portfolio.xlsx")
    try:
        assert wb.sheetnames == ["Tổng quan", "Kế hoạch", "Trách nhiệm", "Không kiểm tra được"]
        overview = {r[0]: r[1] for r in wb["Tổng quan"].iter_rows(values_only=True)}
    finally:
        wb.close()
    assert overview["Thư mục báo cáo"] == str(out)
    assert main(["batch", str(plans), "--lang", "fr"]) == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_portfolio_labels_come_from_every_catalogue() -> None:
    from addin.i18n import LANGS, say

    labels = {lang: say(lang, "portfolio.reports_folder") for lang in LANGS}
    assert labels["en"] == "Reports folder" and len(set(labels.values())) == len(LANGS)
    for key in ("batch", "reports_written", "portfolio_written"):
        assert len({say(lang, f"summary.{key}", total=1, checked=1, up_to_date=0, failed=0,
                        path="p") for lang in LANGS}) == len(LANGS)


def test_progress_speaks_the_batch_language() -> None:
    log = io.StringIO()
    p = Progress(2, log, tty=False, lang="vi")
    p.update(failed=True)
    p.update(failed=False)
    lines = log.getvalue().splitlines()
    assert lines[0].startswith("1/2 kế hoạch (50%), 1 không kiểm tra được, ")
    assert "kế hoạch/giây, còn khoảng " in lines[0] and "giây" in lines[0].rsplit(",", 1)[1]
    assert lines[-1].startswith("2/2 kế hoạch (100%)") and "plans" not in log.getvalue()


def test_failures_name_the_plan_by_its_path_in_the_folder(tmp_path: Path) -> None:
    from addin.batch import PlanJob, _named_as_in_folder

    plan = tmp_path / "unit" / "a.xlsx"
    job = PlanJob(plan, "unit/a.xlsx", tmp_path / "r.xlsx", "r.xlsx", tmp_path / "i.json")
    assert _named_as_in_folder(f"{plan}: damaged", job) == "unit/a.xlsx: damaged"
    assert _named_as_in_folder("a.xlsx: no plan found", job) == "unit/a.xlsx: no plan found"
    assert _named_as_in_folder("something else", job) == "something else"
