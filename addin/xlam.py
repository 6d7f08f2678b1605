"""Build the Excel add-in (.xlam) with rolefit's ribbon tab from the one xlwings ships.

xlwings ships a custom-ribbon add-in (the file ``xlwings quickstart NAME --addin --ribbon``
copies). Its compiled VBA has one ribbon macro, ``RibbonMyAddin.RunMain``, which imports the
Python module named after the add-in file and calls its ``main()``. So the add-in is saved as
``addin.excel_ribbon.xlam``: the click runs ``addin.excel_ribbon.main()``. The package is
rewritten part by part; only the ribbon XML, the add-in's settings sheet and its title change,
and the VBA project is copied byte for byte.
"""

from __future__ import annotations

import importlib.util
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from .model import RolefitError

#: The add-in file name. RunMain imports everything before the last dot of it.
ADDIN_FILE = "addin.excel_ribbon.xlam"
ADDIN_MODULE = "addin.excel_ribbon"
TEMPLATE = "quickstart_addin_ribbon.xlam"
#: The template's one ribbon macro (module RibbonMyAddin) and its settings sheet.
RIBBON_MACRO = "RibbonMyAddin.RunMain"
SETTINGS_OFF = "_myaddin.conf"
SETTINGS_ON = "myaddin.conf"
CUSTOMUI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
TITLE = "rolefit: Check CTO/CIO duties"
DESCRIPTION = ("Adds the Org Design tab to the ribbon: checks the open leadership plan against "
               "the CTO and CIO reference profiles and adds the report sheets.")

RIBBON: dict[str, Any] = {
    "tab": {"id": "rolefitTab", "label": "Org Design", "keytip": "OD"},
    "group": {"id": "rolefitRoleCheck", "label": "Role check"},
    "buttons": [{
        "id": "rolefitCheck",
        "label": "Check CTO/CIO duties",
        "image": "FileDocumentInspect",
        "screentip": "Check CTO/CIO duties",
        "supertip": ("Reads the leadership plan in this workbook, checks every duty against the "
                     "CTO and CIO reference profiles, and adds report sheets: gaps, overlaps, "
                     "misfits, with the reason for each. Your own sheets are not changed; "
                     "report sheets from an earlier check are replaced."),
        "keytip": "C",
        "macro": RIBBON_MACRO,
    }],
}


@dataclass(frozen=True)
class Interpreter:
    """The Python that Excel runs for the button, per platform ("" = xlwings' default)."""

    windows: str = ""
    mac: str = ""


def default_interpreter() -> Interpreter:
    """This Python, on the platform it runs on: it is the one that has rolefit installed."""
    if sys.platform.startswith("win"):
        return Interpreter(windows=sys.executable)
    if sys.platform == "darwin":
        return Interpreter(mac=sys.executable)
    return Interpreter()


def template_path() -> Path:
    """The custom-ribbon add-in inside the installed xlwings package."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise RolefitError("the Excel add-in needs xlwings; install it with: "
                           "pip install 'rolefit[excel]'")
    path = Path(spec.origin).parent / TEMPLATE
    if not path.is_file():
        raise RolefitError(f"{path}: not found; this xlwings has no ribbon add-in template, "
                           "upgrade it with: pip install -U 'rolefit[excel]'")
    return path


def ribbon_xml() -> str:
    """The ribbon (customUI) XML, rendered from templates/ribbon.xml.j2."""
    import jinja2

    from .resources import data_dir

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(data_dir("templates")),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    return env.get_template("ribbon.xml.j2").render(**RIBBON)


def _settings_sheet(original: str, values: list[tuple[str, str]]) -> str:
    """The settings sheet with ``values`` as key/value rows (inline text, no shared strings)."""
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{escape(k)}</t></is></c>'
        f'<c r="B{i}" t="inlineStr"><is><t>{escape(v)}</t></is></c></row>'
        for i, (k, v) in enumerate(values, 1))
    # replacements are functions: a Windows path's backslashes are not regex escapes
    text, n = re.subn(r"<sheetData\s*/>|<sheetData>.*?</sheetData>",
                      lambda _: f"<sheetData>{rows}</sheetData>", original, flags=re.S)
    if n != 1:
        raise RolefitError("the xlwings add-in template has an unexpected settings sheet; "
                           "upgrade xlwings with: pip install -U 'rolefit[excel]'")
    ref = f"A1:B{max(len(values), 1)}"
    return re.sub(r'<dimension ref="[^"]*"\s*/>', lambda _: f'<dimension ref="{ref}" />', text)


def settings(interpreter: Interpreter) -> list[tuple[str, str]]:
    """The add-in's xlwings settings: which Python to run, and nothing from the plan's folder.

    A module in the plan's folder could shadow rolefit's own, so that folder stays off the path.
    """
    values = [("ADD_WORKBOOK_TO_PYTHONPATH", "False")]
    if interpreter.windows:
        values.append(("INTERPRETER_WIN", interpreter.windows))
    if interpreter.mac:
        values.append(("INTERPRETER_MAC", interpreter.mac))
    return values


def _settings_part(parts: dict[str, bytes]) -> str:
    """The package path of the template's settings sheet (workbook.xml + its relationships)."""
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    found = re.search(r'<sheet [^>]*name="' + re.escape(SETTINGS_OFF) + r'"[^>]*r:id="([^"]+)"',
                      workbook)
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    if found:
        rel = re.search(r'<Relationship [^>]*Id="' + re.escape(found.group(1))
                        + r'"[^>]*Target="([^"]+)"', rels)
        if rel:
            return "xl/" + rel.group(1).lstrip("/").removeprefix("xl/")
    raise RolefitError("the xlwings add-in template has no settings sheet "
                       f"'{SETTINGS_OFF}'; upgrade xlwings with: pip install -U 'rolefit[excel]'")


