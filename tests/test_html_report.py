"""The HTML report: the same book as one self-contained page, and ``rolefit check --html``."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from make_reference_reports import LANGS, sample_book

from addin.cli import main
from addin.html_report import render_html, sheet_id
from addin.report_model import Cell, ReportSheet


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if a.get("href") is not None:
            self.hrefs.append(a["href"] or "")
        if a.get("src") is not None:
            self.srcs.append(a["src"] or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


@pytest.mark.parametrize("lang", LANGS)
def test_page_is_self_contained_and_links_resolve(lang: str) -> None:
    book = sample_book(lang)
    html = render_html(book)
    page = _parse(html)
    assert f'<html lang="{lang}">' in html
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert page.srcs == []
    assert page.tags.count("svg") == 2  # the two Summary charts, drawn inline
    for href in page.hrefs:
        if href.startswith("#"):
            assert href[1:] in page.ids, href
        else:
            assert href == "lotus-plan.xlsx"  # the plan, relative to the report
    assert all(sheet_id(s.name) in page.ids for s in book.sheets)
    text = "".join(page.text)
    assert book.sheets[0].rows[2][0].value in text  # the verdict line


def test_page_shows_heat_map_colours_and_chart_numbers() -> None:
    from addin.report_model import heat_colour

    html = render_html(sample_book("en"))
    # the sample's busiest cell holds 2 duties; the scale runs from 0 to it
    assert f'style="background:{heat_colour(1, 2)}"' in html
    assert f'style="background:{heat_colour(2, 2)}"' in html
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert "Coverage of each profile" in svg and "Held by the role holder" in svg


def test_user_text_is_escaped() -> None:
    book = sample_book("en")
    evil = ReportSheet("X", ((Cell("<script>alert(1)</script>", "text"),),), (10,))
    html = render_html(replace(book, sheets=(*book.sheets, evil)))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_plan_named_like_a_url_scheme_stays_a_file_link() -> None:
    from addin.report_model import Link

    book = sample_book("en")
    sheet = ReportSheet("X", ((Cell("D5", "link", Link("Plan", "D5", "javascript:x.xlsx")),),),
                        (10,))
    page = _parse(render_html(replace(book, sheets=(sheet,))))
    assert page.hrefs[-1] == "./javascript:x.xlsx"


def test_check_writes_html(tmp_path: Path) -> None:
    from addin.demo import write_example_plan

    plan = write_example_plan(tmp_path / "plan.xlsx")
    out = tmp_path / "mail" / "report.html"
    out.parent.mkdir()
    assert main(["check", str(plan), "--html", str(out), "--lang", "vi"]) == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="vi">' in html and "Tóm tắt" in html
    assert 'href="../plan.xlsx"' in html
    assert (tmp_path / "plan.rolefit.xlsx").is_file()


def test_check_without_html_does_not_load_jinja2(tmp_path: Path) -> None:
    from addin.demo import write_example_plan

    plan = write_example_plan(tmp_path / "plan.xlsx")
    code = ("import sys; from addin.cli import main; rc = main(['check', sys.argv[1]]); "
            "print(rc, 'jinja2' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(plan)], capture_output=True,
                          text=True, timeout=120, check=True)
    assert re.search(r"^0 False$", done.stdout, re.M), done.stdout
