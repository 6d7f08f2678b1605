"""Generate realistic leadership plans (en, vi, bn, mixed) for tests and benchmarks.

Each plan is laid out the way planning sheets usually are: a title, a header row in the
plan's language, the executive named once per group of duties, and a note under the
table. Some plans have no CTO or no CIO; some are .xlsm or .csv.

    python tests/gen_plans.py OUTDIR --count 1000 --seed 7
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Duty phrasing per responsibility id and language, written for these tests.
DUTIES: dict[str, dict[str, tuple[str, ...]]] = {
    "cto.technology_strategy": {
        "en": ("Set the company's technology vision and long-term technology strategy",
               "Decide the technical direction for the next three years",
               "Own the multi-year technology roadmap"),
        "vi": ("Xây dựng tầm nhìn và chiến lược công nghệ dài hạn của công ty",
               "Định hướng công nghệ cho giai đoạn ba năm tới"),
        "bn": ("কোম্পানির দীর্ঘমেয়াদি প্রযুক্তি কৌশল ও দৃষ্টিভঙ্গি নির্ধারণ করা",
               "আগামী তিন বছরের প্রযুক্তিগত দিকনির্দেশনা ঠিক করা"),
    },
    "cto.architecture": {
        "en": ("Design the architecture of the core software platform",
               "Decide the system architecture for the customer apps"),
        "vi": ("Thiết kế kiến trúc tổng thể của nền tảng kỹ thuật",
               "Thiết kế và xây dựng hệ thống mạng nội bộ mới"),
        "bn": ("মূল সফটওয়্যার প্ল্যাটফর্মের কাঠামো নকশা করা",
               "কোম্পানির কারিগরি স্থাপত্য ডিজাইন করা"),
    },
    "cto.engineering_rnd": {
        "en": ("Lead and grow the software engineering teams",
               "Hire and mentor developers and data scientists",
               "Run the research and development department"),
        "vi": ("Lãnh đạo đội ngũ kỹ sư phần mềm và phòng nghiên cứu phát triển",
               "Tuyển dụng và phát triển đội ngũ lập trình viên"),
        "bn": ("সফটওয়্যার প্রকৌশল দল পরিচালনা ও প্রেরণা দেওয়া",
               "গবেষণা ও উন্নয়ন বিভাগের নেতৃত্ব দেওয়া"),
    },
    "cto.product_technology": {
        "en": ("Use technology to improve the products we sell to customers",
               "Add smarter features to the mobile app our customers use"),
        "vi": ("Ứng dụng công nghệ để nâng cao sản phẩm và dịch vụ bán cho khách hàng",),
        "bn": ("গ্রাহকদের কাছে বিক্রি করা পণ্য ও সেবার মান প্রযুক্তি দিয়ে উন্নত করা",),
    },
    "cto.new_technology": {
        "en": ("Research emerging technologies such as machine learning and follow tech trends",
               "Try out new tools and techniques before competitors do"),
        "vi": ("Nghiên cứu các công nghệ mới và theo dõi xu hướng công nghệ",),
        "bn": ("নতুন প্রযুক্তি নিয়ে গবেষণা করা এবং প্রযুক্তির প্রবণতা অনুসরণ করা",),
    },
    "cto.new_products": {
        "en": ("Identify new markets and launch new digital products",
               "Find product ideas for customer segments we do not serve yet"),
        "vi": ("Tìm kiếm thị trường mới và ra mắt sản phẩm mới",),
        "bn": ("নতুন বাজার খুঁজে বের করা এবং নতুন পণ্য চালু করা",),
    },
    "cto.customers_partners": {
        "en": ("Build APIs and integrations for partners and external customers",
               "Own the technology behind our customer-facing online services"),
        "vi": ("Phát triển kết nối kỹ thuật với đối tác và khách hàng bên ngoài",),
        "bn": ("অংশীদার ও বাইরের গ্রাহকদের জন্য প্রযুক্তিগত সংযোগ তৈরি করা",),
    },
    "cto.product_vendors": {
        "en": ("Select technology suppliers whose components go into our products",),
        "vi": ("Làm việc với nhà cung cấp giải pháp để cải tiến sản phẩm",),
        "bn": ("পণ্য উন্নত করতে সমাধান সরবরাহকারী বিক্রেতাদের সাথে কাজ করা",),
    },
    "cto.business_alignment": {
        "en": ("Align the product roadmap with the company's business priorities",),
        "vi": ("Gắn chiến lược công nghệ với các ưu tiên kinh doanh của công ty",),
        "bn": ("প্রযুক্তি কৌশলকে কোম্পানির ব্যবসায়িক অগ্রাধিকারের সাথে মিলিয়ে নেওয়া",),
    },
    "cto.technology_integration": {
        "en": ("Integrate existing technologies into daily operations and manage the "
               "technology budget",),
        "vi": ("Tích hợp công nghệ hiện có vào hoạt động và quản lý ngân sách công nghệ",),
        "bn": ("বিদ্যমান প্রযুক্তিকে দৈনন্দিন কাজে যুক্ত করা এবং প্রযুক্তি বাজেট পরিচালনা করা",),
    },
    "cio.it_infrastructure": {
        "en": ("Manage the servers, networks and data centre",
               "Keep the office network and internal systems in good order"),
        "vi": ("Quản lý hạ tầng công nghệ thông tin gồm máy chủ, mạng và trung tâm dữ liệu",),
        "bn": ("সার্ভার, নেটওয়ার্ক ও ডেটা সেন্টার পরিচালনা করা",),
    },
    "cio.communications": {
        "en": ("Keep e-mail, phones and video calls working and secure",),
        "vi": ("Đảm bảo email, điện thoại và công cụ cộng tác nội bộ hoạt động ổn định",),
        "bn": ("ইমেইল, টেলিফোন ও অভ্যন্তরীণ যোগাযোগ ব্যবস্থা সচল ও সুরক্ষিত রাখা",),
    },
    "cio.it_operations": {
        "en": ("Run the IT help desk and keep critical systems up around the clock",
               "Restore internal systems quickly after an outage"),
        "vi": ("Vận hành bộ phận hỗ trợ CNTT và giữ hệ thống quan trọng chạy liên tục",),
        "bn": ("আইটি হেল্প ডেস্ক চালানো এবং গুরুত্বপূর্ণ সিস্টেম সবসময় চালু রাখা",),
    },
    "cio.information_security": {
        "en": ("Own information security and respond to cyber incidents",
               "Protect company data against leaks and attacks"),
        "vi": ("Chịu trách nhiệm an toàn thông tin và bảo mật dữ liệu",),
        "bn": ("তথ্য নিরাপত্তা ও ডেটা সুরক্ষার দায়িত্ব নেওয়া",),
    },
    "cio.it_department": {
        "en": ("Manage the internal IT department and its staff",),
        "vi": ("Quản lý và giám sát phòng công nghệ thông tin",),
        "bn": ("আইটি বিভাগ তত্ত্বাবধান ও পরিচালনা করা",),
    },
    "cio.process_efficiency": {
        "en": ("Digitise finance and HR workflows to cut manual work",
               "Automate back-office processes to save staff time"),
        "vi": ("Số hóa quy trình nghiệp vụ của các phòng ban để tăng năng suất",),
        "bn": ("বিভিন্ন বিভাগের কাজের প্রক্রিয়া ডিজিটাল করে খরচ ও সময় কমানো",),
    },
    "cio.user_access_training": {
        "en": ("Give every employee the system accounts and IT training they need",),
        "vi": ("Cấp quyền truy cập hệ thống và đào tạo tin học cho nhân viên",),
        "bn": ("প্রত্যেক কর্মীকে প্রয়োজনীয় সিস্টেম অ্যাক্সেস ও আইটি প্রশিক্ষণ দেওয়া",),
    },
    "cio.it_vendors": {
        "en": ("Negotiate contracts with suppliers of laptops, licences and internal IT "
               "services",),
        "vi": ("Lựa chọn và ký hợp đồng với nhà cung cấp thiết bị và phần mềm nội bộ",),
        "bn": ("অভ্যন্তরীণ আইটি সরঞ্জাম ও সফটওয়্যারের সরবরাহকারী নির্বাচন ও চুক্তি করা",),
    },
}

#: Work that belongs to neither profile.
BUSINESS: dict[str, tuple[str, ...]] = {
    "en": ("Prepare the annual budget and financial statements",
           "Run store operations and logistics", "Lead sales and key account management",
           "Plan the marketing campaigns", "Negotiate the office leases",
           "Chair the weekly executive committee",
           "Set the five-year business strategy with the board",
           "Oversee recruitment of non-technical staff"),
    "vi": ("Lập ngân sách hằng năm và báo cáo tài chính",
           "Điều hành hoạt động bán hàng và chăm sóc khách hàng lớn",
           "Lên kế hoạch các chiến dịch tiếp thị", "Chủ trì cuộc họp ban điều hành hằng tuần"),
    "bn": ("বার্ষিক বাজেট ও আর্থিক বিবরণী প্রস্তুত করা",
           "বিক্রয় দল ও প্রধান গ্রাহকদের দেখাশোনা করা",
           "বিপণন প্রচারণার পরিকল্পনা করা", "নির্বাহী কমিটির সাপ্তাহিক সভায় সভাপতিত্ব করা"),
}

QUALIFIERS: dict[str, tuple[str, ...]] = {
    "en": ("", "", "", " across all regions", " for the 2027 plan", " with quarterly reviews",
           " (shared with the board)", " for the retail business"),
    "vi": ("", "", "", " trên toàn hệ thống", " trong năm 2027", " theo từng quý",
           " cho khối bán lẻ"),
    "bn": ("", "", "", " সব অঞ্চলে", " ২০২৭ সালের মধ্যে", " প্রতি ত্রৈমাসিকে",
           " খুচরা ব্যবসার জন্য"),
}

TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "CEO": {"en": ("Chief Executive Officer", "CEO"), "vi": ("Tổng giám đốc",),
            "bn": ("প্রধান নির্বাহী কর্মকর্তা",)},
    "CTO": {"en": ("Chief Technology Officer", "CTO"), "vi": ("Giám đốc công nghệ",),
            "bn": ("প্রধান প্রযুক্তি কর্মকর্তা", "সিটিও")},
    "CIO": {"en": ("Chief Information Officer", "CIO"), "vi": ("Giám đốc thông tin",),
            "bn": ("প্রধান তথ্য কর্মকর্তা", "সিআইও")},
    "COO": {"en": ("Chief Operating Officer",), "vi": ("Giám đốc vận hành",),
            "bn": ("প্রধান পরিচালন কর্মকর্তা",)},
    "CFO": {"en": ("Chief Financial Officer",), "vi": ("Giám đốc tài chính",),
            "bn": ("প্রধান অর্থ কর্মকর্তা",)},
    "HeadIT": {"en": ("Head of IT",), "vi": ("Trưởng phòng CNTT",), "bn": ("আইটি প্রধান",)},
    "VPEng": {"en": ("VP Engineering",), "vi": ("Phó giám đốc kỹ thuật",),
              "bn": ("প্রকৌশল বিভাগের প্রধান",)},
}

NAMES: dict[str, tuple[str, ...]] = {
    "en": ("Sarah Lim", "Daniel Okafor", "Priya Nair", "Marco Bianchi", "Helen Park",
           "James Reid", "Amara Diallo", "Tom Becker", "Lucy Chen", "Omar Haddad"),
    "vi": ("Nguyễn Văn An", "Trần Thị Bích", "Lê Quang Huy", "Phạm Minh Châu",
           "Hoàng Thu Hà", "Vũ Đức Thắng", "Đặng Ngọc Lan", "Bùi Thanh Sơn"),
    "bn": ("রহিম উদ্দিন", "ফারহানা আক্তার", "তানভীর আহমেদ", "নুসরাত জাহান", "সাকিব হাসান",
           "মাহমুদা খাতুন", "Tanvir Ahmed", "Rumana Islam"),
}

HEADERS: dict[str, tuple[str, str, str, str]] = {
    "en": ("Executive", "Title", "Reports to", "Duty"),
    "vi": ("Họ tên", "Chức danh", "Báo cáo cho", "Nhiệm vụ"),
    "bn": ("নাম", "পদবী", "রিপোর্ট করেন", "দায়িত্ব"),
}

TITLE_LINE = {"en": "{company} - leadership plan {year}",
              "vi": "{company} - kế hoạch phân công ban lãnh đạo {year}",
              "bn": "{company} - নেতৃত্ব পরিকল্পনা {year}"}
NOTE_LINE = {"en": "Note: draft for discussion at the next board meeting.",
             "vi": "Ghi chú: bản nháp để thảo luận tại cuộc họp tới.",
             "bn": "নোট: পরবর্তী সভায় আলোচনার জন্য খসড়া।"}
COMPANIES = ("Lotus Retail", "Mekong Foods", "Padma Textiles", "Northwind Logistics",
             "Sao Mai Bank", "Delta Health", "Kestrel Insurance", "Bay Energy")


@dataclass(frozen=True)
class PlanSpec:
    """A generated plan: who holds which duties, in which language."""

    company: str
    lang: str
    sheet: str
    #: (name, title, reports_to, duties)
    executives: tuple[tuple[str, str, str, tuple[str, ...]], ...]
    roles: frozenset[str]

    def rows(self) -> list[list[str]]:
        """The plan sheet's rows, as a person would type them."""
        rows: list[list[str]] = [
            [TITLE_LINE[self.lang].format(company=self.company, year=2027)], [],
            list(HEADERS[self.lang]),
        ]
        for name, title, reports_to, duties in self.executives:
            for i, duty in enumerate(duties):
                first = i == 0  # the executive is named once; rows below belong to them
                rows.append([name if first else "", title if first else "",
                             reports_to if first else "", duty])
        rows.append([])
        rows.append([NOTE_LINE[self.lang]])
        return rows


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _duty(rng: random.Random, rid: str | None, lang: str) -> str:
    pool = DUTIES[rid][lang] if rid else BUSINESS[lang]
    return rng.choice(pool) + rng.choice(QUALIFIERS[lang])


