"""A per-user cache of the bundled profiles, validated and compiled for the matcher.

Parsing the YAML of ``roles_data/`` and compiling its vocabulary takes longer than checking
a whole plan, so the result is stored once in the user's cache folder and read back on the
next start. The file holds plain data written with :mod:`marshal` (reading it cannot run
code) and is keyed by the very contents of the data files and of the code that compiles
them, and by the rolefit and Python versions (compared byte for byte: no digest to trust):
a cache that does not match exactly, a damaged file or an unwritable folder are ignored,
and the profiles are built from the YAML as usual.

The folder is ``$ROLEFIT_CACHE_DIR`` when set (``off`` turns the cache off), else the
platform's cache folder (``$XDG_CACHE_HOME/rolefit`` or ``~/.cache/rolefit`` on Linux).
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from dataclasses import fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .files import write_atomic
from .model import (
    Profile,
    Profiles,
    Responsibility,
    RolefitError,
    SharedPair,
    Source,
    VocabTerm,
)
from .resources import data_dir

if TYPE_CHECKING:
    from .matcher import Tables

CACHE_ENV = "ROLEFIT_CACHE_DIR"
#: Bump when the layout of the cached data changes.
_FORMAT = 1
#: The modules whose code decides what is compiled; any change to them makes a new key.
_CODE = ("model.py", "text.py", "profiles.py", "matcher.py", "compiled.py")
_CLASSES: dict[str, type] = {c.__name__: c for c in (
    Profiles, Profile, Responsibility, Source, SharedPair, VocabTerm)}
_HERE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """Where the compiled profiles are kept, or None when caching is off or impossible."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return None if env.strip().lower() == "off" else Path(env)
    try:
        if sys.platform == "win32":
            base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        elif sys.platform == "darwin":
            base = Path.home() / "Library" / "Caches"
        else:
            xdg = os.environ.get("XDG_CACHE_HOME", "")
            base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    except RuntimeError:  # no home folder
        return None
    return base / "rolefit"


def store(path: Path, data: bytes) -> None:
    """Keep ``data`` in the cache at ``path``, atomically; a failure only costs the next start
    its time (a read-only or full disk is not the user's problem)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(path, data)
    except (OSError, RolefitError):
        pass


@lru_cache(maxsize=1)
def default_compiled() -> tuple[Profiles, Tables]:
    """The bundled profiles and their matcher tables: from the cache, or built and cached."""
    from .matcher import compile_tables
    from .profiles import _load

    folder = data_dir("roles_data")
    key = _key(folder)
    where = cache_dir()
    path = where / f"profiles-{path_tag(str(folder))}.marshal" if where and key else None
    if path is not None and key is not None:
        hit = _read(path, key)
        if hit is not None:
            return hit
    profiles = _load(folder)
    tables = compile_tables(profiles)
    if path is not None and key is not None:
        _write(path, key, profiles, tables)
    return profiles, tables


def path_tag(text: str) -> str:
    """A short tag of a folder's path for a file name (the key inside decides a hit)."""
    return f"{zlib.crc32(text.encode()):08x}"


def _key(folder: Path) -> bytes | None:
    """Everything the compiled data depends on, itself (None: cannot tell)."""
    try:
        files = [(f.name, f.read_bytes()) for f in sorted(folder.glob("*.yaml"))]
        code = [(name, (_HERE / name).read_bytes()) for name in _CODE]
    except OSError:
        return None  # let the normal loader report the problem
    head = f"{_FORMAT}\0{__version__}\0{sys.version}\0{marshal.version}\0".encode()
    return head + b"".join(name.encode() + b"\0" + raw + b"\0" for name, raw in code + files)


def _read(path: Path, key: bytes) -> tuple[Profiles, Tables] | None:
    from .matcher import Tables

    try:
        with path.open("rb") as fh:
            if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
                return None  # only ever read what this user wrote
            data = marshal.loads(fh.read())
        stored_key, profiles, tables = data
        if stored_key != key:
            return None  # stale: the data, the code or Python changed
        result = _decode(profiles), Tables(*tables)
        if not isinstance(result[0], Profiles):
            return None
        return result
    except Exception:  # missing, unreadable or damaged: build from the YAML instead
        return None


def _write(path: Path, key: bytes, profiles: Profiles, tables: Tables) -> None:
    try:
        data = marshal.dumps((key, _encode(profiles), tuple(tables)))
    except (ValueError, TypeError):
        return
    store(path, data)


def _encode(obj: Any) -> Any:
    """Plain data for marshal: a dataclass becomes a list [class name, *field values]
    (the vocabulary, a tuple of VocabTerm, becomes ["*", rows of field values])."""
    if is_dataclass(obj) and not isinstance(obj, type):
        name = type(obj).__name__
        if _CLASSES.get(name) is not type(obj):
            raise TypeError(f"cannot cache {name}")
        return [name, *(_encode(getattr(obj, f.name)) for f in fields(obj))]
    if isinstance(obj, tuple):
        if len(obj) > 1 and all(type(v) is VocabTerm for v in obj):
            # the long vocabulary as rows of plain fields: much faster to read back
            return ["*", tuple(tuple(getattr(v, f.name) for f in fields(v)) for v in obj)]
        return tuple(_encode(v) for v in obj)
    if isinstance(obj, dict):
        return {k: _encode(v) for k, v in obj.items()}
    if obj is None or isinstance(obj, str | int | float | bool):
        return obj
    raise TypeError(f"cannot cache {type(obj).__name__}")


def _decode(data: Any) -> Any:
    kind = type(data)
    if kind is list:
        if data[0] == "*":
            return tuple([VocabTerm(*row) for row in data[1]])
        cls = _CLASSES[data[0]]
        return cls(*[_decode(v) for v in data[1:]])
    if kind is tuple:
        return tuple([_decode(v) for v in data])
    if kind is dict:
        return {k: _decode(v) for k, v in data.items()}
    return data
