"""Write the bad-input corpus in tests/data/bad/: one file per way a plan file can be wrong.

Run ``python tests/make_bad_files.py`` after changing a case; the output is deterministic
(fixed zip times and document dates), so unchanged cases keep their bytes. What each file
must make ``rolefit check`` say is written by hand in tests/data/bad/cases.json.
"""

from __future__ import annotations

import io
import re
import struct
import sys
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import openpyxl
import xlsxwriter

BAD = Path(__file__).resolve().parent / "data" / "bad"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)


# ---------------------------------------------------------------- helpers


def normalise(data: bytes) -> bytes:
    """The same package with fixed zip times and document dates, so reruns give equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                              rb"\g<1>2024-01-01T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), body,
                         zipfile.ZIP_DEFLATED)
    return out.getvalue()


def openpyxl_book(rows_by_sheet: dict[str, list[list[object]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in rows_by_sheet.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.properties.created = wb.properties.modified = datetime(2024, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return normalise(buf.getvalue())


def xlsxwriter_book(rows: list[list[object]], sheet: str = "Plan") -> bytes:
    """A small plan saved with shared strings, like Excel does."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    wb.set_properties({"created": datetime(2024, 1, 1)})
    ws = wb.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    wb.close()
    return normalise(buf.getvalue())


GOOD_ROWS: list[list[object]] = [
    ["Executive", "Title", "Duty"],
    ["Lan Pham", "Chief Technology Officer", "Own the product technology roadmap"],
    [None, None, "Lead the software engineering teams"],
    ["Omar Haque", "Chief Information Officer", "Run the company's internal IT systems"],
]


