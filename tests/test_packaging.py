"""The wheel carries every sub-package and the rule sets (users install with `pip install .`)."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from conftest import ROOT


def test_every_subpackage_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "gradecli").rglob("__init__.py")
    }
    assert found | {"gradecli.rules_data"} == listed


def test_rule_sets_ship_as_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["setuptools"]["package-dir"]["gradecli.rules_data"] == "rules"
    assert config["tool"]["setuptools"]["package-data"]["gradecli.rules_data"] == ["*.yaml"]
    assert {p.name for p in (ROOT / "rules").glob("*.yaml")} >= {"default.yaml", "pollock-2016.yaml", "strict.yaml"}
