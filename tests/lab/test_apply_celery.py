"""``apply --runner celery`` against the emulated lab: a real redis-server on a free port, two
real Celery worker processes. The same waves give the same results and the same audit as
the threaded runner; a worker killed while it holds a router leaves that router to its own
revert timer, and the run says so; with no broker nothing is touched."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pydriver.deploy import audit
from pydriver.deploy import run as apply_run
from pydriver.deploy.apply import Event, Settings
from pydriver.deploy.celery_app import BROKER_ENV, make_app
from pydriver.lab import manage
from pydriver.lab.model import LAB_SECRET
from pydriver.pipeline import Pipeline
from pydriver.platforms.cisco_ios.push import CHANGE_FILE
from tests.lab.conftest import Lab, lab_env, make_inventory

pytestmark = [pytest.mark.lab, pytest.mark.slow]
HUB = "hub-pusdatin-01"
SITES = ("rtr-dinkes", "rtr-dishub")
ROUTERS = (HUB, *SITES)
PASSWORD = "celery-lab-pw"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Workers:
    """Two Celery worker processes on the test's broker (restarted when a test kills one)."""

    broker: str
    env: dict[str, str]
    cwd: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str) -> None:
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "pydriver.deploy.celery_worker", "worker",
             "--pool", "threads", "--concurrency", "4", "-n", f"{name}@%h",
             "--without-heartbeat", "--without-mingle", "--without-gossip",
             "--loglevel", "WARNING"],
            cwd=self.cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def ensure(self) -> None:
        """Both workers alive and answering."""
        for name in ("w1", "w2"):
            proc = self.procs.get(name)
            if proc is None or proc.poll() is not None:
                self.start(name)
        app = make_app(self.broker)
        deadline = time.monotonic() + 60
        while len(app.control.ping(timeout=1.0)) < 2:
            assert time.monotonic() < deadline, "the Celery workers did not come up"

    def pids(self) -> set[int]:
        return {p.pid for p in self.procs.values() if p.poll() is None}

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@dataclass
class CeleryLab:
    lab: Lab
    broker: str
    workers: Workers

    def factory(self, host: str) -> None:
        self.lab.control("run", name=host, lines=["enable", LAB_SECRET, "write erase", "y"])
        self.lab.control("reboot", name=host)


@pytest.fixture(scope="module")
def celery_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CeleryLab]:
    base = tmp_path_factory.mktemp("celery")
    inv = make_inventory(base, ("dinkes", "dishub"))
    state = base / ".pydriver"
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--requirepass", PASSWORD, "--dir", str(base)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    broker = f"redis://:{PASSWORD}@127.0.0.1:{port}/0"
    manage.up(Pipeline(inv, state=state), state, {"linux_frr", "mikrotik_routeros"},
              minute_seconds=2.0)
    env = {**lab_env(inv, state), BROKER_ENV: broker, "COLUMNS": "250"}
    workers = Workers(broker, env, base)
    try:
        workers.ensure()
        yield CeleryLab(Lab(inv, state, env, base), broker, workers)
    finally:
        workers.stop()
        manage.down(state)
        redis.terminate()
        redis.wait(timeout=20)


