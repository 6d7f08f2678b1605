"""Shared fixtures: the real profiles and matcher, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from addin.matcher import Matcher, default_matcher
from addin.model import Profiles
from addin.profiles import load_profiles

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def profiles() -> Profiles:
    return load_profiles()


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return default_matcher()
