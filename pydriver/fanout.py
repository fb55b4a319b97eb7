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

import contextlib
import ctypes
import math
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: How many worker processes at most (``1``: never fork); unset, one per CPU this process
#: may use.
PROCESSES_ENV = "PYDRIVER_PROCESSES"
#: Chunks of work per worker: enough that the workers finish together, few enough that a
#: chunk's round trip costs nothing beside its work.
CHUNKS_PER_WORKER = 16
_PR_SET_PDEATHSIG = 1


class _Work(Generic[T, R]):
    """What the forked workers run: set before the fork, read by the workers only."""

    func: Callable[[T], R] | None = None
    items: Sequence[T] = ()
    in_worker = False  # set in a worker: a worker does not fork workers of its own


_work: _Work[object, object] = _Work()


def _worker_started(parent: int) -> None:
    """A worker dies with the process that forked it (it holds that process's descriptors,
    an apply lock among them, and must not outlive it), leaves Ctrl-C to it, and never
    forks workers of its own."""
    _work.in_worker = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):  # not Linux: no such request
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took hold
        os._exit(1)


def _chunk(indices: Sequence[int]) -> list[tuple[int, object, bool]]:
    assert _work.func is not None
    out: list[tuple[int, object, bool]] = []
    for index in indices:
        try:
            out.append((index, _work.func(_work.items[index]), True))
        except Exception:  # done again in the parent, which raises it
            out.append((index, None, False))
    return out


def _cgroup_cpus(cpu_max: Path = Path("/sys/fs/cgroup/cpu.max")) -> int | None:
    """The CPUs a container's quota allows (cgroup v2 ``cpu.max``: quota and period)."""
    try:
        quota, period = cpu_max.read_text().split()[:2]
        return None if quota == "max" else max(1, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        return None


def processes_available(environ: Mapping[str, str] | None = None) -> int:
    """How many processes can run side by side here: the CPUs this process may use, within
    its container's quota, at most ``PYDRIVER_PROCESSES``."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    cpus = min(cpus, _cgroup_cpus() or cpus)
    limit = (os.environ if environ is None else environ).get(PROCESSES_ENV, "").strip()
    if limit.isdigit() and int(limit) >= 1:
        cpus = min(cpus, int(limit))
    return cpus


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1 and \
        not _work.in_worker and not multiprocessing.current_process().daemon


def run(func: Callable[[T], R], items: Sequence[T], weights: Sequence[int], worth: int,
        processes: int | None = None) -> list[R]:
    """``[func(i) for i in items]``, in that order, done in forked workers when that is
    safe and worth it.

    ``weights``: how much work each item is, in any unit; ``worth``: how much work, in
    that unit, pays for the fork. ``processes``: None chooses (:func:`processes_available`
    when the weights add up to ``worth``); 1 never forks; more forks that many whatever the
    work, when a fork is safe."""
    wanted = processes if processes is not None else \
        processes_available() if sum(weights) >= worth else 1
    wanted = min(wanted, len(items))
    if wanted < 2 or not can_fork():
        return [func(i) for i in items]
    # the heaviest first, dealt round the chunks like cards: each chunk gets its share of
    # the hubs, and the chunk with the heaviest goes first
    order = sorted(range(len(items)), key=lambda i: -weights[i])
    count = min(len(items), wanted * CHUNKS_PER_WORKER)
    chunks = [order[k::count] for k in range(count)]
    results: list[object] = [None] * len(items)
    returned: set[int] = set()
    failed: list[int] = []
    _work.func, _work.items = func, items  # type: ignore[assignment]
    # an executor, not a Pool: a worker that dies (killed, out of memory) breaks it with
    # an error, where a Pool would wait for the lost work for ever
    pool = ProcessPoolExecutor(wanted, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_started, initargs=(os.getpid(),))
    try:
        futures: list[Future[list[tuple[int, object, bool]]]] = \
            [pool.submit(_chunk, c) for c in chunks]
        wait(futures)  # a dead worker ends every future of the broken pool with an error
        for future in futures:
            if future.exception() is None:
                for index, result, ok in future.result():
                    results[index] = result
                    returned.add(index)
                    if not ok:
                        failed.append(index)
        failed += [i for i in range(len(items)) if i not in returned]
    except BaseException:  # Ctrl-C: the workers stop now, not after their queue
        _stop(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _work.func, _work.items = None, ()
    for index in sorted(set(failed)):
        results[index] = func(items[index])  # raises the real error, or does it here
    return results  # type: ignore[return-value]


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill the workers (the executor has no public way to before Python 3.14)."""
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()
