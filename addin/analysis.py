"""From a plan and its duty matches to findings: gaps, overlaps, misfits and the rest."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .i18n import say
from .model import (
    FINDING_KINDS,
    ROLES,
    DutyResult,
    Executive,
    Finding,
    Match,
    Plan,
    Profiles,
    Report,
    Responsibility,
    ResponsibilityStatus,
)
from .profiles import is_ceo

#: Most severe first: the order findings are listed in and fixed in.
SEVERITY = {kind: i for i, kind in enumerate(FINDING_KINDS)}


def _held_roles(holder_role: str | Sequence[str] | None) -> tuple[str, ...]:
    if holder_role is None:
        return ()
    if isinstance(holder_role, str):
        return (holder_role,) if holder_role in ROLES else ()
    return tuple(r for r in holder_role if r in ROLES)


def verdict(holder_role: str | Sequence[str] | None, match: Match, profiles: Profiles) -> str:
    """What a duty's match says about its holder: aligned, misfit, shared, out_of_scope, other.

    ``holder_role`` is the holder's role, or every role of a combined title ("CTO/CIO").
    """
    roles = _held_roles(holder_role)
    if match.role is None or match.responsibility is None:
        return "out_of_scope" if roles else "other"
    if not roles:
        return "other"
    if match.role in roles:
        return "aligned"
    if _shared_partner(roles, match.responsibility, profiles) is not None:
        return "shared"
    return "misfit"


def _shared_partner(roles: Sequence[str], rid: str, profiles: Profiles) -> str | None:
    """The responsibility of one of ``roles`` that ``rid`` is a shared pair with."""
    by_id = profiles.by_id()
    return next((p for p in profiles.shared_partners(rid) if by_id[p].role in roles), None)


def shared_partner(holder_role: str | Sequence[str] | None, match: Match,
                   profiles: Profiles) -> str | None:
    """What a duty is shared with: the matcher's straddle partner, or for a ``shared``
    verdict the holder's own responsibility on the pair with the matched one."""
    if match.shared_with is not None:
        return match.shared_with
    if verdict(holder_role, match, profiles) != "shared" or match.responsibility is None:
        return None
    return _shared_partner(_held_roles(holder_role), match.responsibility, profiles)


def _names(keys: Sequence[str]) -> str:
    return ", ".join(keys)


def analyse(plan: Plan, matches: Sequence[Match], profiles: Profiles, lang: str = "en") -> Report:
    """Check a plan whose duties were matched (``matches`` in duty order) against the profiles."""
    if len(matches) != len(plan.duties):
        raise ValueError("one match per duty is needed")
    executives = {e.key: e for e in plan.executives}
    by_id = profiles.by_id()
    role_holders: dict[str, list[str]] = defaultdict(list)
    for e in plan.executives:
        for role in e.roles:
            if role in ROLES:
                role_holders[role].append(e.key)

    results: list[DutyResult] = []
    holders: dict[str, dict[str, list[int]]] = defaultdict(dict)  # resp -> exec -> duty rows
    for i, (duty, match) in enumerate(zip(plan.duties, matches, strict=True)):
        holder = executives[duty.executive]
        results.append(DutyResult(duty, match, verdict(holder.roles, match, profiles),
                                  shared_partner(holder.roles, match, profiles)))
        if match.responsibility is not None:
            holders[match.responsibility].setdefault(duty.executive, []).append(i)

    findings: list[Finding] = []
    statuses: list[ResponsibilityStatus] = []
    coverage: dict[str, float] = {}
    for profile in profiles.profiles:
        own = set(role_holders.get(profile.role, ()))
        held_by_holder = 0
        for resp in profile.responsibilities:
            who = holders.get(resp.id, {})
            keys = tuple(who)
            rows = tuple(r for rs in who.values() for r in rs)
            if own & set(keys):
                held_by_holder += 1
            name = resp.text(lang)[0]
            params = {"responsibility": name, "role": resp.role}
            if not keys:
                status = "gap"
                findings.append(Finding("gap", resp.id, (), (), say(lang, "message.gap", **params),
                                        params=params))
            elif len(keys) > 1:
                status = "overlap"
                p = {**params, "count": str(len(keys)), "executives": _names(keys)}
                findings.append(Finding("overlap", resp.id, keys,
                                        tuple(plan.duties[r].text for r in rows),
                                        say(lang, "message.overlap", **p), rows, p))
            elif own & set(keys):
                status = "held"
            else:
                status = "held_elsewhere"
            statuses.append(ResponsibilityStatus(resp.id, resp.role, status, keys))
        total = len(profile.responsibilities)
        coverage[profile.role] = round(held_by_holder / total, 4) if total else 0.0

    findings.extend(_missing_roles(profiles, role_holders, holders, lang))
    findings.extend(_duty_findings(results, executives, by_id, lang))
    findings.extend(_reporting_lines(plan.executives, profiles, lang))
    findings.extend(_raci(plan, lang))
    findings.sort(key=lambda f: SEVERITY[f.kind])
    counts = {kind: 0 for kind in FINDING_KINDS}
    for f in findings:
        counts[f.kind] += 1
    return Report(
        plan=plan,
        duties=tuple(results),
        responsibilities=tuple(statuses),
        findings=tuple(findings),
        coverage=coverage,
        counts=counts,
        role_holders={r: tuple(k) for r, k in role_holders.items()},
        profiles_version=profiles.version,
        lang=lang,
    )


