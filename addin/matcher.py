"""Match a duty line to the profile responsibility it describes, with evidence.

The vocabulary of ``roles_data/`` is compiled once into phrase tables keyed by token
tuples. A duty is tokenised, each token mapped to the vocabulary's form of the word
(:class:`addin.text.Canon`), and phrases are found longest-first. Scores are sums of
weights:

* ``terms`` of a responsibility always count; its ``context`` words count only when the
  duty is about technology (it holds any responsibility term or a ``tech`` cue);
* out-of-scope areas (finance, sales, ...) compete with the responsibilities; their words
  count little next to a system word ("payroll system");
* role cues (inside/run -> CIO, outside/build -> CTO) add to the responsibilities of
  that role the duty already matches, which applies the sources' rules of thumb on the
  shared pairs.

Deterministic and offline; no model files.
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from .model import Candidate, Match, Profiles, VocabTerm
from .text import (
    Canon,
    LangCode,
    Token,
    detect_lang,
    has_vietnamese_marks,
    tokenise,
    vietnamese_marked,
)

#: Role cues add at most this much to a responsibility.
CUE_CAP = 2.5
#: An out-of-scope word right next to a system word keeps this share of its weight.
NEXT_TO_SYSTEM = 0.3
#: A straddling duty: the shared partner scores at least this share of the winner.
STRADDLE = 0.75
#: Candidates kept on a match.
MAX_CANDIDATES = 3
# Confidence model: logistic in the winner's score and its relative lead over the runner-up;
# the bias is set so that the confidence bins are roughly honest on labelled messy lines.
_CONF_BIAS, _CONF_LEAD, _CONF_SCORE = -1.6, 3.0, 1.0
#: Confidence when no word of the vocabulary occurs at all (the duty is then out of scope).
NO_EVIDENCE_CONFIDENCE = 0.6
#: A duty is about technology when its tech cues and responsibility terms weigh this much.
TECH_MIN = 1.0
#: A split phrase ("align ... with") may have this many words between its two parts.
GAP_WINDOW = 8



_TERM, _CONTEXT, _DEPARTMENT = 0, 1, 2
_NONE: frozenset[int] = frozenset()
_KIND = {"term": _TERM, "context": _CONTEXT, "department": _DEPARTMENT}

# What a phrase points to: (target index, weight, kind). Plain tuples, so the compiled
# tables can be stored with marshal (see addin.compiled).
_Entry = tuple[int, float, int]
# a phrase found in a duty: (first token, token after the last, what it points to)
_Hit = tuple[int, int, tuple[_Entry, ...]]
_Phrases = dict[tuple[str, ...], tuple[_Entry, ...]]
# a split phrase: (first part, second part, what it points to)
_Gapped = tuple[tuple[str, ...], tuple[str, ...], tuple[_Entry, ...]]
#: How a split phrase is written in the vocabulary: "align ... with".
GAP_MARK = "..."


class Tables(NamedTuple):
    """The vocabulary compiled for matching: plain data, cheap to store and load."""

    known: frozenset[str]
    bases: dict[str, str]
    main: _Phrases
    cues: _Phrases
    #: first token -> the lengths of the main and of the cue phrases starting with it,
    #: longest first
    spans: dict[str, tuple[tuple[int, ...], tuple[int, ...]]]
    #: phrases in plain Latin letters that the vocabulary never writes with Vietnamese
    #: accents (English words, abbreviations): a word typed with accents never matches one
    #: ("sóc" is not SOC)
    plain: frozenset[tuple[str, ...]]
    #: split phrases of the main table, by the first word of their first part
    gapped: dict[str, tuple[_Gapped, ...]]


def _merge(entries: list[_Entry]) -> tuple[_Entry, ...]:
    # the same phrase listed twice for one target (e.g. en and vi) counts once, at its maximum
    best: dict[tuple[int, int], float] = {}
    for target, weight, kind in entries:
        key = (target, kind)
        best[key] = max(best.get(key, 0.0), weight)
    return tuple((t, w, k) for (t, k), w in best.items())


def _targets(profiles: Profiles) -> tuple[list[str], list[str]]:
    """Responsibility and area targets, and the cue names, in index order."""
    areas = sorted(profiles.areas)
    targets = [r.id for r in profiles.responsibilities()] + [f"none.{a}" for a in areas]
    cue_names = ["cue.tech", "cue.objects"] + [f"cue.{p.role}" for p in profiles.profiles]
    return targets, cue_names


def compile_tables(profiles: Profiles) -> Tables:
    """Compile the profiles' vocabulary into phrase tables keyed by token tuples."""
    targets, cue_names = _targets(profiles)
    index = {t: i for i, t in enumerate(targets)}
    cue_index = {c: i for i, c in enumerate(cue_names)}
    tokenised: list[tuple[VocabTerm, list[str]]] = [
        (t, [tok.norm for tok in tokenise(t.phrase)]) for t in profiles.vocabulary
    ]
    canon = Canon(w for _, toks in tokenised for w in toks)
    # one table for all languages: a duty may mix them, and the answer must not hang
    # on language detection (Vietnamese without accents reads like any Latin text)
    main: dict[tuple[str, ...], list[_Entry]] = {}
    cues: dict[tuple[str, ...], list[_Entry]] = {}
    gapped: dict[tuple[tuple[str, ...], tuple[str, ...]], list[_Entry]] = {}
    accented: set[tuple[str, ...]] = set()
    for term, toks in tokenised:
        if term.target in index:
            entry = (index[term.target], term.weight, _KIND.get(term.kind, _TERM))
            table = main
        elif term.target in cue_index:
            entry = (cue_index[term.target], term.weight, _TERM)
            table = cues
        else:
            continue  # vocabulary of a responsibility or area not in these profiles
        if GAP_MARK in term.phrase and table is main:
            before, _, after = term.phrase.partition(GAP_MARK)
            parts = (tuple(canon(t.norm) for t in tokenise(before)),
                     tuple(canon(t.norm) for t in tokenise(after)))
            if parts[0] and parts[1]:
                gapped.setdefault(parts, []).append(entry)
                continue
        key = tuple(canon(w) for w in toks)
        table.setdefault(key, []).append(entry)
        if has_vietnamese_marks(term.phrase):
            accented.add(key)
    lengths: dict[str, tuple[set[int], set[int]]] = {}
    for key in main:
        lengths.setdefault(key[0], (set(), set()))[0].add(len(key))
    for key in cues:
        lengths.setdefault(key[0], (set(), set()))[1].add(len(key))
    spans = {first: (tuple(sorted(m, reverse=True)), tuple(sorted(c, reverse=True)))
             for first, (m, c) in lengths.items()}
    known, bases = canon.tables()
    plain = frozenset(k for k in (*main, *cues)
                      if k not in accented and all(w.isascii() for w in k))
    by_first: dict[str, list[_Gapped]] = {}
    for (head, tail), entries in sorted(gapped.items()):
        by_first.setdefault(head[0], []).append((head, tail, _merge(entries)))
    return Tables(known, bases, {k: _merge(v) for k, v in main.items()},
                  {k: _merge(v) for k, v in cues.items()}, spans, plain,
                  {k: tuple(v) for k, v in by_first.items()})


