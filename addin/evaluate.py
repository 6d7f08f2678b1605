"""Measure the matcher on labelled duty lines (CSV: id,lang,duty,role,responsibility,accept).

``role`` is CTO, CIO or NONE; ``responsibility`` is the best id (NONE for work of neither
profile); ``accept`` lists other ids that are also right (space, comma or ``|`` separated),
for duties on a pair the sources share. A prediction of an accepted id also counts as the
right role.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .files import SAVE_AS_CSV_UTF8, read_input_text
from .matcher import Matcher
from .model import Match, RolefitError

COLUMNS = ("id", "lang", "duty", "role", "responsibility", "accept")
ROLE_LABELS = ("CTO", "CIO", "NONE")
#: Upper edges of the confidence bins in the calibration table.
BINS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass(frozen=True)
class LabelledDuty:
    """One labelled line."""

    id: str
    lang: str
    duty: str
    role: str
    responsibility: str | None
    accept: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """The matcher's answer for a labelled line and whether it is right."""

    row: LabelledDuty
    match: Match
    role_ok: bool
    resp_ok: bool

    @property
    def predicted_role(self) -> str:
        return self.match.role or "NONE"


@dataclass(frozen=True)
class Score:
    """Accuracy over a group of lines."""

    n: int
    role_ok: int
    resp_ok: int

    @property
    def role_accuracy(self) -> float:
        return self.role_ok / self.n if self.n else 0.0

    @property
    def resp_accuracy(self) -> float:
        return self.resp_ok / self.n if self.n else 0.0


@dataclass(frozen=True)
class Evaluation:
    """Everything :func:`run` prints."""

    outcomes: tuple[Outcome, ...]
    by_lang: dict[str, Score]
    overall: Score
    #: (labelled role, predicted role) -> count
    confusion: dict[tuple[str, str], int]
    #: (low, high, lines, right, mean confidence) per confidence bin, for responsibilities
    calibration: tuple[tuple[float, float, int, int, float], ...] = field(default=())

    def misses(self) -> list[Outcome]:
        """Wrong answers, the most confident first."""
        wrong = [o for o in self.outcomes if not o.resp_ok]
        return sorted(wrong, key=lambda o: (-o.match.confidence, o.row.id))


def _score(outcomes: Sequence[Outcome]) -> Score:
    return Score(len(outcomes), sum(o.role_ok for o in outcomes), sum(o.resp_ok for o in outcomes))


def judge(row: LabelledDuty, match: Match) -> Outcome:
    """Compare one answer with its label."""
    if row.responsibility is None:
        resp_ok = match.responsibility is None
    else:
        resp_ok = match.responsibility in (row.responsibility, *row.accept)
    predicted = match.role or "NONE"
    role_ok = predicted == row.role or (match.responsibility in row.accept)
    return Outcome(row, match, role_ok, resp_ok)


def evaluate(rows: Sequence[LabelledDuty], matcher: Matcher) -> Evaluation:
    """Run the matcher over labelled lines and score it (pure)."""
    matches = matcher.match_many(r.duty for r in rows)
    outcomes = tuple(judge(r, m) for r, m in zip(rows, matches, strict=True))
    langs = sorted({o.row.lang for o in outcomes})
    by_lang = {lang: _score([o for o in outcomes if o.row.lang == lang]) for lang in langs}
    confusion: dict[tuple[str, str], int] = {}
    for o in outcomes:
        key = (o.row.role, o.predicted_role)
        confusion[key] = confusion.get(key, 0) + 1
    calibration = []
    low = 0.0
    for high in BINS:
        inside = [o for o in outcomes if low <= o.match.confidence < high
                  or (high == 1.0 and o.match.confidence == 1.0)]
        if inside:
            mean = sum(o.match.confidence for o in inside) / len(inside)
            calibration.append((low, high, len(inside), sum(o.resp_ok for o in inside), mean))
        else:
            calibration.append((low, high, 0, 0, 0.0))
        low = high
    return Evaluation(outcomes, by_lang, _score(outcomes), confusion, tuple(calibration))


# ---------------------------------------------------------------- reading


def _ids(cell: str) -> tuple[str, ...]:
    return tuple(x for x in re.split(r"[\s,;|]+", cell.strip()) if x and x.upper() != "NONE")


