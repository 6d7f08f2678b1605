"""Opening the files a user names: the same one-line errors from every command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from addin.cli import main
from addin.files import SAVE_AS_UTF8, decode_utf8, read_input_bytes, read_input_text
from addin.model import RolefitError

ERROR = "rolefit: error: "


def test_bytes_and_first_bytes(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"0123456789")
    assert read_input_bytes(path) == b"0123456789"
    assert read_input_bytes(path, limit=4) == b"0123"


def test_missing_folder_and_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(RolefitError) as info:
        read_input_bytes(tmp_path / "none.xlsx", "workbook")
    assert str(info.value) == f"{tmp_path / 'none.xlsx'}: file not found"
    with pytest.raises(RolefitError) as info:
        read_input_bytes(tmp_path, "workbook")
    assert str(info.value) == f"{tmp_path}: is a folder, not a workbook"
    locked = tmp_path / "locked.csv"
    locked.write_text("x", encoding="utf-8")

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:  # as for a user, even as root
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(RolefitError) as info:
        read_input_text(locked, "CSV file")
    assert str(info.value) == f"{locked}: permission denied; cannot read the file"


def test_text_drops_the_bom_and_names_a_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes("\ufeffCông nghệ\n".encode())
    assert read_input_text(path) == "Công nghệ\n"
    path.write_bytes(b"ok\nJos\xe9\n")
    with pytest.raises(RolefitError) as info:
        read_input_text(path)
    assert str(info.value) == f"{path}: not UTF-8 text (byte 6); {SAVE_AS_UTF8}"
    with pytest.raises(RolefitError, match=r"^standard input: not UTF-8 text"):
        decode_utf8(b"\xff", "standard input")


@pytest.mark.parametrize(("command", "name", "kind"), [
    (["check"], "plan.xlsx", "workbook"),
    (["check"], "plan.csv", "CSV file"),
    (["classify"], "duties.txt", "text file"),
    (["evaluate"], "labels.csv", "CSV file"),
])
def test_every_command_says_it_the_same_way(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            command: list[str], name: str, kind: str) -> None:
    missing = tmp_path / name
    assert main([*command, str(missing)]) == 2
    assert capsys.readouterr().err == f"{ERROR}{missing}: file not found\n"
    folder = tmp_path / "folder" / name
    folder.mkdir(parents=True)
    assert main([*command, str(folder)]) == 2
    assert capsys.readouterr().err == f"{ERROR}{folder}: is a folder, not a {kind}\n"


@pytest.mark.parametrize(("command", "name"), [
    (["check"], "plan.csv"), (["classify"], "duties.txt"), (["evaluate"], "labels.csv")])
def test_text_that_is_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               command: list[str], name: str) -> None:
    path = tmp_path / name
    path.write_bytes("Name,Duty\nJosé,Café\n".encode("cp1252"))
    assert main([*command, str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{ERROR}{path}: not UTF-8 text (byte 13); ") and err.count("\n") == 1


def test_a_workbook_given_as_text_says_so(tmp_path: Path) -> None:
    book = tmp_path / "plan.xlsx"
    import openpyxl

    openpyxl.Workbook().save(book)
    with pytest.raises(RolefitError) as err:
        read_input_text(book)
    assert str(err.value) == (f"{book}: this is a workbook, not a text file; "
                              f"check a plan workbook with 'rolefit check'")
