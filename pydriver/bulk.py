"""No cyclic garbage collection while a pure stage builds a network's worth of objects.

Why: CPython's collector walks every tracked object of the generations it collects, and
it collects after a fixed number of allocations. A stage that allocates per site on top
of a heap that grows with the network (the loaded documents, the validated models, the
intents) therefore pays per site for the whole heap: with the collector on, building
intents costs twice as much per site at 10,000 sites as at 1,000. The stages paused
(load, validate, intent, render) build trees of frozen values with next to no reference
cycles, so nothing piles up (the peak memory of the scale benchmark is unchanged). The
plan is not one of them: hier_config's trees are cyclic, and a full plan of thousands of
routers would hold them all. The collector is back on when the outermost stage ends,
whatever thread or exception ends it.

What a stage built is handed back to the collector as old, not young. Every object made
while it was paused is still in the youngest generation, and the first collection after
walked all of them: at 3,000 sites 0.08 s after validation and 0.12 s after the intents,
on every command. They are the command's long-lived state, so the stage's end moves them
to the oldest generation in one step (``gc.freeze`` then ``gc.unfreeze``, which splice
lists and walk nothing), where only a full collection looks at them, as it would have
once they had been walked up through the younger two. Inside a settled heap (below) they
are set aside with it instead; a heap the program froze itself is left as it is.

The plan runs with the heap it starts from *settled* instead (:func:`heap_settled`): the
objects alive then (the network, its intents, the backups, the last plan) are set aside from the
collector's walks, which see only what the plan itself allocates, and its cycles are
collected as usual. At 3,000 sites that took the collector's share of a one-site plan from
0.7 s to almost nothing. When the plan ends the set-aside objects go back to the collector,
so nothing that dies later is kept.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class _Nest:
    """A switch that nested and threaded uses share: the outermost turns it, and turns it
    back when it ends, whatever thread or exception ends it."""

    def __init__(self, turn: Callable[[], bool], back: Callable[[], None]) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.turned = False  # the outermost turned it (``turn`` said so): it turns back
        self.turn, self.back = turn, back

    @contextmanager
    def held(self) -> Iterator[None]:
        with self.lock:
            self.depth += 1
            if self.depth == 1:
                self.turned = self.turn()
        try:
            yield
        finally:
            with self.lock:
                self.depth -= 1
                if self.depth == 0 and self.turned:
                    self.back()


def _pause() -> bool:
    """The collector off; whether it was on (one switched off by the program stays off)."""
    was = gc.isenabled()
    gc.disable()
    return was


def _resume() -> None:
    """The collector back on, with what the stage built counted as old (module docstring)."""
    with _settled.lock:  # a settled heap given back meanwhile would leave these frozen
        if _settled.depth and _settled.turned:
            gc.freeze()  # set aside with the settled heap; it gives all of it back
        elif not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()  # everything alive, the stage's too, into the oldest generation
    gc.enable()


_paused = _Nest(_pause, _resume)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector paused for the duration (nested and threaded use nest)."""
    with _paused.held():
        yield


def stage(func: Callable[P, R]) -> Callable[P, R]:
    """A pure stage run under :func:`collector_paused`."""
    @wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return func(*args, **kwargs)
    return run


def _freeze() -> bool:
    """The heap frozen, unless the program froze it itself (it then decides when not)."""
    if gc.get_freeze_count():
        return False
    gc.freeze()
    return True


_settled = _Nest(_freeze, gc.unfreeze)


@contextmanager
def heap_settled() -> Iterator[None]:
    """What is alive now left out of the collector's walks for the duration
    (``gc.freeze``), and given back to it afterwards (``gc.unfreeze``). Nested and threaded
    use nest: the outermost one gives back; a nested one sets aside what has been allocated
    since (the command freezes once the intents are built, the plan again once the backups
    and the last plan are read)."""
    with _settled.held():
        if _settled.turned and _settled.depth > 1:
            gc.freeze()  # ours to freeze: the outermost gives all of it back
        yield
