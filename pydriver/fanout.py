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

Each worker gets its share of the routers up front (the heaviest dealt round first, like
cards) and a pipe of its own to send results back, of which the parent keeps no writing
end: a worker's death, even halfway through a result, is the end of its pipe, never a wait
for ever. An executor's shared result queue can hang on exactly that.
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
from multiprocessing import connection
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: How many worker processes at most (``1``: never fork); unset, one per CPU this process
#: may use.
PROCESSES_ENV = "PYDRIVER_PROCESSES"
#: Results a worker sends at once: few round trips, and little held before it sends.
BATCH = 32
_PR_SET_PDEATHSIG = 1


class _Work(Generic[T, R]):
    """What the forked workers run: set before the fork, read by the workers only."""

    func: Callable[[T], R] | None = None
    items: Sequence[T] = ()
    in_worker = False  # set in a worker: a worker does not fork workers of its own


_work: _Work[object, object] = _Work()
_Result = tuple[int, object, bool]


def _serve(share: Sequence[int], out: Connection, parent: int) -> None:
    """A worker: dies with the process that forked it (it holds that process's
    descriptors, an apply lock among them, and must not outlive it), leaves Ctrl-C to it,
    never forks workers of its own, and sends back (index, result, done) for its share."""
    _work.in_worker = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):  # not Linux: no such request
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took hold
        os._exit(1)
    assert _work.func is not None
    batch: list[_Result] = []
    for index in share:
        try:
            batch.append((index, _work.func(_work.items[index]), True))
        except Exception:  # done again in the parent, which raises it
            batch.append((index, None, False))
        if len(batch) == BATCH:
            _send(out, batch)
            batch = []
    if batch:
        _send(out, batch)
    out.close()


def _send(out: Connection, batch: list[_Result]) -> None:
    try:
        out.send(batch)
    except Exception:  # a result that cannot be sent: the parent does it again
        out.send([(index, None, False) for index, _, _ in batch])


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
    if limit.isdecimal() and limit.isascii() and int(limit) >= 1:  # not "²", which is a digit
        cpus = min(cpus, int(limit))
    return cpus


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1 and \
        not _work.in_worker and not multiprocessing.current_process().daemon


def worker_count(weights: Sequence[int], worth: int, processes: int | None = None) -> int:
    """How many workers :func:`run` forks for items of ``weights`` (below 2: none, the
    items are done here): a caller that would prepare the items differently for workers
    asks first."""
    wanted = processes if processes is not None else \
        processes_available() if sum(weights) >= worth else 1
    wanted = min(wanted, len(weights))
    return wanted if wanted >= 2 and can_fork() else 1


def run(func: Callable[[T], R], items: Sequence[T], weights: Sequence[int], worth: int,
        processes: int | None = None) -> list[R]:
    """``[func(i) for i in items]``, in that order, done in forked workers when that is
    safe and worth it.

    ``weights``: how much work each item is, in any unit; ``worth``: how much work, in
    that unit, pays for the fork. ``processes``: None chooses (:func:`processes_available`
    when the weights add up to ``worth``); 1 never forks; more forks that many whatever the
    work, when a fork is safe."""
    wanted = worker_count(weights, worth, processes)
    if wanted < 2:
        return [func(i) for i in items]
    order = sorted(range(len(items)), key=lambda i: -weights[i])
    results: list[Any] = [None] * len(items)
    returned: set[int] = set()
    failed: list[int] = []
    workers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    context = multiprocessing.get_context("fork")
    _work.func, _work.items = func, items  # type: ignore[assignment]
    try:
        for share in (order[k::wanted] for k in range(wanted)):
            reader, writer = context.Pipe(duplex=False)
            worker = context.Process(target=_serve, args=(share, writer, os.getpid()),
                                     daemon=True)
            worker.start()
            writer.close()  # the worker's alone: its end is the end of the pipe
            workers.append((worker, reader))
        waiting = [reader for _, reader in workers]
        while waiting:
            for ready in connection.wait(waiting):
                assert isinstance(ready, Connection)
                try:
                    batch: list[_Result] = ready.recv()
                except (EOFError, OSError):  # done, or died (even halfway through)
                    waiting.remove(ready)
                    continue
                for index, result, ok in batch:
                    results[index] = result
                    returned.add(index)
                    if not ok:
                        failed.append(index)
    except BaseException:  # Ctrl-C: the workers stop now, not after their share
        for process, _ in workers:
            process.kill()
        raise
    finally:
        for process, reader in workers:
            process.join()
            reader.close()
        _work.func, _work.items = None, ()
    failed += [i for i in range(len(items)) if i not in returned]
    for index in sorted(set(failed)):
        results[index] = func(items[index])  # raises the real error, or does it here
    return results
