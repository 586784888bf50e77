"""The security guarantees of SECURITY.md, one test (or one parametrised family) each:

1. evidence, rule and config files are data only: no YAML tag builds an object;
2. nothing in gradecli evaluates an expression or unpickles (checked in the source);
3. no network access: no networking module is imported, and a run with sockets disabled works;
4. a path written in a file cannot make gradecli read elsewhere (``defaults.rules``, ``extends:``,
   ``.gradecli.yaml``'s ``rules:``, symbolic links met by ``check`` in a folder);
5. no command writes over its input file, whatever the path looks like;
6. RevMan XML cannot pull in external entities or files.
"""

from __future__ import annotations

import ast
import os
import shutil
import socket
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gradecli"
EXAMPLE = ROOT / "examples" / "stroke-units-length-of-stay.yaml"
BCG = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"


def sources() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(PACKAGE.rglob("*.py"))]


def imported_modules(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def with_evidence_head(extra: str, source: Path = EXAMPLE) -> str:
    return source.read_text().replace("gradecli: 1\n", "gradecli: 1\n" + extra, 1)


def assert_refused(p, *texts: str) -> None:  # type: ignore[no-untyped-def]
    assert p.returncode == 2, p.stdout + p.stderr
    assert "Traceback" not in p.stderr and "internal error" not in p.stderr, p.stderr
    for t in texts:
        assert t in p.stderr, p.stderr


# --- 1. data only ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
        "!!python/module:os",
        "!custom",
        "!<tag:yaml.org,2002:python/object/apply:os.system>",
    ],
)
@pytest.mark.parametrize("kind", ["evidence", "rules", "config"])
def test_no_yaml_tag_builds_an_object(tmp_path: Path, tag: str, kind: str) -> None:
    marker = tmp_path / "pwned"
    payload = f'{tag} ["touch {marker}"]'
    if kind == "evidence":
        f = tmp_path / "ev.yaml"
        f.write_text(with_evidence_head(f"x: {payload}\n"))
        p = run_cli("validate", str(f))
    elif kind == "rules":
        f = tmp_path / "r.yaml"
        f.write_text(f"name: r\ndescription: {payload}\n")
        p = run_cli("rules", "show", str(f))
    else:
        (tmp_path / ".git").mkdir()  # the config is looked up to the repository root
        (tmp_path / ".gradecli.yaml").write_text(f"exclude: {payload}\n")
        shutil.copy(EXAMPLE, tmp_path / "ev.yaml")
        p = run_cli("check", "ev.yaml", cwd=tmp_path)
    assert_refused(p, "is not allowed")
    assert not marker.exists()


# --- 2. no evaluation -----------------------------------------------------------------------------

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint"}
FORBIDDEN_MODULES = {"pickle", "marshal", "shelve", "dill", "cloudpickle", "code", "codeop"}
UNSAFE_YAML = {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all"}


def test_nothing_evaluates_code_or_unpickles() -> None:
    found: list[str] = []
    for path, tree in sources():
        rel = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                if isinstance(f, ast.Name) and f.id in FORBIDDEN_CALLS:
                    found.append(f"{rel}:{node.lineno}: {f.id}()")
                if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
                    if f.value.id == "yaml" and f.attr in UNSAFE_YAML:
                        found.append(f"{rel}:{node.lineno}: yaml.{f.attr}()")
                    if (f.value.id == "os" and f.attr in {"system", "popen"}) or f.attr.startswith("exec"):
                        found.append(f"{rel}:{node.lineno}: {f.value.id}.{f.attr}()")
                for kw in node.keywords:
                    if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                        found.append(f"{rel}:{node.lineno}: shell=")
        bad = {m for m in imported_modules(tree) if m.split(".")[0] in FORBIDDEN_MODULES}
        found += [f"{rel}: imports {m}" for m in sorted(bad)]
    assert not found, "\n".join(found)


def test_only_diff_runs_a_program_and_only_git() -> None:
    users = sorted(str(p.relative_to(ROOT)) for p, t in sources() if "subprocess" in imported_modules(t))
    assert users == ["gradecli/commands/diff.py"]
    text = (PACKAGE / "commands" / "diff.py").read_text()
    assert '["git", "show",' in text


def test_a_revision_cannot_smuggle_an_option_into_git(tmp_path: Path) -> None:
    f = tmp_path / "ev.yaml"
    shutil.copy(EXAMPLE, f)
    p = run_cli("diff", "--git", f"--output={tmp_path / 'written'}", str(f))
    assert_refused(p, "--git")
    assert not list(tmp_path.glob("written*"))


# --- 3. no network --------------------------------------------------------------------------------

NETWORK_MODULES = {"socket", "ssl", "http", "urllib", "ftplib", "smtplib", "requests", "httpx", "aiohttp", "xmlrpc"}


def test_no_networking_module_is_imported() -> None:
    found = [
        f"{p.relative_to(ROOT)}: {m}"
        for p, t in sources()
        for m in sorted(imported_modules(t))
        if m.split(".")[0] in NETWORK_MODULES
    ]
    assert not found, found


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args))
        raise OSError("network access attempted")

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


