"""Analysis rules on hand-made matches, so they hold whatever the matcher answers."""

from __future__ import annotations

from datetime import date

from addin.analysis import analyse, verdict
from addin.model import Duty, Executive, Match, Plan, Profiles, RaciActivity


def _match(text: str, rid: str | None, profiles: Profiles) -> Match:
    role = profiles.by_id()[rid].role if rid else None
    return Match(text=text, lang="en", responsibility=rid, role=role, confidence=0.9,
                 evidence=())


def _plan(*rows: tuple[str, str]) -> Plan:
    execs = (
        Executive("Ann", "CTO", "CTO", "Zoe"),
        Executive("Bob", "Chief Information Officer", "CIO", "CEO"),
        Executive("Cat", "VP Engineering", None, "Ann"),
        Executive("Zoe", "Chief Executive Officer", None, ""),
    )
    duties = tuple(Duty(who, text, "Plan", f"B{i + 2}") for i, (who, text) in enumerate(rows))
    return Plan("p.xlsx", execs, duties)


def test_verdicts(profiles: Profiles) -> None:
    m = _match("x", "cio.it_operations", profiles)
    assert verdict("CIO", m, profiles) == "aligned"
    assert verdict("CTO", m, profiles) == "misfit"
    assert verdict(None, m, profiles) == "other"
    shared = _match("x", "cio.it_infrastructure", profiles)
    assert verdict("CTO", shared, profiles) == "shared"
    none = _match("x", None, profiles)
    assert verdict("CTO", none, profiles) == "out_of_scope"
    assert verdict(None, none, profiles) == "other"


def test_findings_gap_overlap_misfit_and_coverage(profiles: Profiles) -> None:
    rows = [
        ("Ann", "strategy"), ("Ann", "helpdesk"), ("Ann", "lunch"),
        ("Cat", "engineering"), ("Ann", "engineering 2"),
        ("Bob", "infra"),
    ]
    plan = _plan(*rows)
    ids = ["cto.technology_strategy", "cio.it_operations", None, "cto.engineering_rnd",
           "cto.engineering_rnd", "cio.it_infrastructure"]
    report = analyse(plan, [_match(t, i, profiles) for (_, t), i in
                            zip(rows, ids, strict=True)], profiles)
    kinds = [(f.kind, f.responsibility) for f in report.findings]
    assert ("misfit", "cio.it_operations") in kinds
    assert ("overlap", "cto.engineering_rnd") in kinds
    assert ("out_of_scope", None) in kinds
    gaps = {f.responsibility for f in report.findings if f.kind == "gap"}
    assert "cto.new_products" in gaps and "cio.it_operations" not in gaps
    assert len(gaps) == len(profiles.responsibilities()) - 4
    # reporting line: Ann reports to Zoe, whose title is CEO, so no finding
    assert report.counts["reporting_line"] == 0
    assert report.coverage["CTO"] == round(2 / len(profiles.profile("CTO").responsibilities), 4)
    assert report.coverage["CIO"] == round(1 / len(profiles.profile("CIO").responsibilities), 4)
    status = {s.id: s.status for s in report.responsibilities}
    assert status["cio.it_operations"] == "held_elsewhere"
    assert status["cto.engineering_rnd"] == "overlap"
    assert status["cio.it_infrastructure"] == "held"
    # most severe first
    order = [f.kind for f in report.findings]
    assert order.index("gap") < order.index("misfit") < order.index("overlap")
    misfit = next(f for f in report.findings if f.kind == "misfit")
    assert misfit.executives == ("Ann",) and misfit.duties == ("helpdesk",)
    assert misfit.duty_rows == (1,)


def test_reporting_line_and_missing_role(profiles: Profiles) -> None:
    execs = (Executive("Ann", "CTO", "CTO", "COO"), Executive("Dan", "COO", None, ""))
    plan = Plan("p.xlsx", execs, (Duty("Ann", "a", "S", "A1"), Duty("Dan", "b", "S", "A2")))
    report = analyse(plan, [_match("a", "cto.architecture", profiles),
                            _match("b", "cio.it_operations", profiles)], profiles)
    line = [f for f in report.findings if f.kind == "reporting_line"]
    assert len(line) == 1 and "COO" in line[0].message
    missing = [f for f in report.findings if f.kind == "missing_role"]
    assert len(missing) == 1 and missing[0].executives == ("Dan",)
    assert "CIO" in missing[0].message and "Dan" in missing[0].message
    assert report.coverage["CIO"] == 0.0