def read_labels(path: Path) -> list[LabelledDuty]:
    """Read a labelled CSV; a bad file is a one-line :class:`RolefitError`."""
    name = path.name
    text = read_input_text(path, "CSV file", fix=SAVE_AS_CSV_UTF8)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = reader.fieldnames or []
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise RolefitError(f"{name}: row 1: missing column '{missing[0]}' "
                               f"(needs {', '.join(COLUMNS)})")
        rows = [_row(name, n, rec) for n, rec in enumerate(reader, start=2)]
    except csv.Error as exc:
        raise RolefitError(f"{name}: not a readable CSV ({exc})") from None
    if not rows:
        raise RolefitError(f"{name}: no labelled lines")
    return rows


def _row(name: str, n: int, rec: dict[str | None, str | list[str] | None]) -> LabelledDuty:
    def cell(key: str) -> str:
        value = rec.get(key)
        return value.strip() if isinstance(value, str) else ""

    if None in rec:
        raise RolefitError(f"{name}: row {n}: more cells than columns")
    duty, role, resp = cell("duty"), cell("role").upper(), cell("responsibility")
    if not duty:
        raise RolefitError(f"{name}: row {n}: empty duty")
    if role not in ROLE_LABELS:
        raise RolefitError(f"{name}: row {n}: role '{cell('role')}' is not CTO, CIO or NONE")
    if not resp:
        raise RolefitError(f"{name}: row {n}: empty responsibility (write NONE for none)")
    resp_id = None if resp.upper() == "NONE" else resp
    if (resp_id is None) != (role == "NONE"):
        raise RolefitError(f"{name}: row {n}: role {role} does not fit responsibility '{resp}'")
    if resp_id is not None and not resp_id.lower().startswith(role.lower() + "."):
        raise RolefitError(f"{name}: row {n}: responsibility '{resp}' is not a {role} one")
    return LabelledDuty(cell("id") or f"row{n}", cell("lang") or "?", duty, role, resp_id,
                        _ids(cell("accept")))


# ---------------------------------------------------------------- printing


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def render(ev: Evaluation, out: TextIO, worst: int = 15) -> None:
    """Print the evaluation as plain text."""
    out.write(f"{'lang':<8}{'lines':>6}{'role':>9}{'resp':>9}\n")
    for lang, s in ev.by_lang.items():
        out.write(f"{lang:<8}{s.n:>6}{_pct(s.role_accuracy):>9}{_pct(s.resp_accuracy):>9}\n")
    s = ev.overall
    out.write(f"{'overall':<8}{s.n:>6}{_pct(s.role_accuracy):>9}{_pct(s.resp_accuracy):>9}\n\n")

    out.write("role confusion (rows: label, columns: predicted)\n")
    out.write(f"{'':<8}" + "".join(f"{r:>7}" for r in ROLE_LABELS) + "\n")
    for label in ROLE_LABELS:
        cells = "".join(f"{ev.confusion.get((label, p), 0):>7}" for p in ROLE_LABELS)
        out.write(f"{label:<8}{cells}\n")
    out.write("\nconfidence calibration (responsibility level)\n")
    out.write(f"{'confidence':<14}{'lines':>6}{'right':>7}{'accuracy':>10}{'mean conf':>11}\n")
    for low, high, n, right, mean in ev.calibration:
        acc = _pct(right / n) if n else "    -"
        mc = f"{mean:.2f}" if n else "-"
        out.write(f"{f'{low:.1f}-{high:.1f}':<14}{n:>6}{right:>7}{acc:>10}{mc:>11}\n")
    misses = ev.misses()
    out.write(f"\nworst misses ({min(worst, len(misses))} of {len(misses)})\n")
    for o in misses[:worst]:
        got = o.match.responsibility or "NONE"
        want = o.row.responsibility or "NONE"
        ev_words = ", ".join(o.match.evidence) or "-"
        out.write(f"{o.row.id} [{o.row.lang}] {o.match.confidence:.2f} "
                  f"got {got}, want {want}: {o.row.duty}  (evidence: {ev_words})\n")


def run(path: Path, out: TextIO, matcher: Matcher | None = None, worst: int = 15) -> int:
    """Read a labelled CSV, evaluate the matcher and print the figures; returns 0."""
    from .matcher import default_matcher

    rows = read_labels(Path(path))
    render(evaluate(rows, matcher or default_matcher()), out, worst)
    return 0


def rows_from(records: Iterable[Sequence[str]]) -> list[LabelledDuty]:
    """Labelled lines from plain tuples in column order (for callers without a file)."""
    out = []
    for n, rec in enumerate(records, start=1):
        cells: dict[str | None, str | list[str] | None] = dict(zip(COLUMNS, rec, strict=False))
        out.append(_row("<rows>", n, cells))
    return out