@pytest.mark.parametrize(
    "args",
    [
        ["validate", str(BCG)],
        ["assess", str(BCG), "--format", "html"],
        ["assess", str(BCG), "--format", "json"],
        ["assess", str(BCG), "--detail"],
        ["check", str(ROOT / "examples")],
        ["report", str(BCG), "-o", "{tmp}/r.html"],
        ["rules", "show", "default"],
        ["schema"],
    ],
    ids=lambda a: a[0] + ("-" + a[2].lstrip("-") if len(a) > 2 and a[2].startswith("--") else ""),
)
def test_commands_run_with_the_network_cut_off(
    tmp_path: Path, no_network: list[str], args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from gradecli.cli import main

    if args[0] == "report":
        pytest.importorskip("matplotlib")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0, capsys.readouterr().err
    assert no_network == []


def test_the_html_page_fetches_nothing() -> None:
    p = run_cli("assess", str(BCG), "--format", "html")
    assert p.returncode == 0
    assert "default-src 'none'" in p.stdout
    for needle in ("http://", "https://", "//cdn", "<script src", "<link "):
        assert needle not in p.stdout.replace("https://www.w3.org/2000/svg", ""), needle


# --- 4. paths written in files ----------------------------------------------------------------------


@pytest.fixture
def tree_with_outside(tmp_path: Path) -> Path:
    """tmp/outside.yaml (a valid rule set outside) and tmp/repo/ (the folder the user points at)."""
    (tmp_path / "outside.yaml").write_text("name: outside\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "mine.yaml").write_text("name: mine\nextends: default\n")
    os.symlink(tmp_path / "outside.yaml", repo / "link.yaml")
    return repo


@pytest.mark.parametrize(
    "ref, message",
    [
        ("{outside}", "is an absolute path"),
        ("../outside.yaml", "leads out of the file's folder (`..`)"),
        ("sub/../../outside.yaml", "leads out of the file's folder (`..`)"),
        ("link.yaml", "through a symbolic link"),
        ("missing.yaml", "no such rule set file"),
    ],
)
def test_defaults_rules_cannot_name_a_file_elsewhere(tree_with_outside: Path, ref: str, message: str) -> None:
    ref = ref.replace("{outside}", str(tree_with_outside.parent / "outside.yaml"))
    f = tree_with_outside / "ev.yaml"
    f.write_text(with_evidence_head(f"defaults:\n  rules: {ref}\n"))
    for command in (["validate"], ["assess"], ["check"]):
        p = run_cli(*command, str(f))
        if command == ["check"]:
            assert p.returncode == 1 and message in p.stdout and f"{f}:13:" in p.stdout, p.stdout
        else:
            assert_refused(p, f"{f}:13:10: defaults.rules:", message)


def test_defaults_rules_inside_the_folder_is_used_from_any_working_folder(tree_with_outside: Path) -> None:
    f = tree_with_outside / "ev.yaml"
    f.write_text(with_evidence_head("defaults:\n  rules: mine.yaml\n"))
    p = run_cli("assess", str(f), "--format", "json", cwd=tree_with_outside.parent)
    assert p.returncode == 0, p.stderr
    assert '"rules": "mine"' in p.stdout


@pytest.mark.parametrize(
    "ref, message",
    [("../outside.yaml", "(`..`)"), ("link.yaml", "symbolic link"), ("{outside}", "absolute path")],
)
def test_extends_cannot_name_a_file_elsewhere(tree_with_outside: Path, ref: str, message: str) -> None:
    ref = ref.replace("{outside}", str(tree_with_outside.parent / "outside.yaml"))
    rules = tree_with_outside / "child.yaml"
    rules.write_text(f"name: child\nextends: {ref}\n")
    p = run_cli("rules", "show", str(rules))
    assert_refused(p, f"{rules}:2:10: extends:", message)


@pytest.mark.parametrize("ref, message", [("../outside.yaml", "(`..`)"), ("link.yaml", "symbolic link")])
def test_config_rules_cannot_name_a_file_elsewhere(tree_with_outside: Path, ref: str, message: str) -> None:
    (tree_with_outside / ".git").mkdir()
    (tree_with_outside / ".gradecli.yaml").write_text(f"rules: {ref}\n")
    shutil.copy(EXAMPLE, tree_with_outside / "ev.yaml")
    p = run_cli("check", "ev.yaml", cwd=tree_with_outside)
    assert_refused(p, ".gradecli.yaml:1:8: rules:", message)


def test_check_does_not_follow_a_link_out_of_the_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("gradecli: 1\nreview: {title: TOP-SECRET-VALUE}\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(EXAMPLE, repo / "ev.yaml")
    os.symlink(secret, repo / "leak.yaml")
    os.symlink(tmp_path, repo / "up")  # a linked folder is not entered either
    p = run_cli("check", str(repo))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "TOP-SECRET" not in p.stdout + p.stderr
    assert "leak.yaml: skipped: a symbolic link that leads out of the folder" in p.stderr
    assert "1 file" in p.stderr


# --- 5. never over an input --------------------------------------------------------------------------


def _writers(src: Path) -> list[list[str]]:
    return [
        ["assess", str(src), "--output", "{out}"],
        ["assess", str(src), "--format", "json", "-o", "{out}"],
        ["check", str(src), "--output", "{out}"],
        ["report", str(src), "-o", "{out}"],
        ["plot", "rob", str(src), "-o", "{out}"],
        ["export", "robvis", str(src), "--tool", "rob1", "-o", "{out}", "--force"],
        ["import", "csv", "{csv}", "-o", "{csv_out}", "--force"],
    ]


@pytest.mark.parametrize("spelling", ["same", "dot-slash", "symlink", "hardlink"])
@pytest.mark.parametrize(
    "index", range(7), ids=lambda i: ["assess", "assess-json", "check", "report", "plot", "export", "import"][i]
)
def test_no_command_writes_over_its_input(tmp_path: Path, spelling: str, index: int) -> None:
    # plot takes its format from the suffix: its input is named so that the output name could be it
    suffix = ".svg" if index == 4 else ".yaml"
    src = tmp_path / f"ev{suffix}"
    shutil.copy(BCG, src)
    csv = tmp_path / "studies.csv"
    csv.write_text("study,events_t,n_t,events_c,n_c\nA,4,123,11,139\nB,6,306,29,303\n")
    args = _writers(src)[index]
    if args[0] in ("report", "plot"):
        pytest.importorskip("matplotlib")
    target = csv if args[0] == "import" else src
    if spelling == "same":
        out = str(target)
    elif spelling == "dot-slash":
        out = str(target.parent / "." / target.name)
    elif spelling == "symlink":
        out = str(tmp_path / f"alias{target.suffix}")
        os.symlink(target, out)
    else:
        out = str(tmp_path / f"hard{target.suffix}")
        os.link(target, out)
    before = target.read_bytes()
    argv = [a.replace("{out}", out).replace("{csv_out}", out).replace("{csv}", str(csv)) for a in args]
    p = run_cli(*argv, cwd=tmp_path)
    assert p.returncode == 2, p.stdout + p.stderr
    assert "input" in p.stderr and "Traceback" not in p.stderr, p.stderr
    assert target.read_bytes() == before
    assert sorted(x.name for x in tmp_path.iterdir() if x.name.endswith(".tmp")) == []


# --- 6. XML ----------------------------------------------------------------------------------------------


def test_revman_xml_cannot_read_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    rm5 = tmp_path / "x.rm5"
    rm5.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE r [<!ENTITY s SYSTEM "file://{secret}">]>\n'
        "<COCHRANE_REVIEW><COVER_SHEET><TITLE>&s;</TITLE></COVER_SHEET></COCHRANE_REVIEW>\n"
    )
    p = run_cli("import", "revman", str(rm5))
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
    assert "TOP-SECRET" not in p.stdout + p.stderr
