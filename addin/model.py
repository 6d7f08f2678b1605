"""The domain: plans, profiles, matches, findings and reports, as frozen dataclasses.

Everything here is plain data. The core modules build and read these; the shells
(workbook readers and writers, CLI, service, batch, xlwings) only translate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, TypeAlias

ROLES: tuple[str, ...] = ("CTO", "CIO")

Lang = Literal["en", "vi", "bn"]
#: What a duty's match says about the executive who holds it.
Verdict = Literal["aligned", "misfit", "shared", "out_of_scope", "other"]
#: Status of one profile responsibility across the plan.
Status = Literal["held", "held_elsewhere", "gap", "overlap"]

FINDING_KINDS: tuple[str, ...] = (
    "missing_role",
    "gap",
    "misfit",
    "overlap",
    "reporting_line",
    "out_of_scope",
    "raci_no_accountable",
    "raci_multiple_accountable",
)

#: A cell value as it comes out of any workbook reader (.xlsx, CSV, Office.js, xlwings).
CellValue = str | int | float | bool | datetime | date | None


class RolefitError(Exception):
    """A problem with the user's input, shown to them as one line (never a traceback)."""


# ---------------------------------------------------------------- profiles


@dataclass(frozen=True)
class Source:
    """A paragraph of a source article (paragraph = n-th non-empty line)."""

    file: str
    paragraph: int

    def __str__(self) -> str:
        return f"{self.file} ¶{self.paragraph}"


@dataclass(frozen=True)
class Responsibility:
    """One responsibility of a reference profile, e.g. ``cio.it_operations``."""

    id: str
    role: str
    name: str
    description: str
    sources: tuple[Source, ...]
    #: Paraphrases in other report languages: lang -> (name, description).
    translations: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def text(self, lang: str) -> tuple[str, str]:
        """Name and description in ``lang``, falling back to English."""
        return self.translations.get(lang, (self.name, self.description))


@dataclass(frozen=True)
class SharedPair:
    """Two responsibilities the sources describe as nearby work."""

    cto: str
    cio: str
    rule: str


@dataclass(frozen=True)
class Profile:
    """A reference role (CTO or CIO) with its responsibilities and the titles that name it."""

    role: str
    name: str
    focus: str
    titles: tuple[str, ...]
    responsibilities: tuple[Responsibility, ...]


@dataclass(frozen=True, slots=True)
class VocabTerm:
    """A phrase the matcher looks for and what it points to.

    ``target`` is a responsibility id, an out-of-scope area (``none.finance``) or a cue
    (``cue.tech``, ``cue.objects``, ``cue.CIO``, ``cue.CTO``); ``kind`` is ``term`` (always
    counts), ``context`` (counts only when the duty is about technology) or ``department``
    (names a business function; counts little when the duty is about technology).
    """

    target: str
    lang: str
    phrase: str
    weight: float
    kind: str = "term"


@dataclass(frozen=True)
class Profiles:
    """All reference profiles, loaded and validated from ``roles_data/``."""

    profiles: tuple[Profile, ...]
    shared: tuple[SharedPair, ...]
    #: Titles of the chief executive, to check reporting lines.
    ceo_titles: tuple[str, ...]
    #: Digest of the data files, so a stored report can tell which profiles made it.
    version: str
    #: The matcher's words for responsibilities, out-of-scope areas and cues.
    vocabulary: tuple[VocabTerm, ...] = ()
    #: Out-of-scope area key -> display name (``finance`` -> ``Finance and accounting``).
    areas: Mapping[str, str] = field(default_factory=dict)
    #: Words that make a title another job (``Deputy CTO``), for title recognition.
    title_exclusions: tuple[str, ...] = ()

    def by_id(self) -> dict[str, Responsibility]:
        return {r.id: r for p in self.profiles for r in p.responsibilities}

    def responsibilities(self) -> tuple[Responsibility, ...]:
        return tuple(r for p in self.profiles for r in p.responsibilities)

    def profile(self, role: str) -> Profile:
        for p in self.profiles:
            if p.role == role:
                return p
        raise KeyError(role)

    def is_shared(self, a: str, b: str) -> bool:
        return any({a, b} == {s.cto, s.cio} for s in self.shared)

    def shared_partners(self, rid: str) -> tuple[str, ...]:
        return tuple(s.cio if s.cto == rid else s.cto for s in self.shared if rid in (s.cto, s.cio))


# ---------------------------------------------------------------- matching


@dataclass(frozen=True, slots=True)
class Candidate:
    """One ranked responsibility for a duty."""

    responsibility: str
    role: str
    score: float
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Match:
    """The matcher's answer for one duty text."""

    text: str
    lang: str
    responsibility: str | None
    role: str | None
    confidence: float
    evidence: tuple[str, ...]
    #: The other side of a shared pair when the duty truly straddles it.
    shared_with: str | None = None
    candidates: tuple[Candidate, ...] = ()
    #: For a duty of neither profile: the out-of-scope area its words point to (``finance``).
    area: str | None = None


# ---------------------------------------------------------------- plans


