"""The ribbon adapter (addin.excel_ribbon) against an in-memory stand-in for xlwings.

The stand-in implements only the xlwings calls the adapter makes, models how Excel parses
values it is given (formulas, numbers, the text apostrophe), and records every attribute the
adapter touches; a test checks each of them exists on the real xlwings classes.
"""

from __future__ import annotations

import inspect
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from addin import excel_ribbon
from addin.layout import column_letter
from addin.report_sheets import MARKER

xlwings_main = pytest.importorskip("xlwings.main")

TOUCHED: dict[str, set[str]] = {}


class Recorded:
    """Records the public attributes the adapter reads or sets, per xlwings class."""

    xlwings_class = ""

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_"):
            TOUCHED.setdefault(type(self).xlwings_class, set()).add(name)
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_"):
            TOUCHED.setdefault(type(self).xlwings_class, set()).add(name)
        object.__setattr__(self, name, value)


def _rc(a1: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", a1)
    assert m, a1
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def _area(address: str) -> tuple[int, int, int, int]:
    first, _, last = address.partition(":")
    r0, c0 = _rc(first)
    r1, c1 = _rc(last) if last else (r0, c0)
    return r0, c0, r1, c1


_LITERAL = re.compile(r'"((?:[^"]|"")*)"')


def excel_parse(value: Any) -> tuple[Any, str | None]:
    """What Excel stores for a value given to Range.value: (value, formula)."""
    if not isinstance(value, str):
        return value, None
    if value.startswith("'"):
        return value[1:], None
    if value.startswith("="):
        m = re.fullmatch(r'=HYPERLINK\(((?:"(?:[^"]|"")*"&?)+),((?:"(?:[^"]|"")*"&?)+)\)', value)
        if m is None:
            return "#FORMULA", value
        text = "".join(p.replace('""', '"') for p in _LITERAL.findall(m.group(2)))
        return text, value
    if value.startswith(("+", "-", "@")):
        return "#FORMULA", value
    try:
        return float(value), None
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return "#DATE", None
    return value, None


class Font(Recorded):
    xlwings_class = "Font"

    def __init__(self, rng: Range) -> None:
        self._rng = rng

    def _set(self, key: str, value: Any) -> None:
        self._rng._format(key, value)

    bold = property(lambda self: None, lambda self, v: self._set("bold", v))
    italic = property(lambda self: None, lambda self, v: self._set("italic", v))
    size = property(lambda self: None, lambda self, v: self._set("size", v))
    color = property(lambda self: None, lambda self, v: self._set("font_color", v))


class Range(Recorded):
    xlwings_class = "Range"

    def __init__(self, sheet: Sheet, areas: list[tuple[int, int, int, int]]) -> None:
        self._sheet = sheet
        self._areas = areas

    @property
    def row(self) -> int:
        return self._areas[0][0]

    @property
    def column(self) -> int:
        return self._areas[0][1]

    def options(self, ndim: int | None = None) -> Range:
        assert ndim == 2
        return self

    @property
    def value(self) -> list[list[Any]]:
        r0, c0, r1, c1 = self._areas[0]
        return [[self._sheet._cells.get((r, c)) for c in range(c0, c1 + 1)]
                for r in range(r0, r1 + 1)]

    @value.setter
    def value(self, data: list[list[Any]]) -> None:
        self._sheet._book._calls["value"] += 1
        r0, c0, r1, c1 = self._areas[0]
        assert len(self._areas) == 1
        assert len(data) == r1 - r0 + 1 and all(len(row) == c1 - c0 + 1 for row in data)
        for i, row in enumerate(data):
            for j, v in enumerate(row):
                stored, formula = excel_parse(v)
                key = (r0 + i, c0 + j)
                if stored is None:
                    self._sheet._cells.pop(key, None)
                else:
                    self._sheet._cells[key] = stored
                if formula:
                    self._sheet._formulas[key] = formula

    def _format(self, key: str, value: Any) -> None:
        self._sheet._book._calls["format"] += 1
        for r0, c0, r1, c1 in self._areas:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    self._sheet._formats.setdefault((r, c), {})[key] = value

    color = property(lambda self: None, lambda self, v: self._format("fill", v))
    wrap_text = property(lambda self: None, lambda self, v: self._format("wrap", v))
    number_format = property(lambda self: None, lambda self, v: self._format("num_format", v))
    vertical_alignment = property(lambda self: None, lambda self, v: self._format("valign", v))

    @property
    def font(self) -> Font:
        return Font(self)

    @property
    def column_width(self) -> float | None:
        return self._sheet._widths.get(self._areas[0][1])

    @column_width.setter
    def column_width(self, width: float) -> None:
        self._sheet._book._calls["width"] += 1
        for _, c0, _, c1 in self._areas:
            for c in range(c0, c1 + 1):
                self._sheet._widths[c] = width


class Name(Recorded):
    xlwings_class = "Name"

    def __init__(self, name: str, refers_to: str) -> None:
        self._name = name
        self.refers_to = refers_to

    @property
    def name(self) -> str:
        return self._name


class Names(Recorded):
    xlwings_class = "Names"

    def __init__(self, sheet: Sheet) -> None:
        self._sheet = sheet
        self._items: list[Name] = []

    def add(self, name: str, refers_to: str) -> Name:
        # Excel shows a sheet-scoped name with its sheet: 'Sheet name'!name
        item = Name(f"'{self._sheet._name}'!{name}", refers_to)
        self._items.append(item)
        return item

    def __iter__(self) -> Iterator[Name]:
        return iter(self._items)


class FreezePanes(Recorded):
    xlwings_class = "FreezePanes"

    def __init__(self, sheet: Sheet) -> None:
        self._sheet = sheet

    def freeze_at(self, frozen_range: str) -> None:
        self._sheet._frozen = frozen_range


class Sheet(Recorded):
    xlwings_class = "Sheet"

    def __init__(self, book: Book, name: str) -> None:
        self._book = book
        self._name = name
        self._cells: dict[tuple[int, int], Any] = {}
        self._formulas: dict[tuple[int, int], str] = {}
        self._formats: dict[tuple[int, int], dict[str, Any]] = {}
        self._widths: dict[int, float] = {}
        self._frozen: str | None = None
        self._names = Names(self)

    @property
    def name(self) -> str:
        return self._name

    @property
    def names(self) -> Names:
        return self._names

    @property
    def book(self) -> Book:
        return self._book

    @property
    def freeze_panes(self) -> FreezePanes:
        return FreezePanes(self)

    @property
    def used_range(self) -> Range:
        if not self._cells:
            return Range(self, [(1, 1, 1, 1)])
        rows = [r for r, _ in self._cells]
        cols = [c for _, c in self._cells]
        return Range(self, [(min(rows), min(cols), max(rows), max(cols))])

    def range(self, cell1: str | tuple[int, int]) -> Range:
        if isinstance(cell1, tuple):
            return Range(self, [(*cell1, *cell1)])
        return Range(self, [_area(a) for a in cell1.split(",")])

    def clear(self) -> None:
        self._cells.clear()
        self._formulas.clear()
        self._formats.clear()

    def delete(self) -> None:
        self._book._sheets._items.remove(self)

    def activate(self) -> None:
        self._book._active = self

    # test helpers
    def grid(self) -> list[list[Any]]:
        if not self._cells:
            return []
        rows = max(r for r, _ in self._cells)
        cols = max(c for _, c in self._cells)
        return [[self._cells.get((r, c)) for c in range(1, cols + 1)]
                for r in range(1, rows + 1)]

    def put(self, rows: list[list[Any]], origin: tuple[int, int] = (1, 1)) -> None:
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v is not None:
                    self._cells[(origin[0] + i, origin[1] + j)] = v


class Sheets(Recorded):
    xlwings_class = "Sheets"

    def __init__(self, book: Book) -> None:
        self._book = book
        self._items: list[Sheet] = []

    def __iter__(self) -> Iterator[Sheet]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, key: int | str) -> Sheet:
        if isinstance(key, int):
            return self._items[key]
        for s in self._items:
            if s._name.casefold() == key.casefold():
                return s
        raise KeyError(key)

    def add(self, name: str | None = None, before: Sheet | None = None,
            after: Sheet | None = None) -> Sheet:
        assert name and len(name) <= 31 and not set(name) & set("[]:*?/\\")
        if any(s._name.casefold() == name.casefold() for s in self._items):
            raise ValueError(f"a sheet named {name} exists")  # Excel refuses, too
        sheet = Sheet(self._book, name)
        at = self._items.index(after) + 1 if after is not None else 0
        self._items.insert(at, sheet)
        return sheet


