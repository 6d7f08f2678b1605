"""CSV plans: delimiters, byte-order mark, quoted line breaks and bad files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from addin.cli import main
from addin.csv_reader import read_csv
from addin.model import RolefitError

PLAN = [["Executive", "Title", "Duty"], ["Lan", "CTO", "Strategy, roadmap and vision"],
        ["", "", "Hire engineers; grow R&D"], ["Minh", "CIO", "Help desk"]]


def _write(path: Path, delimiter: str, bom: bool = False) -> Path:
    lines = [delimiter.join(f'"{v}"' if delimiter in v or "," in v else v for v in row)
             for row in PLAN]
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\r\n".join(lines).encode())
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [False, True])
def test_delimiters_and_bom(tmp_path: Path, delimiter: str, bom: bool) -> None:
    book = read_csv(_write(tmp_path / "plan.csv", delimiter, bom))
    (sheet,) = book.sheets
    assert sheet.name == "plan"
    assert sheet.rows[0] == ("Executive", "Title", "Duty")
    assert sheet.rows[1] == ("Lan", "CTO", "Strategy, roadmap and vision")
    assert sheet.rows[2] == (None, None, "Hire engineers; grow R&D")


def test_semicolons_inside_unquoted_text_do_not_fool_the_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Owner,Duty\nLan,Budget; hiring\nMinh,Help desk\n", encoding="utf-8")
    assert read_csv(path).sheets[0].rows[1] == ("Lan", "Budget; hiring")


def test_quoted_line_breaks_stay_in_one_cell(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text('Name,Duty\nLan,"• Strategy\n• Vendors"\n', encoding="utf-8")
    assert read_csv(path).sheets[0].rows[1] == ("Lan", "• Strategy\n• Vendors")


def test_not_utf8_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes("Name,Duty\nJosé,Café\n".encode("cp1252"))
    with pytest.raises(RolefitError, match=r"p\.csv: not UTF-8 text .*CSV UTF-8"):
        read_csv(path)


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(RolefitError, match="file not found"):
        read_csv(tmp_path / "none.csv")
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00")
    with pytest.raises(RolefitError, match="binary data"):
        read_csv(binary)


def test_check_csv_in_process_and_as_a_command(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    plan = _write(tmp_path / "plan.csv", ";", bom=True)
    before = plan.read_bytes()
    assert main(["check", str(plan), "-o", str(tmp_path / "r.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "'plan': " in out and "3" in out
    done = subprocess.run([sys.executable, "-m", "addin", "check", str(plan), "-o",
                           str(tmp_path / "r2.xlsx"), "--json", "-"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert '"layout": "long"' in done.stdout
    assert plan.read_bytes() == before