class _Marks:
    """Tells whether words of a duty are written with Vietnamese accents."""

    __slots__ = ("_lang", "_text", "_tokens")

    def __init__(self, text: str, tokens: Sequence[Token], lang: LangCode) -> None:
        self._text, self._tokens, self._lang = text, tokens, lang

    def any_in(self, start: int, end: int) -> bool:
        """True when a word in ``[start, end)`` is written with Vietnamese accents."""
        text, tokens = self._text, self._tokens
        # only the words of one phrase are looked at: phrases in plain letters are rare
        # in an accented line, so this is cheaper than marking the whole line
        if all(text[tokens[i][1]:tokens[i][2]].isascii() for i in range(start, end)):
            return False
        return bool(vietnamese_marked(text, tokens[start:end], self._lang))


def _find(tokens: tuple[str, ...], tables: Tables,
          marks: _Marks | None = None) -> tuple[list[_Hit], list[_Hit]]:
    """Phrases of the main and the cue table, each found greedily longest-first.

    ``marks`` tells which words are written with Vietnamese accents (None: no word can
    be): a phrase spanning one of them must come from a vocabulary phrase with accents.
    """
    main_hits: list[_Hit] = []
    cue_hits: list[_Hit] = []
    spans_of, main, cues, gapped = tables.spans.get, tables.main, tables.cues, tables.gapped
    plain = tables.plain
    main_next = cue_next = 0
    for i, tok in enumerate(tokens):
        if gapped and tok in gapped:
            main_hits.extend(_find_gapped(tokens, i, gapped[tok]))
        spans = spans_of(tok)
        if spans is None:
            continue
        # only lengths some phrase has are tried, longest first
        sizes, cue_sizes = spans
        if sizes and i >= main_next:
            main_next = _longest_at(tokens, i, sizes, main, plain, marks, main_hits, main_next)
        if cue_sizes and i >= cue_next:
            cue_next = _longest_at(tokens, i, cue_sizes, cues, plain, marks, cue_hits, cue_next)
    return main_hits, cue_hits


