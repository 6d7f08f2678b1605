"""The matcher on planning-sheet lines that never guided roles_data/ (labels_unseen.csv).

The lines were written from the profile contract alone, without looking at the
vocabulary or at the other label sets: terse English, Vietnamese with and without
diacritics, Bengali with English loanwords, about a third of them business duties
that mention technology but belong to neither profile. The floors sit about five
points below the figures reached, so a change that loses ground here fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from addin.evaluate import evaluate, read_labels
from addin.matcher import Matcher

LABELS = Path(__file__).resolve().parent / "data" / "labels_unseen.csv"

# the public ids of the CTO and CIO profiles (the contract in the profile spec)
SPEC_IDS = {
    "cio.it_infrastructure", "cio.communications", "cio.it_operations",
    "cio.information_security", "cio.it_department", "cio.process_efficiency",
    "cio.user_access_training", "cio.it_vendors",
    "cto.technology_strategy", "cto.architecture", "cto.engineering_rnd",
    "cto.product_technology", "cto.new_technology", "cto.new_products",
    "cto.customers_partners", "cto.product_vendors", "cto.business_alignment",
    "cto.technology_integration",
}

# language -> (lines, role floor, responsibility floor); measured 97.1 / 97.8 / 95.0 %
# for both role and responsibility on bn / en / vi
FLOORS = {
    "en": (45, 0.92, 0.92),
    "vi": (40, 0.90, 0.90),
    "bn": (35, 0.92, 0.92),
}


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_unseen_lines_per_language(lang: str, matcher: Matcher) -> None:
    lines, role_floor, resp_floor = FLOORS[lang]
    ev = evaluate(read_labels(LABELS), matcher)
    score = ev.by_lang[lang]
    assert score.n == lines
    misses = "\n".join(
        f"{o.row.id}: {o.row.duty!r} got {o.match.responsibility}, "
        f"want {o.row.responsibility}" for o in ev.misses())
    assert score.role_accuracy >= role_floor, f"[{lang}] role\n{misses}"
    assert score.resp_accuracy >= resp_floor, f"[{lang}] responsibility\n{misses}"


def test_unseen_lines_cover_every_spec_id(matcher: Matcher) -> None:
    rows = read_labels(LABELS)
    known = {r.id for r in matcher.profiles.responsibilities()}
    assert known >= SPEC_IDS
    labelled = {r.responsibility for r in rows if r.responsibility is not None}
    assert labelled >= SPEC_IDS
    # every label names a real responsibility, so a typo cannot hide a line
    assert labelled | {a for r in rows for a in r.accept} <= known
    assert all((r.role == "NONE") == (r.responsibility is None) for r in rows)
    none_share = sum(r.role == "NONE" for r in rows) / len(rows)
    assert 0.25 <= none_share <= 0.35