def test_raci_findings(profiles: Profiles) -> None:
    plan = Plan("p.xlsx", (Executive("Ann", "CTO", "CTO"),), (), raci=(
        RaciActivity("Budget", "R", "A2", (), ("Ann",)),
        RaciActivity("Roadmap", "R", "A3", ("Ann", "Bob"), ()),
        RaciActivity("Fine", "R", "A4", ("Ann",), ()),
    ))
    report = analyse(plan, [], profiles)
    assert report.counts["raci_no_accountable"] == 1
    assert report.counts["raci_multiple_accountable"] == 1
    multi = next(f for f in report.findings if f.kind == "raci_multiple_accountable")
    assert multi.executives == ("Ann", "Bob") and "Roadmap" in multi.message


def test_combined_title_holds_both_roles(profiles: Profiles) -> None:
    from addin.api import check_workbook
    from addin.model import SheetData, WorkbookData
    from addin.report_json import report_to_json
    from addin.report_model import build_report_book

    for title in ("CTO/CIO", "CTO & CIO", "CTO kiêm CIO",
                  "Chief Technology & Information Officer",
                  "Giám đốc công nghệ kiêm giám đốc thông tin",
                  "Giám đốc công nghệ và thông tin", "Giam doc thong tin va cong nghe",
                  "প্রধান প্রযুক্তি ও তথ্য কর্মকর্তা", "Chief Information & Technology Officer"):
        rows = (("Executive", "Title", "Reports to", "Duty"),
                ("Linh", title, "Tom", "Set the technology strategy and roadmap"),
                (None, None, None, "Run the IT helpdesk and keep internal systems running"),
                ("Tom", "CEO", None, "Raise money from investors"))
        book = WorkbookData("one.xlsx", (SheetData("Plan", rows),))
        report = check_workbook(book, profiles=profiles)
        linh = report.plan.executives[0]
        assert (linh.role, linh.roles, linh.role_label) == ("CTO", ("CTO", "CIO"),
                                                             "CTO/CIO"), title
        assert report.role_holders == {"CTO": ("Linh",), "CIO": ("Linh",)}
        assert report.counts["missing_role"] == 0 and report.counts["misfit"] == 0, title
        assert [r.verdict for r in report.duties[:2]] == ["aligned", "aligned"]
        assert report.coverage["CTO"] > 0 and report.coverage["CIO"] > 0
        data = report_to_json(report)
        assert data["executives"][0]["role"] == "CTO"
        assert data["executives"][0]["roles"] == ["CTO", "CIO"]
        book = build_report_book(report, profiles, checked_on=date(2026, 1, 1))
        cells = [c.value for s in book.sheets for row in s.rows for c in row]
        assert "CTO/CIO" in cells


def test_combined_title_reporting_line_and_verdicts(profiles: Profiles) -> None:
    both = ("CTO", "CIO")
    assert verdict(both, _match("x", "cio.it_operations", profiles), profiles) == "aligned"
    assert verdict(both, _match("x", None, profiles), profiles) == "out_of_scope"
    execs = (Executive("Linh", "CTO/CIO", reports_to="Board", roles=both),
             Executive("Board", "Board of directors"))
    plan = Plan("p.xlsx", execs, (Duty("Linh", "infra", "Plan", "B2"),))
    report = analyse(plan, [_match("infra", "cio.it_infrastructure", profiles)], profiles)
    assert report.counts["reporting_line"] == 1
    assert report.counts["missing_role"] == 0


def test_shared_verdict_names_the_holders_side_of_the_pair(profiles: Profiles) -> None:
    from addin.report_json import report_to_json
    from addin.report_model import build_report_book

    plan = _plan(("Ann", "run the servers"), ("Bob", "servers too"))
    straddle = Match(text="servers too", lang="en", responsibility="cio.it_infrastructure",
                     role="CIO", confidence=0.5, evidence=(), shared_with="cto.architecture")
    report = analyse(plan, [_match("run the servers", "cio.it_infrastructure", profiles),
                            straddle], profiles)
    ann, bob = report.duties
    assert (ann.verdict, ann.shared_with) == ("shared", "cto.architecture")
    # the matcher's straddle partner is kept as it is
    assert (bob.verdict, bob.shared_with) == ("aligned", "cto.architecture")
    assert [d["shared_with"] for d in report_to_json(report)["duties"]] == [
        "cto.architecture", "cto.architecture"]
    book = build_report_book(report, profiles, checked_on=date(2026, 1, 1))
    duties = next(s for s in book.sheets
                  if s.rows and any(c.value == "Shared with" for c in s.rows[0]))
    col = [c.value for c in duties.rows[0]].index("Shared with")
    assert [row[col].value for row in duties.rows[1:]] == ["cto.architecture"] * 2
    # an aligned or misfit duty has no partner
    misfit = analyse(_plan(("Ann", "helpdesk")),
                     [_match("helpdesk", "cio.it_operations", profiles)], profiles)
    assert misfit.duties[0].shared_with is None