class App(Recorded):
    xlwings_class = "App"

    def __init__(self) -> None:
        self._screen = True
        self._alerts: list[tuple[str, str | None, str | None]] = []

    @property
    def screen_updating(self) -> bool:
        return self._screen

    @screen_updating.setter
    def screen_updating(self, value: bool) -> None:
        self._screen = value

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok",
              mode: str | None = None) -> str:
        self._alerts.append((prompt, title, mode))
        return "ok"


class Book(Recorded):
    xlwings_class = "Book"

    def __init__(self, name: str) -> None:
        self._name = name
        self._app = App()
        self._sheets = Sheets(self)
        self._calls = {"value": 0, "format": 0, "width": 0}
        self._active: Sheet | None = None

    @property
    def name(self) -> str:
        return self._name

    @property
    def app(self) -> App:
        return self._app

    @property
    def sheets(self) -> Sheets:
        return self._sheets

    def user_sheet(self, name: str, rows: list[list[Any]],
                   origin: tuple[int, int] = (1, 1)) -> Sheet:
        sheet = self._sheets.add(name, after=self._sheets._items[-1] if self._sheets._items
                                 else None)
        sheet.put(rows, origin)
        return sheet


STAND_INS = (Book, Sheets, Sheet, Names, Name, Range, Font, FreezePanes, App)


