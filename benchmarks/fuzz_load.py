"""Coverage-guided fuzzing of the evidence-file loader (and, optionally, the whole assess path) with
atheris (libFuzzer for Python). Run it for minutes or hours; it reports what it found.

usage:
  pip install atheris            # not a test dependency; a cp311 wheel is on the package index
  python benchmarks/fuzz_load.py [--target load|assess] [--crashes DIR] [--corpus DIR] [--no-dict]
                                 [LIBFUZZER FLAGS, e.g. -max_total_time=1800 -runs=100000]

Targets:
  load    bytes -> gradecli.io.source.decode -> gradecli.io.evidence.parse_evidence (tree, pydantic
          models, cross-checks, error rewriting). Default.
  assess  load, then for a valid file everything the commands do with it: the GRADE engine under
          two rule sets and their comparison, the JSON/Markdown/HTML/CSV reports, the terminal
          Summary of Findings and evidence profile, the text forest plots of `assess --detail`,
          the `check` findings in every output format, and `diff` against an example.

A crash is any exception other than gradecli's InputError (NotEvidenceError is one), or a problem
message that is not one line, or a report that is not well-formed (JSON with NaN/Infinity, XML
that does not parse). The fuzzer keeps going after a crash: each distinct crash (exception type and
the innermost gradecli frame) is written once to the crash folder as ``crash-<sha1>.bin`` (the
input) with ``crash-<sha1>.txt`` (the traceback); libFuzzer's own findings (timeouts, out of
memory, a crash in C code) land there too and stop the run.

The seed corpus is examples/ (as YAML and as JSON), tests/bad_inputs/ and tests/fuzz_regressions/,
plus a libFuzzer dictionary of the format's keys, vocabularies and YAML syntax. At the end the
script prints executions, exec/s, how many inputs were valid evidence files (only those reach the
engine), coverage, features, corpus size and crashes. ``--corpus DIR`` keeps the corpus, so a later
run goes on where this one stopped. Exit code: 0 no
crash, 1 crashes found, 2 usage error or atheris missing.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import json
import os
import pkgutil
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("load", "assess")


# ---------------------------------------------------------------------------------------------
# Seeds and dictionary


def seed_corpus(folder: Path) -> int:
    """Copy the examples (YAML and JSON), bad inputs and fuzz regressions into ``folder``."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    sources = [
        *sorted((ROOT / "examples").rglob("*.yaml")),
        *sorted((ROOT / "tests" / "bad_inputs").iterdir()),
        *sorted((ROOT / "tests" / "fuzz_regressions").glob("*.yaml")),
    ]
    for path in sources:
        if path.name in ("EXPECTED.tsv", "README.md") or not path.is_file():
            continue
        data = path.read_bytes()
        (folder / f"seed-{path.parent.name}-{path.name}").write_bytes(data)
        n += 1
        if path.parent.name in ("examples", "living-review"):
            as_json = json.dumps(yaml.safe_load(data), indent=1, default=str).encode()
            (folder / f"seed-{path.parent.name}-{path.stem}.json").write_bytes(as_json)
            n += 1
    return n


YAML_TOKENS = [
    "&a ",
    "*a",
    "<<: ",
    "!!python/object:",
    "!!str ",
    "!!float ",
    "!!binary ",
    "---",
    "...",
    "%YAML 1.1",
    "? ",
    "- ",
    ": ",
    "{}",
    "[]",
    ".nan",
    ".inf",
    "-.inf",
    "NaN",
    "Infinity",
    "1e999",
    "5e-324",
    "1.7976931348623157e308",
    "-0.0",
    "0x1F",
    "0o17",
    "null",
    "~",
    "true",
    "\t",
    "\\u2028",
    "\\x1e",
    "\xef\xbb\xbf",
]


