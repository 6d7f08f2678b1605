"""Read a plan saved as CSV (a shell: file -> WorkbookData with one sheet).

Excel's "CSV UTF-8" adds a byte-order mark and, in many locales, separates fields with
";" instead of ","; both are handled, as are tab-separated files.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from pathlib import Path

from .files import SAVE_AS_CSV_UTF8, read_input_text
from .model import CellValue, RolefitError, SheetData, WorkbookData

CSV_SUFFIXES = (".csv", ".tsv")
_DELIMITERS = ",;\t"
_SAMPLE_CHARS = 64 * 1024


def _delimiter(sample: str) -> str:
    """The field separator that splits the first lines into the most consistent columns.

    Counting characters (as ``csv.Sniffer`` does) is fooled by semicolons and commas
    inside duty texts; parsing the lines with each candidate and keeping the one that
    gives the same number of columns on most rows is not.
    """
    best, best_score = ",", (-1.0, 0)
    for delimiter in _DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
            widths = [len(r) for r in itertools.islice(reader, 200) if any(r)]
        except csv.Error:
            continue
        if not widths:
            continue
        mode = Counter(widths).most_common(1)[0]
        score = (mode[1] / len(widths) if mode[0] > 1 else 0.0, mode[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_text(text: str, name: str, sheet: str) -> WorkbookData:
    """The values of a CSV text as a workbook with one sheet named ``sheet``."""
    text = text.removeprefix("\ufeff")
    sample = text[:_SAMPLE_CHARS]
    if len(text) > _SAMPLE_CHARS and "\n" in sample:
        sample = sample[:sample.rindex("\n")]  # whole lines only
    delimiter = _delimiter(sample)
    try:
        rows: list[tuple[CellValue, ...]] = [
            tuple(v if v.strip() else None for v in row)
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise RolefitError(f"{name}: not a readable CSV file ({exc})") from None
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    return WorkbookData(name=name, sheets=(SheetData(name=sheet, rows=tuple(rows)),))


def read_csv(path: Path) -> WorkbookData:
    """The values of the CSV file at ``path`` (UTF-8, with or without a byte-order mark)."""
    text = read_input_text(path, "CSV file", fix=SAVE_AS_CSV_UTF8)
    if "\x00" in text:
        raise RolefitError(f"{path}: not a CSV text file (it contains binary data)")
    return read_csv_text(text, path.name, path.stem)
