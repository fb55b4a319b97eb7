"""Per-router work done side by side, in worker processes forked from the one running.

Why processes: rendering and diffing routers is pure Python that one interpreter runs on
one core whatever threads it has, while the host has several. Why fork: the workers need
the whole network (the intents, the templates, the running configs), and a forked worker
has it already, shared with the parent page by page, where a spawned one would have to
load and build it again. The stages that fan out run with the parent's heap out of the
collector's reach (:mod:`pydriver.bulk`), so the workers' collectors do not walk, and
copy, its pages.

A fork is only safe in a process with one thread (a lock held by another thread at the
fork would stay held in the child for ever), and only worth it when there is enough work:
otherwise the routers are done here, one after the other. A worker returns each router's
result or, when its work raised, nothing: that router is then done again here, so the
error raised is the real one, with its type and its message, and the result is the same
whichever way the routers were done. A worker that dies (killed, out of memory) leaves
the routers it had not returned to be done here too.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")



class _Work(Generic[T, R]):
    """What the forked workers run: set before the fork, read by the workers only."""

    func: Callable[[T], R] | None = None
    items: Sequence[T] = ()


_work: _Work[object, object] = _Work()


def _one(index: int) -> tuple[int, object, bool]:
    assert _work.func is not None
    try:
        return index, _work.func(_work.items[index]), True
    except Exception:  # done again in the parent, which raises it
        return index, None, False


def processes_available() -> int:
    """How many processes can run side by side here (the CPUs this process may use)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1 and \
        not multiprocessing.current_process().daemon


def run(func: Callable[[T], R], items: Sequence[T], weights: Sequence[int], worth: int,
        processes: int | None = None) -> list[R]:
    """``[func(i) for i in items]``, in that order, done in forked workers when that is
    safe and worth it.

    ``weights``: how much work each item is, in any unit; ``worth``: how much work, in
    that unit, pays for the fork. ``processes``: None chooses (one per CPU when the weights
    add up to ``worth``); 1 never forks; more forks that many whatever the work, when a
    fork is safe."""
    wanted = processes if processes is not None else \
        processes_available() if sum(weights) >= worth else 1
    wanted = min(wanted, len(items))
    if wanted < 2 or not can_fork():
        return [func(i) for i in items]
    # the heaviest first, so that no worker is left with a hub at the end
    order = sorted(range(len(items)), key=lambda i: -weights[i])
    chunk = max(1, len(items) // (wanted * 16))
    results: list[object] = [None] * len(items)
    returned: set[int] = set()
    failed: list[int] = []
    _work.func, _work.items = func, items  # type: ignore[assignment]
    # an executor, not a Pool: a worker that dies (killed, out of memory) breaks it with
    # an error, where a Pool would wait for the lost work for ever
    pool = ProcessPoolExecutor(wanted, mp_context=multiprocessing.get_context("fork"))
    try:
        for index, result, ok in pool.map(_one, order, chunksize=chunk):
            results[index] = result
            returned.add(index)
            if not ok:
                failed.append(index)
    except BrokenProcessPool:
        failed += [i for i in range(len(items)) if i not in returned]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _work.func, _work.items = None, ()
    for index in sorted(failed):
        results[index] = func(items[index])  # raises the real error, or does it here
    return results  # type: ignore[return-value]