def _longest_at(tokens: tuple[str, ...], i: int, sizes: Sequence[int],
                table: _Phrases, plain: Container[tuple[str, ...]],
                marks: _Marks | None, hits: list[_Hit], after: int) -> int:
    """Add the longest phrase of ``table`` starting at word ``i``; the word it ends at."""
    n = len(tokens)
    for size in sizes:
        if size <= n - i:
            key = tokens[i:i + size]
            found = table.get(key)
            if found is not None:
                if marks and key in plain and marks.any_in(i, i + size):
                    continue
                hits.append((i, i + size, found))
                return i + size
    return after


def _find_gapped(tokens: tuple[str, ...], i: int, phrases: tuple[_Gapped, ...]) -> list[_Hit]:
    """Split phrases starting at ``i``: "align [the roadmap] with", "gắn [X] với"."""
    hits: list[_Hit] = []
    n = len(tokens)
    for first, second, entries in phrases:
        a = i + len(first)
        if tokens[i:a] != first:
            continue
        size = len(second)
        for j in range(a, min(a + GAP_WINDOW, n - size) + 1):
            if tokens[j:j + size] == second:
                hits.append((i, j + size, entries))
                break
    return hits


class Matcher:
    """Duty text -> :class:`Match`, built from the profiles and their vocabulary."""

    def __init__(self, profiles: Profiles, tables: Tables | None = None) -> None:
        self.profiles = profiles
        resps = profiles.responsibilities()
        self._resp_ids = [r.id for r in resps]
        self._roles = [r.role for r in resps]
        self._targets, cue_names = _targets(profiles)
        self._n_resp = len(self._resp_ids)
        cue_index = {c: i for i, c in enumerate(cue_names)}
        self._cue_role = {i: c[4:] for c, i in cue_index.items() if i >= 2}
        self._role_cue_index = {role: i for i, role in self._cue_role.items()}
        self._n_cues = len(cue_names)
        # each responsibility's role cue (-1: its role has none)
        self._resp_cue = [self._role_cue_index.get(role, -1) for role in self._roles]
        self._partners = {rid: set(profiles.shared_partners(rid)) for rid in self._resp_ids}
        self.tables = tables if tables is not None else compile_tables(profiles)
        self._canon = Canon.from_tables(self.tables.known, self.tables.bases)

    # ------------------------------------------------------------ public

    def match(self, text: str) -> Match:
        """The best responsibility for one duty line (or none), with evidence."""
        return self._match(text)

    def match_many(self, texts: Iterable[str]) -> list[Match]:
        """:meth:`match` for each text, in order (a text repeated is matched once)."""
        # memoised within this call only: the matcher keeps no duty text afterwards
        seen: dict[str, Match] = {}
        out = []
        for t in texts:
            hit = seen.get(t) if isinstance(t, str) else None
            if hit is None:
                hit = self._match(t)
                if isinstance(t, str):
                    seen[t] = hit
            out.append(hit)
        return out

    def forget(self) -> None:
        """Empty the cache of words seen, so no word of a checked plan stays in memory."""
        self._canon.forget()

    # ------------------------------------------------------------ scoring

    def _match(self, text: str) -> Match:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        tokens = tokenise(text)
        lang = detect_lang(text, tokens)
        canon = self._canon
        known = canon._cache.get
        norms = tuple([known(t[0]) or canon(t[0]) for t in tokens])
        # an all-ASCII line has no accented word to check
        marks = None if text.isascii() else _Marks(text, tokens, lang)
        main_hits, cue_hits = _find(norms, self.tables, marks)

        n_resp = self._n_resp
        cue_sum = [0.0] * self._n_cues
        cue_spans: list[list[tuple[int, int]]] = [[] for _ in range(self._n_cues)]
        for start, end, entries in cue_hits:
            for target, w, _ in entries:
                cue_sum[target] += w
                cue_spans[target].append((start, end))
        object_edges = {x for span in cue_spans[1] for x in span} if cue_spans[1] else _NONE
        # one weak word ("new", "technology" in passing) does not make the duty technology
        # work: the cues and the responsibility terms together must reach TECH_MIN
        tech_weight = cue_sum[0]
        if tech_weight < TECH_MIN:
            tech_weight += sum(w for _, _, entries in main_hits for target, w, kind in entries
                               if kind == _TERM and target < n_resp and w > 0)
        tech = tech_weight >= TECH_MIN

        weights: dict[int, list[float]] = {}
        spans: dict[int, list[tuple[int, int]]] = {}
        for start, end, entries in main_hits:
            for target, w, kind in entries:
                if w <= 0 or (kind == _CONTEXT and not tech):
                    continue
                if target >= n_resp and (
                    start in object_edges or end in object_edges
                    or (kind == _DEPARTMENT and tech)
                ):
                    # "payroll system", "analytics for the sales team": about the system
                    w *= NEXT_TO_SYSTEM
                if target in weights:
                    weights[target].append(w)
                    spans[target].append((start, end))
                else:
                    weights[target] = [w]
                    spans[target] = [(start, end)]

        roles = self._roles
        role_cue = [min(cue_sum[ci], CUE_CAP) if ci >= 0 else 0.0 for ci in self._resp_cue]
        plain: dict[int, float] = {}
        scores: dict[int, float] = {}
        none_total = 0.0
        for t, ws in weights.items():
            sc = ws[0] if len(ws) == 1 else _sum_decaying(ws)
            if t < n_resp:
                plain[t] = sc
                # cues pick a side between responsibilities; whether the duty is technology
                # work at all is decided on the words themselves
                scores[t] = sc + role_cue[t] if sc > 0 else sc
            else:
                scores[t] = sc
                none_total += sc

        ranked = sorted(plain, key=lambda t: (-scores[t], t)) if len(plain) > 1 else list(plain)
        best = ranked[0] if ranked else None
        best_score = scores[best] if best is not None else 0.0
        best_plain = plain[best] if best is not None else 0.0

        resp_ids = self._resp_ids
        candidates = tuple([
            Candidate(resp_ids[t], roles[t], round(scores[t], 3), _quote(text, tokens, spans[t]))
            for t in ranked[:MAX_CANDIDATES]
        ])
        if best is None or none_total >= best_plain:
            if none_total <= 0:
                return Match(text, lang, None, None, NO_EVIDENCE_CONFIDENCE, (),
                             candidates=candidates)
            area_t = max((t for t in scores if t >= n_resp), key=lambda t: (scores[t], -t))
            conf = _confidence(none_total, best_plain)
            area_spans = [s for t in scores if t >= n_resp for s in spans[t]]
            return Match(text, lang, None, None, conf, _quote(text, tokens, area_spans),
                         candidates=candidates, area=self._targets[area_t][5:])

        rid, role = resp_ids[best], roles[best]
        runner = ranked[1] if len(ranked) > 1 else None
        shared_with = None
        second = none_total
        if runner is not None:
            runner_id = resp_ids[runner]
            if runner_id in self._partners[rid] and scores[runner] >= STRADDLE * best_score:
                shared_with = runner_id
                # either side of a straddled pair is right: the lead to beat is the next one
                third = ranked[2] if len(ranked) > 2 else None
                second = max(second, scores[third] if third is not None else 0.0)
            else:
                second = max(second, scores[runner])
        role_ci = self._role_cue_index.get(role)
        own = spans[best] + (cue_spans[role_ci] if role_ci is not None else [])
        evidence = _quote(text, tokens, own)
        return Match(text, lang, rid, role, _confidence(best_score, second), evidence,
                     shared_with=shared_with, candidates=candidates)


