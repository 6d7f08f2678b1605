"""RACI matrices: activities down a column, people across the header, R/A/C/I in the cells.

A person holds an activity when they are Accountable, or Responsible when nobody is;
each held activity becomes a duty of that person, read from the activity cell.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .layout_cells import (
    HEADER_KINDS,
    HEADER_SEARCH_ROWS,
    Grid,
    Roster,
    SheetOutcome,
    Skipped,
    describe_skipped,
    is_header,
    is_note,
    split_person,
)
from .model import Duty, Note, NoteArg, RaciActivity, SheetRead

#: Letters a RACI cell may hold (S: "Support", as RASCI matrices add).
RACI_LETTERS = frozenset("RACIS")
_NONE = frozenset({"-", "–", "—", "n", "na", "n/a", "none", "/", ".", "0", "không", "nil"})
_CODE_SPLIT = re.compile(r"[\s/,;&+()\[\]|\-–—]+")
_MAX_CODE_LEN = 12
#: Share of filled cells of a person column that must be RACI codes.
_CODE_SHARE = 0.6

def _plain(text: str) -> str:
    """Cheap comparable form for legend words: no accents, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", bare.casefold()).split())


# Words that explain the letters in a legend ("R - Responsible", "A = Phê duyệt").
_LEGEND_WORDS = frozenset(_plain(w) for w in (
    "responsible", "accountable", "consulted", "informed", "support", "supportive",
    "approver", "approve", "legend", "key", "raci", "raci legend", "raci key",
    "chú thích", "ký hiệu", "thực hiện", "chịu trách nhiệm", "phê duyệt", "tham vấn",
    "tham khảo", "hỗ trợ", "được thông báo", "thông báo", "giải trình",
    "দায়ী", "জবাবদিহি", "জবাবদিহিতা", "পরামর্শ", "অবহিত", "সংকেত",
))
_LEGEND_MAX = 60
_LEGEND_ENTRY = re.compile(r"^\(?[RACIS]\)?\s*[-=:–—]\s*\S", re.IGNORECASE)


@lru_cache(maxsize=4096)
def parse_raci(text: str) -> frozenset[str] | None:
    """The letters of a RACI cell ("A/R", "R (A)", "ra", "C /I"), or None when it is not one.

    A blank cell, "-", "N" or "n/a" means no part in the activity (an empty set).
    """
    text = text.strip()
    if not text or text.casefold().replace(" ", "") in _NONE:
        return frozenset()
    if len(text) > _MAX_CODE_LEN:
        return None
    letters: set[str] = set()
    for token in _CODE_SPLIT.split(text.upper()):
        if not token:
            continue
        if not set(token) <= RACI_LETTERS or len(set(token)) != len(token):
            return None
        letters |= set(token)
    return frozenset(letters)


def _has_code(text: str) -> bool:
    return bool(text) and bool(parse_raci(text))


def _legend_cells(grid: Grid) -> set[tuple[int, int]]:
    """Cells of a legend ("R - Responsible", or "R" beside "Responsible")."""
    cells: set[tuple[int, int]] = set()
    for r in range(grid.height):
        texts = grid.row_texts(r)
        for c, text in enumerate(texts):
            if not text or len(text) > _LEGEND_MAX or parse_raci(text) is not None:
                continue
            if _LEGEND_ENTRY.match(text) or (len(text) <= 30 and _plain(text) in _LEGEND_WORDS):
                cells.add((r, c))
                if c > 0 and _has_code(texts[c - 1]):
                    cells.add((r, c - 1))
    return cells


@dataclass(frozen=True)
class RaciShape:
    """Where a RACI matrix sits: header row, activity column and the people's columns."""

    header_row: int
    activity: int
    people: tuple[int, ...]
    legend: frozenset[tuple[int, int]]


def find_raci(grid: Grid) -> RaciShape | None:
    """The RACI matrix of a sheet, if it has one (people columns filled with R/A/C/I)."""
    codes = [[c for c, t in enumerate(grid.row_texts(r)) if _has_code(t)]
             for r in range(grid.height)]
    if not any(len(cs) >= 2 for cs in codes):
        return None  # most sheets end here: a legend could only remove codes
    legend = frozenset(_legend_cells(grid))
    codes = [[c for c in cs if (r, c) not in legend] for r, cs in enumerate(codes)]
    first = next((r for r, cs in enumerate(codes) if len(cs) >= 2), None)
    if first is None or first == 0:
        return None
    header = None
    for r in range(first - 1, max(-1, first - 1 - HEADER_SEARCH_ROWS), -1):
        if codes[r]:
            continue
        named = [c for c in codes[first] if grid.merged_text(r, c)]
        if len(named) >= 2:
            header = r
            break
    if header is None:
        return None
    people: list[int] = []
    for c in range(grid.width):
        if (header, c) in legend or not grid.merged_text(header, c):
            continue
        if any(is_header(grid.value(header, c), k) for k in HEADER_KINDS):
            continue  # a long list's column ("Owner", "Duty"), not a person
        n_code = n_other = 0
        for r in range(header + 1, grid.height):
            if (r, c) in legend:
                continue
            text = grid.text(r, c)
            if not text:
                continue
            parsed = parse_raci(text)
            if parsed is None:
                n_other += 1
            elif parsed:
                n_code += 1
        if n_code and n_code / (n_code + n_other) >= _CODE_SHARE:
            people.append(c)
    if len(people) < 2:
        return None
    activity = _activity_column(grid, header, people[0], legend)
    if activity is None:
        return None
    return RaciShape(header, activity, tuple(c for c in people if c > activity), legend)