def generate_plan(rng: random.Random, duties: int | None = None, lang: str | None = None,
                  has_cto: bool | None = None, has_cio: bool | None = None) -> PlanSpec:
    """One random plan of 20 to 200 duties (or ``duties``)."""
    lang = lang or rng.choice(("en", "en", "vi", "bn"))
    total = duties if duties is not None else rng.randint(20, 200)
    has_cto = rng.random() < 0.85 if has_cto is None else has_cto
    has_cio = rng.random() < 0.8 if has_cio is None else has_cio
    roles = ["CEO"] + (["CTO"] if has_cto else []) + (["CIO"] if has_cio else [])
    roles += rng.sample(["COO", "CFO", "HeadIT", "VPEng"], rng.randint(1, 3))
    names = rng.sample(NAMES[lang], len(roles))
    ceo = names[0]
    cto_ids = [r for r in DUTIES if r.startswith("cto.")]
    cio_ids = [r for r in DUTIES if r.startswith("cio.")]
    # each executive's share of the duties; the CEO keeps few
    weights = [1.0] + [rng.uniform(1.5, 4.0) for _ in roles[1:]]
    counts = [max(1, int(total * w / sum(weights))) for w in weights]
    counts[-1] += total - sum(counts)
    strip = lang == "vi" and rng.random() < 0.3  # typed without diacritics
    executives = []
    for role, name, count in zip(roles, names, counts, strict=True):
        title = rng.choice(TITLES[role][lang])
        if lang != "en" and rng.random() < 0.3:
            title = TITLES[role]["en"][0]  # English title in a local-language plan
        reports_to = "" if role == "CEO" else (ceo if rng.random() < 0.85 else names[1])
        own = {"CTO": cto_ids, "VPEng": cto_ids, "CIO": cio_ids, "HeadIT": cio_ids}.get(role)
        items = []
        for _ in range(max(count, 1)):
            duty_lang = lang if rng.random() < 0.75 else rng.choice(("en", "vi", "bn"))
            r = rng.random()
            if own and r < 0.75:
                rid: str | None = rng.choice(own)
            elif r < 0.88:
                rid = rng.choice(cto_ids + cio_ids)  # a misfit or an overlap
            else:
                rid = None
            text = _duty(rng, rid, duty_lang)
            items.append(_strip_marks(text) if strip and duty_lang == "vi" else text)
        if strip:
            name, title, reports_to = (_strip_marks(name), _strip_marks(title),
                                       _strip_marks(reports_to))
        executives.append((name, title, reports_to, tuple(items)))
    sheet = {"en": "Leadership plan", "vi": "Phân công", "bn": "পরিকল্পনা"}[lang]
    return PlanSpec(company=rng.choice(COMPANIES), lang=lang, sheet=sheet,
                    executives=tuple(executives), roles=frozenset(roles))