def _sum_decaying(weights: list[float]) -> float:
    """Sum with diminishing returns, so a list of objects does not outweigh the verb."""
    if len(weights) == 1:
        return weights[0]
    ordered = sorted(weights, reverse=True)
    return sum(w * f for w, f in zip(ordered, _DECAY, strict=False)) + (
        sum(ordered[len(_DECAY):]) * _DECAY[-1])


_DECAY = (1.0, 0.6, 0.4, 0.3)


def _confidence(best: float, second: float) -> float:
    lead = (best - second) / best if best > 0 else 0.0
    z = _CONF_BIAS + _CONF_LEAD * lead + _CONF_SCORE * math.log1p(best)
    return round(1.0 / (1.0 + math.exp(-z)), 3)


def _quote(text: str, tokens: Sequence[Token], spans: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    """The duty's own words for token spans, in text order, without repeats."""
    if len(spans) == 1:
        s, e = spans[0]
        return (text[tokens[s].start:tokens[e - 1].end],)
    out: list[str] = []
    reach = -1
    # widest first at each start: a span inside one already quoted adds nothing
    for s, e in sorted(set(spans), key=lambda se: (se[0], -se[1])):
        if e <= reach:
            continue
        reach = e
        piece = text[tokens[s].start:tokens[e - 1].end]
        if piece not in out:
            out.append(piece)
    return tuple(out)


@lru_cache(maxsize=1)
def default_matcher() -> Matcher:
    """The matcher for the bundled profiles (built once per process)."""
    from .compiled import default_compiled

    profiles, tables = default_compiled()
    return Matcher(profiles, tables)
