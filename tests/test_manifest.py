"""The Office add-in manifest served at /manifest.xml, and the files it points at.

Microsoft's manifest XSDs are not shipped by any npm or PyPI package (office-addin-manifest
validates through an online service), so these checks are our own reading of the manifest
reference: structure, HTTPS URLs, icons, resource ids and function names.
"""

from __future__ import annotations

import re
import struct
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from addin.service import ADDIN_ID, Settings, create_app

PUBLIC = "https://rolefit.example.com"
NS = {
    "o": "http://schemas.microsoft.com/office/appforoffice/1.1",
    "ov": "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
    "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
XSI_TYPE = f"{{{NS['xsi']}}}type"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(public_url=PUBLIC)))


@pytest.fixture(scope="module")
def manifest(client: TestClient) -> ET.Element:
    response = client.get("/manifest.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    return ET.fromstring(response.content)


def _resources(root: ET.Element) -> dict[str, str]:
    res = root.find("ov:VersionOverrides/ov:Resources", NS)
    assert res is not None
    return {e.get("id", ""): e.get("DefaultValue", "") for e in res.iter()
            if e.get("id") is not None}


def test_identity_and_host(manifest: ET.Element) -> None:
    assert manifest.tag == f"{{{NS['o']}}}OfficeApp"
    assert manifest.get(XSI_TYPE) == "TaskPaneApp"
    assert uuid.UUID(manifest.findtext("o:Id", namespaces=NS) or "") == uuid.UUID(ADDIN_ID)
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", manifest.findtext("o:Version", namespaces=NS) or "")
    hosts = [h.get("Name") for h in manifest.findall("o:Hosts/o:Host", NS)]
    assert hosts == ["Workbook"]
    assert manifest.findtext("o:Permissions", namespaces=NS) == "ReadWriteDocument"
    sets = {s.get("Name"): s.get("MinVersion")
            for s in manifest.findall("o:Requirements/o:Sets/o:Set", NS)}
    assert sets == {"ExcelApi": "1.7"}  # hyperlinks, freeze panes and workbook.name need 1.7
    # the elements of OfficeApp come in the schema's order
    order = [el.tag.split("}")[1] for el in manifest]
    expected = ["Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description",
                "IconUrl", "HighResolutionIconUrl", "SupportUrl", "Hosts", "Requirements",
                "DefaultSettings", "Permissions", "VersionOverrides"]
    assert order == expected


def test_every_url_is_https_on_the_public_address(manifest: ET.Element) -> None:
    urls = [v for el in manifest.iter() for k, v in el.attrib.items()
            if k in ("DefaultValue",) and v.startswith(("http:", "https:"))]
    assert len(urls) >= 8
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "https", url
        assert f"{parts.scheme}://{parts.netloc}" == PUBLIC, url


def test_ribbon_tab_and_buttons(manifest: ET.Element) -> None:
    strings = _resources(manifest)
    host = manifest.find("ov:VersionOverrides/ov:Hosts/ov:Host", NS)
    assert host is not None and host.get(XSI_TYPE) == "Workbook"
    tab = host.find("ov:DesktopFormFactor/ov:ExtensionPoint/ov:CustomTab", NS)
    assert tab is not None
    assert [c.tag.split("}")[1] for c in tab] == ["Group", "Label"]  # Label after the groups
    assert strings[tab.find("ov:Label", NS).get("resid", "")] == "Org Design"  # type: ignore[union-attr]
    controls = tab.findall("ov:Group/ov:Control", NS)
    actions = {strings[c.find("ov:Label", NS).get("resid", "")]:  # type: ignore[union-attr]
               c.find("ov:Action", NS).get(XSI_TYPE) for c in controls}  # type: ignore[union-attr]
    assert actions == {"Check CTO/CIO duties": "ExecuteFunction", "Role report": "ShowTaskpane"}


def test_resids_are_short_and_defined(manifest: ET.Element) -> None:
    defined = _resources(manifest)
    used = [el.get("resid", "") for el in manifest.iter() if el.get("resid") is not None]
    assert used
    for resid in used:
        assert len(resid) <= 32, resid
        assert resid in defined, resid
    for rid in defined:
        assert len(rid) <= 32, rid


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_icons_in_three_sizes_are_served(manifest: ET.Element, client: TestClient) -> None:
    strings = _resources(manifest)
    icon_ids = {i.get("resid") for i in manifest.iter(f"{{{NS['bt']}}}Image")
                if i.get("resid")}
    sizes = {int(i.get("size", 0)) for i in manifest.iter(f"{{{NS['bt']}}}Image")
             if i.get("size")}
    assert sizes == {16, 32, 80}
    urls = {strings[i] for i in icon_ids if i}
    urls |= {manifest.find(f"o:{k}", NS).get("DefaultValue", "")  # type: ignore[union-attr]
             for k in ("IconUrl", "HighResolutionIconUrl")}
    seen = set()
    for url in urls:
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200, url
        assert response.headers["content-type"] == "image/png"
        width, height = _png_size(response.content)
        assert width == height
        assert str(width) in url
        seen.add(width)
    assert seen == {16, 32, 80}
    assert client.get("/icons/icon-64.png").status_code == 404


def test_function_names_exist_in_the_function_file(manifest: ET.Element,
                                                   client: TestClient) -> None:
    strings = _resources(manifest)
    function_file = manifest.find("ov:VersionOverrides/ov:Hosts/ov:Host/ov:DesktopFormFactor/"
                                  "ov:FunctionFile", NS)
    assert function_file is not None
    page = client.get(urlsplit(strings[function_file.get("resid", "")]).path)
    assert page.status_code == 200
    assert "https://appsforoffice.microsoft.com/lib/1/hosted/office.js" in page.text
    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    ours = [s for s in scripts if s.startswith(PUBLIC)]
    assert ours, "the function file loads our script"
    js = "".join(client.get(urlsplit(s).path).text for s in ours)
    names = [n.text for n in manifest.iter(f"{{{NS['ov']}}}FunctionName")]
    assert names == ["checkDuties"]
    for name in names:
        assert f'associate("{name}", handler)' in js
        assert f"win.{name} = handler" in js
    assert "Rolefit.startCommands(window)" in page.text


def test_taskpane_page_is_served(manifest: ET.Element, client: TestClient) -> None:
    source = manifest.find("o:DefaultSettings/o:SourceLocation", NS)
    assert source is not None
    page = client.get(urlsplit(source.get("DefaultValue", "")).path)
    assert page.status_code == 200
    assert 'id="summary"' in page.text and "Rolefit.bootTaskpane(window)" in page.text
