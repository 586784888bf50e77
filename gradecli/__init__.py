"""gradecli: assess the certainty of evidence with GRADE.

The command line is a thin layer over this package: ``gradecli.load(path)`` reads an evidence
file into validated models (see :mod:`gradecli.model`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gradecli._version import __version__

if TYPE_CHECKING:
    from gradecli.model.evidence import Evidence

__all__ = ["__version__", "load"]


def load(path: str, **kwargs: Any) -> Evidence:
    """Load and validate an evidence file (YAML or JSON). Raises :class:`gradecli.problems.InputError`."""
    from gradecli.io.evidence import load_evidence

    return load_evidence(path, **kwargs)