def replace_part(package: bytes, name: str, body: bytes | Callable[[bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == name:
                data = body(data) if callable(body) else body
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3) holding ``streams`` (each >= 4096 bytes, so
    none needs the mini stream): the container of .xls files and encrypted workbooks."""
    sector = 512
    free, end, fat_sect = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    names = list(streams)
    fat = [fat_sect, end]  # sector 0: the FAT itself; sector 1: the directory
    starts = []
    for name in names:
        size = len(streams[name])
        assert size >= 4096, "small streams would belong in the mini stream"
        count = -(-size // sector)
        first = len(fat)
        starts.append(first)
        fat.extend(range(first + 1, first + count))
        fat.append(end)
    assert len(fat) <= sector // 4
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int,
              size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB3I", len(raw), kind, 1, left, right,
                                                   child)
                + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", start, size))

    # a red-black tree drawn all black: each stream the right sibling of the one before
    entries = [entry("Root Entry", 5, free, free, 1, end, 0)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else free
        entries.append(entry(name, 2, free, right, free, starts[i], len(streams[name])))
    directory = b"".join(entries).ljust(sector, b"\0")
    assert len(directory) == sector, "more streams need more directory sectors"
    header = (bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    assert len(header) == sector
    body = b"".join(streams[n].ljust(-(-len(streams[n]) // sector) * sector, b"\0")
                    for n in names)
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + body


def pseudo_random(size: int, seed: int) -> bytes:
    out = bytearray()
    state = seed
    while len(out) < size:
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        out += state.to_bytes(8, "little")
    return bytes(out[:size])


# ---------------------------------------------------------------- the cases


def pdf_renamed() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n"
            b"%%EOF\n")


def text_renamed() -> bytes:
    return b"Executive,Duty\nLan Pham,Own the technology roadmap\n"


def html_as_xls() -> bytes:
    return b"<html><body><table><tr><td>Executive</td><td>Duty</td></tr></table></body></html>"


def empty_file() -> bytes:
    return b""


def random_bytes() -> bytes:
    return pseudo_random(3000, 7)


def truncated() -> bytes:
    data = xlsxwriter_book(GOOD_ROWS)
    return data[: len(data) // 2]


def corrupt_part() -> bytes:
    """A zip whose directory is intact but whose sheet data is garbled (stored, so the
    garbling survives as bad XML rather than a bad deflate stream)."""
    data = xlsxwriter_book(GOOD_ROWS)
    return replace_part(data, "xl/worksheets/sheet1.xml",
                        lambda body: body.replace(b"</sheetData>", b"</sheetDat"))


def encrypted() -> bytes:
    info = struct.pack("<HHI", 4, 4, 0x40) + pseudo_random(4088, 1)  # agile encryption v4.4
    package = struct.pack("<Q", 5000) + pseudo_random(5000, 2)
    return cfb({"EncryptionInfo": info, "EncryptedPackage": package})


def legacy_xls() -> bytes:
    bof = struct.pack("<HHHHII", 0x0809, 16, 0x0600, 0x0005, 0, 0)
    return cfb({"Workbook": (bof + pseudo_random(6000, 3))})


def binary_xlsb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in (("[Content_Types].xml", b"<Types/>"),
                           ("xl/workbook.bin", pseudo_random(200, 4)),
                           ("xl/worksheets/sheet1.bin", pseudo_random(300, 5))):
            zf.writestr(zipfile.ZipInfo(name, FIXED_TIME), body)
    return out.getvalue()


def opendocument() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype", FIXED_TIME),
                    b"application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr(zipfile.ZipInfo("content.xml", FIXED_TIME), b"<office:document-content/>")
    return out.getvalue()


def word_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zipfile.ZipInfo("[Content_Types].xml", FIXED_TIME), b"<Types/>")
        zf.writestr(zipfile.ZipInfo("word/document.xml", FIXED_TIME), b"<w:document/>")
    return out.getvalue()


LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
          + b"".join(b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1
                                                       else b"&lol;") * 10)
                     for i in range(1, 10))
          + b"]>\n")


def billion_laughs() -> bytes:
    """Entity expansion in the shared strings: a few hundred bytes that expand to 3 GB."""
    data = xlsxwriter_book(GOOD_ROWS)
    return replace_part(data, "xl/sharedStrings.xml", lambda body: LAUGHS + re.sub(
        rb"^<\?xml[^>]*\?>\s*", b"", body).replace(b"<t>Duty</t>", b"<t>&lol9;</t>", 1))


def billion_laughs_late() -> bytes:
    """The same attack behind a long comment, past what the package check looks at, so the
    XML parser itself (defusedxml) must refuse it."""
    data = xlsxwriter_book(GOOD_ROWS)
    comment = b"<!--" + b" padding" * 1200 + b" -->\n"
    return replace_part(data, "xl/sharedStrings.xml", lambda body: LAUGHS.replace(
        b"<!DOCTYPE", comment + b"<!DOCTYPE", 1) + re.sub(
        rb"^<\?xml[^>]*\?>\s*", b"", body).replace(b"<t>Duty</t>", b"<t>&lol9;</t>", 1))


def external_entity() -> bytes:
    """An external entity that would read a local file into a cell."""
    data = xlsxwriter_book(GOOD_ROWS)
    xxe = (b'<?xml version="1.0"?>\n<!DOCTYPE x [ <!ENTITY secret SYSTEM '
           b'"file:///etc/passwd"> ]>\n')
    return replace_part(data, "xl/sharedStrings.xml", lambda body: xxe + re.sub(
        rb"^<\?xml[^>]*\?>\s*", b"", body).replace(b"<t>Duty</t>", b"<t>&secret;</t>", 1))


def zip_bomb() -> bytes:
    """A sheet part that inflates to 1 GB of blanks from about 1 MB."""
    data = xlsxwriter_book(GOOD_ROWS)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(zi, src.read(info))
                continue
            body = src.read(info)
            head, tail = body.split(b"<sheetData>", 1)
            with dst.open(zi, "w", force_zip64=True) as fh:
                fh.write(head + b"<sheetData>")
                blank = b" " * (1 << 24)
                for _ in range(64):
                    fh.write(blank)
                fh.write(tail)
    return out.getvalue()


def empty_workbook() -> bytes:
    return openpyxl_book({"Sheet1": []})


def no_plan() -> bytes:
    return openpyxl_book({"Budget": [["Quarter", "Amount"], ["Q1", 1200], ["Q2", 1350]]})


def no_duties() -> bytes:
    return openpyxl_book({"Plan": [["Executive", "Title", "Duty"]]})


def no_executive_column() -> bytes:
    return openpyxl_book({"Plan": [["Duty"], ["Own the technology roadmap"],
                                   ["Run the internal IT systems"]]})


def formulas_unsaved() -> bytes:
    """Duties built by formulas, saved by a program that does not calculate them."""
    return openpyxl_book({"Plan": [
        ["Executive", "Title", "Duty"],
        ["Lan Pham", "CTO", '="Own the "&"technology roadmap"'],
        ["Omar Haque", "CIO", '=UPPER("run internal IT")'],
    ]})


CASES: dict[str, Callable[[], bytes]] = {
    "pdf_renamed.xlsx": pdf_renamed,
    "text_renamed.xlsx": text_renamed,
    "web_page.xls": html_as_xls,
    "empty_file.xlsx": empty_file,
    "random_bytes.xlsx": random_bytes,
    "truncated.xlsx": truncated,
    "corrupt_part.xlsx": corrupt_part,
    "encrypted.xlsx": encrypted,
    "legacy.xls": legacy_xls,
    "legacy_renamed.xlsx": legacy_xls,
    "binary.xlsb": binary_xlsb,
    "opendocument.ods": opendocument,
    "word_document.xlsx": word_document,
    "billion_laughs.xlsx": billion_laughs,
    "billion_laughs_late.xlsx": billion_laughs_late,
    "external_entity.xlsx": external_entity,
    "zip_bomb.xlsx": zip_bomb,
    "empty_workbook.xlsx": empty_workbook,
    "no_plan.xlsx": no_plan,
    "no_duties.xlsx": no_duties,
    "no_executive_column.xlsx": no_executive_column,
    "formulas_unsaved.xlsx": formulas_unsaved,
}


def main(argv: list[str]) -> int:
    BAD.mkdir(parents=True, exist_ok=True)
    only = set(argv)
    for name, make in CASES.items():
        if only and name not in only:
            continue
        data = make()
        (BAD / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
