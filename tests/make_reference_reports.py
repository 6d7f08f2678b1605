"""Regenerate the committed reference reports (and the README picture) after an intended change.

    .venv/bin/python tests/make_reference_reports.py            # reference workbooks
    .venv/bin/python tests/make_reference_reports.py --picture  # also the README page image

The reference reports come from a fixed, hand-made report (``sample_report``), so they
change only when the report layout, styles or wording change, never with the matcher.
tests/test_xlsx_writer.py compares what rolefit writes now with them, cell by cell.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from addin.i18n import say  # noqa: E402
from addin.model import (  # noqa: E402
    FINDING_KINDS,
    Duty,
    DutyResult,
    Executive,
    Finding,
    Match,
    Note,
    Plan,
    Profile,
    Profiles,
    Report,
    Responsibility,
    ResponsibilityStatus,
    SharedPair,
    SheetRead,
    Source,
)
from addin.report_model import ReportBook, build_report_book  # noqa: E402

DATA = ROOT / "tests" / "data"
REFERENCE = DATA / "reference"
#: The page image the README shows (first page of the Summary, printed by LibreOffice).
PICTURE = DATA / "report-summary.png"
CHECKED_ON = date(2027, 3, 1)
PLAN_FILE = "lotus-plan.xlsx"
LANGS = ("en", "vi", "bn")

# (id, role, English name, Vietnamese name, Bengali name); descriptions are made up for tests
_RESPONSIBILITIES = (
    ("cto.vision", "CTO", "Technology vision", "Tầm nhìn công nghệ", "প্রযুক্তি দৃষ্টিভঙ্গি"),
    ("cto.architecture", "CTO", "Product architecture", "Kiến trúc sản phẩm",
     "পণ্যের স্থাপত্য"),
    ("cto.engineering", "CTO", "Engineering teams", "Đội ngũ kỹ sư", "প্রকৌশল দল"),
    ("cto.innovation", "CTO", "Emerging technology", "Công nghệ mới", "নতুন প্রযুক্তি"),
    ("cio.operations", "CIO", "IT operations", "Vận hành CNTT", "আইটি পরিচালনা"),
    ("cio.security", "CIO", "Information security", "An toàn thông tin", "তথ্য নিরাপত্তা"),
    ("cio.it_department", "CIO", "Internal IT department", "Phòng CNTT nội bộ",
     "অভ্যন্তরীণ আইটি বিভাগ"),
    ("cio.business_systems", "CIO", "Business systems", "Hệ thống nghiệp vụ",
     "ব্যবসায়িক সিস্টেম"),
)


def sample_profiles() -> Profiles:
    """Two small profiles with paraphrases in every report language."""
    by_role: dict[str, list[Responsibility]] = {"CTO": [], "CIO": []}
    for i, (rid, role, en, vi, bn) in enumerate(_RESPONSIBILITIES):
        by_role[role].append(Responsibility(
            id=rid, role=role, name=en, description=f"{en}: what the role does about it.",
            sources=(Source("002_sample.txt", i + 2),),
            translations={"vi": (vi, f"{vi}: việc vai trò này làm."),
                          "bn": (bn, f"{bn}: এই ভূমিকার কাজ।")}))
    profiles = tuple(
        Profile(role=role, name=role, focus="", titles=(role,),
                responsibilities=tuple(by_role[role])) for role in ("CTO", "CIO"))
    return Profiles(profiles=profiles,
                    shared=(SharedPair("cto.architecture", "cio.business_systems",
                                       "design vs run"),),
                    ceo_titles=("CEO",), version="sample-1")


_EXECUTIVES = (
    Executive("Daniel Okafor", "CTO", "CTO", "Marco Bianchi"),
    Executive("Nguyễn Thu Hà", "Chief Information Officer", "CIO", "Sarah Lim"),
    Executive("Priya Nair", "VP Engineering", None, "Daniel Okafor"),
    Executive("Marco Bianchi", "Chief Operating Officer", None, "Sarah Lim"),
)

# (executive, duty text, matched responsibility or None, confidence, evidence, verdict)
_DUTIES = (
    ("Daniel Okafor", "Set the technology vision & roadmap", "cto.vision", 0.91,
     ("technology", "vision"), "aligned"),
    ("Daniel Okafor", "Design the platform architecture", "cto.architecture", 0.84,
     ("architecture",), "aligned"),
    ("Daniel Okafor", "Run the IT service desk", "cio.operations", 0.77,
     ("service desk",), "misfit"),
    ("Daniel Okafor", "=SUM(A1) looks like a formula but is a duty", None, 0.1, (),
     "out_of_scope"),
    ("Nguyễn Thu Hà", "Vận hành máy chủ và mạng cửa hàng", "cio.operations", 0.88,
     ("vận hành", "máy chủ"), "aligned"),
    ("Nguyễn Thu Hà", "তথ্য নিরাপত্তা কর্মসূচির দায়িত্ব", "cio.security", 0.8,
     ("নিরাপত্তা",), "aligned"),
    ("Nguyễn Thu Hà", "Roll out the new ERP", "cio.business_systems", 0.7, ("erp",),
     "aligned"),
    ("Priya Nair", "Lead the software engineering teams", "cto.engineering", 0.86,
     ("engineering", "teams"), "other"),
    ("Priya Nair", "Coach the engineering managers", "cto.engineering", 0.65,
     ("engineering",), "other"),
    ("Marco Bianchi", "Negotiate the head-office lease", None, 0.05, (), "other"),
)


def sample_report(lang: str = "en") -> Report:
    """A checked plan with one of most kinds of finding, messages said in ``lang``."""
    profiles = sample_profiles()
    by_id = profiles.by_id()
    duties = tuple(Duty(who, text, "Leadership plan", f"D{i + 5}")
                   for i, (who, text, *_) in enumerate(_DUTIES))
    results = tuple(
        DutyResult(d, Match(text=d.text, lang="en" if i not in (4, 5) else ("vi", "bn")[i - 4],
                            responsibility=rid, role=by_id[rid].role if rid else None,
                            confidence=conf, evidence=ev), verdict)
        for i, (d, (_, _, rid, conf, ev, verdict)) in enumerate(zip(duties, _DUTIES, strict=True)))
    plan = Plan(name="lotus-plan.xlsx", executives=_EXECUTIVES, duties=duties,
                sheets=(SheetRead("Leadership plan", "long", 4, len(duties)),
                        SheetRead("Notes", "skipped", notes=(Note("note.empty_sheet"),))))

    def name(rid: str) -> str:
        return by_id[rid].text(lang)[0]

    def finding(kind: str, rid: str | None, execs: tuple[str, ...], rows: tuple[int, ...],
                key: str | None = None, **params: str) -> Finding:
        return Finding(kind, rid, execs, tuple(duties[r].text for r in rows),
                       say(lang, f"message.{key or kind}", **params), rows, params)

    findings = (
        finding("gap", "cto.innovation", (), (), responsibility=name("cto.innovation"),
                role="CTO"),
        finding("gap", "cio.it_department", (), (), responsibility=name("cio.it_department"),
                role="CIO"),
        finding("misfit", "cio.operations", ("Daniel Okafor",), (2,),
                executive="Daniel Okafor", holder_role="CTO",
                responsibility=name("cio.operations"), role="CIO"),
        finding("overlap", "cio.operations", ("Daniel Okafor", "Nguyễn Thu Hà"), (2, 4),
                responsibility=name("cio.operations"), role="CIO", count="2",
                executives="Daniel Okafor, Nguyễn Thu Hà"),
        finding("reporting_line", None, ("Daniel Okafor",), (), executive="Daniel Okafor",
                reports_to="Marco Bianchi"),
        finding("out_of_scope", None, ("Daniel Okafor",), (3,), executive="Daniel Okafor",
                holder_role="CTO"),
    )
    statuses = (
        ResponsibilityStatus("cto.vision", "CTO", "held", ("Daniel Okafor",)),
        ResponsibilityStatus("cto.architecture", "CTO", "held", ("Daniel Okafor",)),
        ResponsibilityStatus("cto.engineering", "CTO", "held_elsewhere", ("Priya Nair",)),
        ResponsibilityStatus("cto.innovation", "CTO", "gap", ()),
        ResponsibilityStatus("cio.operations", "CIO", "overlap",
                             ("Daniel Okafor", "Nguyễn Thu Hà")),
        ResponsibilityStatus("cio.security", "CIO", "held", ("Nguyễn Thu Hà",)),
        ResponsibilityStatus("cio.it_department", "CIO", "gap", ()),
        ResponsibilityStatus("cio.business_systems", "CIO", "held", ("Nguyễn Thu Hà",)),
    )
    counts = {k: sum(f.kind == k for f in findings) for k in FINDING_KINDS}
    return Report(plan=plan, duties=results, responsibilities=statuses, findings=findings,
                  coverage={"CTO": 0.5, "CIO": 0.75}, counts=counts,
                  role_holders={"CTO": ("Daniel Okafor",), "CIO": ("Nguyễn Thu Hà",)},
                  profiles_version=profiles.version, lang=lang)


def sample_book(lang: str = "en") -> ReportBook:
    """The sample report laid out, as on the fixed check date."""
    return build_report_book(sample_report(lang), sample_profiles(), checked_on=CHECKED_ON,
                             plan_file=PLAN_FILE)


def reference_path(lang: str) -> Path:
    return REFERENCE / f"report-{lang}.xlsx"


def write_references() -> list[Path]:
    """Write the reference workbook of every report language."""
    from addin.xlsx_writer import render

    REFERENCE.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in LANGS:
        path = reference_path(lang)
        path.write_bytes(render(sample_book(lang)))
        written.append(path)
    return written


def write_picture() -> Path:
    """Print the English reference report with LibreOffice and keep its first page as PNG."""
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        raise SystemExit("the README picture needs LibreOffice (soffice) and pdftoppm")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", str(work), str(reference_path("en"))],
                       check=True, capture_output=True, timeout=180)
        subprocess.run([pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(work / "report-en.pdf"), str(work / "page")], check=True,
                       timeout=60)
        shutil.copyfile(work / "page.png", PICTURE)
    return PICTURE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--picture", action="store_true",
                        help="also print the README page image (needs LibreOffice)")
    args = parser.parse_args()
    for path in write_references():
        print(f"wrote {path.relative_to(ROOT)}")
    if args.picture:
        print(f"wrote {write_picture().relative_to(ROOT)}")


if __name__ == "__main__":
    main()
