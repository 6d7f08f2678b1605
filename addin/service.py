"""The add-in service behind ``rolefit serve``: the Office add-in's pages and the report API.

Built with FastAPI on uvicorn. FastAPI because the API's request body is checked against
typed models (a wrong cell type becomes a clear 422, not a crash) and the OpenAPI
description and docs pages come from the same models, so they cannot drift; it is a thin
layer over Starlette, which serves the pages. uvicorn runs it with TLS and several worker
processes. The service is a shell: it translates JSON to :class:`WorkbookData`, calls
:func:`addin.api.check_open_workbook` (the same job as the desktop ribbon button) and
translates the result back. It keeps nothing of a plan once it has answered.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

from . import __version__
from .icons import SIZES, icon_png
from .model import CellValue, RolefitError, SheetData, WorkbookData
from .resources import data_dir

#: The add-in's id in the manifest; fixed so that Office treats every release as one add-in.
ADDIN_ID = "6f1d3c2a-58b4-4e0f-9a77-2d5e8c41b9f3"
#: The environment variable carrying the service settings to each worker process.
CONFIG_ENV = "ROLEFIT_SERVE_CONFIG"
WEB_DIR = Path(__file__).resolve().parent / "web"
OFFICE_JS = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("rolefit.access")


@dataclass(frozen=True)
class Settings:
    """How one service runs; read from the command line, handed to workers as JSON."""

    public_url: str = "https://localhost:8000"
    #: When set, API calls must carry ``Authorization: Bearer <token>``.
    token: str | None = None
    max_body_bytes: int = 8 * 1024 * 1024
    time_limit_s: float = 60.0

    @property
    def origin(self) -> str:
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"


def settings_from_env() -> Settings:
    """The settings a worker was started with (see :func:`serve`)."""
    raw = os.environ.get(CONFIG_ENV)
    settings = Settings(**json.loads(raw)) if raw else Settings()
    token = os.environ.get("ROLEFIT_TOKEN") or None
    return Settings(**{**asdict(settings), "token": token}) if token else settings


# ---------------------------------------------------------------- the API's JSON

Value = StrictStr | StrictInt | StrictFloat | StrictBool | None


class SheetIn(BaseModel):
    """One sheet's used range, as Office.js ``Range.values`` gives it."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=31, description="the sheet's name")
    values: list[list[Value]] = Field(description="rows of cell values; '' for an empty cell")
    origin: tuple[Annotated[int, Field(ge=1)], Annotated[int, Field(ge=1)]] = Field(
        (1, 1), description="1-based row and column of the first value, e.g. [3, 2] for B3")


class WorkbookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=255, description="the workbook's file name")
    sheets: list[SheetIn] = Field(min_length=1, max_length=255)


class ReportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    workbook: WorkbookIn
    sheet: str | None = Field(None, description="read only this sheet of the plan")
    lang: Literal["en", "vi", "bn"] | None = Field(
        None, description="report language (default: the plan's main language)")


class ReportAnswer(BaseModel):
    report: dict[str, Any] = Field(description="the same JSON as `rolefit check --json`")
    summary: list[str] = Field(description="a few lines that say what the report found")
    sheets: list[dict[str, Any]] = Field(description="the report sheets for the add-in to write")


class ErrorAnswer(BaseModel):
    error: str


def to_workbook(body: WorkbookIn) -> WorkbookData:
    """The request's sheets as the core's WorkbookData; Office.js's '' is an empty cell."""
    sheets = []
    for s in body.sheets:
        rows: list[tuple[CellValue, ...]] = [
            tuple(None if v == "" else v for v in row) for row in s.values]
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        sheets.append(SheetData(name=s.name, rows=tuple(rows), origin=s.origin))
    return WorkbookData(name=body.name, sheets=tuple(sheets))


def check_to_json(workbook: WorkbookData, *, sheet: str | None = None, lang: str | None = None,
                  checked_on: date | None = None) -> dict[str, Any]:
    """Check a workbook and answer with the report, its summary and the sheets to write."""
    from . import api
    from .report_json import report_to_json
    from .web_sheets import book_to_json

    try:
        checked = api.check_open_workbook(workbook, sheet=sheet, lang=lang,
                                          checked_on=checked_on)
        return {"report": report_to_json(checked.report), "summary": list(checked.summary),
                "sheets": book_to_json(checked.book)}
    finally:
        # nothing of the plan stays behind once it is answered, not even its words
        api.forget_words()


def example_workbook() -> WorkbookData:
    """The example plan of ``rolefit demo``, read back the way any plan file is read."""
    from . import api
    from .demo import write_example_plan

    with tempfile.TemporaryDirectory(prefix="rolefit-") as tmp:
        return api.read_plan_file(write_example_plan(Path(tmp) / "example-plan.xlsx"))


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _cell_name(body: Any, loc: list[str]) -> str | None:
    """``workbook.sheets[i].values[r][c]`` as the user sees it: sheet 'Plan', cell D7."""
    from .layout import column_letter

    if loc[:2] != ["workbook", "sheets"] or len(loc) < 6 or loc[3] != "values":
        return None
    try:
        sheet = body["workbook"]["sheets"][int(loc[2])]
        r0, c0 = sheet.get("origin", (1, 1))
        cell = f"{column_letter(int(c0) + int(loc[5]))}{int(r0) + int(loc[4])}"
        return f"sheet '{sheet['name']}', cell {cell}"
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None


