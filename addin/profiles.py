"""Load and validate the reference profiles in ``roles_data/``, and recognise titles.

Every ``*.yaml`` file of the folder has a ``kind``: ``sources`` (documents, shared pairs,
CEO titles), ``profile`` (a role and its responsibilities), ``out_of_scope`` (words for work
of neither role) or ``cues``. A broken file raises :class:`RolefitError` with one line naming
the file and the key, e.g. ``roles_data/cto.yaml: responsibilities[2]: missing key 'id'``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .model import (
    ROLES,
    Profile,
    Profiles,
    Responsibility,
    RolefitError,
    SharedPair,
    Source,
    VocabTerm,
)
from .text import words

#: The public contract of spec/profiles.md: every id with its owner role.
REQUIRED_IDS: Mapping[str, str] = {
    "cio.it_infrastructure": "CIO",
    "cio.communications": "CIO",
    "cio.it_operations": "CIO",
    "cio.information_security": "CIO",
    "cio.it_department": "CIO",
    "cio.process_efficiency": "CIO",
    "cio.user_access_training": "CIO",
    "cio.it_vendors": "CIO",
    "cto.technology_strategy": "CTO",
    "cto.architecture": "CTO",
    "cto.engineering_rnd": "CTO",
    "cto.product_technology": "CTO",
    "cto.new_technology": "CTO",
    "cto.new_products": "CTO",
    "cto.customers_partners": "CTO",
    "cto.product_vendors": "CTO",
    "cto.business_alignment": "CTO",
    "cto.technology_integration": "CTO",
}

LANGS = ("en", "vi", "bn")
CUES = ("tech", "objects", "CIO", "CTO")
_KINDS = ("sources", "profile", "out_of_scope", "cues")
#: Vocabulary sections and the VocabTerm kind each one gives.
_SECTIONS = {"terms": "term", "context": "context", "department": "department"}
_ID_RE = re.compile(r"^[a-z][a-z0-9]*\.[a-z][a-z0-9_]*$")
_CITE_RE = re.compile(r"^(\S+)\s*¶\s*(\d+)$")
_AREA_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class _Bad(Exception):
    """A problem at a key path inside one file (turned into a RolefitError by the loader)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)


# ---------------------------------------------------------------- small readers


