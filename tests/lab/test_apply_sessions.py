"""The cost of an apply, counted by the emulated routers themselves: one SSH session per
router for read, arm, push, checks and confirm; the IOS-XE remediation merged from a file
copied over SCP (line by line only when the file cannot get there); hub pings shared by the
sites of a wave."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from netmiko import ConnectHandler

from pydriver.lab import manage
from pydriver.lab.model import LAB_PASSWORD, LAB_SECRET, LAB_USER
from pydriver.pipeline import Pipeline
from pydriver.plan.model import Plan
from pydriver.platforms.cisco_ios import push
from tests.lab.conftest import Lab, lab_env, make_inventory

pytestmark = pytest.mark.lab
HUB = "hub-pusdatin-01"
SITES = ("rtr-bpkad", "rtr-dinkes", "rtr-dishub")
ROUTERS = (HUB, *SITES)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """The IOS-XE hub and three IOS-XE sites, factory-fresh."""
    base = tmp_path_factory.mktemp("sessions")
    inv = make_inventory(base, ("bpkad", "dinkes", "dishub"))
    state = base / ".pydriver"
    manage.up(Pipeline(inv, state=state), state, {"linux_frr", "mikrotik_routeros"},
              minute_seconds=2.0)
    try:
        yield Lab(inv, state, lab_env(inv, state), base)
    finally:
        manage.down(state)


def _session(lab: Lab, host: str) -> Any:
    port = next(r.port for r in manage.status(lab.state) if r.name == host)
    return ConnectHandler(device_type="cisco_xe", host="127.0.0.1", port=port,
                          username=LAB_USER, password=LAB_PASSWORD, secret=LAB_SECRET,
                          fast_cli=True)


def test_one_session_per_router_and_the_push_is_a_file(lab: Lab) -> None:
    plan_file = lab.cwd / "first.json"
    r = lab.cli("plan", "--out", str(plan_file))
    assert r.returncode == 2, r.stdout + r.stderr
    plan = Plan.load(plan_file)
    lines = {p.host: sum(len(c.split("\n")) for c in p.commands) for p in plan.changes}
    assert set(lines) == set(ROUTERS) and min(lines.values()) > 100
    for host in ROUTERS:
        lab.control("reset_counters", name=host)
    r = lab.cli("apply", str(plan_file), "--json", "--no-canary", "--wave-size", "100%",
                "--revert-after", "30")
    assert r.returncode == 0, r.stdout + r.stderr
    outcomes = {o["host"]: o for o in json.loads(r.stdout)}
    assert {outcomes[h]["status"] for h in ROUTERS} == {"applied"}
    for host in ROUTERS:
        seen = lab.control("faults", name=host, set={}, log_tail=5000)
        log: list[str] = seen["log"]
        # read, arm, push, checks, confirm, and (the hub) the pings for its sites
        assert seen["sessions_opened"] == 1, (host, seen["sessions_opened"])
        assert f"copy {push.CHANGE_FILE} running-config" in log, host
        assert log.count("configure terminal revert timer 30") == 1, host
        # the merged lines are counted by the router like typed ones, each once
        assert seen["commands_seen"] <= lines[host] + 10, (host, seen["commands_seen"])
        assert outcomes[host]["commands_sent"] == lines[host]
        # the file with the keys in it is gone from flash
        assert "pydriver-change" not in lab.console(host, "dir bootflash:")
    # each site's staff gateway pinged from the hub (from its loopback) until it answers,
    # one probe serving every site waiting: never more pings than the sites' own polls
    hub_log: list[str] = lab.control("faults", name=HUB, set={}, log_tail=5000)["log"]
    pings = [line.split()[1] for line in hub_log
             if line.startswith("ping ") and " source " in line]
    assert len(set(pings)) == len(SITES)
    polls = {s: lab.control("faults", name=s, set={}, log_tail=5000)["log"].count(
        "show ip route") for s in SITES}
    assert len(pings) <= sum(polls.values()), (pings, polls)


def test_without_an_scp_server_the_upload_says_so_and_nothing_changes(lab: Lab) -> None:
    conn = _session(lab, "rtr-dishub")
    try:
        conn.enable()
        conn.send_config_set(["no ip scp server enable"])
        before = conn.send_command("show running-config")
        assert push.push_file(conn, ("ip route 10.98.0.0 255.255.0.0 10.10.0.254",), 30) \
            is None
        assert conn.send_command("show running-config") == before
        assert "pydriver-change" not in conn.send_command("dir bootflash:")
    finally:
        conn.send_config_set(["ip scp server enable"])
        conn.disconnect()


def test_a_refused_line_of_the_file_is_named(lab: Lab) -> None:
    lab.faults("rtr-bpkad", reject_pattern=r"^ip route 10\.98\.")
    conn = _session(lab, "rtr-bpkad")
    try:
        conn.enable()
        # what a first apply's arming leaves (whichever test ran first): an archive path for
        # the revert timer, the SCP server for the file
        conn.send_config_set(["archive", "path bootflash:archive", "exit",
                              "ip scp server enable"])
        pushed = push.push_file(conn, ("ip route 10.98.0.0 255.255.0.0 10.10.0.254",
                                       "ip route 10.99.0.0 255.255.0.0 10.10.0.254"), 30)
        assert pushed is not None and pushed.commands_sent == 2
        assert pushed.rejected == "ip route 10.98.0.0 255.255.0.0 10.10.0.254"
        assert "Schedule to rollback" in conn.send_command(
            "show archive config rollback timer")
        conn.send_command("configure revert now", expect_string=r"#")
        assert "10.99.0.0" not in conn.send_command("show running-config")
    finally:
        lab.faults("rtr-bpkad", reject_pattern=None)
        conn.disconnect()