@dataclass(frozen=True)
class Executive:
    """A person (or a title with no name) who holds duties in the plan."""

    name: str
    title: str = ""
    #: The first (primary) role the title names; see ``roles`` for a combined title.
    role: str | None = None
    reports_to: str = ""
    #: Every role the title names, in the order written ("CTO/CIO" -> ("CTO", "CIO")).
    roles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # either field may be given: each is completed from the other
        if self.role is not None and self.role not in self.roles:
            object.__setattr__(self, "roles", (self.role, *self.roles))
        elif self.role is None and self.roles:
            object.__setattr__(self, "role", self.roles[0])

    @property
    def role_label(self) -> str:
        """The roles as shown in a report: "CTO", "CTO/CIO" or nothing."""
        return "/".join(self.roles)

    @property
    def key(self) -> str:
        """How duties refer to this executive: the name, or the title when unnamed."""
        return self.name or self.title


@dataclass(frozen=True, slots=True)
class Duty:
    """One duty line of the plan and where it was read from."""

    executive: str
    text: str
    sheet: str
    cell: str


@dataclass(frozen=True)
class RaciActivity:
    """One activity row of a RACI matrix, with who is Accountable and Responsible."""

    activity: str
    sheet: str
    cell: str
    accountable: tuple[str, ...]
    responsible: tuple[str, ...]


#: A field of a :class:`Note`: plain text or a number, or notes said in the same language.
NoteArg: TypeAlias = "str | int | Note | tuple[Note, ...]"


@dataclass(frozen=True)
class Note:
    """Something said about how a sheet was read, as a message key of ``templates/i18n``
    (``note.long_header``) and its fields, so the report can say it in its own language.

    A field may itself be a note (a reason, ``skip.legend``) or several notes (a list).
    """

    key: str
    params: Mapping[str, NoteArg] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """The note as plain JSON-ready data (nested notes as objects)."""
        def value(v: NoteArg) -> object:
            if isinstance(v, Note):
                return v.to_json()
            if isinstance(v, tuple):
                return [n.to_json() for n in v]
            return v

        return {"key": self.key, "params": {k: value(v) for k, v in self.params.items()}}


@dataclass(frozen=True)
class SheetRead:
    """How one sheet of the workbook was read, shown to the user in the report."""

    name: str
    layout: str  # "long", "raci", "per_executive", "skipped", ...
    executives: int = 0
    duties: int = 0
    #: What the reader found and left out, said in the report's language when shown.
    notes: tuple[Note, ...] = ()

    @property
    def note(self) -> str:
        """The notes in English (the JSON report and one-line errors use this)."""
        from .i18n import say_notes  # i18n needs this module; only rendering needs i18n

        return say_notes("en", self.notes)


@dataclass(frozen=True)
class Plan:
    """Everything rolefit read from a plan workbook."""

    name: str
    executives: tuple[Executive, ...]
    duties: tuple[Duty, ...]
    sheets: tuple[SheetRead, ...] = ()
    raci: tuple[RaciActivity, ...] = ()


# ---------------------------------------------------------------- workbook data


@dataclass(frozen=True)
class SheetData:
    """A sheet's used range as plain values, whatever program or file it came from.

    ``rows`` start at ``origin`` (1-based row, column) of the real sheet, so cell
    references in the report point at the user's own cells.
    """

    name: str
    rows: tuple[tuple[CellValue, ...], ...]
    origin: tuple[int, int] = (1, 1)
    #: Merged ranges as (min_row, min_col, max_row, max_col), in sheet coordinates.
    merged: tuple[tuple[int, int, int, int], ...] = ()
    #: Excel tables as (name, min_row, min_col, max_row, max_col).
    tables: tuple[tuple[str, int, int, int, int], ...] = ()
    #: "worksheet", or "chart" for a chart sheet (a chart filling a tab: no cells).
    kind: str = "worksheet"


@dataclass(frozen=True)
class WorkbookData:
    """A workbook as the core sees it: a name and its sheets' values."""

    name: str
    sheets: tuple[SheetData, ...]


# ---------------------------------------------------------------- analysis


@dataclass(frozen=True, slots=True)
class DutyResult:
    """A duty, the matcher's answer and the verdict for its holder."""

    duty: Duty
    match: Match
    verdict: str
    #: The other side of the shared pair behind the verdict: the matcher's straddle, or
    #: for a ``shared`` verdict the holder's own responsibility paired with the match.
    shared_with: str | None = None


@dataclass(frozen=True)
class ResponsibilityStatus:
    """Who holds one profile responsibility across the plan."""

    id: str
    role: str
    status: str
    holders: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """One problem in the plan, with the reason in one sentence."""

    kind: str
    responsibility: str | None
    executives: tuple[str, ...]
    duties: tuple[str, ...]
    message: str
    #: Indices into ``Report.duties`` of the duty rows behind this finding.
    duty_rows: tuple[int, ...] = ()
    #: Keyword arguments of the message, so a report can say it in another language.
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """The result of checking one plan against the profiles."""

    plan: Plan
    duties: tuple[DutyResult, ...]
    responsibilities: tuple[ResponsibilityStatus, ...]
    findings: tuple[Finding, ...]
    coverage: Mapping[str, float]
    counts: Mapping[str, int]
    #: Executive key -> recognised role, for the roles the plan has.
    role_holders: Mapping[str, tuple[str, ...]]
    profiles_version: str
    lang: str = "en"
