"""Report wording from the message catalogues in ``templates/i18n/``.

Catalogues are plain YAML with ``{placeholder}`` fields, so the core can say things in
English, Vietnamese or Bengali without a template engine. A key missing from a
translation falls back to English.

Loading the YAML library and parsing a catalogue costs more than laying out a whole
report, so each parsed catalogue is kept as plain :mod:`marshal` data in the per-user
cache folder of :mod:`addin.compiled`, keyed by the digest of the YAML file's bytes: an
edited catalogue, another Python or a damaged cache file simply means parsing the YAML.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from .model import Note, NoteArg, RolefitError
from .resources import data_dir

LANGS: tuple[str, ...] = ("en", "vi", "bn")
#: Bump when the layout of a cached catalogue changes.
_FORMAT = 1


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """All messages of ``lang`` as dotted keys (``message.gap``), English filling any hole."""
    if lang not in LANGS:
        raise RolefitError(f"unknown report language '{lang}': use one of {', '.join(LANGS)}")
    flat = dict(catalogue("en")) if lang != "en" else {}
    flat.update(_messages(lang))
    return flat


def _messages(lang: str) -> dict[str, str]:
    """The messages of ``lang``'s own catalogue file only: from the cache, or parsed."""
    path = data_dir("templates") / "i18n" / f"{lang}.yaml"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    # the catalogue's own text is the key: a cache of any other text is not used
    key = f"{_FORMAT}\0{sys.version}\0{marshal.version}\0".encode() + raw
    stored = _cache_file(lang)
    if stored is not None:
        hit = _read(stored, key)
        if hit is not None:
            return hit
    flat = _parse(lang, raw)
    if stored is not None:
        _write(stored, key, flat)
    return flat


def _parse(lang: str, raw: bytes) -> dict[str, str]:
    import yaml  # only when the catalogue is new or changed

    try:
        tree = yaml.load(raw.decode("utf-8"), Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RolefitError(f"templates/i18n/{lang}.yaml: not valid YAML ({exc})") from None
    if not isinstance(tree, Mapping):
        raise RolefitError(f"templates/i18n/{lang}.yaml: expected a mapping of messages")
    return _flatten(tree)


def _cache_file(lang: str) -> Path | None:
    # the profiles' cache folder, with its on/off switch
    from .compiled import cache_dir, path_tag

    where = cache_dir()
    if where is None:
        return None
    return where / f"messages-{lang}-{path_tag(str(data_dir('templates')))}.marshal"


def _read(path: Path, key: bytes) -> dict[str, str] | None:
    try:
        with path.open("rb") as fh:
            if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
                return None  # only ever read what this user wrote
            stored_key, flat = marshal.loads(fh.read())
    except Exception:  # missing, unreadable or damaged: parse the YAML instead
        return None
    if stored_key != key or type(flat) is not dict:
        return None
    if not all(type(k) is str and type(v) is str for k, v in flat.items()):
        return None
    return flat


def _write(path: Path, key: bytes, flat: dict[str, str]) -> None:
    from .compiled import store

    store(path, marshal.dumps((key, flat)))


def say(lang: str, key: str, **params: object) -> str:
    """The message ``key`` in ``lang`` with its placeholders filled."""
    text = catalogue(lang).get(key)
    if text is None:
        raise RolefitError(f"templates/i18n/{lang}.yaml: missing message '{key}'")
    return text.format(**params) if params else text


#: Between the notes of a sheet, and between the items of a list inside a note.
NOTE_SEPARATOR = "; "


def say_count(lang: str, noun: str, n: int) -> str:
    """``n`` of ``noun`` ("1 duty", "3 duties"), from the catalogue's ``count.*`` keys."""
    key = f"count.{noun}_one" if n == 1 else f"count.{noun}"
    return say(lang, key, n=n)


def say_note(lang: str, note: Note) -> str:
    """A :class:`~addin.model.Note` in ``lang``, its nested notes said in ``lang`` too."""
    return say(lang, note.key, **{k: _note_field(lang, v) for k, v in note.params.items()})


def say_notes(lang: str, notes: Sequence[Note]) -> str:
    """Several notes in ``lang`` as one line."""
    return NOTE_SEPARATOR.join(say_note(lang, n) for n in notes)


def _note_field(lang: str, value: NoteArg) -> object:
    if isinstance(value, Note):
        return say_note(lang, value)
    if isinstance(value, tuple):
        return say_notes(lang, value)
    return value
