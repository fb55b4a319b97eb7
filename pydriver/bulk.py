"""Fewer cyclic garbage collections while a stage builds a network's worth of objects.

Why: CPython's collector walks every tracked object of the generations it collects, and
the older generations are collected after a fixed number of allocations. A stage that
allocates per site on top of a heap that grows with the network (the loaded documents,
the validated models, the intents) therefore pays per site for the whole heap: without
this, building intents costs twice as much per site at 10,000 sites as at 1,000. The
stages build trees of frozen values with no reference cycles to find, so collecting less
often loses nothing; the collector is back on when the outermost stage ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

# a young generation of 50,000 objects, and full passes ten times rarer than by default
THRESHOLDS = (50_000, 20, 20)


class _Held:
    """How many stages run now, and the thresholds to give back when none does."""

    lock = threading.Lock()
    depth = 0
    was_enabled = True


P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def few_collections() -> Iterator[None]:
    """Raise the collector's thresholds for the duration (nested and threaded use nest)."""
    with _Held.lock:
        if _Held.depth == 0:
            _Held.was_enabled = gc.isenabled()
            gc.disable()
        _Held.depth += 1
    try:
        yield
    finally:
        with _Held.lock:
            _Held.depth -= 1
            if _Held.depth == 0 and _Held.was_enabled:
                gc.enable()


def stage(func: Callable[P, R]) -> Callable[P, R]:
    """A pure stage run under :func:`few_collections`."""
    @wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with few_collections():
            return func(*args, **kwargs)
    return run
