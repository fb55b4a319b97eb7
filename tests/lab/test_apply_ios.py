"""Plan and apply against emulated IOS-XE routers: real changes, injected faults, and the
guarantee that every router ends either as intended or byte-identical to before."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from pydriver.lab import control, manage
from pydriver.platforms.cisco_ios import driver as ios
from tests.lab.conftest import Lab

pytestmark = pytest.mark.lab
SLOW_REVERT = ("--revert-after", "30")  # 30 emulated minutes = 60 s


def factory(lab: Lab, host: str) -> None:
    """The router as it left the factory (``write erase`` and a reload): tests that need a
    big first change start from here, whatever ran before them."""
    control.request(manage.control_socket(lab.state), "run", name=host,
                    lines=["enable", "pydriver-lab-enable", "write erase", "y"])
    control.request(manage.control_socket(lab.state), "reboot", name=host)


def archived(lab: Lab, host: str) -> None:
    """An IOS router pydriver has touched once has an archive path (the revert timer needs
    it) and its SCP server on (the push copies a file), both part of the intent:
    pre-change configs are measured from there."""
    control.request(manage.control_socket(lab.state), "run", name=host,
                    lines=["enable", "pydriver-lab-enable", "configure terminal", "archive",
                           "path bootflash:archive", "maximum 14", "exit",
                           "ip scp server enable", "end"])


def running(lab: Lab, host: str) -> str:
    out = control.request(manage.control_socket(lab.state), "run", name=host,
                          lines=["enable", "pydriver-lab-enable", "terminal length 0",
                                 "show running-config"])
    return ios.normalise(out[-1])


def outcome(result: str, host: str) -> dict[str, object]:
    return next(o for o in json.loads(result) if o["host"] == host)


def faults(lab: Lab, host: str, **knobs: object) -> dict[str, object]:
    return manage.faults(lab.state, host, **knobs)


def drift(lab: Lab, host: str, route: str) -> None:
    """A change made by hand on the router: a static route to a next hop (pydriver owns the
    static routes, so it is drift; a discard route to Null0 would be the router's own)."""
    control.request(manage.control_socket(lab.state), "run", name=host,
                    lines=["enable", "pydriver-lab-enable", "configure terminal",
                           f"ip route {route} 10.10.10.254", "end"])


def test_plan_then_apply_the_hub(ios_lab: Lab) -> None:
    # whatever ran before, the hub differs from the source of truth by this line
    drift(ios_lab, "hub-pusdatin-01", "10.97.0.0 255.255.0.0")
    plan_file = ios_lab.cwd / "hub-plan.json"
    r = ios_lab.cli("plan", "--out", str(plan_file), "--limit", "role:hub")
    assert r.returncode == 2, r.stderr
    assert "hub-pusdatin-01" in r.stdout and "Risks:" in r.stdout
    r = ios_lab.cli("apply", str(plan_file), "--limit", "role:hub", "--json", *SLOW_REVERT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert outcome(r.stdout, "hub-pusdatin-01")["status"] == "applied"
    assert "10.97.0.0" not in running(ios_lab, "hub-pusdatin-01")


def test_stale_plan_is_refused(ios_lab: Lab) -> None:
    drift(ios_lab, "hub-pusdatin-01", "10.96.0.0 255.255.0.0")
    plan_file = ios_lab.cwd / "stale-plan.json"
    r = ios_lab.cli("plan", "--out", str(plan_file), "--limit", "role:hub")
    assert r.returncode == 2, r.stderr
    drift(ios_lab, "hub-pusdatin-01", "10.95.0.0 255.255.0.0")  # the router moves on
    r = ios_lab.cli("apply", str(plan_file), "--limit", "role:hub", "--json")
    assert r.returncode == 1
    detail = str(outcome(r.stdout, "hub-pusdatin-01")["detail"])
    assert "running config changed since the plan" in detail
    r = ios_lab.cli("apply", "--limit", "role:hub", "--json", *SLOW_REVERT)  # put it right
    assert r.returncode == 0, r.stdout + r.stderr


def test_rejected_command_rolls_back_byte_identical(ios_lab: Lab) -> None:
    factory(ios_lab, "rtr-dishub")
    archived(ios_lab, "rtr-dishub")
    before = running(ios_lab, "rtr-dishub")
    faults(ios_lab, "rtr-dishub", reject_pattern=r"^ip route ")
    try:
        r = ios_lab.cli("apply", "--limit", "rtr-dishub", "--json", *SLOW_REVERT)
    finally:
        faults(ios_lab, "rtr-dishub", reject_pattern=None)
    assert r.returncode == 1
    o = outcome(r.stdout, "rtr-dishub")
    assert o["status"] == "rolled-back"
    assert "router rejected: ip route" in str(o["detail"])
    assert "restored byte-identical" in str(o["detail"])
    assert running(ios_lab, "rtr-dishub") == before


def test_dropped_session_mid_push_rolls_back(ios_lab: Lab) -> None:
    factory(ios_lab, "rtr-dishub")
    archived(ios_lab, "rtr-dishub")
    before = running(ios_lab, "rtr-dishub")
    faults(ios_lab, "rtr-dishub", drop_after_commands=60)
    try:
        r = ios_lab.cli("apply", "--limit", "rtr-dishub", "--json", *SLOW_REVERT)
    finally:
        faults(ios_lab, "rtr-dishub", drop_after_commands=None)
    o = outcome(r.stdout, "rtr-dishub")
    assert r.returncode == 1 and o["status"] == "rolled-back", o
    assert "session lost" in str(o["detail"]) and "byte-identical" in str(o["detail"])
    assert running(ios_lab, "rtr-dishub") == before


def test_failing_post_check_rolls_back(ios_lab: Lab) -> None:
    factory(ios_lab, "rtr-dinkes")
    archived(ios_lab, "rtr-dinkes")
    before = running(ios_lab, "rtr-dinkes")
    # the site gets a pre-shared key the hub does not have: IKE, and so BGP, stay down
    r = ios_lab.cli("apply", "--limit", "rtr-dinkes", "--json", "--check-deadline", "4",
                    *SLOW_REVERT, env={"JIP_PSK_DINKES": "not-the-hubs-key"})
    o = outcome(r.stdout, "rtr-dinkes")
    assert r.returncode == 1 and o["status"] == "rolled-back", o
    assert "post-check failed" in str(o["detail"]) and "byte-identical" in str(o["detail"])
    assert running(ios_lab, "rtr-dinkes") == before


def test_sigkill_mid_apply_is_undone_by_the_router(ios_lab: Lab) -> None:
    factory(ios_lab, "rtr-bpkad")
    archived(ios_lab, "rtr-bpkad")
    before = running(ios_lab, "rtr-bpkad")
    faults(ios_lab, "rtr-bpkad", latency_ms=30)
    # the router's counter runs across tests: count this apply's commands only
    seen_before = faults(ios_lab, "rtr-bpkad")["commands_seen"]
    assert isinstance(seen_before, int)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pydriver.cli.main", "apply", "--limit", "rtr-bpkad",
         "--inventory", str(ios_lab.inventory), "--revert-after", "3", "--json"],
        cwd=ios_lab.cwd, env=ios_lab.env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while faults(ios_lab, "rtr-bpkad")["commands_seen"] < seen_before + 30:  # type: ignore[operator]
            assert proc.poll() is None, "apply ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert running(ios_lab, "rtr-bpkad") != before  # half applied, nobody confirms
        deadline = time.monotonic() + 60  # 3 emulated minutes are 6 s
        while running(ios_lab, "rtr-bpkad") != before:
            assert time.monotonic() < deadline, "the router did not revert by itself"
            time.sleep(0.5)
    finally:
        faults(ios_lab, "rtr-bpkad", latency_ms=0)


def test_concurrent_apply_is_refused(ios_lab: Lab) -> None:
    from pydriver.deploy.lock import apply_lock

    before = {h: faults(ios_lab, h)["commands_seen"] for h in ("rtr-dinkes", "rtr-dishub")}
    with apply_lock(ios_lab.state, ios_lab.inventory):  # as a running apply holds it
        second = ios_lab.cli("apply", "--limit", "role:site", *SLOW_REVERT)
    assert second.returncode == 1
    assert "another apply is running" in second.stderr and "nothing was changed" in \
        second.stderr
    after = {h: faults(ios_lab, h)["commands_seen"] for h in ("rtr-dinkes", "rtr-dishub")}
    assert after == before  # no configuration command went out


def test_everything_converges_and_a_second_apply_sends_nothing(ios_lab: Lab) -> None:
    r = ios_lab.cli("apply", "--json", *SLOW_REVERT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert {o["status"] for o in json.loads(r.stdout)} <= {"applied", "noop", "skipped"}
    for host in ("hub-pusdatin-01", "rtr-dinkes", "rtr-dishub", "rtr-bpkad"):
        control.request(manage.control_socket(ios_lab.state), "reset_counters", name=host)
    r = ios_lab.cli("plan")
    assert r.returncode == 0, r.stdout
    r = ios_lab.cli("apply", "--json")
    assert r.returncode == 0
    for host in ("hub-pusdatin-01", "rtr-dinkes", "rtr-dishub", "rtr-bpkad"):
        assert faults(ios_lab, host)["commands_seen"] == 0, host
    audit = (ios_lab.state / "audit.jsonl").read_text()
    assert "lab-" not in audit.replace("lab-test", "")  # no secret value in the audit log


def test_backup_commits_only_what_changed_and_drift_names_the_router(ios_lab: Lab) -> None:
    r = ios_lab.cli("apply", "--json", *SLOW_REVERT)  # from whatever state: converged
    assert r.returncode == 0, r.stdout + r.stderr
    backups = ios_lab.cwd / f"backups-{time.monotonic_ns()}"
    r = ios_lab.cli("backup", "--backups", str(backups))
    assert r.returncode == 0, r.stderr

    def commits() -> str:
        return subprocess.run(["git", "-C", str(backups), "rev-list", "--count", "HEAD",
                               "--", "*.cfg"], capture_output=True, text=True,
                              check=True).stdout.strip()

    first = commits()
    assert int(first) == 4  # one commit per router backed up
    assets = json.loads((backups / "assets.json").read_text())
    assert set(assets) == {"hub-pusdatin-01", "rtr-dinkes", "rtr-dishub", "rtr-bpkad"}
    assert all(v.startswith("IOS-XE ") for v in assets.values())
    stored = (backups / "rtr-dishub.cfg").read_text()
    assert "Last configuration change" not in stored and "lab-jip" not in stored
    r = ios_lab.cli("backup", "--backups", str(backups))
    assert r.returncode == 0 and commits() == first  # unchanged routers: no commit
    assert ios_lab.cli("drift").returncode == 0
    control.request(manage.control_socket(ios_lab.state), "run", name="rtr-dishub",
                    lines=["enable", "pydriver-lab-enable", "configure terminal",
                           "ip route 10.99.0.0 255.255.0.0 10.254.1.1", "end"])
    r = ios_lab.cli("drift")
    assert r.returncode == 2 and "drift rtr-dishub" in r.stdout
    r = ios_lab.cli("backup", "--backups", str(backups))
    assert r.returncode == 0 and int(commits()) == int(first) + 1
    r = ios_lab.cli("plan", "--from", "backups", "--backups", str(backups))
    assert r.returncode == 2 and "no ip route 10.99.0.0 255.255.0.0 10.254.1.1" in r.stdout
    r = ios_lab.cli("apply", "--limit", "rtr-dishub", "--json", *SLOW_REVERT)  # put it right
    assert r.returncode == 0, r.stdout + r.stderr