def _validation_message(exc: RequestValidationError) -> str:
    """The first problem of a request body, in one line a person can act on."""
    errors = exc.errors()
    if not errors:
        return "the request body is not what the API expects"
    first = errors[0]
    if first.get("type") == "json_invalid":
        return "the request body is not valid JSON"
    loc = [str(p) for p in first.get("loc", ()) if p != "body"]
    where = ""
    for part in loc:
        where += f"[{part}]" if part.isdigit() else (f".{part}" if where else part)
    if first.get("type") == "missing" and not where:
        return "the request body is empty; send {\"workbook\": {...}}"
    if not where:
        return ("the request body must be a JSON object {\"workbook\": {...}} "
                "sent as Content-Type: application/json")
    if loc and loc[-1] in {"str", "int", "float", "bool"}:
        where = _cell_name(exc.body, loc) or where.rsplit(".", 1)[0]
        return f"{where}: a cell must be text, a number, true/false or empty"
    return f"{where or 'body'}: {first.get('msg', 'invalid')}"


# ---------------------------------------------------------------- ASGI middleware


class BodyLimit:
    """Refuses a request body over ``limit`` bytes with a 413, before the app reads it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        mb = self.limit / (1024 * 1024)
        await _error(413, f"the workbook is too large for this service (limit {mb:g} MB); "
                          "check fewer sheets or ask IT to raise the limit")(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class AccessLog:
    """One JSON line per request: when, what, status, size and time; never the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        sent_bytes = 0

        async def watch(message: Message) -> None:
            nonlocal status, sent_bytes
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                sent_bytes += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            client = scope.get("client")
            log.info(json.dumps({
                "ts": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "ms": round((time.perf_counter() - start) * 1000, 1),
                "bytes": sent_bytes,
                "client": client[0] if client else None,
                "pid": os.getpid(),
            }))


# ---------------------------------------------------------------- the app


