"""The report layout (ReportBook): reading order, links, charts, heat-map, print and language."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from make_reference_reports import LANGS, PLAN_FILE, sample_book, sample_profiles, sample_report

from addin.i18n import catalogue, say
from addin.model import FINDING_KINDS
from addin.report_model import (
    Cell,
    ReportBook,
    ReportSheet,
    a1,
    coverage_counts,
    heat_colour,
)


def _cell_at(sheet: ReportSheet, ref: str) -> Cell:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    assert m, ref
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return sheet.rows[int(m.group(2)) - 1][col - 1]


def _value(sheet: ReportSheet, r: int, c: int) -> object:
    return sheet.rows[r][c].value


def _header_index(sheet: ReportSheet, lang: str, key: str) -> int:
    label = catalogue(lang)[f"label.{key}"]
    return [c.value for c in sheet.rows[0]].index(label)


@pytest.fixture(scope="module")
def book() -> ReportBook:
    return sample_book("en")


def test_sheets_in_reading_order(book: ReportBook) -> None:
    assert [s.name for s in book.sheets] == ["Summary", "Findings", "Coverage", "Duties",
                                            "Profiles"]
    for sheet in book.sheets:
        for row in sheet.rows:
            for cell in row:
                assert cell.style in book.styles, (sheet.name, cell)


def test_summary_answers_first_in_five_lines(book: ReportBook) -> None:
    report = sample_report("en")
    summary = book.sheet("Summary")
    assert summary.rows[2][0].value == "The plan needs work: 6 findings. Fix these first:"
    assert summary.rows[2][0].style == "warn"
    top = summary.rows[4:9]
    assert [r[0].value for r in top] == [catalogue("en")[f"kind.{f.kind}"]
                                         for f in report.findings[:5]]
    severity = [FINDING_KINDS.index(f.kind) for f in report.findings[:5]]
    assert severity == sorted(severity)  # most severe first
    first = top[0]
    assert first[1].value == "Emerging technology"  # the responsibility
    assert first[4].value == "Give this responsibility to the CTO."  # what to do
    misfit = top[2]
    assert misfit[2].value == "Daniel Okafor"  # who
    # every finding links to its duty rows (or to its own row when it has no duty)
    for i, row in enumerate(top):
        link = row[5].link
        assert link is not None
        f = report.findings[i]
        if f.duty_rows:
            target = _cell_at(book.sheet(link.sheet), link.cell)
            assert link.sheet == "Duties"
            assert target.value == report.duties[f.duty_rows[0]].duty.executive
        else:
            assert link.sheet == "Findings" and link.cell == f"A{i + 2}"
    more = summary.rows[9][3]
    assert more.value == "1 more findings on the Findings sheet" and more.link is not None


def test_no_findings_says_the_plan_is_sound() -> None:
    from dataclasses import replace

    report = sample_report("en")
    clean = replace(report, findings=(), counts=dict.fromkeys(FINDING_KINDS, 0))
    from make_reference_reports import CHECKED_ON

    from addin.report_model import build_report_book

    summary = build_report_book(clean, sample_profiles(), checked_on=CHECKED_ON).sheets[0]
    assert summary.rows[2][0].style == "ok"
    assert summary.rows[2][0].value.startswith("The plan is sound")


def test_findings_link_to_every_duty_row(book: ReportBook) -> None:
    report = sample_report("en")
    sheet = book.sheet("Findings")
    col = _header_index(sheet, "en", "duty_rows")
    overlap = next(i for i, f in enumerate(report.findings) if f.kind == "overlap")
    cell = sheet.rows[overlap + 1][col]
    assert cell.value == "Duties rows 4, 6"
    assert cell.link is not None and cell.link.cell == "A4"


def test_duty_rows_link_to_plan_cell_profile_and_finding(book: ReportBook) -> None:
    report = sample_report("en")
    duties = book.sheet("Duties")
    profiles = book.sheet("Profiles")
    cell_col = _header_index(duties, "en", "cell")
    resp_col = _header_index(duties, "en", "responsibility_id")
    finding_col = _header_index(duties, "en", "finding")
    for i, result in enumerate(report.duties):
        row = duties.rows[i + 1]
        source = row[cell_col].link
        assert source is not None
        assert (source.file, source.sheet, source.cell) == (PLAN_FILE, result.duty.sheet,
                                                          result.duty.cell)
        rid = result.match.responsibility
        if rid:
            target = row[resp_col].link
            assert target is not None and target.sheet == "Profiles"
            assert _cell_at(profiles, target.cell.replace("A", "B")).value == rid
        else:
            assert row[resp_col].link is None
    # the misfit duty (row 3) links back to the first finding that names it
    link = duties.rows[3][finding_col].link
    assert link is not None and link.sheet == "Findings"
    assert _cell_at(book.sheet("Findings"), link.cell.replace("A", "B")).value == "Misfit"


def test_summary_charts_read_the_numbers_they_show(book: ReportBook) -> None:
    report = sample_report("en")
    summary = book.sheet("Summary")
    coverage, kinds = summary.charts
    assert coverage.kind == "stacked_bar" and len(coverage.series) == 3
    r0, _, r1, _ = coverage.categories
    counts = coverage_counts(report)
    for i, role in enumerate(("CTO", "CIO")):
        assert _value(summary, r0 + i, 0) == role
        shown = tuple(_value(summary, rng[0] + i, rng[1]) for _, rng, _ in coverage.series)
        assert shown == counts[role]
    assert counts["CTO"] == (2, 1, 1)  # overlap held by the CIO counts as held by the holder
    assert counts["CIO"] == (3, 0, 1)
    assert r1 - r0 == 1
    k0, _, k1, _ = kinds.categories
    (_, (v0, vc, v1, _), _), = kinds.series
    assert (k0, k1) == (v0, v1)
    assert [_value(summary, r, vc) for r in range(v0, v1 + 1)] == [report.counts[k]
                                                                  for k in FINDING_KINDS]
    # the charts sit in the empty band under the five lines, side by side
    for chart in (coverage, kinds):
        m = re.fullmatch(r"[A-Z]+(\d+)", chart.anchor)
        assert m is not None
        assert not summary.rows[int(m.group(1)) - 1]


def test_coverage_heat_map_has_a_scale_and_legend(book: ReportBook) -> None:
    sheet = book.sheet("Coverage")
    execs = [e.key for e in sample_report().plan.executives]
    assert [c.value for c in sheet.rows[0][5:]] == execs
    (scale,) = sheet.scales
    assert (scale.first_row, scale.first_col) == (1, 5)
    assert scale.last_col == 4 + len(execs) and scale.min_value == 0
    ops = sheet.rows[5]  # cio.operations: one duty of Daniel, one of Hà
    assert ops[1].value == "cio.operations"
    assert [c.value for c in ops[5:]] == [1, 1, None, None]
    legend = sheet.rows[-1]
    assert legend[2].value == "Duties matched (colour scale):"
    swatches = [c for c in legend[5:] if c.value is not None]
    assert [c.value for c in swatches] == [1, 2]
    top = 2
    for c in swatches:
        assert book.styles[c.style].fill == heat_colour(float(c.value or 0), top)


def test_heat_colour_and_a1() -> None:
    assert heat_colour(0, 4) == "#FFFFFF"
    assert heat_colour(4, 4) == "#2F75B5"
    assert heat_colour(9, 4) == "#2F75B5"
    assert a1(0, 0) == "A1" and a1(9, 27) == "AB10"


def test_print_layout(book: ReportBook) -> None:
    for sheet in book.sheets:
        assert sheet.landscape
        if sheet.name != "Summary":
            assert sheet.table is not None and sheet.table.header_row == 0
            assert sheet.freeze[0] == 1
    assert book.page_label == "Page {page} of {pages}"


# ---------------------------------------------------------------- languages


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", ["vi", "bn"])
def test_catalogues_translate_every_message(lang: str) -> None:
    import yaml

    from addin.i18n import _flatten
    from addin.resources import data_dir

    en = catalogue("en")
    own = _flatten(yaml.safe_load((data_dir("templates") / "i18n" / f"{lang}.yaml")
                                  .read_text(encoding="utf-8")))
    assert set(own) == set(en), "every key translated, none invented"
    for key, text in own.items():
        assert _placeholders(text) == _placeholders(en[key]), key
    # a message of placeholders and punctuation alone reads the same in every language
    same = [k for k, v in own.items() if v == en[k] and not re.fullmatch(r"[#A-Z:{}\s]*", v)
            and re.sub(r"\{\w+\}", "", v).strip(" ,:") != ""]
    assert same == [], "left in English"


@pytest.mark.parametrize("lang", LANGS)
def test_book_in_each_language(lang: str) -> None:
    book = sample_book(lang)
    words = catalogue(lang)
    assert [s.name for s in book.sheets] == [words[f"sheet.{k}"] for k in
                                            ("summary", "findings", "coverage", "duties",
                                             "profiles")]
    assert book.lang == lang and book.page_label == words["label.page"]
    # profile paraphrases in the report language, names and duty texts as written
    profiles = book.sheets[4]
    ids = [r[1].value for r in profiles.rows[1:]]
    by_id = sample_profiles().by_id()
    assert [r[2].value for r in profiles.rows[1:]] == [by_id[i].text(lang)[0] for i in ids]
    duties = book.sheets[3]
    assert duties.rows[1][0].value == "Daniel Okafor"
    assert duties.rows[5][4].value == "Vận hành máy chủ và mạng cửa hàng"
    # every link inside the report lands on a real cell
    names = {s.name: s for s in book.sheets}
    for sheet in book.sheets:
        for row in sheet.rows:
            for cell in row:
                if cell.link and cell.link.file is None:
                    target = _cell_at(names[cell.link.sheet], cell.link.cell)
                    assert target.value not in (None, "")


def test_vietnamese_summary_reads_vietnamese() -> None:
    summary = sample_book("vi").sheets[0]
    assert summary.rows[2][0].value.startswith("Kế hoạch cần điều chỉnh: 6 phát hiện")
    assert summary.rows[4][0].value == "Khoảng trống"
    assert summary.rows[4][1].value == "Công nghệ mới"
    assert summary.rows[4][4].value == "Giao trách nhiệm này cho CTO."


def test_bengali_summary_reads_bengali() -> None:
    summary = sample_book("bn").sheets[0]
    assert summary.rows[2][0].value.startswith("পরিকল্পনায় সংশোধন দরকার: 6টি পর্যবেক্ষণ")
    assert summary.rows[4][1].value == "নতুন প্রযুক্তি"


def test_long_text_is_capped() -> None:
    from addin.report_model import MAX_SHOWN, shown

    assert shown("x" * 5) == "xxxxx"
    assert len(shown("y" * 5000)) == MAX_SHOWN


# ---------------------------------------------------------------- how the sheets were read

_LAYOUTS = Path(__file__).resolve().parent / "data" / "layouts"
#: Plans whose sheets between them give every kind of sheet note: long lists, RACI
#: matrices, per-executive sheets, Excel tables, skipped sheets and cells not read.
_NOTE_PLANS = ("long_messy.xlsx", "per_executive.xlsx", "raci_messy.xlsx", "tables.xlsx",
               "long_bengali_bom.csv")


def _english_note_words() -> set[str]:
    """Lower-case words of the English sheet notes (field names left out)."""
    en = catalogue("en")
    found: set[str] = set()
    for key, text in en.items():
        if key.startswith(("note.", "skip.")):
            found |= set(re.findall(r"\b[a-z]{2,}\b", re.sub(r"\{[^}]*\}", " ", text)))
    return found


def _sheets_read_notes(lang: str) -> list[str]:
    from addin import api

    notes = []
    for name in _NOTE_PLANS:
        report = api.check_file(_LAYOUTS / name, lang=lang)
        summary = api.report_book(report, profiles=sample_profiles()).sheets[0]
        values = [row[0].value if row else None for row in summary.rows]
        first = values.index(say(lang, "label.sheets_read")) + 2  # under its header row
        rows = summary.rows[first:first + len(report.plan.sheets)]
        assert [r[0].value for r in rows] == [s.name for s in report.plan.sheets]
        notes += [str(r[4].value) for r in rows]
    return notes


@pytest.mark.parametrize("lang", ["vi", "bn"])
def test_sheets_read_notes_speak_the_report_language(lang: str) -> None:
    english = _english_note_words()
    notes = _sheets_read_notes(lang)
    assert all(notes)
    left = {n: sorted(english & set(re.findall(r"\b[a-z]{2,}\b", n))) for n in notes}
    assert {n: w for n, w in left.items() if w} == {}
    # the same rows in English do use those words, so the check above can catch them
    assert all(english & set(re.findall(r"\b[a-z]{2,}\b", n)) for n in _sheets_read_notes("en"))
