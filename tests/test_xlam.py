"""The Excel add-in file: built from xlwings' ribbon add-in, read back as a zip and as VBA."""

from __future__ import annotations

import importlib
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree

from addin import xlam
from addin.cli import main

olevba = pytest.importorskip("oletools.olevba")
CUSTOMUI = "{http://schemas.microsoft.com/office/2006/01/customui}"
WIN_PYTHON = r"C:\Users\ana\AppData\Local\Programs\Python\Python312\python.exe"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("addin")
    return xlam.build_addin(folder, xlam.Interpreter(windows=WIN_PYTHON, mac="/usr/bin/python3"))


def vba_modules(data: bytes) -> dict[str, str]:
    parser = olevba.VBA_Parser("addin.xlam", data=data)
    try:
        assert parser.detect_vba_macros()
        return {Path(stream).name: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def macros(modules: dict[str, str]) -> set[str]:
    """Module.Sub for every Sub the VBA defines."""
    return {f"{mod}.{sub}" for mod, code in modules.items()
            for sub in re.findall(r"^\s*(?:Public\s+|Private\s+)?Sub\s+(\w+)", code, re.M | re.I)}


def test_package_is_the_template_with_our_ribbon(built: Path) -> None:
    assert built.name == xlam.ADDIN_FILE
    with zipfile.ZipFile(xlam.template_path()) as src, zipfile.ZipFile(built) as out:
        assert out.testzip() is None
        assert out.namelist() == src.namelist()
        assert out.read("xl/vbaProject.bin") == src.read("xl/vbaProject.bin")
        for name in src.namelist():
            if name not in ("customUI/customUI.xml", "xl/worksheets/sheet1.xml",
                            "xl/workbook.xml", "docProps/core.xml"):
                assert out.read(name) == src.read(name), name
        ElementTree.fromstring(out.read("[Content_Types].xml"))


def test_ribbon_xml_is_valid_and_calls_existing_macros(built: Path) -> None:
    with zipfile.ZipFile(built) as z:
        root = ElementTree.fromstring(z.read("customUI/customUI.xml"))
        modules = vba_modules(built.read_bytes())
    assert root.tag == f"{CUSTOMUI}customUI"
    tab = root.find(f"{CUSTOMUI}ribbon/{CUSTOMUI}tabs/{CUSTOMUI}tab")
    assert tab is not None and tab.get("label") == "Org Design"
    group = tab.find(f"{CUSTOMUI}group")
    assert group is not None and group.get("label") == "Role check"
    buttons = group.findall(f"{CUSTOMUI}button")
    assert [b.get("label") for b in buttons] == ["Check CTO/CIO duties"]
    button = buttons[0]
    assert button.get("size") == "large" and button.get("imageMso")
    assert "CTO and CIO" in (button.get("supertip") or "")
    actions = {el.get("onAction") for el in root.iter() if el.get("onAction")}
    assert actions and actions <= macros(modules)
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))


def test_button_macro_runs_our_main(built: Path) -> None:
    modules = vba_modules(built.read_bytes())
    module, sub = xlam.RIBBON_MACRO.split(".")
    body = re.search(rf"Sub {sub}\(control As IRibbonControl\)(.*?)End Sub", modules[module], re.S)
    assert body, "the ribbon macro takes the ribbon control"
    code = body.group(1)
    # RunMain names the module after the add-in file (before its last dot) and calls main()
    assert re.search(r'Left\(ThisWorkbook\.Name, \(InStrRev\(ThisWorkbook\.Name, "\."', code)
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in code
    assert "Function RunPython(" in "".join(modules.values())
    imported = built.name[: built.name.rindex(".")]
    assert imported == xlam.ADDIN_MODULE
    module_obj = importlib.import_module(imported)
    assert callable(module_obj.main)


MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def read_settings(data: bytes) -> tuple[list[str], list[tuple[str, ...]], str]:
    """Sheet names, the settings sheet's rows (inline text) and the title, parsed as XML."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
        core = ElementTree.fromstring(z.read("docProps/core.xml"))
    names = [s.get("name") for s in book.iter(f"{MAIN}sheet")]
    rows = [tuple("".join(t.text or "" for t in c.iter(f"{MAIN}t")) for c in r)
            for r in sheet.iter(f"{MAIN}row")]
    title = core.find("{http://purl.org/dc/elements/1.1/}title")
    return names, rows, "" if title is None else (title.text or "")


def test_settings_sheet_names_the_python(built: Path) -> None:
    modules = vba_modules(built.read_bytes())
    project = re.search(r'PROJECT_NAME As String = "(\w+)"', "".join(modules.values()))
    assert project
    names, rows, title = read_settings(built.read_bytes())
    assert names == [f"{project.group(1)}.conf"]  # the name GetConfig reads
    assert dict(rows) == {"ADD_WORKBOOK_TO_PYTHONPATH": "False",  # type: ignore[arg-type]
                          "INTERPRETER_WIN": WIN_PYTHON, "INTERPRETER_MAC": "/usr/bin/python3"}
    assert title == xlam.TITLE


def test_build_here_leaves_the_interpreter_to_the_user(tmp_path: Path) -> None:
    data = xlam.build_bytes(xlam.template_path(), xlam.Interpreter())
    assert read_settings(data)[1] == [("ADD_WORKBOOK_TO_PYTHONPATH", "False")]


def test_cli_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["addin", "build", "-o", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / xlam.ADDIN_FILE).is_file()
    assert xlam.ADDIN_FILE in capsys.readouterr().out
    assert list((tmp_path / "out").iterdir()) == [tmp_path / "out" / xlam.ADDIN_FILE]


def test_cli_build_into_a_file_is_one_line(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "f").write_text("x")
    assert main(["addin", "build", "-o", str(tmp_path / "f")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a file" in err


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Excel may be installed here")
def test_install_without_excel_says_so_in_one_line() -> None:
    done = subprocess.run([sys.executable, "-m", "addin", "addin", "install"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "needs desktop Excel on Windows or macOS" in done.stderr
