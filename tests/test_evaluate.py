"""Measuring the matcher on labelled lines: figures, bad files, the CLI."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from addin.cli import main
from addin.evaluate import LabelledDuty, evaluate, judge, read_labels, run
from addin.matcher import Matcher
from addin.model import Match, RolefitError

DATA = Path(__file__).resolve().parent / "data"
SMALL = DATA / "labels_small.csv"


def _table(text: str) -> dict[str, tuple[int, float, float]]:
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^(en|vi|bn|overall)\s+(\d+)\s+([\d.]+)%\s+([\d.]+)%$", line)
        if m:
            rows[m.group(1)] = (int(m.group(2)), float(m.group(3)), float(m.group(4)))
    return rows


def test_small_label_set_figures(matcher: Matcher) -> None:
    out = io.StringIO()
    assert run(SMALL, out, matcher) == 0
    text = out.getvalue()
    table = _table(text)
    assert {k: v[0] for k, v in table.items()} == {"en": 12, "vi": 9, "bn": 9, "overall": 30}
    for lang in ("en", "vi", "bn"):
        _, role, resp = table[lang]
        assert role >= 95.0, text
        assert resp >= 88.0, text
    assert "role confusion" in text and "confidence calibration" in text
    # the printed figures are the evaluation's own
    ev = evaluate(read_labels(SMALL), matcher)
    assert table["overall"][2] == round(100 * ev.overall.resp_accuracy, 1)
    confusion = sum(ev.confusion.values())
    assert confusion == 30
    assert sum(n for _, _, n, _, _ in ev.calibration) == 30


def test_wrong_labels_show_up_as_misses(tmp_path: Path, matcher: Matcher) -> None:
    bad = tmp_path / "wrong.csv"
    bad.write_text("id,lang,duty,role,responsibility,accept\n"
                   "w1,en,Run the IT helpdesk,CTO,cto.architecture,\n"
                   "w2,en,Payroll and benefits,NONE,NONE,\n", encoding="utf-8")
    out = io.StringIO()
    run(bad, out, matcher)
    table = _table(out.getvalue())
    assert table["en"] == (2, 50.0, 50.0)
    assert "w1 [en]" in out.getvalue() and "got cio.it_operations" in out.getvalue()
    ev = evaluate(read_labels(bad), matcher)
    assert ev.confusion == {("CTO", "CIO"): 1, ("NONE", "NONE"): 1}


def test_accepted_alternative_counts_for_role_and_responsibility() -> None:
    row = LabelledDuty("a", "en", "x", "CTO", "cto.product_vendors", ("cio.it_vendors",))
    m = Match("x", "en", "cio.it_vendors", "CIO", 0.5, ())
    o = judge(row, m)
    assert o.role_ok and o.resp_ok
    none_row = LabelledDuty("b", "en", "x", "NONE", None)
    assert not judge(none_row, m).resp_ok
    assert judge(none_row, Match("x", "en", None, None, 0.6, ())).resp_ok


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,lang,duty,role,responsibility\nx,en,a,CTO,cto.architecture\n",
         "bad.csv: row 1: missing column 'accept' "
         "(needs id, lang, duty, role, responsibility, accept)"),
        ("id,lang,duty,role,responsibility,accept\nx,en,a,CFO,cto.architecture,\n",
         "bad.csv: row 2: role 'CFO' is not CTO, CIO or NONE"),
        ("id,lang,duty,role,responsibility,accept\nx,en,a,CTO,cto.architecture,\ny,en,,CIO,cio.it_operations,\n",
         "bad.csv: row 3: empty duty"),
        ("id,lang,duty,role,responsibility,accept\nx,en,a,CTO,cio.it_operations,\n",
         "bad.csv: row 2: responsibility 'cio.it_operations' is not a CTO one"),
        ("id,lang,duty,role,responsibility,accept\nx,en,a,NONE,cio.it_operations,\n",
         "bad.csv: row 2: role NONE does not fit responsibility 'cio.it_operations'"),
        ("id,lang,duty,role,responsibility,accept\nx,en,a,CTO,cto.architecture,,extra\n",
         "bad.csv: row 2: more cells than columns"),
        ("id,lang,duty,role,responsibility,accept\n", "bad.csv: no labelled lines"),
    ],
)
def test_bad_csv_is_one_line_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RolefitError) as info:
        read_labels(path)
    assert str(info.value) == message


def test_cli_evaluate_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(SMALL), "--worst", "3"]) == 0
    assert _table(capsys.readouterr().out)["overall"][0] == 30


def test_cli_evaluate_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("duty\nx\n", encoding="utf-8")
    assert main(["evaluate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == ("rolefit: error: bad.csv: row 1: missing column 'id' "
                           "(needs id, lang, duty, role, responsibility, accept)")


def test_cli_evaluate_subprocess() -> None:
    done = subprocess.run([sys.executable, "-m", "addin.cli", "evaluate", str(SMALL)],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr
    assert _table(done.stdout)["overall"][0] == 30
