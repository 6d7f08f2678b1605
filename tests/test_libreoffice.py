"""Proof that real spreadsheet software opens our reports: LibreOffice reads them back.

Every report kind (the sample report and the demo plan in each language, and a generated
500-duty plan) is opened by headless LibreOffice and exported, every sheet, to CSV; the
values must be the ones the ReportBook meant to write. One report is also printed to PDF
and a page turned into PNG, to prove the print setup (landscape, header, page numbers).
All conversions run in two soffice calls, so the whole module takes seconds, not minutes.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from make_reference_reports import LANGS, sample_book

from addin import api
from addin.model import SheetData, WorkbookData
from addin.report_model import ReportBook
from addin.xlsx_writer import render

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent"),
]

#: CSV export options: comma, double quote, UTF-8, from row 1, raw values (not as shown),
#: and -1 = every sheet to its own file "<name>-<sheet>.csv" (LibreOffice 7.2 and later).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
TIMEOUT = 300


@dataclass(frozen=True)
class Converted:
    folder: Path
    books: dict[str, ReportBook]
    pdf: Path


def _soffice(profile: Path, target: str, outdir: Path, files: list[Path]) -> None:
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--norestore", "--convert-to", target, "--outdir", str(outdir),
                    *map(str, files)], check=True, capture_output=True, timeout=TIMEOUT)


def big_plan(duties: int = 500) -> WorkbookData:
    """A generated plan: ten executives sharing ``duties`` varied duty lines."""
    from addin.demo import example_plan

    example = example_plan()
    lines = [d for person in example["executives"] for d in person["duties"]]
    people = [("Ana Costa", "Chief Technology Officer"), ("Bình Trần", "CIO"),
              ("Chidi Eze", "VP Engineering"), ("Dara Sok", "Head of IT"),
              ("Eva Lund", "Chief Operating Officer"), ("Farid Khan", "CFO"),
              ("Gita Roy", "Head of Data"), ("Hana Sato", "Head of Security"),
              ("Ivo Petrov", "Head of Product"), ("Jun Park", "Chief Executive Officer")]
    rows: list[tuple[str | None, ...]] = [("Executive", "Title", "Reports to", "Duty")]
    for i in range(duties):
        name, title = people[i * len(people) // duties]
        first = i % (duties // len(people)) == 0
        rows.append((name if first else None, title if first else None,
                     "Jun Park" if first else None,
                     f"{lines[i % len(lines)]} (region {i // len(lines) + 1})"))
    return WorkbookData("big-plan.xlsx", (SheetData("Plan", tuple(rows)),))


def _books() -> dict[str, ReportBook]:
    books = {f"sample-{lang}": sample_book(lang) for lang in LANGS}
    demo = _demo_workbook()
    for lang in LANGS:
        report = api.check_workbook(demo, lang=lang)
        books[f"demo-{lang}"] = api.report_book(report, plan_file="example-plan.xlsx")
    books["big-en"] = api.report_book(api.check_workbook(big_plan(), lang="en"),
                                      plan_file="big-plan.xlsx")
    return books


def _demo_workbook() -> WorkbookData:
    import tempfile

    from addin.demo import write_example_plan

    with tempfile.TemporaryDirectory() as tmp:
        path = write_example_plan(Path(tmp) / "example-plan.xlsx")
        return api.read_plan_file(path)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Converted]:
    folder = tmp_path_factory.mktemp("soffice")
    books = _books()
    files = []
    for name, book in books.items():
        path = folder / f"{name}.xlsx"
        path.write_bytes(render(book))
        files.append(path)
    profile = folder / "profile"  # a private LibreOffice profile: no clash with other runs
    _soffice(profile, CSV_FILTER, folder / "csv", files)
    _soffice(profile, "pdf", folder / "pdf", [folder / "demo-en.xlsx"])
    yield Converted(folder, books, folder / "pdf" / "demo-en.pdf")


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _same(want: object, got: str) -> bool:
    if want is None or want == "":
        return got == ""
    if isinstance(want, bool):
        return got.upper() == str(want).upper()
    if isinstance(want, (int, float)):
        try:
            # LibreOffice writes a percent-formatted number as shown ("50%") even in raw mode
            number = float(got[:-1]) / 100 if got.endswith("%") else float(got)
            return abs(number - float(want)) < 1e-9
        except ValueError:
            return False
    return got == str(want)


@pytest.mark.parametrize("name", [*(f"sample-{x}" for x in LANGS),
                                  *(f"demo-{x}" for x in LANGS), "big-en"])
def test_libreoffice_reads_back_what_we_wrote(converted: Converted, name: str) -> None:
    book = converted.books[name]
    for sheet in book.sheets:
        path = converted.folder / "csv" / f"{name}-{sheet.name}.csv"
        assert path.is_file(), f"LibreOffice wrote no {path.name}"
        got = _read_csv(path)
        wrong = []
        for r, row in enumerate(sheet.rows):
            for c, cell in enumerate(row):
                value = got[r][c] if r < len(got) and c < len(got[r]) else ""
                if not _same(cell.value, value):
                    wrong.append((sheet.name, r + 1, c + 1, cell.value, value))
        assert wrong == [], wrong[:5]
        # nothing extra: LibreOffice sees no values we did not mean to write
        meant = sum(1 for row in sheet.rows for c in row if c.value not in (None, ""))
        seen = sum(1 for row in got for v in row if v != "")
        assert seen == meant, sheet.name
    if name == "big-en":
        assert len(_read_csv(converted.folder / "csv" / "big-en-Duties.csv")) == 501


def test_report_prints_landscape_with_header_and_page_numbers(converted: Converted) -> None:
    pdf = converted.pdf
    assert pdf.is_file()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines()
                     if line.startswith("Pages:")))
    assert 5 <= pages <= 15  # five sheets, each fitted to the page width
    width, height = (float(x) for x in info.split("Page size:")[1].split("pts")[0]
                     .split("x"))
    assert width > height and round(width) == 842  # A4 landscape
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    first = text.split("\f")[0]
    assert "example-plan.xlsx" in first  # the header names the plan
    assert f"Page 1 of {pages}" in first
    assert "The plan needs work" in first  # the Summary comes first
    png = converted.folder / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(png)], check=True, timeout=60)
    image = png.with_suffix(".png")
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert image.stat().st_size > 10_000  # a page with charts, not a blank sheet


def test_readme_picture_is_committed() -> None:
    from make_reference_reports import PICTURE

    data = PICTURE.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
