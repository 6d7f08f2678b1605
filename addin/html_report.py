"""Write a report book as one self-contained HTML page (inline CSS and SVG charts), for mail.

The page shows the same sheets, rows, colours, charts and links as the workbook; it is
drawn by ``templates/report.html.j2``. Jinja2 is imported only here, so ``rolefit check``
without ``--html`` never loads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import write_atomic
from .i18n import say
from .model import CellValue
from .report_model import Cell, Chart, ReportBook, ReportSheet, Style, heat_colour
from .resources import data_dir
from .summary import percent

#: Styles that, alone on a row, read as a heading or a line of text rather than a table.
_PROSE = {"title": "h2", "subtitle": "h3", "warn": "p", "ok": "p", "meta": "p"}
_CELL_RE = re.compile(r"^[A-Z]+(\d+)$")


@dataclass
class _Cell:
    text: str
    cls: str
    href: str | None = None
    title: str | None = None
    bg: str | None = None
    numeric: bool = False


@dataclass
class _Block:
    kind: str  # "prose", "table", "charts"
    tag: str = ""
    cells: list[_Cell] = field(default_factory=list)
    header: list[_Cell] = field(default_factory=list)
    rows: list[tuple[str, list[_Cell]]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)


def sheet_id(name: str) -> str:
    """An HTML id for a sheet name, stable and made of safe characters."""
    return "s" + "".join(f"{ord(ch):x}" if not ch.isascii() or not ch.isalnum() else ch
                         for ch in name)


def _css_class(style: str) -> str:
    return "st-" + re.sub(r"[^a-zA-Z0-9_-]", "-", style or "plain")


def _css(style: Style) -> str:
    rules = []
    if style.bold:
        rules.append("font-weight:bold")
    if style.italic:
        rules.append("font-style:italic")
    if style.underline:
        rules.append("text-decoration:underline")
    if style.size:
        rules.append(f"font-size:{style.size / 11:.2f}em")
    if style.color:
        rules.append(f"color:{style.color}")
    if style.fill:
        rules.append(f"background:{style.fill}")
    if style.align:
        rules.append(f"text-align:{style.align}")
    return ";".join(rules)


def _text(value: CellValue, style: Style | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)) and style is not None and style.num_format:
        fmt = style.num_format
        if fmt.endswith("%"):
            return percent(value)
        if fmt == "0.00":
            return f"{value:.2f}"
        return f"{value:.0f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _value(sheet: ReportSheet, r: int, c: int) -> CellValue:
    if r < len(sheet.rows) and c < len(sheet.rows[r]):
        return sheet.rows[r][c].value
    return None


def _chart(sheet: ReportSheet, spec: Chart) -> dict[str, Any]:
    """Bar geometry for one chart, drawn as horizontal bars (stacked when asked)."""
    r0, c0, r1, _ = spec.categories
    labels = [str(_value(sheet, r, c0) or "") for r in range(r0, r1 + 1)]
    names = [name for name, _, _ in spec.series]
    colours = [colour for _, _, colour in spec.series]
    values: list[list[float]] = []
    for _, (s0, sc, _s1, _), _ in spec.series:
        vals = []
        for i in range(len(labels)):
            v = _value(sheet, s0 + i, sc)
            vals.append(float(v) if isinstance(v, (int, float)) else 0.0)
        values.append(vals)
    stacked = spec.kind == "stacked_bar"
    sums = [sum(vals[i] for vals in values) for i in range(len(labels))]
    top = max(1.0, max(sums if stacked else [v for vals in values for v in vals], default=0.0))
    label_w, plot_w, bar_h, gap = 170, 330, 20, 8
    per = bar_h if stacked else bar_h * len(values)
    bars: list[dict[str, Any]] = []
    for i, label in enumerate(labels):
        y = 40 + i * (per + gap)
        x = 0.0
        for k, vals in enumerate(values):
            v = vals[i]
            w = plot_w * v / top
            by = y if stacked else y + k * bar_h
            bx = label_w + (x if stacked else 0.0)
            bars.append({"x": round(bx, 1), "y": by, "w": round(w, 1), "h": bar_h - 2,
                         "colour": colours[k], "value": f"{v:g}" if v else "",
                         "tx": round(bx + w / 2, 1) if stacked else round(bx + w + 4, 1),
                         "inside": stacked})
            if stacked:
                x += w
        bars.append({"label": label, "y": y + per / 2})
    legend = len(values) > 1
    height = 40 + len(labels) * (per + gap) + (30 if legend else 10)
    ticks = [{"x": round(label_w + plot_w * t / top, 1), "text": f"{t:g}"}
             for t in range(0, int(top) + 1, max(1, int(top) // 5 or 1))]
    return {"title": spec.title, "width": label_w + plot_w + 40, "height": height,
            "label_w": label_w, "plot_bottom": height - (30 if legend else 10),
            "bars": bars, "ticks": ticks,
            "legend": [{"name": n, "colour": c, "x": 10 + k * 180}
                       for k, (n, c) in enumerate(zip(names, colours, strict=True))]
            if legend else []}


def _blocks(book: ReportBook, sheet: ReportSheet) -> list[_Block]:
    sid = sheet_id(sheet.name)
    by_anchor: dict[int, list[Chart]] = {}
    for spec in sheet.charts:
        m = re.match(r"^[A-Z]+(\d+)$", spec.anchor)
        by_anchor.setdefault(int(m.group(1)) - 1 if m else len(sheet.rows), []).append(spec)
    heat: dict[tuple[int, int], str] = {}
    for sc in sheet.scales:
        nums: dict[tuple[int, int], float] = {}
        for r in range(sc.first_row, sc.last_row + 1):
            for c in range(sc.first_col, sc.last_col + 1):
                v = _value(sheet, r, c)
                if isinstance(v, (int, float)):
                    nums[(r, c)] = float(v)
        low = sc.min_value if sc.min_value is not None else min(nums.values(), default=0.0)
        top = max(nums.values(), default=0.0) - low
        for (r, c), num in nums.items():
            heat[(r, c)] = heat_colour(num - low, top, sc.low, sc.high)
    blocks: list[_Block] = []
    current: _Block | None = None
    for r, row in enumerate(sheet.rows):
        for anchor in sorted(a for a in by_anchor if a <= r):
            blocks.append(_Block("charts", charts=[_chart(sheet, c) for c in by_anchor[anchor]]))
            del by_anchor[anchor]
            current = None
        if not any(c.value not in (None, "") for c in row):
            current = None
            continue
        cells = [_html_cell(book, sheet, c, heat.get((r, i))) for i, c in enumerate(row)]
        filled = [c for c in row if c.value not in (None, "")]
        if len(filled) == 1 and row[0].style in _PROSE:
            blocks.append(_Block("prose", tag=_PROSE[row[0].style], cells=[cells[0]]))
            current = None
            continue
        if current is None:
            current = _Block("table")
            blocks.append(current)
        if all(c.style == "header" for c in row) and not current.rows:
            current.header = cells
        else:
            current.rows.append((f"{sid}-{r + 1}", cells))
    for anchor in sorted(by_anchor):
        blocks.append(_Block("charts", charts=[_chart(sheet, c) for c in by_anchor[anchor]]))
    for b in blocks:  # every row of a table as wide as its widest
        if b.kind == "table":
            width = max([len(b.header), *(len(cs) for _, cs in b.rows)])
            for cs in [b.header, *(cs for _, cs in b.rows)]:
                if cs:
                    cs.extend(_Cell("", "") for _ in range(width - len(cs)))
    return blocks


def _html_cell(book: ReportBook, sheet: ReportSheet, cell: Cell, bg: str | None) -> _Cell:
    style = book.styles.get(cell.style)
    out = _Cell(_text(cell.value, style), _css_class(cell.style), bg=bg,
                numeric=isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool))
    link = cell.link
    if link is not None:
        m = _CELL_RE.match(link.cell)
        if link.file is None:
            out.href = f"#{sheet_id(link.sheet)}-{m.group(1) if m else 1}"
        else:
            # a browser cannot open a spreadsheet cell: link the plan file, name the cell
            # "./" keeps a file name with a colon from reading as a URL scheme (javascript:)
            scheme_like = ":" in link.file and "/" not in link.file.split(":")[0]
            out.href = f"./{link.file}" if scheme_like else link.file
            out.title = say(book.lang, "html.plan_cell", sheet=link.sheet, cell=link.cell)
    return out


def render_html(book: ReportBook, *, generated_on: str = "") -> str:
    """The report book as a complete HTML document."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    template = env.get_template("report.html.j2")
    css = [(_css_class(name), _css(style)) for name, style in book.styles.items()]
    sheets = [{"id": sheet_id(s.name), "name": s.name, "blocks": _blocks(book, s)}
              for s in book.sheets]
    return template.render(
        book=book, sheets=sheets, css=css, lang=book.lang,
        contents=say(book.lang, "html.contents"),
        generated=say(book.lang, "html.generated", date=generated_on) if generated_on else "")


def write_html(book: ReportBook, path: Path, *, generated_on: str = "") -> None:
    """Write the HTML report to ``path`` atomically."""
    write_atomic(path, render_html(book, generated_on=generated_on).encode("utf-8"))