def _missing_roles(profiles: Profiles, role_holders: dict[str, list[str]],
                   holders: dict[str, dict[str, list[int]]], lang: str) -> list[Finding]:
    found: list[Finding] = []
    for profile in profiles.profiles:
        if role_holders.get(profile.role):
            continue
        who: list[str] = []
        for resp in profile.responsibilities:
            who.extend(k for k in holders.get(resp.id, {}) if k not in who)
        if who:
            params = {"role": profile.role, "holders": _names(who)}
            message = say(lang, "message.missing_role", **params)
        else:
            params = {"role": profile.role}
            message = say(lang, "message.missing_role_nobody", **params)
        found.append(Finding("missing_role", None, tuple(who), (), message, params=params))
    return found


def _duty_findings(results: Sequence[DutyResult], executives: dict[str, Executive],
                   by_id: dict[str, Responsibility], lang: str) -> list[Finding]:
    """Misfits grouped by executive and responsibility; out-of-scope duties one by one."""
    found: list[Finding] = []
    misfits: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, res in enumerate(results):
        if res.verdict == "misfit" and res.match.responsibility is not None:
            misfits[(res.duty.executive, res.match.responsibility)].append(i)
        elif res.verdict == "out_of_scope":
            holder = executives[res.duty.executive]
            params = {"executive": holder.key, "holder_role": holder.role_label}
            found.append(Finding("out_of_scope", None, (holder.key,), (res.duty.text,),
                                 say(lang, "message.out_of_scope", **params), (i,), params))
    for (key, rid), rows in misfits.items():
        holder = executives[key]
        match = results[rows[0]].match
        name = by_id[rid].text(lang)[0]
        params = {"executive": key, "holder_role": holder.role_label,
                  "responsibility": name, "role": match.role or ""}
        found.append(Finding("misfit", rid, (key,), tuple(results[r].duty.text for r in rows),
                             say(lang, "message.misfit", **params), tuple(rows), params))
    return found


def _reporting_lines(executives: Sequence[Executive], profiles: Profiles,
                     lang: str) -> list[Finding]:
    found: list[Finding] = []
    by_key = {e.key: e for e in executives}
    for e in executives:
        if "CTO" not in e.roles or not e.reports_to:
            continue
        boss = by_key.get(e.reports_to)
        if is_ceo(e.reports_to, profiles) or (boss is not None and is_ceo(boss.title, profiles)):
            continue
        params = {"executive": e.key, "reports_to": e.reports_to}
        found.append(Finding("reporting_line", None, (e.key,), (),
                             say(lang, "message.reporting_line", **params), params=params))
    return found


def _raci(plan: Plan, lang: str) -> list[Finding]:
    found: list[Finding] = []
    # the duties read from an activity's cell, so the finding links to its rows
    rows_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, duty in enumerate(plan.duties):
        rows_of[(duty.sheet, duty.cell)].append(i)
    for act in plan.raci:
        rows = tuple(rows_of.get((act.sheet, act.cell), ()))
        if not act.accountable:
            params = {"activity": act.activity}
            found.append(Finding("raci_no_accountable", None, act.responsible, (act.activity,),
                                 say(lang, "message.raci_no_accountable", **params), rows,
                                 params))
        elif len(act.accountable) > 1:
            params = {"activity": act.activity, "count": str(len(act.accountable)),
                      "executives": _names(act.accountable)}
            found.append(Finding("raci_multiple_accountable", None, act.accountable,
                                 (act.activity,),
                                 say(lang, "message.raci_multiple_accountable", **params),
                                 rows, params))
    return found