def write_dictionary(path: Path) -> None:
    """A libFuzzer dictionary: every key and vocabulary word of the format, and YAML syntax."""
    from gradecli.model.evidence import Evidence

    words: set[str] = set(YAML_TOKENS)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    words.update(value)
                if key in ("enum", "const"):
                    words.update(str(v) for v in (value if isinstance(value, list) else [value]))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(Evidence.model_json_schema())
    lines = []
    for word in sorted(words):
        escaped = "".join(
            c if c.isascii() and c.isprintable() and c not in '"\\' else "".join(f"\\x{b:02X}" for b in c.encode())
            for c in word
        )
        lines.append(f'"{escaped}"')
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


# ---------------------------------------------------------------------------------------------
# The fuzz targets (run in the worker process)


class Contract(Exception):
    """Not a Python crash but a broken promise: a message on two lines, NaN in JSON, bad XML."""


def _refuse_constant(token: str) -> Any:
    raise Contract(f"non-finite number {token} in JSON output")


def _one_line(problems: list[Any]) -> None:
    for p in problems:
        text = p.format()
        if len(text.splitlines()) != 1:
            raise Contract(f"problem message is not one line: {text!r}")


class Worker:
    def __init__(self, target: str, crashes: Path) -> None:
        import atheris

        with atheris.instrument_imports(include=["gradecli"]):
            import gradecli

            # every module now (many are imported lazily, on first use), so all are instrumented;
            # not the matplotlib drawing code
            for info in pkgutil.walk_packages(gradecli.__path__, "gradecli."):
                drawing = info.name.startswith("gradecli.plots.") and info.name != "gradecli.plots.data"
                if drawing or info.name == "gradecli.__main__":
                    continue
                with contextlib.suppress(ImportError):
                    importlib.import_module(info.name)
        from gradecli.problems import InputError

        self.target = target
        self.crashes = crashes
        self.InputError = InputError
        self.gc = gradecli
        self.seen: set[str] = set()
        self.found = 0
        self.runs = self.valid = 0
        self.stats = crashes / ".stats.json"
        if target == "assess":
            self.rules = gradecli.grade.ruleset.load_ruleset("default")
            self.strict = gradecli.grade.ruleset.load_ruleset("strict")
            example = str(ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml")
            self.example = gradecli.io.evidence.load_evidence(example)
            self.example_result = gradecli.grade.engine.assess(self.example, self.rules)

    def __call__(self, data: bytes) -> None:
        self.runs += 1
        if self.runs % 1000 == 0:  # for the driver's summary: libFuzzer exits without returning here
            self.stats.write_text(json.dumps({"runs": self.runs, "valid": self.valid}), encoding="utf-8")
        try:
            self.run(data)
        except self.InputError as exc:
            try:
                _one_line(exc.problems)
            except Contract as bad:
                self.record(data, bad)
        except Exception as exc:
            self.record(data, exc)

    def run(self, data: bytes) -> None:
        gc = self.gc
        text = gc.io.source.decode(data, "<fuzz>")
        evidence, tree = gc.io.evidence.parse_evidence_tree(text, "<fuzz>")
        self.valid += 1
        if self.target == "assess":
            self.assess(evidence, tree)

    def assess(self, evidence: Any, tree: Any) -> None:
        import io
        import xml.etree.ElementTree as ET

        from rich.console import Console

        gc = self.gc
        result = gc.grade.engine.assess(evidence, self.rules)
        other = gc.grade.engine.assess(evidence, self.strict)
        json.loads(result.model_dump_json(), parse_constant=_refuse_constant)
        json.loads(
            json.dumps(gc.report.compare.differences(result, other), default=str), parse_constant=_refuse_constant
        )
        gc.report.markdown.render(result)
        gc.report.html.render(result)
        gc.report.csv_out.render(result)
        console = Console(file=io.StringIO(), width=100, color_system=None, highlight=False)
        gc.report.rich_table.render(result, console)
        gc.report.profile_table.render(result, console)
        console.print(gc.report.compare.render_text(result, other), markup=False)
        for outcome in evidence.outcomes:
            if outcome.form != "studies":
                continue
            try:
                forest = gc.plots.data.forest_data(evidence, outcome, self.rules)
            except gc.plots.data.PlotDataError:
                continue
            console.print(gc.report.forest_text.forest_table(forest, 100))
            gc.report.forest_text.forest_notes(forest)
        findings = [f for f in gc.check.run.assessment_findings("<fuzz>", evidence, tree, result, {}) if f]
        for line in gc.check.formats.text(findings).splitlines():
            if not line.startswith("<fuzz>"):
                raise Contract(f"check finding is not one line: {line!r}")
        for line in gc.check.formats.json_lines(findings).split("\n")[:-1]:
            json.loads(line, parse_constant=_refuse_constant)
        gc.check.formats.github(findings)
        file_result = gc.check.run.FileResult("<fuzz>", "valid", findings, len(evidence.outcomes))
        ET.fromstring(gc.check.formats.junit([file_result], {"error"}))
        entries = gc.diff.diff(self.example, self.example_result, evidence, result)
        json.loads(json.dumps(entries, default=str), parse_constant=_refuse_constant)
        gc.diff.text(entries)
        gc.diff.markdown(entries, "old", "new")

    def record(self, data: bytes, exc: BaseException) -> None:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/gradecli/" in f.filename]
        where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
        signature = f"{type(exc).__name__} at {where}"
        if isinstance(exc, Contract):  # the kind of message: no file name, numbers or quoted values
            kind = re.sub(r"^<fuzz>(:\d+)*: |'[^']*'|#x[0-9a-fA-F]+|\d+", "", str(exc).split(": ", 1)[-1].strip("'\""))
            signature += " " + kind[:70]
        if signature in self.seen:
            return
        self.seen.add(signature)
        self.found += 1
        digest = hashlib.sha1(data).hexdigest()
        (self.crashes / f"crash-{digest}.bin").write_bytes(data)
        report = "".join(traceback.format_exception(exc))
        (self.crashes / f"crash-{digest}.txt").write_text(f"{signature}\n\n{report}", encoding="utf-8")
        print(f"\n=== gradecli fuzz: crash #{self.found}: {signature} -> {self.crashes}/crash-{digest}.bin", flush=True)


def worker_main(target: str, crashes: Path, libfuzzer_argv: list[str]) -> None:
    import atheris

    fuzz = Worker(target, crashes)
    atheris.Setup([sys.argv[0], *libfuzzer_argv], fuzz)
    atheris.Fuzz()


# ---------------------------------------------------------------------------------------------
# The driver: starts the worker, passes its output through, sums up


STAT = re.compile(r"^#(\d+)\s+(\w+)\s+(?:cov: (\d+) ft: (\d+) )?corp: (\d+)/(\S+).*?exec/s: (\d+)")
DONE = re.compile(r"^Done (\d+) runs in (\d+) second")


def _valid_share(stats: Path) -> str:
    """How many inputs were valid evidence files (reached the engine with --target assess)."""
    try:
        counts = json.loads(stats.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "?"
    runs, valid = counts["runs"], counts["valid"]
    return f"{valid:,} of the first {runs:,} inputs ({100 * valid / max(runs, 1):.1f}%)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Fuzz the gradecli evidence loader with atheris; unknown -flags go to libFuzzer.",
        epilog="example: python benchmarks/fuzz_load.py --target assess -max_total_time=1800",
    )
    parser.add_argument("--target", choices=TARGETS, default="load")
    parser.add_argument("--crashes", type=Path, default=None, help="folder for crash inputs (default: a temp folder)")
    parser.add_argument("--corpus", type=Path, default=None, help="working corpus, kept between runs (default: temp)")
    parser.add_argument("--no-dict", action="store_true", help="no libFuzzer dictionary of the format's words")
    parser.add_argument("--quiet", action="store_true", help="hide libFuzzer's progress lines")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    bad = [a for a in rest if not a.startswith("-")]
    if args.worker:
        worker_main(args.target, args.crashes, rest)
        return 0
    if bad:
        parser.error(f"unexpected argument(s): {' '.join(bad)} (libFuzzer flags look like -runs=1000)")
    if importlib.util.find_spec("atheris") is None:
        print(
            "fuzz_load.py: atheris is not installed; `pip install atheris` (Linux/macOS, CPython 3.8-3.12) "
            "and run again. It is not needed for the test suite: tests/test_fuzz.py fuzzes with hypothesis.",
            file=sys.stderr,
        )
        return 2

    work = Path(tempfile.mkdtemp(prefix=f"gradecli-fuzz-{args.target}-"))
    crashes = (args.crashes or work / "crashes").resolve()
    crashes.mkdir(parents=True, exist_ok=True)
    corpus = (args.corpus or work / "corpus").resolve()
    if not corpus.exists() or not any(corpus.iterdir()):
        seeds = seed_corpus(corpus)
    else:
        seeds = sum(1 for _ in corpus.iterdir())
    flags = list(rest)
    if not args.no_dict and not any(f.startswith("-dict=") for f in flags):
        write_dictionary(work / "gradecli.dict")
        flags.append(f"-dict={work / 'gradecli.dict'}")
    if not any(f.startswith("-timeout=") for f in flags):
        flags.append("-timeout=20")  # an input that takes 20 s is a hang worth a report
    if not any(f.startswith("-artifact_prefix=") for f in flags):
        flags.append(f"-artifact_prefix={crashes}/")
    (crashes / ".stats.json").unlink(missing_ok=True)
    before = {p.name for p in crashes.iterdir()}
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        "--target",
        args.target,
        "--crashes",
        str(crashes),
        *flags,
        str(corpus),
    ]
    print(f"fuzz_load.py: target {args.target}, {seeds} inputs in {corpus}, crashes to {crashes}", file=sys.stderr)
    started = time.monotonic()
    last: dict[str, str] = {}
    runs = seconds = None
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
    env.pop("GRADECLI_DEBUG", None)
    with subprocess.Popen(cmd, stderr=subprocess.STDOUT, stdout=subprocess.PIPE, text=True, env=env) as proc:
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                m = STAT.match(line)
                if m:
                    last = {
                        "execs": m[1],
                        "cov": m[3] or "?",
                        "ft": m[4] or "?",
                        "corp": f"{m[5]}/{m[6]}",
                        "exec/s": m[7],
                    }
                d = DONE.match(line)
                if d:
                    runs, seconds = int(d[1]), int(d[2])
                if not args.quiet or not m:
                    sys.stderr.write(line)
        except KeyboardInterrupt:
            proc.terminate()
        code = proc.wait()
    elapsed = time.monotonic() - started
    new = sorted(p for p in crashes.iterdir() if p.name not in before and p.suffix != ".txt" and p.name[0] != ".")
    slow = [p for p in new if p.name.startswith("slow-unit-")]  # libFuzzer's slowest input: a hint, not a crash
    new = [p for p in new if p not in slow]
    execs = runs if runs is not None else int(last.get("execs", 0))
    rate = execs / seconds if seconds else execs / elapsed if elapsed else 0.0
    print(
        "\n=== gradecli fuzz summary\n"
        f"target:      {args.target}\n"
        f"duration:    {elapsed:.0f} s (libFuzzer: {seconds if seconds is not None else '?'} s)\n"
        f"executions:  {execs:,}\n"
        f"exec/s:      {rate:,.0f}\n"
        f"valid files: {_valid_share(crashes / '.stats.json')}\n"
        f"coverage:    cov {last.get('cov', '?')}, features {last.get('ft', '?')}, corpus {last.get('corp', '?')}\n"
        f"crashes:     {len(new)} new in {crashes}\n"
        + "".join(f"  {p.name}\n" for p in new)
        + "".join(f"slowest:     {p} (run it with gradecli validate to time it)\n" for p in slow)
        + (f"worker exit: {code} (stopped early: a libFuzzer finding or an error, see above)\n" if code else ""),
        file=sys.stderr,
    )
    if args.corpus is None and args.crashes is not None:
        shutil.rmtree(work / "corpus", ignore_errors=True)
    return 1 if new or code else 0


if __name__ == "__main__":
    sys.exit(main())
