"""Message catalogues: English fallback, and the per-user cache of parsed catalogues."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from addin import compiled, i18n
from addin.model import RolefitError


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A templates folder of our own and an empty cache folder; catalogues reloaded after."""
    folder = tmp_path / "templates"
    (folder / "i18n").mkdir(parents=True)
    (folder / "i18n" / "en.yaml").write_text("label:\n  hello: Hello {name}\n  bye: Bye\n",
                                             encoding="utf-8")
    (folder / "i18n" / "vi.yaml").write_text("label:\n  hello: Xin chào {name}\n",
                                             encoding="utf-8")
    monkeypatch.setattr(i18n, "data_dir", lambda name: tmp_path / name)
    monkeypatch.setenv(compiled.CACHE_ENV, str(tmp_path / "cache"))
    i18n.catalogue.cache_clear()
    yield folder
    i18n.catalogue.cache_clear()


def test_messages_fall_back_to_english(templates: Path) -> None:
    assert i18n.say("vi", "label.hello", name="An") == "Xin chào An"
    assert i18n.say("vi", "label.bye") == "Bye"
    with pytest.raises(RolefitError, match=r"missing message 'label\.nope'"):
        i18n.say("en", "label.nope")


def test_parsed_catalogues_are_cached_and_read_back(templates: Path, tmp_path: Path) -> None:
    first = dict(i18n.catalogue("vi"))
    stored = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert [n.split("-")[:2] for n in stored] == [["messages", "en"], ["messages", "vi"]]
    i18n.catalogue.cache_clear()
    assert dict(i18n.catalogue("vi")) == first


def test_an_edited_catalogue_is_never_served_from_the_cache(templates: Path) -> None:
    assert i18n.say("en", "label.bye") == "Bye"
    (templates / "i18n" / "en.yaml").write_text("label:\n  bye: Goodbye\n", encoding="utf-8")
    i18n.catalogue.cache_clear()
    assert i18n.say("en", "label.bye") == "Goodbye"


def test_a_damaged_cache_file_is_ignored(templates: Path, tmp_path: Path) -> None:
    i18n.catalogue("en")
    for path in (tmp_path / "cache").iterdir():
        path.write_bytes(b"\x00garbage")
    i18n.catalogue.cache_clear()
    assert i18n.say("en", "label.hello", name="Binh") == "Hello Binh"


def test_bad_yaml_is_a_one_line_error_and_not_cached(templates: Path, tmp_path: Path) -> None:
    (templates / "i18n" / "vi.yaml").write_text("label: [unclosed\n", encoding="utf-8")
    with pytest.raises(RolefitError, match=r"templates/i18n/vi.yaml: not valid YAML"):
        i18n.catalogue("vi")
    assert not any("-vi-" in p.name for p in (tmp_path / "cache").iterdir())


def test_cache_off_still_reads_the_catalogues(templates: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(compiled.CACHE_ENV, "off")
    assert i18n.say("vi", "label.hello", name="Chi") == "Xin chào Chi"
    assert not (tmp_path / "cache").exists()
