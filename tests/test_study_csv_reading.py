"""Study CSVs (gradecli/io/study_csv.py): the column-by-column reading of a file without problems
gives exactly what the careful line-by-line reading gives (values, their types, labels, order), and
the strict number conversions take exactly the text their patterns describe (issue 21 made both
faster; these tests hold them to the slower definitions)."""

from __future__ import annotations

import random

import pytest

from gradecli.io import study_csv
from gradecli.io.study_csv import _FLOAT, _INT, _strict_float, _strict_int, read_study_csv
from gradecli.problems import InputError

HEADERS = {
    "generic": "study,yi,sei",
    "dichotomous": "study,events_t,n_t,events_c,n_c",
    "continuous": "study,mean_t,sd_t,n_t,mean_c,sd_c,n_c",
}


def _number(rng: random.Random, whole: bool) -> str:
    if whole:
        return rng.choice(["", "+", " "]) + str(rng.randint(1, 500)) + rng.choice(["", " "])
    x = rng.uniform(0.05, 3.0)
    return rng.choice([repr(x), f"{x:.3f}", f"{x:.2e}", f"{x:.4E}", f" {x:.1f} ", f"+{x:.2f}", f"{int(x) + 1}."])


def _row(rng: random.Random, form: str, label: str) -> str:
    if form == "generic":
        return ",".join([label, "-" + _number(rng, False).strip().lstrip("+"), _number(rng, False)])
    if form == "dichotomous":
        n_t, n_c = rng.randint(10, 300), rng.randint(10, 300)
        return f"{label},{rng.randint(0, n_t)},{n_t},{rng.randint(0, n_c)}, {n_c} "
    mean_t, sd_t, n_t, mean_c, sd_c, n_c = (_number(rng, whole) for whole in (0, 0, 1, 0, 0, 1))
    return ",".join([label, mean_t, sd_t, n_t, mean_c, sd_c, n_c])


def _careful(monkeypatch: pytest.MonkeyPatch, text: str) -> object:
    with monkeypatch.context() as m:
        m.setattr(study_csv, "_all_at_once", lambda *a, **k: None)  # every line read one by one
        return read_study_csv("x.csv", text)


def _same(a: object, b: object) -> None:
    assert type(a) is type(b)
    va, vb = vars(a), vars(b)
    assert va.keys() == vb.keys()
    for key in va:
        assert list(va[key]) == list(vb[key]), key
        assert [type(x) for x in va[key]] == [type(x) for x in vb[key]], key


@pytest.mark.parametrize("form", sorted(HEADERS))
@pytest.mark.parametrize("seed", range(8))
def test_a_clean_file_reads_the_same_at_once_and_line_by_line(form, seed, monkeypatch):
    rng = random.Random(seed)
    lines = [HEADERS[form]]
    for i in range(rng.randint(1, 60)):
        lines.append(_row(rng, form, rng.choice(["S", "Study ", "trial-", "Pickering 20"]) + str(i)))
        if rng.random() < 0.1:
            lines.append(rng.choice(["", "   ", "\t"]))  # blank lines are skipped by both
    text = "\n".join(lines) + rng.choice(["", "\n", "\r\n"])
    fast = read_study_csv("x.csv", text)
    _same(fast, _careful(monkeypatch, text))


@pytest.mark.parametrize(
    "bad_line",
    [
        's9,"0.1",0.2',  # a quote
        "s9,0.1",  # a field missing
        "s1,0.1,0.2",  # a repeated label
        " ,0.1,0.2",  # an empty label
        "s9,0.1,-0.2",  # a negative standard error
        "s9,1_0,0.2",  # an underscore
        "s9,٤,0.2",  # an Arabic-Indic digit
        "s9,nan,0.2",  # not finite
        "s9,0x10,0.2",  # hex
        "s9,,0.2",  # a value missing
    ],
)
def test_a_file_with_a_problem_is_read_line_by_line_and_reported_the_same(bad_line, monkeypatch):
    text = "study,yi,sei\ns1,0.1,0.2\ns2,0.3,0.4\n" + bad_line + "\n"

    def outcome(read):
        try:
            data = read()
        except InputError as exc:
            return [p.format() for p in exc.problems]
        return {key: [(type(x), x) for x in value] for key, value in vars(data).items()}

    fast = outcome(lambda: read_study_csv("x.csv", text))
    assert fast == outcome(lambda: _careful(monkeypatch, text))
    assert isinstance(fast, list) or bad_line.startswith('s9,"')  # only the quoted value is not a problem


SAMPLES = [
    "0", "12", "+5", "-5", "007", "1.5", "1.", ".5", "-.5", "+.5e3", "1e5", "1E+05", "1e-5", "2.5e", "e5",
    ".e5", ".", "", "+", "-", "nan", "NaN", "-nan", "+inf", "-Infinity", "INF", "infinity", "inity", "1_000",
    "1__0", "٤", "４", "1 0", "0x10", "0o7", "0b1", "1e5.5", "--1", "+-1", "1,5", "١.٥", "1.5\u00a0", "\u20031",
    "1e999", "-1e999", "1" * 400, "12abc", "\x00", "1\x00", "1j", "true", " 7 ", "\t3.25\t",
]  # fmt: skip


def _regex_int(s: str) -> int | None:
    s = s.strip()
    return int(s) if _INT.fullmatch(s) else None


def _regex_float(s: str) -> float | None:
    s = s.strip()
    return float(s) if _FLOAT.fullmatch(s) else None


def _or_none(f, s):
    try:
        return f(s)
    except ValueError:
        return None


@pytest.mark.parametrize("text", SAMPLES)
def test_the_strict_conversions_take_exactly_what_their_patterns_match(text):
    assert repr(_or_none(_strict_int, text)) == repr(_regex_int(text))
    assert repr(_or_none(_strict_float, text)) == repr(_regex_float(text))


def test_the_strict_conversions_on_random_text():
    rng = random.Random(21)
    alphabet = "0123456789+-.eE_ naif\t٤x"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7)))
        assert repr(_or_none(_strict_int, text)) == repr(_regex_int(text)), text
        assert repr(_or_none(_strict_float, text)) == repr(_regex_float(text)), text
