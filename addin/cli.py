"""The ``rolefit`` command: a thin front over :mod:`addin.api`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from .model import RolefitError


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in one line, with exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"rolefit: error: {message} (see '{self.prog} --help')\n")


def _write_json(data: Any, target: str) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if target == "-":
        sys.stdout.write(text)
        return
    from .xlsx_writer import write_atomic

    write_atomic(Path(target), text.encode("utf-8"))


def default_report_path(plan: Path) -> Path:
    """Where ``rolefit check plan.xlsx`` writes: ``plan.rolefit.xlsx`` beside the plan."""
    return plan.with_name(f"{plan.stem}.rolefit.xlsx")


def cmd_check(args: argparse.Namespace) -> int:
    from . import api
    from .report_json import report_to_json
    from .summary import summary_lines
    from .xlsx_writer import write_report

    plan = Path(args.plan)
    out = Path(args.output) if args.output else default_report_path(plan)
    if out.resolve() == plan.resolve():
        raise RolefitError(f"{out}: the report would overwrite the plan; choose another -o name")
    report = api.check_file(plan, sheet=args.sheet, lang=args.lang)
    plan_link = os.path.relpath(plan.resolve(), out.resolve().parent)
    write_report(api.report_book(report, plan_file=plan_link), out)
    if args.json:
        _write_json(report_to_json(report), args.json)
    if args.json != "-":
        _print_summary(summary_lines(report), out, sys.stdout)
    return 0


def _print_summary(lines: Sequence[str], out: Path, stream: TextIO) -> None:
    for line in lines:
        print(line, file=stream)
    print(f"Report written to {out}", file=stream)


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import write_example_plan

    folder = Path(args.dir)
    plan = write_example_plan(folder / "example-plan.xlsx")
    print(f"Example plan written to {plan}")
    ns = argparse.Namespace(plan=str(plan), output=None, json=None, sheet=None, lang=args.lang)
    return cmd_check(ns)


def cmd_classify(args: argparse.Namespace) -> int:
    from .matcher import default_matcher

    matcher = default_matcher()
    source: TextIO
    if args.file == "-":
        source = sys.stdin
    else:
        path = Path(args.file)
        try:
            source = path.open(encoding="utf-8-sig")
        except FileNotFoundError:
            raise RolefitError(f"{path}: file not found") from None
        except IsADirectoryError:
            raise RolefitError(f"{path}: is a folder, not a text file") from None
        except PermissionError:
            raise RolefitError(f"{path}: permission denied; cannot read the file") from None
    out = sys.stdout
    try:
        lines = [line.strip() for line in source]
    except UnicodeDecodeError:
        raise RolefitError(f"{args.file}: not UTF-8 text; save it as UTF-8") from None
    finally:
        if source is not sys.stdin:
            source.close()
    texts = [t for t in lines if t]
    for m in matcher.match_many(texts):
        out.write(json.dumps({"text": m.text, "lang": m.lang, "role": m.role,
                              "responsibility": m.responsibility,
                              "confidence": round(m.confidence, 3),
                              "evidence": list(m.evidence)}, ensure_ascii=False) + "\n")
    return 0


def cmd_profiles(args: argparse.Namespace) -> int:
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


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface: one sub-command per job."""
    from . import __version__

    parser = _Parser(prog="rolefit", description="Check a leadership plan's duties against the "
                     "CTO and CIO reference profiles: gaps, overlaps, misfits.")
    parser.add_argument("--version", action="version", version=f"rolefit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("check", help="check a plan workbook and write its report workbook")
    p.add_argument("plan", help="the plan workbook (.xlsx, .xlsm)")
    p.add_argument("-o", "--output", help="report workbook to write (default: PLAN.rolefit.xlsx)")
    p.add_argument("--json", metavar="FILE", help="also write the report as JSON ('-': stdout)")
    p.add_argument("--sheet", metavar="NAME", help="read only this sheet of the plan")
    p.add_argument("--lang", choices=("en", "vi", "bn"),
                   help="report language (default: the plan's main language)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("demo", help="write the example plan and its report, and summarise it")
    p.add_argument("-d", "--dir", default=".", help="folder to write into (default: here)")
    p.add_argument("--lang", choices=("en", "vi", "bn"), help="report language")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("classify", help="match duty lines (one per line) and print JSON lines")
    p.add_argument("file", help="a UTF-8 text file with one duty per line ('-': stdin)")
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("profiles", help="list the CTO and CIO profiles with their sources")
    p.set_defaults(func=cmd_profiles)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 done, 2 unusable input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
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


if __name__ == "__main__":
    sys.exit(main())