def _apply(cl: CeleryLab, *extra: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every router from the factory configuration: outcomes and the audit's routers."""
    for host in ROUTERS:
        cl.factory(host)
    r = cl.lab.cli("apply", "--json", "--revert-after", "30", *extra)
    assert r.returncode == 0, r.stdout + r.stderr
    outcomes = {o["host"]: o for o in json.loads(r.stdout)}
    record = [rec for rec in audit.records(cl.lab.state) if rec["event"] == "apply"][-1]
    return outcomes, record["routers"]


def _comparable(outcome: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in outcome.items() if k != "seconds"}


def test_results_and_audit_equal_the_threaded_runners(celery_lab: CeleryLab) -> None:
    celery_lab.workers.ensure()
    threaded, threaded_audit = _apply(celery_lab)
    spread, spread_audit = _apply(celery_lab, "--runner", "celery")
    assert {o["status"] for h, o in spread.items() if h in ROUTERS} == {"applied"}
    assert {h: _comparable(o) for h, o in spread.items()} == \
        {h: _comparable(o) for h, o in threaded.items()}
    assert spread_audit == threaded_audit
    assert [o["wave"] for o in (spread[h] for h in ROUTERS)] == [1, 2, 3]


def test_a_worker_killed_mid_wave_leaves_its_router_to_its_own_timer(
        celery_lab: CeleryLab) -> None:
    cl = celery_lab
    cl.workers.ensure()
    host = "rtr-dishub"
    r = cl.lab.cli("apply", "--json", "--revert-after", "30")  # converged first
    assert r.returncode == 0, r.stdout + r.stderr
    before = cl.lab.running(host)
    cl.lab.control("run", name=host, lines=["enable", LAB_SECRET, "configure terminal",
                                            "no ntp server 10.20.10.11", "end"])
    drifted = cl.lab.running(host)
    cl.lab.faults(host, latency_ms=300)  # a slow router: its checks outlast the kill
    armed: list[int] = []
    killed: list[int] = []
    changed: list[bool] = []

    def on_event(event: Event) -> None:
        if event.get("event") == "armed" and event.get("host") == host:
            armed.append(int(event["worker_pid"]))

    def kill_once_merged() -> None:
        """Kill the worker that holds the router once the change is merged (armed, not
        confirmed)."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            log = cl.lab.control("faults", name=host, set={}, log_tail=400)["log"]
            if armed and f"copy {CHANGE_FILE} running-config" in log and \
                    "ntp server 10.20.10.11" in log:  # the file's line, merged
                killed.append(armed[0])
                os.kill(armed[0], signal.SIGKILL)
                changed.append(cl.lab.running(host) != drifted)
                return
            time.sleep(0.1)

    cl.lab.control("reset_counters", name=host)
    watcher = threading.Thread(target=kill_once_merged, daemon=True)
    pipe = Pipeline(cl.lab.inventory, state=cl.lab.state, environ=cl.lab.env)
    settings = Settings(revert_minutes=3, canary=False, wave_size="100%", workers=4)
    old = {k: os.environ.get(k) for k in cl.lab.env}
    os.environ.update(cl.lab.env)
    try:
        target = apply_run.choose(pipe, None, host, False, 4, cl.lab.state)
        watcher.start()
        outcomes = apply_run.run(pipe, target, settings, cl.lab.state, on_event,
                                 apply_run.Runner("celery", cl.broker))
        watcher.join(timeout=10)
    finally:
        cl.lab.faults(host, latency_ms=0)
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert killed and killed[0] not in cl.workers.pids()
    assert changed == [True]  # the change stood, armed and unconfirmed, when it was killed
    o = next(o for o in outcomes if o.host == host)
    assert o.status == "reverting", o
    assert "own timer" in o.detail
    record = [rec for rec in audit.records(cl.lab.state) if rec["event"] == "apply"][-1]
    assert record["routers"][host]["status"] == "reverting"
    deadline = time.monotonic() + 60  # 3 emulated minutes are 6 s
    while cl.lab.running(host) != drifted:
        assert time.monotonic() < deadline, "the router did not revert by itself"
        time.sleep(0.5)
    assert drifted != before


def test_no_broker_fails_before_any_router_is_touched(celery_lab: CeleryLab) -> None:
    for host in ROUTERS:
        celery_lab.lab.control("reset_counters", name=host)
    url = f"redis://:hunter2-secret@127.0.0.1:{free_port()}/0"
    r = celery_lab.lab.cli("apply", "--runner", "celery", "--broker", url)
    assert r.returncode == 1
    shown = url.replace("hunter2-secret", "***")
    assert shown in r.stderr and "hunter2" not in r.stderr + r.stdout, r.stderr
    assert "no router was touched" in r.stderr
    for host in ROUTERS:
        assert celery_lab.lab.faults(host)["sessions_opened"] == 0, host
