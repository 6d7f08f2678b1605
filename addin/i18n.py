"""Report wording from the message catalogues in ``templates/i18n/``.

Catalogues are plain YAML with ``{placeholder}`` fields, so the core can say things in
English, Vietnamese or Bengali without a template engine. A key missing from a
translation falls back to English.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import yaml

from .model import RolefitError
from .resources import data_dir

LANGS: tuple[str, ...] = ("en", "vi", "bn")


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
    path = data_dir("templates") / "i18n" / f"{lang}.yaml"
    try:
        tree = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except FileNotFoundError:
        tree = {}
    except yaml.YAMLError as exc:
        raise RolefitError(f"templates/i18n/{lang}.yaml: not valid YAML ({exc})") from None
    if not isinstance(tree, Mapping):
        raise RolefitError(f"templates/i18n/{lang}.yaml: expected a mapping of messages")
    flat = dict(catalogue("en")) if lang != "en" else {}
    flat.update(_flatten(tree))
    return flat


def say(lang: str, key: str, **params: object) -> str:
    """The message ``key`` in ``lang`` with its placeholders filled."""
    text = catalogue(lang).get(key)
    if text is None:
        raise RolefitError(f"templates/i18n/{lang}.yaml: missing message '{key}'")
    return text.format(**params) if params else text
