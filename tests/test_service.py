"""The add-in service (`rolefit serve`): the API over a real socket and in process,
the add-in's JavaScript under node, and the task pane page in headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from addin.demo import write_example_plan
from addin.model import WorkbookData
from addin.service import Settings, create_app
from addin.xlsx_reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "test-token-7d1c"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _body(book: WorkbookData) -> dict[str, Any]:
    """A workbook as the add-in sends it: Office.js gives '' for an empty cell."""
    def cell(v: object) -> object:
        if v is None:
            return ""
        if isinstance(v, (datetime, date)):
            return v.isoformat()
        return v

    return {"workbook": {"name": book.name, "sheets": [
        {"name": s.name, "origin": list(s.origin), "values": [[cell(v) for v in row]
                                                             for row in s.rows]}
        for s in book.sheets]}}


class Server:
    def __init__(self, args: list[str], env: dict[str, str], scheme: str = "http") -> None:
        self.port = _free_port()
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the server)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "addin", "serve", "--port", str(self.port),
             "--public-url", self.url, *args],
            cwd=ROOT, env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self, verify: Any = False) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited: {self.output()}")
            try:
                if httpx.get(f"{self.url}/healthz", verify=verify, timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError(f"server did not start: {self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.log.close()


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_example_plan(tmp_path_factory.mktemp("plan") / "example-plan.xlsx")


@pytest.fixture(scope="module")
def cli_report(plan: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("cli")
    done = subprocess.run([sys.executable, "-m", "addin", "check", str(plan),
                           "-o", str(out / "r.xlsx"), "--json", str(out / "r.json")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads((out / "r.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    srv = Server(["--max-body-mb", "1"], {"ROLEFIT_TOKEN": TOKEN})
    try:
        srv.wait()
        yield srv
    finally:
        srv.stop()


def _auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


# ------------------------------------------------------------------ over a real socket


def test_report_over_http_matches_rolefit_check_json(server: Server, plan: Path,
                                                     cli_report: dict[str, Any]) -> None:
    r = httpx.post(f"{server.url}/api/v1/report", json=_body(read_workbook(plan)),
                   headers=_auth(), timeout=60)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["report"] == cli_report
    assert answer["summary"][0].startswith("example-plan.xlsx:")
    names = [s["name"] for s in answer["sheets"]]
    assert len(names) == 5 and len(set(names)) == 5
    for sheet in answer["sheets"]:
        width = len(sheet["values"][0])
        assert all(len(row) == width for row in sheet["values"])
        assert len(sheet["numberFormat"]) == len(sheet["values"])
    # duty cells link back to the user's own plan cells, which are in the same workbook
    plan_links = [ln for s in answer["sheets"] for ln in s["links"] if ln["plan"]]
    assert {(ln["sheet"], ln["cell"]) for ln in plan_links} == {
        (d["sheet"], d["cell"]) for d in cli_report["duties"]}
    # the access log is one JSON object per line and holds no plan content
    time.sleep(0.2)
    lines = [json.loads(x) for x in server.output().splitlines() if x.startswith("{")]
    posts = [x for x in lines if x["path"] == "/api/v1/report" and x["status"] == 200]
    assert posts and posts[-1]["method"] == "POST" and posts[-1]["ms"] > 0
    assert "Daniel" not in server.output()


def test_moved_used_range_keeps_the_users_cell_references(server: Server, plan: Path) -> None:
    book = read_workbook(plan)
    body = _body(book)
    sheet = body["workbook"]["sheets"][0]
    # Office.js gives the used range from its first used cell: here, as if moved to C3
    sheet["origin"] = [3, 3]
    r = httpx.post(f"{server.url}/api/v1/report", json=body, headers=_auth(), timeout=60)
    assert r.status_code == 200, r.text
    cells = [d["cell"] for d in r.json()["report"]["duties"]]
    assert cells and all(c[0] in "CDEFG" and int(c[1:]) >= 3 for c in cells)


@pytest.mark.parametrize(("body", "message"), [
    (b"{not json", "not valid JSON"),
    (b"[]", "must be a JSON object"),
    (b'{"workbook": {"name": "p.xlsx", "sheets": "Plan"}}', "workbook.sheets"),
    (b'{"workbook": {"name": "p.xlsx", "sheets": [{"name": "Plan", "values": [["a", [1]]]}]}}',
     "sheet 'Plan', cell B1: a cell must be text, a number, true/false or empty"),
    (b'{"workbook": {"name": "p.xlsx", "sheets": []}}', "workbook.sheets"),
    (b'{"workbook": {"name": "p.xlsx", "sheets": [{"name": "Plan", "values": [["x"]]}]},'
     b' "lang": "fr"}', "lang"),
])
def test_bad_bodies_get_a_clear_422(server: Server, body: bytes, message: str) -> None:
    r = httpx.post(f"{server.url}/api/v1/report", content=body,
                   headers={**_auth(), "Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 422
    error = r.json()["error"]
    assert message in error
    assert "\n" not in error and "Traceback" not in error


def test_a_workbook_without_a_plan_is_a_rolefit_error(server: Server) -> None:
    body = {"workbook": {"name": "empty.xlsx", "sheets": [{"name": "Notes", "values": [
        ["Shopping list"], ["milk"]]}]}}
    r = httpx.post(f"{server.url}/api/v1/report", json=body, headers=_auth(), timeout=30)
    assert r.status_code == 422
    assert r.json()["error"]
    assert "\n" not in r.json()["error"]


def test_oversize_body_is_413(server: Server) -> None:
    rows = [["x" * 1000] for _ in range(1200)]  # about 1.2 MB, over the 1 MB limit
    body = {"workbook": {"name": "big.xlsx", "sheets": [{"name": "Plan", "values": rows}]}}
    r = httpx.post(f"{server.url}/api/v1/report", json=body, headers=_auth(), timeout=30)
    assert r.status_code == 413
    assert "too large" in r.json()["error"] and "1 MB" in r.json()["error"]

    # a client that streams without a Content-Length is cut off the same way
    def chunks() -> Iterator[bytes]:
        yield b'{"workbook": {"name": "big.xlsx", "sheets": [{"name": "Plan", "values": ['
        for _ in range(1200):
            yield b'["' + b"x" * 1000 + b'"],'
        yield b'["x"]]}]}}'

    r = httpx.post(f"{server.url}/api/v1/report", content=chunks(),
                   headers={**_auth(), "Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 413


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic abc", f"Bearer {TOKEN}x"])
def test_wrong_or_missing_token_is_401(server: Server, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    r = httpx.post(f"{server.url}/api/v1/report", json={"workbook": {}}, headers=headers,
                   timeout=30)
    assert r.status_code == 401
    assert "access code" in r.json()["error"]
    assert r.headers["www-authenticate"] == "Bearer"
    # the add-in's pages themselves stay reachable, so the task pane can ask for the code
    assert httpx.get(f"{server.url}/taskpane.html").status_code == 200
    assert 'data-token-required="true"' in httpx.get(f"{server.url}/taskpane.html").text


def test_cors_allows_only_the_addin_origin(server: Server) -> None:
    ask = {"Access-Control-Request-Method": "POST",
           "Access-Control-Request-Headers": "authorization,content-type"}
    ok = httpx.options(f"{server.url}/api/v1/report", headers={**ask, "Origin": server.url})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == server.url
    bad = httpx.options(f"{server.url}/api/v1/report",
                        headers={**ask, "Origin": "https://evil.example.com"})
    assert bad.status_code == 400
    assert "access-control-allow-origin" not in bad.headers


def test_openapi_describes_the_api(server: Server) -> None:
    spec = httpx.get(f"{server.url}/openapi.json").json()
    post = spec["paths"]["/api/v1/report"]["post"]
    assert {"200", "401", "413", "422"} <= set(post["responses"])
    assert httpx.get(f"{server.url}/docs").status_code == 200


def _openssl_cert(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_https_with_a_certificate_and_two_workers(tmp_path: Path, plan: Path,
                                                  cli_report: dict[str, Any]) -> None:
    cert, key = _openssl_cert(tmp_path)
    srv = Server(["--certfile", str(cert), "--keyfile", str(key), "--workers", "2"], {},
                 scheme="https")
    trust = ssl.create_default_context(cafile=str(cert))
    try:
        srv.wait(verify=trust)
        manifest = httpx.get(f"{srv.url}/manifest.xml", verify=trust).text
        assert f"{srv.url}/taskpane.html" in manifest
        r = httpx.post(f"{srv.url}/api/v1/report", json=_body(read_workbook(plan)),
                       verify=trust, timeout=60)
        assert r.status_code == 200
        assert r.json()["report"] == cli_report
        with pytest.raises(httpx.ConnectError):  # an untrusted certificate is refused
            httpx.get(f"{srv.url}/healthz", timeout=5)
        # two worker processes run under the supervisor, and the requests are logged by them
        children = Path(f"/proc/{srv.proc.pid}/task/{srv.proc.pid}/children")
        if children.exists():
            assert len(children.read_text().split()) >= 2
        time.sleep(0.2)
        pids = {json.loads(line)["pid"] for line in srv.output().splitlines()
                if line.startswith("{")}
        assert pids and srv.proc.pid not in pids
    finally:
        srv.stop()


def test_serve_refuses_half_a_certificate(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "addin", "serve", "--certfile",
                           str(tmp_path / "c.pem")], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == ("rolefit: error: give both --certfile and --keyfile, "
                                   "or neither")


# ------------------------------------------------------------------ in process


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(public_url="https://addin.example.com",
                                          max_body_bytes=64 * 1024)))


def test_in_process_report_and_example(client: TestClient, plan: Path,
                                       cli_report: dict[str, Any]) -> None:
    r = client.post("/api/v1/report", json=_body(read_workbook(plan)))
    assert r.status_code == 200
    assert r.json()["report"] == cli_report
    example = client.get("/api/v1/example")
    assert example.status_code == 200
    assert example.json()["report"] == cli_report  # the same example plan as `rolefit demo`
    assert client.get("/healthz").json()["status"] == "ok"


def test_in_process_limits(client: TestClient) -> None:
    big = {"workbook": {"name": "b.xlsx", "sheets": [{"name": "P", "values": [["y" * 70000]]}]}}
    r = client.post("/api/v1/report", json=big)
    assert r.status_code == 413
    slow = TestClient(create_app(Settings(public_url="https://a.example.com",
                                          time_limit_s=0.000001)))
    r = slow.get("/api/v1/example")
    assert r.status_code == 503
    assert "took longer than" in r.json()["error"]


def test_in_process_lang_and_sheet_choice(client: TestClient, plan: Path) -> None:
    body = _body(read_workbook(plan))
    body["sheet"] = "No such sheet"
    r = client.post("/api/v1/report", json=body)
    assert r.status_code == 422 and "No such sheet" in r.json()["error"]


# ------------------------------------------------------------------ the JavaScript


def test_addin_javascript_under_node() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed; the add-in's JavaScript tests need it")
    if not (ROOT / "node_modules" / "office-addin-mock").is_dir():
        pytest.skip("node_modules is missing: run 'npm ci' to install office-addin-mock")
    done = subprocess.run([node, "--test", "tests/js/"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout
    assert "# pass 0" not in done.stdout


# ------------------------------------------------------------------ the task pane in Chromium


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="chromium is not installed")
def test_taskpane_renders_in_headless_chromium(tmp_path: Path) -> None:
    srv = Server([], {})
    try:
        srv.wait()
        shot = tmp_path / "taskpane.png"
        common = [_chromium() or "chromium", *CHROMIUM_FLAGS,
                  f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=15000"]
        url = f"{srv.url}/taskpane.html?example"
        dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True,
                             timeout=120)
        assert "example-plan.xlsx" in dom.stdout, dom.stderr[-2000:]
        assert "Findings:" in dom.stdout
        assert "Report sheets" in dom.stdout
        assert "The example plan, checked by the service." in dom.stdout
        # Office.js cannot load here: the page still shows everything, and the check button
        # (which needs Excel) is disabled rather than broken
        assert 'id="check" type="button" class="primary" disabled' in dom.stdout
        subprocess.run([*common, "--window-size=420,900", f"--screenshot={shot}", url],
                       capture_output=True, timeout=120)
        assert shot.stat().st_size > 5000
        if os.environ.get("ROLEFIT_UPDATE_SCREENSHOT"):
            shutil.copy(shot, ROOT / "tests" / "screenshots" / "taskpane.png")
    finally:
        srv.stop()
