"""The compiled-profiles cache: used when it matches, rebuilt when stale, ignored when broken."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from addin import compiled
from addin.matcher import Matcher
from addin.profiles import _load
from addin.resources import data_dir

DUTIES = ["Run the IT service desk for office staff", "Define the product architecture",
          "Quản lý hạ tầng mạng nội bộ", "নতুন প্রযুক্তি গবেষণা", "Approve the marketing budget"]


@pytest.fixture
def roles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the bundled profiles, and a private cache folder."""
    folder = tmp_path / "roles_data"
    shutil.copytree(data_dir("roles_data"), folder)
    monkeypatch.setattr(compiled, "data_dir", lambda name: folder)
    monkeypatch.setenv(compiled.CACHE_ENV, str(tmp_path / "cache"))
    compiled.default_compiled.cache_clear()
    yield folder
    compiled.default_compiled.cache_clear()


def _fresh(folder: Path) -> tuple[object, object]:
    compiled.default_compiled.cache_clear()
    return compiled.default_compiled()


def _cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("*.marshal"))


def test_cached_profiles_and_tables_equal_freshly_built_ones(roles: Path, tmp_path: Path
                                                             ) -> None:
    built = _fresh(roles)
    assert len(_cache_files(tmp_path)) == 1
    read = _fresh(roles)
    profiles = _load(roles)
    assert read == built
    assert read[0] == profiles
    fresh, cached = Matcher(profiles), Matcher(*compiled.default_compiled())
    assert cached.match_many(DUTIES) == fresh.match_many(DUTIES)


def test_a_matching_cache_skips_the_yaml(roles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _fresh(roles)

    def no_yaml(folder: Path) -> None:
        raise AssertionError("the YAML was parsed although the cache matches")

    monkeypatch.setattr("addin.profiles._load", no_yaml)
    assert _fresh(roles) == expected


def test_a_stale_cache_is_rebuilt(roles: Path, tmp_path: Path) -> None:
    _fresh(roles)
    before = _cache_files(tmp_path)[0].read_bytes()
    target = sorted(roles.glob("*.yaml"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    profiles, _ = _fresh(roles)
    assert profiles.version == _load(roles).version  # the edited data, not the cached one
    assert _cache_files(tmp_path)[0].read_bytes() != before


@pytest.mark.parametrize("damage", [b"", b"not marshal at all", b"\xe9\x00\x01garbage"])
def test_a_damaged_cache_is_ignored_and_replaced(roles: Path, tmp_path: Path,
                                                 damage: bytes) -> None:
    expected = _fresh(roles)
    path = _cache_files(tmp_path)[0]
    path.write_bytes(damage)
    assert _fresh(roles) == expected
    assert path.read_bytes() != damage


def test_a_cache_of_other_data_is_not_trusted(roles: Path, tmp_path: Path) -> None:
    import marshal

    _fresh(roles)
    path = _cache_files(tmp_path)[0]
    key, profiles, tables = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps((key + b"x", profiles, tables)))
    assert _fresh(roles)[0] == _load(roles)
    assert marshal.loads(path.read_bytes())[0] == key


def test_an_unwritable_cache_folder_still_works(roles: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(compiled.CACHE_ENV, str(blocker / "cache"))
    profiles, _ = _fresh(roles)
    assert profiles == _load(roles)
    assert blocker.read_text() == "not a folder"


def test_the_cache_can_be_turned_off(roles: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(compiled.CACHE_ENV, "off")
    assert compiled.cache_dir() is None
    profiles, _ = _fresh(roles)
    assert profiles == _load(roles)
    assert not (tmp_path / "cache").exists()


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(compiled.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if compiled.sys.platform not in ("win32", "darwin"):
        assert compiled.cache_dir() == tmp_path / "rolefit"
