"""The command line as a user meets it: version, help, stdin, exit codes, no tracebacks."""

from __future__ import annotations

from conftest import EXAMPLES, ROOT, run_cli
from gradecli import __version__


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"gradecli {__version__}"


def test_help_lists_commands_with_an_example() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("validate", "schema", "meta"):
        assert command in result.stdout
    assert "gradecli validate examples/" in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "No such command" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_reads_stdin() -> None:
    text = EXAMPLES[0].read_text(encoding="utf-8")
    result = run_cli("validate", "-", stdin=text)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<stdin>: valid")
    bad = run_cli("validate", "-", stdin=text.replace("gradecli: 1", "gradecli: 1\nbogus: 1", 1))
    assert bad.returncode == 2
    assert bad.stderr.startswith("<stdin>:")


def test_validate_mixed_files_exit_2_and_reports_each() -> None:
    good = str(EXAMPLES[0].relative_to(ROOT))
    result = run_cli("validate", good, "tests/bad_inputs/sd-zero.yaml", "no/such/file.yaml")
    assert result.returncode == 2
    assert f"{good}: valid" in result.stdout
    assert "tests/bad_inputs/sd-zero.yaml:12:" in result.stderr
    assert "no/such/file.yaml: no such file" in result.stderr
    assert "2 of 3 files invalid" in result.stderr


def test_validate_quiet_prints_nothing_when_valid() -> None:
    result = run_cli("validate", "-q", *[str(p) for p in EXAMPLES])
    assert result.returncode == 0
    assert result.stdout == result.stderr == ""


def test_validate_requires_a_file() -> None:
    result = run_cli("validate")
    assert result.returncode == 2
    assert "Missing argument" in result.stderr


def test_version_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from gradecli.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pydantic', 'rich', 'yaml', 'numpy', 'scipy') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))"
    )
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY=", out.stdout