# ---------------------------------------------------------------- the plan


def example_rows(tmp_path: Path) -> tuple[str, list[list[Any]]]:
    from addin.demo import write_example_plan
    from addin.xlsx_reader import read_workbook

    path = write_example_plan(tmp_path / "plan.xlsx")
    sheet = read_workbook(path).sheets[0]
    width = max(len(r) for r in sheet.rows)
    return sheet.name, [list(r) + [None] * (width - len(r)) for r in sheet.rows]


def plan_book(tmp_path: Path, origin: tuple[int, int] = (1, 1)) -> Book:
    name, rows = example_rows(tmp_path)
    book = Book("plan.xlsx")
    book.user_sheet(name, rows, origin)
    return book


def report_sheets(book: Book) -> list[Sheet]:
    return [s for s in book.sheets if any(n.name.endswith("!" + MARKER) for n in s.names)]


def trimmed(grid: list[list[Any]]) -> list[list[Any]]:
    rows = [list(r) for r in grid]
    width = max((max((i + 1 for i, v in enumerate(r) if v not in (None, "")), default=0)
                 for r in rows), default=0)
    rows = [(r + [None] * width)[:width] for r in rows]
    while rows and all(v in (None, "") for v in rows[-1]):
        rows.pop()
    return [[None if v == "" else v for v in r] for r in rows]


# ---------------------------------------------------------------- tests


def test_report_holds_the_same_values_as_the_report_workbook(tmp_path: Path) -> None:
    from addin import api
    from addin.xlsx_writer import render

    book = plan_book(tmp_path)
    message = excel_ribbon.run(book)
    assert book.app._alerts[-1][2] == "info", message

    report = api.check_file(tmp_path / "plan.xlsx")
    xlsx = openpyxl.load_workbook(io.BytesIO(render(api.report_book(report, checked_on=date.today(),
                                                                   plan_file="plan.xlsx"))))
    ours = report_sheets(book)
    assert [s.name for s in ours] == xlsx.sheetnames
    for sheet, ws in zip(ours, xlsx.worksheets, strict=True):
        expected = trimmed([list(r) for r in ws.iter_rows(values_only=True)])
        assert trimmed(sheet.grid()) == expected, sheet.name
    # the plan's own sheet is unchanged, and the summary is what the user sees
    assert book.sheets[0].grid() == trimmed(example_rows(tmp_path / "again")[1])
    from addin.summary import summary_lines

    assert message.startswith(summary_lines(report)[0])