def _activity_column(grid: Grid, header: int, first_person: int,
                     legend: frozenset[tuple[int, int]]) -> int | None:
    """The column of activity names: left of the people, named so or holding most text."""
    best: tuple[int, int] | None = None
    for c in range(first_person):
        if is_header(grid.value(header, c), "duty"):
            return c
        n = sum(1 for r in range(header + 1, grid.height)
                if (r, c) not in legend and _is_wordy(grid.text(r, c)))
        if n and (best is None or n > best[1]):
            best = (c, n)
    return best[0] if best else None


def _is_wordy(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and parse_raci(text) is None


def read_raci(grid: Grid, shape: RaciShape, roster: Roster, sheet_name: str) -> SheetOutcome:
    """Duties and RACI rows of a matrix; section rows, legends and notes are listed as skipped."""
    keys: dict[int, str] = {}
    for c in shape.people:
        name, title = split_person(grid.merged_text(shape.header_row, c), roster.profiles)
        keys[c] = name or title
    rows: list[tuple[int, str, dict[int, frozenset[str]]]] = []
    skipped: list[Skipped] = []
    for r in range(shape.header_row + 1, grid.height):
        activity = grid.text(r, shape.activity)
        if (r, shape.activity) in shape.legend or all(
                (r, c) in shape.legend for c, t in enumerate(grid.row_texts(r)) if t):
            if activity:
                skipped.append(Skipped(grid.ref(r, shape.activity), activity, "legend"))
            continue
        letters: dict[int, frozenset[str]] = {}
        for c in shape.people:
            text = grid.text(r, c)
            parsed = parse_raci(text)
            if parsed is None:
                skipped.append(Skipped(grid.ref(r, c), text, "not_raci_code"))
            elif parsed:
                letters[c] = parsed
        if not activity:
            for c in letters:
                skipped.append(Skipped(grid.ref(r, c), grid.text(r, c), "code_no_activity"))
            continue
        rows.append((r, activity, letters))
    last_coded = max((i for i, (_, _, letters) in enumerate(rows) if letters), default=-1)

    duties: list[Duty] = []
    raci: list[RaciActivity] = []
    people: set[str] = set()
    sections = 0
    for i, (r, activity, letters) in enumerate(rows):
        cell = grid.ref(r, shape.activity)
        if not letters:
            if is_note(activity) or i > last_coded:
                skipped.append(Skipped(cell, activity, "note_under_matrix"))
            else:
                sections += 1
                skipped.append(Skipped(cell, activity, "section_heading"))
            continue
        accountable = tuple(dict.fromkeys(keys[c] for c, s in letters.items() if "A" in s))
        responsible = tuple(dict.fromkeys(keys[c] for c, s in letters.items() if "R" in s))
        raci.append(RaciActivity(activity, sheet_name, cell, accountable, responsible))
        holders = accountable or responsible
        if not holders:
            skipped.append(Skipped(cell, activity, "nobody_a_or_r"))
        for key in holders:
            duties.append(Duty(executive=key, text=activity, sheet=sheet_name, cell=cell))
    for c in shape.people:
        if any(c in letters for _, _, letters in rows):
            name, title = split_person(grid.merged_text(shape.header_row, c), roster.profiles)
            people.add(roster.add(name, title))
    first, last = grid.letter(shape.people[0]), grid.letter(shape.people[-1])
    shape_params: dict[str, NoteArg] = {
        "row": grid.sheet_row(shape.header_row), "column": grid.letter(shape.activity),
        "people": len(shape.people), "first": first, "last": last, "activities": len(raci)}
    how = (Note("note.raci_sections", {**shape_params, "sections": sections}) if sections
           else Note("note.raci", shape_params))
    # section headings are counted above, not listed as cells left out
    read = SheetRead(sheet_name, "raci", executives=len(people), duties=len(duties),
                     notes=(how, *describe_skipped(
                         [s for s in skipped if s.why != "section_heading"])))
    return SheetOutcome(read, tuple(duties), tuple(raci), tuple(skipped))