def _get(node: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in node:
        raise _Bad(path, f"missing key '{key}'")
    return node[key]


def _map(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _Bad(path, f"expected a mapping, got {_kind(value)}")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad(path, f"expected a list, got {_kind(value)}")
    return value


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Bad(path, f"expected non-empty text, got {_kind(value)}")
    return value.strip()


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _titles(node: Any, path: str) -> tuple[str, ...]:
    """Titles per language: ``{en: [...], vi: [...], bn: [...]}`` or a plain list."""
    if isinstance(node, list):
        return tuple(_text(t, _join(path, i)) for i, t in enumerate(node))
    out: list[str] = []
    for lang, items in _map(node, path).items():
        lp = _join(path, str(lang))
        if lang not in LANGS:
            raise _Bad(lp, f"unknown language '{lang}' (use {', '.join(LANGS)})")
        out.extend(_text(t, _join(lp, i)) for i, t in enumerate(_list(items, lp)))
    return tuple(out)


def _sources(node: Any, path: str, documents: set[str] | None) -> tuple[Source, ...]:
    out = []
    for i, cite in enumerate(_list(node, path)):
        cp = _join(path, i)
        m = _CITE_RE.match(_text(cite, cp))
        if not m:
            raise _Bad(cp, f"citation '{cite}' should look like '<file> ¶<paragraph>'")
        file, para = m.group(1), int(m.group(2))
        if para < 1:
            raise _Bad(cp, f"paragraph must be 1 or more in '{cite}'")
        if documents is not None and file not in documents:
            raise _Bad(cp, f"'{file}' is not listed under documents in the sources file")
        out.append(Source(file, para))
    if not out:
        raise _Bad(path, "needs at least one citation")
    return tuple(out)


def _vocabulary(node: Any, path: str, target: str) -> list[VocabTerm]:
    """``{lang: {terms|context|department: {phrase: weight}}}`` -> terms.

    A phrase may sit in one section only: listed under two (say ``department`` and
    ``terms``) it would count twice, once in each way.
    """
    out: list[VocabTerm] = []
    placed: dict[tuple[str, ...], tuple[str, str]] = {}
    for lang, sections in _map(node, path).items():
        lp = _join(path, str(lang))
        if lang not in LANGS:
            raise _Bad(lp, f"unknown language '{lang}' (use {', '.join(LANGS)})")
        for kind, entries in _map(sections, lp).items():
            kp = _join(lp, str(kind))
            if kind not in _SECTIONS:
                raise _Bad(kp, f"unknown section (use {', '.join(_SECTIONS)})")
            for phrase, weight in _map(entries, kp).items():
                pp = _join(kp, str(phrase))
                key = tuple(words(str(phrase))) if isinstance(phrase, str | int) else ()
                if not key:
                    raise _Bad(pp, "a phrase needs at least one word")
                if "..." in str(phrase) and not all(
                        words(part) for part in str(phrase).split("...", 1)):
                    raise _Bad(pp, "a split phrase needs words before and after '...'")
                first = placed.setdefault(key, (str(kind), pp))
                if first[0] != kind:
                    raise _Bad(pp, f"the same phrase is also listed at {first[1]}; "
                                   f"keep it under one section")
                if isinstance(weight, bool) or not isinstance(weight, int | float):
                    raise _Bad(pp, f"weight must be a number, got {_kind(weight)}")
                if not 0 <= weight <= 10:
                    raise _Bad(pp, f"weight must be between 0 and 10, got {weight}")
                out.append(VocabTerm(target, str(lang), str(phrase), float(weight),
                                     _SECTIONS[kind]))
    return out


# ---------------------------------------------------------------- one file per kind


class _Collected:
    def __init__(self) -> None:
        self.profiles: list[Profile] = []
        self.shared: list[SharedPair] = []
        self.ceo_titles: list[str] = []
        self.exclusions: list[str] = []
        self.vocabulary: list[VocabTerm] = []
        self.areas: dict[str, str] = {}
        self.documents: set[str] | None = None
        self.id_files: dict[str, str] = {}


def _read_sources(doc: Mapping[str, Any], c: _Collected) -> None:
    docs = _list(_get(doc, "documents", ""), "documents")
    c.documents = {
        _text(_get(_map(d, _join("documents", i)), "file", _join("documents", i)),
              _join(_join("documents", i), "file"))
        for i, d in enumerate(docs)
    }
    for i, pair in enumerate(_list(_get(doc, "shared", ""), "shared")):
        p = _join("shared", i)
        m = _map(pair, p)
        c.shared.append(SharedPair(
            cto=_text(_get(m, "cto", p), _join(p, "cto")),
            cio=_text(_get(m, "cio", p), _join(p, "cio")),
            rule=_text(_get(m, "rule", p), _join(p, "rule")),
        ))
        if "sources" in m:
            _sources(m["sources"], _join(p, "sources"), c.documents)
    c.ceo_titles.extend(_titles(_get(doc, "ceo_titles", ""), "ceo_titles"))
    if "not_the_holder" in doc:
        c.exclusions.extend(_titles(doc["not_the_holder"], "not_the_holder"))


def _read_profile(doc: Mapping[str, Any], c: _Collected, name: str,
                  pending: list[tuple[str, str, Any]]) -> None:
    role = _text(_get(doc, "role", ""), "role")
    resps: list[Responsibility] = []
    seen: set[str] = set()
    for i, item in enumerate(_list(_get(doc, "responsibilities", ""), "responsibilities")):
        p = _join("responsibilities", i)
        m = _map(item, p)
        rid = _text(_get(m, "id", p), _join(p, "id"))
        if not _ID_RE.match(rid):
            raise _Bad(_join(p, "id"), f"'{rid}' should look like 'cto.some_name'")
        if rid in seen or rid in c.id_files:
            raise _Bad(_join(p, "id"), f"'{rid}' is defined twice")
        seen.add(rid)
        translations: dict[str, tuple[str, str]] = {}
        if "translations" in m:
            tp = _join(p, "translations")
            for lang, tr in _map(m["translations"], tp).items():
                lp = _join(tp, str(lang))
                if lang not in LANGS:
                    raise _Bad(lp, f"unknown language '{lang}' (use {', '.join(LANGS)})")
                trm = _map(tr, lp)
                translations[str(lang)] = (
                    _text(_get(trm, "name", lp), _join(lp, "name")),
                    _text(_get(trm, "description", lp), _join(lp, "description")),
                )
        resps.append(Responsibility(
            id=rid,
            role=role,
            name=_text(_get(m, "name", p), _join(p, "name")),
            description=_text(_get(m, "description", p), _join(p, "description")),
            # citations are checked once the sources file (wherever it sorts) has been read
            sources=(),
            translations=translations,
        ))
        pending.append((name, _join(p, "sources"), _get(m, "sources", p)))
        if "vocabulary" in m:
            c.vocabulary.extend(_vocabulary(m["vocabulary"], _join(p, "vocabulary"), rid))
        c.id_files[rid] = name
    c.profiles.append(Profile(
        role=role,
        name=_text(_get(doc, "name", ""), "name"),
        focus=_text(_get(doc, "focus", ""), "focus"),
        titles=_titles(_get(doc, "titles", ""), "titles"),
        responsibilities=tuple(resps),
    ))


def _read_out_of_scope(doc: Mapping[str, Any], c: _Collected) -> None:
    for key, area in _map(_get(doc, "areas", ""), "areas").items():
        p = _join("areas", str(key))
        if not isinstance(key, str) or not _AREA_RE.match(key):
            raise _Bad(p, "an area key should be a lower-case word like 'finance'")
        if key in c.areas:
            raise _Bad(p, f"area '{key}' is defined twice")
        m = _map(area, p)
        c.areas[key] = _text(_get(m, "name", p), _join(p, "name"))
        c.vocabulary.extend(_vocabulary(_get(m, "vocabulary", p), _join(p, "vocabulary"),
                                        f"none.{key}"))


def _read_cues(doc: Mapping[str, Any], c: _Collected) -> None:
    for key, cue in _map(_get(doc, "cues", ""), "cues").items():
        p = _join("cues", str(key))
        if key not in CUES:
            raise _Bad(p, f"unknown cue (use {', '.join(CUES)})")
        c.vocabulary.extend(_vocabulary(cue, p, f"cue.{key}"))


# ---------------------------------------------------------------- loading


def load_profiles(folder: Path | None = None) -> Profiles:
    """Read and validate every ``*.yaml`` file of ``folder`` (default: the bundled roles_data)."""
    if folder is None:
        return _default_profiles()
    return _load(Path(folder))


def _default_profiles() -> Profiles:
    # read from the compiled-profiles cache when it matches the data (see addin.compiled)
    from .compiled import default_compiled

    return default_compiled()[0]


def _display(folder: Path, file: Path) -> str:
    return f"{folder.name}/{file.name}"


def _load(folder: Path) -> Profiles:
    # imported here: a plain `import addin.matcher` stays fast, the data is read on first use
    import hashlib

    import yaml

    if not folder.is_dir():
        raise RolefitError(f"{folder}: the profiles folder does not exist")
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise RolefitError(f"{folder}: no profile files (*.yaml) found")
    digest = hashlib.sha256()
    c = _Collected()
    pending: list[tuple[str, str, Any]] = []
    sources_file = ""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for file in files:
        name = _display(folder, file)
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise RolefitError(f"{name}: cannot be read ({exc.strerror})") from None
        digest.update(file.name.encode() + b"\0" + raw + b"\0")
        try:
            doc = yaml.load(raw.decode("utf-8"), Loader=loader)
        except UnicodeDecodeError:
            raise RolefitError(f"{name}: is not UTF-8 text") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark is not None else ""
            problem = getattr(exc, "problem", None) or "not valid YAML"
            raise RolefitError(f"{name}: {where}{problem}") from None
        try:
            m = _map(doc, "")
            kind = _text(_get(m, "kind", ""), "kind")
            if kind == "sources":
                if sources_file:
                    raise _Bad("kind", f"a second sources file (the first is {sources_file})")
                sources_file = name
                _read_sources(m, c)
            elif kind == "profile":
                _read_profile(m, c, name, pending)
            elif kind == "out_of_scope":
                _read_out_of_scope(m, c)
            elif kind == "cues":
                _read_cues(m, c)
            else:
                raise _Bad("kind", f"unknown kind '{kind}' (use {', '.join(_KINDS)})")
        except _Bad as exc:
            raise RolefitError(f"{name}: {exc}") from None
    if c.documents is None:
        raise RolefitError(f"{folder.name}: no file with 'kind: sources' found")

    # citations, now that the document list is known
    cited: dict[str, tuple[Source, ...]] = {}
    ids_in_order = [r.id for p in c.profiles for r in p.responsibilities]
    for rid, (name, path, node) in zip(ids_in_order, pending, strict=True):
        try:
            cited[rid] = _sources(node, path, c.documents)
        except _Bad as exc:
            raise RolefitError(f"{name}: {exc}") from None
    profiles = tuple(
        Profile(p.role, p.name, p.focus, p.titles, tuple(
            Responsibility(r.id, r.role, r.name, r.description, cited[r.id], r.translations)
            for r in p.responsibilities))
        for p in c.profiles
    )

    _check_contract(folder, profiles, c, sources_file)
    return Profiles(
        profiles=profiles,
        shared=tuple(c.shared),
        ceo_titles=tuple(c.ceo_titles),
        version=digest.hexdigest()[:12],
        vocabulary=tuple(c.vocabulary),
        areas=dict(c.areas),
        title_exclusions=tuple(c.exclusions),
    )


def _check_contract(folder: Path, profiles: tuple[Profile, ...], c: _Collected,
                    sources_file: str) -> None:
    owner = {r.id: (r.role, c.id_files[r.id]) for p in profiles for r in p.responsibilities}
    roles = [p.role for p in profiles]
    for role in sorted(set(roles)):
        if roles.count(role) > 1:
            raise RolefitError(f"{folder.name}: role '{role}' is defined in more than one file")
    for rid, role in REQUIRED_IDS.items():
        if rid not in owner:
            raise RolefitError(f"{folder.name}: responsibility '{rid}' ({role}) is missing")
        if owner[rid][0] != role:
            raise RolefitError(
                f"{owner[rid][1]}: responsibility '{rid}' must belong to {role}, "
                f"not {owner[rid][0]}")
    for i, pair in enumerate(c.shared):
        for side, rid, role in (("cto", pair.cto, "CTO"), ("cio", pair.cio, "CIO")):
            if rid not in owner:
                raise RolefitError(f"{sources_file}: shared[{i}].{side}: unknown id '{rid}'")
            if owner[rid][0] != role:
                raise RolefitError(
                    f"{sources_file}: shared[{i}].{side}: '{rid}' is not a {role} responsibility")
    for rid in owner:
        if not any(t.target == rid for t in c.vocabulary):
            raise RolefitError(f"{owner[rid][1]}: responsibility '{rid}' has no vocabulary")


# ---------------------------------------------------------------- titles


def _phrases(items: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [tuple(words(t)) for t in items if words(t)]


def _contains(tokens: list[str], phrase: tuple[str, ...]) -> int:
    """Position of ``phrase`` inside ``tokens``, or -1."""
    n = len(phrase)
    for i in range(len(tokens) - n + 1):
        if tuple(tokens[i:i + n]) == phrase:
            return i
    return -1


_TitleIndex = tuple[list[tuple[tuple[str, ...], str]], list[tuple[str, ...]],
                    list[tuple[str, ...]]]
_TITLE_INDEXES: dict[str, _TitleIndex] = {}


def _title_index(profiles: Profiles) -> _TitleIndex:
    # keyed by the data digest: Profiles holds mappings, so it cannot be hashed itself
    index = _TITLE_INDEXES.get(profiles.version)
    if index is None:
        by_role = [(ph, p.role) for p in profiles.profiles for ph in _phrases(p.titles)]
        # "Chief Technology & Information Officer": "&" is no word, so "and" may be left out
        by_role += [(short, role) for ph, role in by_role
                    if "and" in ph and (short := tuple(t for t in ph if t != "and"))]
        # longest first: "giam doc cong nghe thong tin" (CIO) before "giam doc cong nghe"
        by_role.sort(key=lambda x: -len(x[0]))
        index = (by_role, _phrases(profiles.ceo_titles), _phrases(profiles.title_exclusions))
        _TITLE_INDEXES[profiles.version] = index
    return index


def _excluded(tokens: list[str], start: int, exclusions: list[tuple[str, ...]]) -> bool:
    # a qualifier before the title ("Deputy CTO", "Phó giám đốc công nghệ") or attached to it
    head = tokens[:start]
    return any(_contains(head, ex) >= 0 for ex in exclusions) or any(
        t.startswith(("vice", "deputy")) for t in head)


def recognise_roles(title: str, profiles: Profiles) -> tuple[str, ...]:
    """Every reference role a title names, in the order written ("CTO & CIO" -> both).

    Case, accents and extra words are ignored ("Group CTO", "CTO (interim)",
    "Giam doc cong nghe"). A qualifier that makes it a different job ("Deputy CTO",
    "Phó giám đốc công nghệ", "Assistant to the CIO") gives no role: that executive's
    duties are still checked, but they do not hold the role.
    """
    if not title or not title.strip():
        return ()
    tokens = words(title)
    by_role, _, exclusions = _title_index(profiles)
    found: list[tuple[int, str]] = []
    used: dict[int, tuple[str, ...]] = {}
    for phrase, role in by_role:
        pos = _contains(tokens, phrase)
        span = range(pos, pos + len(phrase))
        # words already taken by a longer title, unless the same title is listed under
        # both roles (a combined title such as "Chief Technology and Information Officer")
        if pos < 0 or any(used.get(i, phrase) != phrase for i in span):
            continue
        used.update((i, phrase) for i in span)
        if not _excluded(tokens, pos, exclusions):
            found.append((pos, role))
    out: list[str] = []
    # one title naming both roles lists them in the usual order (CTO first)
    for _, role in sorted(found, key=lambda f: (f[0], ROLES.index(f[1]) if f[1] in ROLES
                                                 else len(ROLES))):
        if role not in out:
            out.append(role)
    return tuple(out)


def recognise_role(title: str, profiles: Profiles) -> str | None:
    """``"CTO"``/``"CIO"`` when a title (or a cell holding one) names that role, else None.

    A title naming both ("CTO/CIO") gives the first one written; use
    :func:`recognise_roles` to get both.
    """
    roles = recognise_roles(title, profiles)
    return roles[0] if roles else None


def is_ceo(title_or_name: str, profiles: Profiles) -> bool:
    """True when the text names the chief executive ("CEO", "Tổng giám đốc", "সিইও" ...)."""
    if not title_or_name or not title_or_name.strip():
        return False
    tokens = words(title_or_name)
    _, ceo, exclusions = _title_index(profiles)
    for phrase in ceo:
        pos = _contains(tokens, phrase)
        if pos >= 0 and not _excluded(tokens, pos, exclusions):
            return True
    return False