def test_bulk_writes_and_formats(tmp_path: Path) -> None:
    book = plan_book(tmp_path)
    excel_ribbon.run(book, multi_area=True)
    ours = report_sheets(book)
    assert book._calls["value"] == len(ours)  # one 2-D value write per sheet
    duties = ours[3]
    header = duties._formats[(1, 1)]
    assert header["bold"] and header["fill"] == "#1F3864" and header["font_color"] == "#FFFFFF"
    assert duties._frozen == "A1:A1"
    assert duties._widths[5] == 50
    assert all(f.get("valign") == "top" for f in duties._formats.values())
    assert book._active is ours[0] and book.app.screen_updating is True


def test_every_cell_gets_its_report_style(tmp_path: Path) -> None:
    from addin import api

    book = plan_book(tmp_path)
    excel_ribbon.run(book, multi_area=True)
    report_book = api.report_book(api.check_file(tmp_path / "plan.xlsx"), plan_file="plan.xlsx")
    for sheet, spec in zip(report_sheets(book), report_book.sheets, strict=True):
        for r, row in enumerate(spec.rows, 1):
            for c, cell in enumerate(row, 1):
                style = report_book.styles[cell.style]
                got = sheet._formats.get((r, c), {})
                assert got.get("fill") == style.fill, (sheet.name, r, c)
                assert bool(got.get("bold")) == style.bold, (sheet.name, r, c)
                assert got.get("font_color") == style.color, (sheet.name, r, c)
                assert bool(got.get("wrap")) == style.wrap, (sheet.name, r, c)
                assert got.get("num_format") == style.num_format, (sheet.name, r, c)
        for c, width in enumerate(spec.widths, 1):
            assert sheet._widths[c] == width


def test_links_point_inside_the_workbook(tmp_path: Path) -> None:
    book = plan_book(tmp_path, origin=(3, 2))
    excel_ribbon.run(book)
    ours = report_sheets(book)
    duties = ours[3]
    plan_sheet = book.sheets[0]
    assert duties._formulas, "cell references link back to the plan"
    for (r, c), formula in duties._formulas.items():
        target = _LITERAL.findall(formula)[0]
        assert target.startswith("#'")
        sheet_name, cell = target[2:].rsplit("'!", 1)
        sheet = book.sheets[sheet_name]
        if c == 4:  # the duty's own cell in the plan, origin included
            assert sheet is plan_sheet
            assert plan_sheet._cells[_rc(cell)] == duties._cells[(r, 5)]


def test_running_twice_leaves_one_report_and_user_sheets_alone(tmp_path: Path) -> None:
    book = plan_book(tmp_path)
    # the user's own sheet that happens to have a report sheet's name
    own = book.user_sheet("Summary", [["my notes"], ["=keep"]])
    before = own.grid()
    excel_ribbon.run(book)
    first = [s.name for s in report_sheets(book)]
    assert "Summary" not in first and first[0] == "Summary (2)"
    excel_ribbon.run(book)
    second = [s.name for s in report_sheets(book)]
    assert second == first
    assert [s.name for s in book.sheets][:2] == [book.sheets[0].name, "Summary"]
    assert len(book.sheets) == 2 + len(first)
    assert own.grid() == before and not own._formats and not list(own.names)


