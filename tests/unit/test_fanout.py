"""Routers rendered and diffed in forked workers give what one process gives, and work
that fails in a worker fails with its own error."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from pydriver import fanout
from pydriver.errors import PydriverError
from pydriver.pipeline import Pipeline
from pydriver.plan.make import make_plan, sot_ref
from pydriver.render.render import render
from tests.unit.plan.test_incremental import running_form

ROOT = Path(__file__).resolve().parents[2]


def in_a_process_of_its_own(check: str) -> None:
    """Run ``check`` (a function of this module) where it may fork: a test run may hold
    threads of its own (a lab's emulators), and then nothing forks."""
    done = subprocess.run([sys.executable, "-c", f"from {__name__} import {check}; {check}()"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]


def test_forked_workers_plan_what_one_process_plans() -> None:
    in_a_process_of_its_own("same_plan_forked")


def test_a_diff_that_fails_in_a_worker_fails_with_its_own_error() -> None:
    in_a_process_of_its_own("same_error_forked")


def test_work_a_dead_worker_had_is_done_here() -> None:
    in_a_process_of_its_own("dead_worker")


def dead_worker() -> None:
    here = os.getpid()

    def double_or_die(x: int) -> int:
        if x == 5 and os.getpid() != here:
            os._exit(9)  # a worker killed mid-plan
        return x * 2

    assert fanout.run(double_or_die, list(range(40)), [1] * 40, 1, processes=2) == \
        [x * 2 for x in range(40)]


def test_forked_workers_render_what_one_process_renders() -> None:
    in_a_process_of_its_own("same_render_forked")


def same_render_forked() -> None:
    pipe = Pipeline(ROOT / "inventory")
    alone = render(pipe.intents, pipe.driver, processes=1)
    assert render(pipe.intents, pipe.driver, processes=2) == alone
    assert list(alone) == sorted(pipe.intents)


def test_a_worker_killed_while_it_sends_leaves_its_work_here() -> None:
    in_a_process_of_its_own("dies_while_sending")


def dies_while_sending() -> None:
    """Killed while the parent reads a large result (or just before, or just after): the
    run neither hangs nor loses the work."""
    here = os.getpid()

    def big(x: int) -> str:
        if x != 0:
            return str(x)
        if os.getpid() != here:
            threading.Timer(0.02, os.kill, (os.getpid(), 9)).start()
        return "x" * 300_000_000

    assert fanout.run(big, [0, 1, 2, 3], [10, 1, 1, 1], 1, processes=2) == \
        ["x" * 300_000_000, "1", "2", "3"]


def same_plan_forked() -> None:
    example = ROOT / "inventory"
    assert fanout.can_fork()
    assert set(fanout.run(lambda _: os.getpid(), range(8), [1] * 8, 1, processes=2)) - \
        {os.getpid()}  # the work was done elsewhere
    pipe = Pipeline(example)
    running = {h: running_form(c) for h, c in pipe.rendered.items()}
    running["rtr-bpbd"] = running["rtr-bpbd"].replace("max-limit=100M/100M", "max-limit=1M/1M")
    del running["rtr-dinkes"]
    sot = sot_ref(example)
    alone = make_plan(pipe.intents, pipe.rendered, running, sot, "backups", processes=1)
    forked = make_plan(pipe.intents, pipe.rendered, running, sot, "backups", processes=2)
    assert forked == alone
    assert [r.host for r in alone.changes] == ["rtr-bpbd"]
    assert alone.router("rtr-dinkes").action == "skip"


def same_error_forked() -> None:
    example = ROOT / "inventory"
    pipe = Pipeline(example)
    running = {h: running_form(c) for h, c in pipe.rendered.items()}
    running["hub-drc-01"] = "/ip address\nadd address=10.0.0.1/24 \"unterminated\n"
    errors = []
    for processes in (1, 2):
        try:
            make_plan(pipe.intents, pipe.rendered, running, sot_ref(example), "backups",
                      processes=processes)
        except PydriverError as exc:
            errors.append((type(exc), str(exc)))
    assert len(errors) == 2 and errors[0] == errors[1], errors


def test_no_fork_beside_another_thread() -> None:
    """A lock another thread holds at a fork would stay held in the child for ever: with a
    second thread running the work is done here, in order."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, args=(10,))
    other.start()
    try:
        assert not fanout.can_fork()
        here = fanout.run(lambda _: os.getpid(), [1, 2, 3], [10**9] * 3, 1, processes=2)
        assert here == [os.getpid()] * 3
    finally:
        stop.set()
        other.join()


def test_no_fork_for_little_work() -> None:
    here = fanout.run(lambda _: os.getpid(), list(range(5)), [1] * 5, worth=100)
    assert here == [os.getpid()] * 5


def test_the_processes_are_the_cpus_within_the_quota_and_the_setting(tmp_path: Path
                                                                     ) -> None:
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text("150000 100000\n")
    assert fanout._cgroup_cpus(cpu_max) == 2
    cpu_max.write_text("max 100000\n")
    assert fanout._cgroup_cpus(cpu_max) is None
    assert fanout._cgroup_cpus(tmp_path / "none") is None
    assert fanout.processes_available({fanout.PROCESSES_ENV: "1"}) == 1
    free = fanout.processes_available({})
    assert free >= 1
    assert fanout.processes_available({fanout.PROCESSES_ENV: "many"}) == free
    assert fanout.processes_available({fanout.PROCESSES_ENV: "\u00b2"}) == free  # "²": a digit


def test_workers_die_with_the_process_that_forked_them(tmp_path: Path) -> None:
    """A worker holds its parent's descriptors (an apply lock among them): killed with its
    parent, not left running for ever."""
    pids = tmp_path / "pids"
    script = (f"import os, time\nfrom pydriver import fanout\n"
              f"def note(_):\n"
              f"    with open({str(pids)!r}, 'a') as f: f.write(f'{{os.getpid()}}\\n')\n"
              f"    time.sleep(60)\n"
              f"fanout.run(note, [1, 2], [1, 1], 1, processes=2)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        for _ in range(300):
            if pids.exists() and len(pids.read_text().split()) == 2:
                break
            time.sleep(0.05)
        workers = [int(p) for p in pids.read_text().split()]
        assert len(workers) == 2 and parent.pid not in workers
    finally:
        parent.kill()
        parent.wait(timeout=30)
    for _ in range(200):
        alive = [w for w in workers if _alive(w)]
        if not alive:
            break
        time.sleep(0.05)
    assert alive == []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has died; only its parent's exit status is left


def test_forked_workers_load_what_one_process_loads() -> None:
    in_a_process_of_its_own("same_load_forked")


def same_load_forked() -> None:
    """Files parsed in workers give the documents, marks and problems of a parse here,
    with and without a cache; only the files with a problem or an alias are parsed again
    here (for their marks and problems)."""
    import shutil
    import tempfile

    from pydriver.sot import loader
    from pydriver.sot import parse as parser

    with tempfile.TemporaryDirectory() as tmp:
        inv = Path(tmp) / "inventory"
        shutil.copytree(ROOT / "inventory", inv)
        (inv / "sites" / "zz-dup.yml").write_text("id: 1\ncode: a\nid: 2\n")
        (inv / "sites" / "zz-alias.yml").write_text("a: &x [1, 2]\nb: *x\n")
        (inv / "sites" / "zz-broken.yml").write_text("a: [1, 2\n")
        os.environ[fanout.PROCESSES_ENV] = "1"
        alone = loader.load(inv)
        os.environ[fanout.PROCESSES_ENV] = "2"
        setattr(loader, "WORTH_FORKING", 0)  # noqa: B010
        parsed_here: list[str] = []
        real = parser.parse

        def spy(text: str, file: str, limits: loader.Limits) -> parser.Parsed:
            if os.getpid() == here:
                parsed_here.append(file)
            return real(text, file, limits)

        here = os.getpid()
        setattr(loader, "parse", spy)  # noqa: B010 - a spy, in a process of its own
        for cache in (None, Path(tmp) / "cache" / "documents.jsonl"):
            parsed_here.clear()
            forked = loader.load(inv, cache=cache)
            assert sorted(Path(f).name for f in parsed_here) == \
                ["zz-alias.yml", "zz-broken.yml", "zz-dup.yml"], parsed_here
            assert [str(p) for p in forked.problems] == [str(p) for p in alone.problems]
            assert any("duplicate key" in p.message for p in forked.problems)
            pairs = list(zip(
                [alone.region, alone.servers, alone.waivers, alone.registry, *alone.sites],
                [forked.region, forked.servers, forked.waivers, forked.registry,
                 *forked.sites], strict=True))
            assert len(pairs) > 10
            for a, b in pairs:
                assert (a is None) == (b is None)
                if a is not None and b is not None:
                    assert (a.file, a.data, a.nodes, a.digest) == \
                        (b.file, b.data, b.nodes, b.digest)
                    assert dict(a.marks) == dict(b.marks)
        assert cache is not None and cache.is_file()
