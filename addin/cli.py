"""The ``rolefit`` command: a thin front over :mod:`addin.api`."""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from .model import RolefitError


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in one line, with exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"rolefit: error: {message} (see '{self.prog} --help')\n")


def cmd_check(args: argparse.Namespace) -> int:
    """`rolefit check`: check one plan and write its report (and JSON, HTML or a copy)."""
    from . import api

    def path(value: str | None) -> Path | None:
        return Path(value) if value else None

    to_stdout = args.json == "-"
    done = api.check_to_files(api.CheckJob(
        plan=Path(args.plan), report=path(args.output), into=path(args.into),
        json=None if to_stdout else path(args.json), html=path(args.html),
        sheet=args.sheet, lang=args.lang))
    if to_stdout:
        sys.stdout.write(api.report_json_text(done.report))
    else:
        for line in done.lines:
            print(line)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """`rolefit demo`: write the example plan, then check it like `rolefit check`."""
    from .demo import write_example_plan

    folder = Path(args.dir)
    plan = write_example_plan(folder / "example-plan.xlsx")
    print(f"Example plan written to {plan}")
    ns = argparse.Namespace(plan=str(plan), output=None, json=None, html=None, into=None,
                            sheet=None, lang=args.lang)
    return cmd_check(ns)


def cmd_classify(args: argparse.Namespace) -> int:
    """`rolefit classify`: match each duty line and print one JSON line per duty."""
    import json

    from .files import decode_utf8, read_input_text
    from .matcher import default_matcher

    if args.file == "-":
        stdin = getattr(sys.stdin, "buffer", None)  # bytes, so the decoding is ours
        text = (decode_utf8(stdin.read(), "standard input") if stdin is not None
                else sys.stdin.read())
    else:
        text = read_input_text(Path(args.file))
    matcher = default_matcher()
    out = sys.stdout
    # universal newlines, as when the file is read line by line
    lines = [line.strip() for line in io.StringIO(text, newline=None)]
    texts = [t for t in lines if t]
    for m in matcher.match_many(texts):
        out.write(json.dumps({"text": m.text, "lang": m.lang, "role": m.role,
                              "responsibility": m.responsibility,
                              "confidence": round(m.confidence, 3),
                              "evidence": list(m.evidence)}, ensure_ascii=False) + "\n")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """`rolefit evaluate`: measure the matcher on a labelled CSV file."""
    from .evaluate import run

    return run(Path(args.labels), sys.stdout, worst=args.worst)


def cmd_profiles(args: argparse.Namespace) -> int:
    """`rolefit profiles`: list every responsibility of both profiles, with sources."""
    from .profiles import load_profiles

    profiles = load_profiles()
    rows = [("role", "id", "responsibility", "sources")]
    for resp in profiles.responsibilities():
        rows.append((resp.role, resp.id, resp.name, "; ".join(str(s) for s in resp.sources)))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(r[:3])) + "  " + r[3])
    print()
    print("Shared by the sources (either side may hold these):")
    for pair in profiles.shared:
        print(f"  {pair.cto} / {pair.cio}: {pair.rule}")
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    """`rolefit batch`: check every plan in a folder and write the portfolio."""
    from .batch import DEFAULT_PATTERNS, run_batch

    if args.jobs is not None and args.jobs < 1:
        raise RolefitError("--jobs must be 1 or more")
    result = run_batch(Path(args.folder), outdir=Path(args.output) if args.output else None,
                       jobs=args.jobs, patterns=args.pattern or DEFAULT_PATTERNS,
                       json_target=args.json, force=args.force, lang=args.lang)
    out = sys.stderr if args.json == "-" else sys.stdout
    counts, *written = result.summary_lines()
    print(counts, file=out)
    for failure in result.failures:
        print(f"rolefit: failed: {failure.error}", file=sys.stderr)
    for line in written:
        print(line, file=out)
    return 1 if result.failures else 0


def cmd_serve(args: argparse.Namespace) -> int:
    """`rolefit serve`: run the service behind the Office.js add-in."""
    from .service import serve  # the web stack loads only for this command

    serve(host=args.host, port=args.port, certfile=args.certfile, keyfile=args.keyfile,
          public_url=args.public_url, workers=args.workers, max_body_mb=args.max_body_mb,
          time_limit_s=args.time_limit)
    return 0


def cmd_addin_build(args: argparse.Namespace) -> int:
    """`rolefit addin build`: write the desktop add-in (.xlam)."""
    from .xlam import Interpreter, build_addin

    interpreter = (Interpreter(windows=args.interpreter, mac=args.interpreter)
                   if args.interpreter else None)
    path = build_addin(Path(args.output), interpreter)
    print(f"Excel add-in written to {path}")
    return 0


def cmd_addin_install(args: argparse.Namespace) -> int:
    """`rolefit addin install`: install the desktop add-in into Excel."""
    from .xlam import install_addin

    print(install_addin(Path(args.file) if args.file else None))
    return 0


