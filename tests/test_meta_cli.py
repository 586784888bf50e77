"""`gradecli meta` end to end: bad CSV files give FILE:LINE:COL lines and exit 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = "study,events_t,n_t,events_c,n_c\nA,4,123,11,139\nB,6,306,29,303\nC,3,231,11,220\n"


def run(args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gradecli", "meta", *args], input=stdin, capture_output=True, timeout=60
    )


def write(tmp_path: Path, content: str | bytes, name: str = "d.csv") -> str:
    p = tmp_path / name
    if isinstance(content, str):
        p.write_text(content, encoding="utf-8", newline="")
    else:
        p.write_bytes(content)
    return str(p)


BAD = [
    ("", "empty file", 0),
    ("study,events_t,n_t\nA,1,2\n", "events_c: missing column", 1),
    ("study,events_t,n_t,events_c,n_c\nA,x,10,2,10\n", "2:3: events_t: not a number", 2),
    ("study,events_t,n_t,events_c,n_c\nA,11,10,2,10\n", "2:3: events_t: 11 events exceed n_t", 2),
    ("study,events_t,n_t,events_c,n_c\nA,1,0,2,10\n", "2:5: n_t: must be between 1 and 1e12", 2),
    ("study,events_t,n_t,events_c,n_c\nA,1.5,10,2,10\n", "events_t: not a whole number", 2),
    ("study,mean_t,sd_t,n_t,mean_c,sd_c,n_c\nA,1,0,10,2,1,10\n", "sd_t: must be positive", 2),
    ("study,yi,sei\nA,0.1,-0.2\n", "2:7: sei: must be positive", 2),
    ("study,yi,sei\nA,0.1,0.2\nA,0.3,0.2\n", "duplicate study label", 3),
    ("study,yi,sei\nA,0.1,0.2,9\n", "4 fields, the header has 3", 2),
    ("study,yi,sei\nA,nan,0.2\n", "yi: not a finite number", 2),
    ("study,yi,sei\n", "no study rows", 1),
]


@pytest.mark.parametrize(("content", "needle", "line"), BAD)
def test_bad_csv(tmp_path: Path, content: str, needle: str, line: int) -> None:
    path = write(tmp_path, content)
    p = run(
        [
            path,
            "--measure",
            "GENERIC" if "yi" in content else ("MD" if "mean_t" in content else "RR"),
            "--format",
            "json",
        ]
    )
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert "Traceback" not in err and p.stdout == b""
    assert needle in err
    first = err.splitlines()[0]
    assert first.startswith(path + (f":{line}:" if line else ":"))


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, "study,events_t,n_t,events_c,n_c\nA,x,10,2,10\nB,1,10,20,10\nC,1,10,2,-1\n")
    err = run([path, "--measure", "OR"]).stderr.decode().splitlines()
    assert [e.split(":")[1] for e in err][:3] == ["2", "3", "4"]


def test_non_utf8_and_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path, b"study,yi,sei\nA\xff,0.1,0.2\n")
    p = run([path, "--measure", "GENERIC"])
    assert p.returncode == 2 and b"not valid UTF-8" in p.stderr and f"{path}:2:".encode() in p.stderr
    p = run([str(tmp_path / "missing.csv"), "--measure", "GENERIC"])
    assert p.returncode == 2 and b"missing.csv: no such file" in p.stderr and b"Traceback" not in p.stderr


def test_bom_crlf_quotes_and_stdin(tmp_path: Path) -> None:
    text = '\ufeffstudy,yi,sei\r\n"Smith, 2001",0.1,0.2\r\nB,0.3,0.25\r\n'
    path = write(tmp_path, text)
    a = run([path, "--measure", "GENERIC", "--format", "json"])
    assert a.returncode == 0, a.stderr
    b = run(["-", "--measure", "GENERIC", "--format", "json"], stdin=text.encode())
    assert b.returncode == 0 and a.stdout == b.stdout
    d = json.loads(a.stdout)
    assert list(d["weights"]) == ["Smith, 2001", "B"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    for args in (
        ["--model", "fixed", "--method", "REML"],
        ["--model", "random", "--method", "MH"],
        ["--model", "fixed", "--method", "IV", "--hksj"],
    ):
        p = run([path, "--measure", "RR", *args])
        assert p.returncode == 2 and b"Traceback" not in p.stderr
        assert len(p.stderr.decode().strip().splitlines()) == 1


def test_not_estimable_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, "study,events_t,n_t,events_c,n_c\nA,0,10,0,10\nB,0,12,0,9\n")
    p = run([path, "--measure", "RR"])
    assert p.returncode == 2 and b"not estimable" in p.stderr and b"Traceback" not in p.stderr


def test_json_keys_and_ratio_exp(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    p = run([path, "--measure", "RR", "--format", "json"])
    d = json.loads(p.stdout)
    for key in (
        "k",
        "estimate",
        "se",
        "ci_lb",
        "ci_ub",
        "zval",
        "pval",
        "tau2",
        "i2",
        "h2",
        "q",
        "q_df",
        "q_p",
        "pi_lb",
        "pi_ub",
        "egger_p",
        "weights",
        "exp_estimate",
        "exp_ci_lb",
        "exp_ci_ub",
        "exp_pi_lb",
        "exp_pi_ub",
        "measure",
        "model",
        "method",
        "hksj",
        "prediction_interval",
        "dropped",
        "warnings",
    ):
        assert key in d
    assert d["model"] == "random" and d["method"] == "REML"  # documented defaults
    assert d["exp_estimate"] == pytest.approx(2.718281828459045 ** d["estimate"], rel=1e-15)
    assert d["egger_p"] is None  # fewer than 10 studies


def test_table_format(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    p = run([path, "--measure", "OR", "--model", "fixed", "--method", "MH"])
    out = p.stdout.decode()
    assert p.returncode == 0 and "Pooled" in out and "Heterogeneity" in out and "\x1b[" not in out
