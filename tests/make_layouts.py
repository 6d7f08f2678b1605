"""Write the layout corpus in tests/data/layouts/: plans shaped the way real files are.

Run ``.venv/bin/python tests/make_layouts.py`` after changing a case; the workbooks are
committed with this script, and each has a hand-written ``<name>.json`` of what reading
it must give (tests/test_layouts.py). Writing is deterministic: the same script always
gives the same cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.table import Table
from openpyxl.worksheet.worksheet import Worksheet

OUT = Path(__file__).resolve().parent / "data" / "layouts"
Rows = Sequence[Sequence[Any]]


def put(ws: Worksheet, top: int, left: int, rows: Rows) -> None:
    """Write ``rows`` with their first cell at (top, left); None leaves a cell empty."""
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                cell = ws.cell(row=top + i, column=left + j, value=value)
                if isinstance(value, str) and "\n" in value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")


def title(ws: Worksheet, ref: str, text: str) -> None:
    """A bold title merged across ``ref``, as plans open with."""
    first = ref.split(":")[0]
    ws[first] = text
    ws[first].font = Font(bold=True, size=14)
    ws.merge_cells(ref)


def save(book: Workbook, name: str) -> None:
    # fixed document times, so regenerating changes only what a case changes
    import datetime as dt

    stamp = dt.datetime(2024, 1, 1)
    book.properties.created = stamp
    book.properties.modified = stamp
    book.save(OUT / name)


# ---------------------------------------------------------------- long lists


def long_messy() -> None:
    book = Workbook()
    ws = book.active
    ws.title = "Leadership plan"
    title(ws, "A1:D1", "Leadership responsibilities 2024")
    ws["A2"] = "Approved by the board, March 2024"
    put(ws, 4, 1, [
        ("Executive", "Title", "Reports to", "Duty\n(what they own)"),
        ("Lan Tran", "Chief Technology Officer", "CEO",
         "• Set the technology vision and roadmap\n• Lead the engineering teams"),
        (None, None, None, "Choose vendors for the product platform"),
        (None, None, None, "1. Research new technologies\n2. Launch new products"),
        (None,),
        ("Minh Le", "CIO", "CEO", "Run the service desk; keep critical systems running"),
        (None, None, None, "Information security of internal systems"),
        ("Sara Khan", "Head of Finance", "CEO", "Annual budget"),
        (None,),
        (None, None, None, "Company offsite logistics"),
        ("Note: reviewed every quarter",),
        (None, None, None, "* Duties marked in bold are new"),
    ])
    # Minh Le's name is merged over both of his rows; Lan Tran's is written once only
    ws.merge_cells("A9:A10")
    ws.merge_cells("B9:B10")
    ws.merge_cells("C9:C10")
    save(book, "long_messy.xlsx")


def long_vietnamese() -> None:
    book = Workbook()
    ws = book.active
    ws.title = "Phân công"
    title(ws, "A1:D1", "BẢNG PHÂN CÔNG NHIỆM VỤ BAN GIÁM ĐỐC")
    put(ws, 3, 1, [
        ("STT", "Họ và tên", "Chức danh", "Nhiệm vụ chính"),
        (1, "Nguyễn Văn An", "Giám đốc công nghệ",
         "- Xây dựng chiến lược công nghệ\n- Quản lý đội ngũ kỹ sư"),
        (2, None, None, "Nghiên cứu công nghệ mới"),
        (3, "Trần Thị Bình", "Giám đốc thông tin", "Vận hành hệ thống CNTT nội bộ"),
        (4, None, None, "Đảm bảo an ninh thông tin; đào tạo nhân viên sử dụng hệ thống"),
    ])
    ws.merge_cells("B4:B5")
    ws.merge_cells("C4:C5")
    ws2 = book.create_sheet("Khong dau")
    put(ws2, 1, 1, [
        ("Ho ten", "Chuc danh", "Nhiem vu"),
        ("Le Van Cuong", "Giam doc cong nghe", "Phat trien san pham moi"),
        (None, None, "Hop tac voi doi tac cong nghe"),
    ])
    save(book, "long_vietnamese.xlsx")


def write_csv(name: str, rows: Rows, delimiter: str, bom: bool) -> None:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows])
    data = buf.getvalue().encode("utf-8")
    (OUT / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def csv_plans() -> None:
    write_csv("long_bengali_bom.csv", [
        ("নির্বাহী দায়িত্ব তালিকা",),
        (),
        ("নাম", "পদবী", "দায়িত্ব"),
        ("রহিম আহমেদ", "প্রধান প্রযুক্তি কর্মকর্তা", "প্রযুক্তি কৌশল নির্ধারণ"),
        (None, None, "নতুন পণ্য চালু করা; গবেষণা ও উন্নয়ন বিভাগ পরিচালনা"),
        ("করিম হোসেন", "প্রধান তথ্য কর্মকর্তা", "আইটি অবকাঠামো ব্যবস্থাপনা"),
    ], ",", bom=True)
    write_csv("long_semicolon.csv", [
        ("Owner", "Role", "Responsibility", "Priority"),
        ("Dana Pike", "CTO", "Architecture of the platform, including the intranet", "High"),
        ("Dana Pike", "CTO", "Hire and grow the engineering team", "High"),
        ("Eli Ross", "CIO", "Keep e-mail, phones and chat working\nand secured", "Medium"),
        ("", "", "", ""),
        ("Source: HR, 2024", "", "", ""),
    ], ";", bom=False)


# ---------------------------------------------------------------- RACI matrices


def raci_messy() -> None:
    book = Workbook()
    ws = book.active
    ws.title = "RACI"
    title(ws, "A1:F1", "IT operating model – RACI matrix")
    put(ws, 3, 1, [
        ("Teams /\nDeliverables", "Lan Tran\nCTO", "Minh Le\n(CIO)", "CEO", "Finance",
         "Comments"),
        ("Strategy",),
        ("Technology roadmap", "A/R", "c", "I", None, "yearly"),
        ("IT budget", "R", "A", "a", "C /I", None),
        ("Platform", None, None, None, None, "new section"),
        ("Architecture of the platform", "R (A)", " C ", "-", "N", None),
        ("Data centre operations", "C", "RA", None, "I/C", None),
        ("Help desk", "c", "r", "i", None, None),
        ("Vendor contracts", "R", "R", "I", "A/R", None),
        ("Office party", "I", "I", None, None, None),
        (None,),
        ("Last reviewed: May 2024",),
    ])
    # the legend stands beside the grid, as in most templates
    put(ws, 3, 8, [("Legend",), ("R - Responsible",), ("A - Accountable",),
                   ("C - Consulted",), ("I - Informed",)])
    save(book, "raci_messy.xlsx")


def raci_roles() -> None:
    book = Workbook()
    ws = book.active
    ws.title = "Ma trận RACI"
    put(ws, 1, 1, [
        ("#", None, "Giám đốc công nghệ", "Giám đốc thông tin", "প্রধান তথ্য কর্মকর্তা",
         "Head of IT"),
        (1, "Xây dựng kiến trúc hệ thống", "A", "C", None, "R"),
        (2, "Vận hành trung tâm dữ liệu", "I", "A", "C", "R"),
        (3, "Triển khai sản phẩm mới", "R/A", None, None, "I"),
        (4, "Đào tạo người dùng", None, "R", "R", "C"),
        (None,),
        (None, "R", "Responsible"),
        (None, "A", "Accountable"),
        (None, "C", "Consulted"),
        (None, "I", "Informed"),
    ])
    save(book, "raci_roles.xlsx")


# ---------------------------------------------------------------- one sheet per executive


def per_executive() -> None:
    book = Workbook()
    ws = book.active
    ws.title = "CTO"
    title(ws, "A1:C1", "Duties")
    put(ws, 3, 1, [
        ("No.", "Responsibility", "KPI"),
        (1, "Technology vision and strategy", "Roadmap approved"),
        (2, "Lead product engineering and R&D", "Releases on time"),
        (3, "• Partner integrations\n• Customer-facing APIs", None),
    ])
    ws = book.create_sheet("Information")
    put(ws, 1, 1, [
        ("Name:", "Minh Le"),
        ("Title:", "Chief Information Officer"),
        ("Reports to:", "CEO"),
        (None,),
        ("Main duties:",),
        ("- Run the IT department",),
        ("- Service desk and uptime",),
        ("- Give every employee the access they need",),
        (None,),
        ("Note: draft for HR review",),
    ])
    ws = book.create_sheet("Bengali")
    put(ws, 1, 1, [
        ("নাম: করিম হোসেন",),
        ("পদবী: প্রধান তথ্য কর্মকর্তা",),
        (None,),
        ("দায়িত্ব",),
        ("আইটি বিক্রেতা নির্বাচন",),
        ("ইমেইল ও টেলিফোন ব্যবস্থা সচল রাখা",),
    ])
    ws = book.create_sheet("Stakeholders")
    put(ws, 1, 1, [
        ("Name", "Role", "Interest", "Influence"),
        ("Board", "Owner", "High", "High"),
        ("Staff", "Users", "Medium", "Low"),
    ])
    book.create_sheet("Empty")
    data = book.create_sheet("Figures")
    put(data, 1, 1, [("Team", "Heads"), ("Engineering", 40), ("IT", 12)])
    chart = BarChart()
    chart.add_data(Reference(data, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    book.create_chartsheet("Chart").add_chart(chart)
    save(book, "per_executive.xlsx")


# ---------------------------------------------------------------- Excel tables


def tables() -> None:
    book = Workbook()
    ws = book.active
    ws.title = "Register"
    ws["A1"] = "Org design workbook – see the tables below"
    for r in range(3, 26):
        ws.cell(row=r, column=1, value=f"Filler line {r}")
    put(ws, 27, 3, [
        ("Leader", "Position", "Task"),
        ("Lan Tran", "CTO", "Product technology for customers"),
        ("Minh Le", "CIO", "Internal e-mail and collaboration tools"),
        ("Minh Le", "CIO", "Process automation for HR and Finance"),
    ])
    ws.add_table(Table(displayName="Duties", ref="C27:E30"))
    ws2 = book.create_sheet("Matrix")
    ws2["A1"] = "Quarterly review"
    put(ws2, 3, 2, [
        ("Activity", "CTO", "CIO", "COO"),
        ("Cloud migration", "A", "R", "I"),
        ("Security audit", "C", "A", "A"),
        ("Supplier review", "C", "C", "I"),
    ])
    ws2.add_table(Table(displayName="Raci", ref="B3:E6"))
    save(book, "tables.xlsx")


# ---------------------------------------------------------------- sheets that cannot be read


def no_executive() -> None:
    book = Workbook()
    ws = book.active
    ws.title = "Duties"
    put(ws, 1, 1, [("Company duties",), (None,), ("Duty", "Priority"),
                   ("Run the data centre", "High")])
    save(book, "no_executive.xlsx")


CASES: tuple[Callable[[], None], ...] = (
    long_messy, long_vietnamese, csv_plans, raci_messy, raci_roles, per_executive, tables,
    no_executive,
)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        case()
    print(f"wrote {len(list(OUT.glob('*.xlsx'))) + len(list(OUT.glob('*.csv')))} files "
          f"to {OUT}")


if __name__ == "__main__":
    main()
