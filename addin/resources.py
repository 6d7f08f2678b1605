"""Where the data folders live: inside the installed package, or beside it in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder ``name`` (``roles_data`` or ``templates``) of this installation."""
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    # an editable install or a checkout keeps the folders at the top of the repository
    return _PACKAGE.parent / name
