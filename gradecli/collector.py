"""When gradecli lets Python's cyclic garbage collector run.

Reading, validating, pooling and assessing build many objects and almost no reference cycles
(what they free, reference counting frees at once), yet every so many new objects the collector
walks all the objects that are still alive: the imported modules, the models' validators, the
parsed file. Paused, the same work runs without those walks:

* a 100,000-study file took 9 s to parse and its models spent 2.5 s more in 1,600 collections
  (paused: one collection afterwards);
* ``gradecli meta`` on a 100,000-study CSV spends about a fifth of its time in three full
  collections; ``gradecli assess`` on the ketamine example about 3% of its instructions.

So a command that reads one input runs with the collector paused (:func:`gradecli.cli.main`), and
one that goes through many files or draws many figures (``check``, ``validate``, ``plot``) pauses
it for each file and lets it run in between, so that the garbage of one file never outlives it.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc"]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (when it runs) for the block, and restart it after.
    Nested blocks leave it to the outermost one."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