def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(data_dir("templates") / "addin"),
                       autoescape=select_autoescape(("html", "xml", "j2")),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The ASGI app: add-in manifest, pages, icons, script, and the report API."""
    settings = settings or settings_from_env()
    if not log.handlers:  # each worker process sets up its own access log on stderr
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    base = settings.public_url.rstrip("/")
    env = _templates()
    page_vars = {"base": base, "office_js": OFFICE_JS, "version": __version__,
                 "addin_id": ADDIN_ID, "token_required": settings.token is not None,
                 "sizes": SIZES}
    # rendered once: they depend only on the settings, never on a request
    manifest = env.get_template("manifest.xml.j2").render(**page_vars)
    taskpane = env.get_template("taskpane.html.j2").render(**page_vars)
    commands = env.get_template("commands.html.j2").render(**page_vars)
    script = (WEB_DIR / "rolefit.js").read_bytes()
    _warm_up()

    app = FastAPI(
        title="rolefit add-in service",
        version=__version__,
        description="Checks a leadership plan's duties against the CTO and CIO reference "
                    "profiles for the rolefit Excel add-in. Send the workbook's sheet values; "
                    "get the report JSON and the report sheets to write.",
    )

    async def require_token(authorization: Annotated[str | None, Header()] = None) -> None:
        if settings.token is None:
            return
        given = ""
        if authorization and authorization.lower().startswith("bearer "):
            given = authorization[7:].strip()
        if not hmac.compare_digest(given.encode(), settings.token.encode()):
            raise _Unauthorised()

    @app.exception_handler(_Unauthorised)
    async def _unauthorised(request: Request, exc: _Unauthorised) -> JSONResponse:
        return _error(401, "the access code is missing or wrong; open 'Role report' and "
                           "enter the code from your IT team",
                      {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(exc))

    @app.exception_handler(RolefitError)
    async def _rolefit_error(request: Request, exc: RolefitError) -> JSONResponse:
        return _error(422, str(exc))

    @app.exception_handler(Exception)
    async def _fault(request: Request, exc: Exception) -> JSONResponse:
        logging.getLogger("rolefit").exception("internal error")
        return _error(500, f"internal error: {type(exc).__name__}; please tell your IT team")

    async def _answer(work: Callable[[], dict[str, Any]]) -> JSONResponse:
        try:
            data = await asyncio.wait_for(run_in_threadpool(work), settings.time_limit_s)
        except TimeoutError:
            return _error(503, f"the check took longer than {settings.time_limit_s:g} s; "
                               "check fewer sheets or ask IT to raise the time limit")
        except RolefitError as exc:
            return _error(422, str(exc))
        except Exception as exc:  # a fault of ours: logged for IT, one line for the user
            logging.getLogger("rolefit").exception("internal error")
            return _error(500, f"internal error ({type(exc).__name__}); please tell your IT team")
        return JSONResponse(data)

    errors: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorAnswer} for code in (401, 413, 422, 503)}

    @app.post("/api/v1/report", response_model=ReportAnswer, responses=errors,
              dependencies=[Depends(require_token)], summary="Check a plan workbook")
    async def report(body: ReportRequest) -> JSONResponse:
        """Check the plan in the workbook's sheet values and answer with the report."""
        workbook = to_workbook(body.workbook)
        return await _answer(lambda: check_to_json(workbook, sheet=body.sheet, lang=body.lang))

    @app.get("/api/v1/example", response_model=ReportAnswer, responses=errors,
             dependencies=[Depends(require_token)], summary="Check the built-in example plan")
    async def example(lang: Literal["en", "vi", "bn"] | None = None) -> JSONResponse:
        """The report of the example plan (as ``rolefit demo``), to try the service."""
        return await _answer(lambda: check_to_json(example_workbook(), lang=lang))

    @app.get("/healthz", summary="Is the service up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/manifest.xml", include_in_schema=False)
    async def manifest_xml() -> Response:
        return Response(manifest, media_type="application/xml",
                        headers={"Content-Disposition": 'inline; filename="rolefit-manifest.xml"'})

    @app.get("/taskpane.html", include_in_schema=False)
    async def taskpane_html() -> Response:
        return Response(taskpane, media_type="text/html; charset=utf-8")

    @app.get("/commands.html", include_in_schema=False)
    async def commands_html() -> Response:
        return Response(commands, media_type="text/html; charset=utf-8")

    @app.get("/static/rolefit.js", include_in_schema=False)
    async def rolefit_js() -> Response:
        return Response(script, media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})

    @app.get("/icons/icon-{size}.png", include_in_schema=False)
    async def icon(size: int) -> Response:
        if size not in SIZES:
            return _error(404, f"no icon of {size} px; there are {', '.join(map(str, SIZES))}")
        return Response(icon_png(size), media_type="image/png",
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/taskpane.html")

    # the add-in's pages come from the public URL, so only that origin may call the API
    app.add_middleware(CORSMiddleware, allow_origins=[settings.origin],
                       allow_methods=["GET", "POST"],
                       allow_headers=["Authorization", "Content-Type"], max_age=600)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(AccessLog)
    return app


def _warm_up() -> None:
    """Load the profiles and the matcher now, not in the first user's request."""
    import gc
    from importlib import import_module

    from .matcher import default_matcher
    from .profiles import load_profiles

    for module in ("api", "report_json", "summary", "web_sheets"):
        import_module(f"{__package__}.{module}")
    load_profiles()
    default_matcher()
    # the profiles and tables live as long as the process: keep them out of every
    # garbage collection pass, which then only looks at a request's own objects
    gc.collect()
    gc.freeze()


class _Unauthorised(Exception):
    """A request to the API without the right bearer token."""


def app_from_env() -> FastAPI:
    """The app of one uvicorn worker (uvicorn's ``factory``), configured by :func:`serve`."""
    return create_app(settings_from_env())


def serve(*, host: str, port: int, certfile: str | None, keyfile: str | None,
          public_url: str | None, workers: int, max_body_mb: float,
          time_limit_s: float) -> None:
    """Run the service with uvicorn until stopped (Ctrl+C)."""
    import uvicorn

    if bool(certfile) != bool(keyfile):
        raise RolefitError("give both --certfile and --keyfile, or neither")
    for label, path in (("certificate", certfile), ("key", keyfile)):
        if path and not Path(path).is_file():
            raise RolefitError(f"{path}: {label} file not found")
    if workers < 1:
        raise RolefitError("--workers must be 1 or more")
    scheme = "https" if certfile else "http"
    shown_host = "localhost" if host in ("127.0.0.1", "::1", "0.0.0.0", "::") else host
    url = (public_url or f"{scheme}://{shown_host}:{port}").rstrip("/")
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise RolefitError(f"--public-url {url}: give a full address such as https://rolefit.example.com")
    settings = Settings(public_url=url, max_body_bytes=int(max_body_mb * 1024 * 1024),
                        time_limit_s=time_limit_s)
    config = asdict(settings)
    config.pop("token")  # the token stays in ROLEFIT_TOKEN, never on a command line or in a log
    os.environ[CONFIG_ENV] = json.dumps(config)

    if not url.startswith("https://"):
        print(f"rolefit: note: {url} is not HTTPS; Office loads add-ins only over HTTPS "
              "(give --certfile/--keyfile, or a --public-url behind an HTTPS proxy)",
              file=sys.stderr)
    print(f"rolefit: add-in manifest at {url}/manifest.xml", file=sys.stderr)
    uvicorn.run("addin.service:app_from_env", factory=True, host=host, port=port,
                workers=workers, ssl_certfile=certfile, ssl_keyfile=keyfile,
                access_log=False, log_level="warning", proxy_headers=True,
                server_header=False, timeout_keep_alive=30)