def _command(sub: Any, name: str, text: str) -> argparse.ArgumentParser:
    """A sub-command whose own --help opens with the line the command list shows."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=text, description=text[0].upper() + text[1:] + ".")
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface: one sub-command per job."""
    from . import __version__
    from .i18n import LANGS

    parser = _Parser(prog="rolefit", description="Check a leadership plan's duties against the "
                     "CTO and CIO reference profiles: gaps, overlaps, misfits.",
                     epilog="Start with: rolefit check plan.xlsx (or rolefit demo). "
                     "Each command has its own --help.")
    parser.add_argument("--version", action="version", version=f"rolefit {__version__}",
                        help="show rolefit's version and exit")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                title="commands", metavar="COMMAND")

    p = _command(sub, "check", "check a plan workbook and write its report workbook")
    p.add_argument("plan", help="the plan workbook (.xlsx, .xlsm) or CSV file (.csv)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="report workbook to write (default: PLAN.rolefit.xlsx beside the plan)")
    p.add_argument("--json", metavar="FILE", help="also write the report as JSON ('-': stdout)")
    p.add_argument("--html", metavar="FILE",
                   help="also write the report as one HTML page (charts included), for mail")
    p.add_argument("--into", metavar="COPY",
                   help="instead of a separate report, save a copy of the plan with the "
                        "report sheets added (refused if the copy would lose anything)")
    p.add_argument("--sheet", metavar="NAME", help="read only this sheet of the plan")
    p.add_argument("--lang", choices=LANGS,
                   help="report language (default: the plan's main language)")
    p.set_defaults(func=cmd_check)

    p = _command(sub, "demo", "write the example plan and its report, and summarise it")
    p.add_argument("-d", "--dir", default=".", help="folder to write into (default: here)")
    p.add_argument("--lang", choices=LANGS,
                   help="report language (default: the plan's main language)")
    p.set_defaults(func=cmd_demo)

    p = _command(sub, "classify", "match duty lines (one per line) and print JSON lines")
    p.add_argument("file", help="a UTF-8 text file with one duty per line ('-': stdin)")
    p.set_defaults(func=cmd_classify)

    p = _command(sub, "evaluate", "measure the duty matcher on labelled lines (CSV: "
                       "id,lang,duty,role,responsibility,accept)")
    p.add_argument("labels", help="the labelled CSV file")
    p.add_argument("--worst", type=int, default=15, metavar="N",
                   help="how many misses to list (default: 15)")
    p.set_defaults(func=cmd_evaluate)

    p = _command(sub, "profiles", "list the CTO and CIO profiles with their sources")
    p.set_defaults(func=cmd_profiles)

    p = _command(sub, "batch", "check every plan in a folder tree; write a portfolio")
    p.add_argument("folder", help="folder of plans (.xlsx, .xlsm, .csv), searched recursively")
    p.add_argument("-o", "--output", metavar="OUTDIR",
                   help="folder for the reports and rolefit-portfolio.xlsx "
                        "(default: FOLDER/rolefit-reports)")
    p.add_argument("--jobs", type=int, metavar="N",
                   help="plans checked at once (default: the number of processor cores)")
    p.add_argument("--pattern", action="append", metavar="GLOB",
                   help="which files are plans, e.g. '*.xlsx' or 'plans-2027/*.xlsx'; "
                        "repeat for several (default: *.xlsx, *.xlsm, *.csv)")
    p.add_argument("--json", metavar="FILE",
                   help="also write one JSON line per plan ('-': stdout)")
    p.add_argument("--force", action="store_true",
                   help="check every plan again, even those unchanged since the last run")
    p.add_argument("--lang", choices=LANGS, default="en",
                   help="language of the portfolio and of these messages (default: en); "
                        "each plan's report speaks its plan's main language")
    p.set_defaults(func=cmd_batch)

    p = _command(sub, "serve", "run the service behind the Excel add-in (web, Mac, Windows)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument("--certfile", metavar="FILE", help="TLS certificate (PEM) for HTTPS")
    p.add_argument("--keyfile", metavar="FILE", help="TLS private key (PEM) for HTTPS")
    p.add_argument("--public-url", metavar="URL",
                   help="the HTTPS address users reach, e.g. behind a reverse proxy "
                        "(default: from --host and --port)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes (default: 1)")
    p.add_argument("--max-body-mb", type=float, default=8, metavar="MB",
                   help="largest workbook accepted, in MB of JSON (default: 8)")
    p.add_argument("--time-limit", type=float, default=60, metavar="SECONDS",
                   help="longest one check may take (default: 60)")
    p.set_defaults(func=cmd_serve)

    p = _command(sub, "addin", "the desktop Excel add-in (ribbon tab 'Org Design')")
    addin_sub = p.add_subparsers(dest="addin_command", required=True, parser_class=_Parser,
                                 title="commands", metavar="COMMAND")
    p = _command(addin_sub, "build", "write the add-in file addin.excel_ribbon.xlam")
    p.add_argument("-o", "--output", default=".", metavar="DIR",
                   help="folder to write into (default: here)")
    p.add_argument("--interpreter", metavar="PYTHON",
                   help="the Python that Excel runs (default: this one, on Windows and macOS)")
    p.set_defaults(func=cmd_addin_build)
    p = _command(addin_sub, "install", "build the add-in and install it into Excel "
                             "(Windows or macOS)")
    p.add_argument("--file", metavar="XLAM", help="install this add-in file instead of a "
                   "freshly built one")
    p.set_defaults(func=cmd_addin_install)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 done, 2 unusable input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage mistakes end here
        return exc.code if isinstance(exc.code, int) else 0
    try:
        _collector_at_ease(args.func not in (cmd_serve, cmd_batch))
        code: int = args.func(args)
        return code
    except RolefitError as exc:
        print(f"rolefit: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rolefit: stopped", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an unexpected fault still gets one line, never a traceback
        if os.environ.get("ROLEFIT_DEBUG"):
            raise
        print(f"rolefit: internal error: {type(exc).__name__}: {exc} "
              f"(set ROLEFIT_DEBUG=1 for details)", file=sys.stderr)
        return 1


def _collector_at_ease(short_run: bool) -> None:
    """Fewer cycle-collector passes for a command that ends when its work is done.

    Reference counting frees a check's data as it goes; the collector's default pace (a
    pass per 700 new objects) cost a check about 7% of its time. The long-running service
    and batch runs (a plan after another, in the same processes) keep the default.
    """
    if short_run:
        gc.set_threshold(100_000, 20, 20)


if __name__ == "__main__":
    sys.exit(main())