def test_report_sheets_are_not_read_as_plan(tmp_path: Path) -> None:
    book = plan_book(tmp_path)
    first = excel_ribbon.run(book)
    second = excel_ribbon.run(book)
    assert first == second  # the old Duties sheet was not read as more duties


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    name, rows = example_rows(tmp_path)
    header = next(i for i, r in enumerate(rows) if r and r[0] and r[3])
    # (a leading + or - is read as a list bullet by the layout, so those tests live there)
    tricky = ["=HYPERLINK(\"http://x\",\"y\")", "=1+2 vendor budgets", "@ops on-call rota",
              "2024-05-01 cloud migration", "0012 data centre moves"]
    for i, text in enumerate(tricky, start=header + 2):
        rows[i][3] = text
    book = Book("plan.xlsx")
    book.user_sheet(name, rows)
    excel_ribbon.run(book)
    duties = report_sheets(book)[3]
    texts = {duties._cells.get((r, 5)) for r in range(2, 200)}
    assert set(tricky) <= texts, set(tricky) - texts
    for formula in duties._formulas.values():
        assert formula.startswith("=HYPERLINK(\"#'")


def test_a_workbook_without_a_plan_gets_one_line_and_no_sheets() -> None:
    book = Book("empty.xlsx")
    book.user_sheet("Notes", [["shopping list"], ["milk"]])
    message = excel_ribbon.run(book)
    prompt, title, mode = book.app._alerts[-1]
    assert mode == "critical" and title == "rolefit" and prompt == message
    assert "\n" not in prompt and "Traceback" not in prompt
    assert [s.name for s in book.sheets] == ["Notes"]


def test_an_unexpected_fault_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    book = plan_book(tmp_path)

    def broken(*_: Any, **__: Any) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(excel_ribbon, "write_plan", broken)
    message = excel_ribbon.run(book)
    assert book.app._alerts[-1][2] == "critical"
    assert message == "rolefit stopped on an internal error: ZeroDivisionError: boom"


def test_freeze_falls_back_to_the_window_when_xlwings_cannot() -> None:
    class Window:
        FreezePanes = False
        SplitRow = 0
        SplitColumn = 0

    class Api:
        ActiveWindow = Window()
        active_window = None

    class NoFreeze:
        def freeze_at(self, _: str) -> None:
            raise NotImplementedError

    class DesktopSheet:
        freeze_panes = NoFreeze()
        book = type("B", (), {"app": type("A", (), {"api": Api()})()})()

        def activate(self) -> None:
            pass

    sheet = DesktopSheet()
    excel_ribbon.freeze(sheet, "A1:C1", (1, 3))
    window = Api.ActiveWindow
    import sys

    if sys.platform.startswith("win"):
        assert (window.SplitRow, window.SplitColumn, window.FreezePanes) == (1, 3, True)
    else:  # the macOS window object is missing here: the sheet stays unfrozen, no error
        assert window.FreezePanes is False


def test_every_touched_attribute_exists_on_xlwings(tmp_path: Path) -> None:
    book = plan_book(tmp_path)
    TOUCHED.clear()
    excel_ribbon.run(book, multi_area=True)
    excel_ribbon.run(book)
    assert TOUCHED, "the adapter was not recorded"
    for cls_name, attrs in TOUCHED.items():
        real = getattr(xlwings_main, cls_name)
        missing = sorted(a for a in attrs if not hasattr(real, a))
        assert not missing, f"xlwings.main.{cls_name} has no {missing}"


@pytest.mark.parametrize("stand_in", STAND_INS, ids=lambda c: c.__name__)
def test_stand_in_matches_xlwings_api(stand_in: type) -> None:
    real = getattr(xlwings_main, stand_in.xlwings_class)
    own = {n for n in vars(stand_in) if not n.startswith("_") or n in ("__iter__", "__len__",
                                                                      "__getitem__")}
    own -= {"xlwings_class", "grid", "put", "user_sheet", "alerts"}
    for name in own:
        assert hasattr(real, name), f"xlwings.main.{real.__name__} has no {name}"
        mine, theirs = getattr(stand_in, name), getattr(real, name)
        if callable(mine) and not isinstance(mine, property) and callable(theirs):
            accepted = inspect.signature(theirs).parameters
            for param in list(inspect.signature(mine).parameters)[1:]:
                assert param in accepted or any(
                    p.kind is p.VAR_KEYWORD for p in accepted.values()), (name, param)


def test_column_letters_in_the_stand_in_agree_with_the_core() -> None:
    for col in (1, 26, 27, 52, 703):
        assert _rc(f"{column_letter(col)}7") == (7, col)