def _customui_part(parts: dict[str, bytes]) -> str:
    """The package path of the template's ribbon (customUI) part."""
    rels = parts["_rels/.rels"].decode("utf-8")
    found = re.search(r'<Relationship [^>]*Type="' + re.escape(CUSTOMUI_REL)
                      + r'"[^>]*Target="([^"]+)"', rels)
    found = found or re.search(r'<Relationship [^>]*Target="([^"]+)"[^>]*Type="'
                               + re.escape(CUSTOMUI_REL) + '"', rels)
    if not found:
        raise RolefitError("the xlwings add-in template has no ribbon part; "
                           "upgrade xlwings with: pip install -U 'rolefit[excel]'")
    return found.group(1).lstrip("/")


def build_bytes(template: Path, interpreter: Interpreter) -> bytes:
    """The add-in package: the template's parts, with our ribbon, settings and title."""
    with zipfile.ZipFile(template) as src:
        infos = src.infolist()
        parts = {i.filename: src.read(i) for i in infos}
    ribbon_part = _customui_part(parts)
    settings_part = _settings_part(parts)
    changed = {
        ribbon_part: ribbon_xml().encode("utf-8"),
        settings_part: _settings_sheet(parts[settings_part].decode("utf-8"),
                                       settings(interpreter)).encode("utf-8"),
        # the settings sheet is read only under its "on" name
        "xl/workbook.xml": parts["xl/workbook.xml"].replace(
            f'name="{SETTINGS_OFF}"'.encode(), f'name="{SETTINGS_ON}"'.encode()),
    }
    if "docProps/core.xml" in parts:
        # Excel's Add-ins dialog lists an add-in by its title and shows the description
        core = parts["docProps/core.xml"].decode("utf-8")
        core = re.sub(r"<dc:title\s*/>|<dc:title>.*?</dc:title>",
                      lambda _: f"<dc:title>{escape(TITLE)}</dc:title>", core, flags=re.S)
        core = re.sub(r"<dc:description\s*/>|<dc:description>.*?</dc:description>",
                      lambda _: f"<dc:description>{escape(DESCRIPTION)}</dc:description>", core,
                      flags=re.S)
        changed["docProps/core.xml"] = core.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in infos:
            dst.writestr(info, changed.get(info.filename, parts[info.filename]))
    return out.getvalue()


def build_addin(folder: Path, interpreter: Interpreter | None = None) -> Path:
    """Write ``addin.excel_ribbon.xlam`` into ``folder`` (atomically) and return its path."""
    from .files import write_atomic

    if folder.exists() and not folder.is_dir():
        raise RolefitError(f"{folder}: is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RolefitError(f"{folder}: cannot create the folder ({exc.strerror})") from None
    data = build_bytes(template_path(), interpreter or default_interpreter())
    path = folder / ADDIN_FILE
    write_atomic(path, data)
    return path


NEEDS_EXCEL = ("the Excel add-in needs desktop Excel on Windows or macOS; "
               "on this computer use 'rolefit check PLAN.xlsx' instead")


def excel_installed() -> bool:
    """Whether desktop Excel is installed here (Windows registry, macOS Applications)."""
    if sys.platform == "win32":
        import winreg

        try:
            winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, "Excel.Application"))
        except OSError:
            return False
        return True
    if sys.platform == "darwin":
        return any(Path(p, "Microsoft Excel.app").is_dir()
                   for p in ("/Applications", Path.home() / "Applications"))
    return False


def install_addin(xlam: Path | None = None) -> str:
    """Install the add-in into Excel with ``xlwings addin install --file``; says what it did."""
    import subprocess
    import tempfile

    if not excel_installed():
        raise RolefitError(NEEDS_EXCEL)
    with tempfile.TemporaryDirectory() as tmp:
        if xlam is None:
            xlam = build_addin(Path(tmp))
        elif not xlam.is_file():
            raise RolefitError(f"{xlam}: file not found")
        elif xlam.name != ADDIN_FILE:
            raise RolefitError(f"{xlam}: the add-in file must be named {ADDIN_FILE} "
                               "(Excel runs the Python module named after it)")
        done = subprocess.run(
            [sys.executable, "-m", "xlwings.cli", "addin", "install", "--file", str(xlam)],
            capture_output=True, text=True, check=False)
    said = (done.stdout + done.stderr).strip().splitlines()
    # xlwings reports most failures on stdout with exit code 0: trust only its success line
    if done.returncode != 0 or not any("Successfully installed" in line for line in said):
        last = said[-1] if said else f"exit code {done.returncode}"
        raise RolefitError(f"xlwings could not install the add-in: {last}")
    return (f"Installed {ADDIN_FILE}: restart Excel, then find the button on the "
            "'Org Design' tab.")