def xlsx_bytes(spec: PlanSpec) -> bytes:
    """The plan as an .xlsx workbook (XlsxWriter: quick to write many)."""
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    ws = wb.add_worksheet(spec.sheet)
    bold = wb.add_format({"bold": True})
    for r, row in enumerate(spec.rows()):
        for c, value in enumerate(row):
            if value:
                ws.write_string(r, c, value, bold if r in (0, 2) else None)
    ws.set_column(3, 3, 70)
    wb.close()
    return out.getvalue()


def write_plan(spec: PlanSpec, path: Path) -> Path:
    """Write ``spec`` as .xlsx, .xlsm (openpyxl, macro-enabled type) or .csv by suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(spec.rows())
    elif suffix == ".xlsm":
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = spec.sheet
        for row in spec.rows():
            ws.append(row or [None])
        wb.save(path)
    else:
        path.write_bytes(xlsx_bytes(spec))
    return path


def generate_folder(root: Path, count: int, seed: int = 7,
                    kinds: Sequence[tuple[str, float]] = ((".xlsx", 0.85), (".xlsm", 0.05),
                                                          (".csv", 0.10))) -> list[Path]:
    """``count`` plans under ``root`` in nested region/unit folders; returns their paths."""
    rng = random.Random(seed)
    regions = ("asia", "europe", "americas")
    paths = []
    for i in range(count):
        suffix = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        folder = root / rng.choice(regions) / f"unit-{i % 17:02d}"
        spec = generate_plan(rng)
        paths.append(write_plan(spec, folder / f"plan-{i:04d}-{spec.lang}{suffix}"))
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    paths = generate_folder(args.outdir, args.count, args.seed)
    print(f"{len(paths)} plans written under {args.outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
