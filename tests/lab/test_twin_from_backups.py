"""A twin of production: lab routers that boot from the routers' backups.

The whole story on emulated RouterOS and IOS-XE routers (linux_frr twins cannot boot from
backups yet, and are left out): a factory lab is applied and backed up; other teams then
add their own items on the consoles (OSPF, WireGuard, DHCP, a script; an OSPF process, a
VRF, a NAT rule, a discard route) and production is backed up again; with the lab down,
the source of truth changes and ``lab rehearse --from backups`` brings up twins of that
production, plans, applies and plans again. And the refusals: a backup line a twin cannot
take stops ``lab up`` with the router and line number and leaves nothing running; a
command a client types that the router does not know gets the router's own answer.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler

from pydriver.deploy import backup as backups
from pydriver.lab import manage
from pydriver.lab.model import LAB_SECRET, LabRouter
from pydriver.pipeline import Pipeline
from tests.lab.conftest import Lab, lab_env, make_inventory, secret_env

pytestmark = pytest.mark.lab

SITES = ("dishub", "kec-ampenan")
ROS, IOS = "rtr-kec-ampenan", "rtr-dishub"
LINUX = "linux_frr"
# other teams' items, typed on the consoles of production (pydriver owns none of them)
ROS_FOREIGN = [
    "/routing ospf instance add name=ospf-ops router-id=10.99.0.1",
    "/routing ospf area add name=backbone-ops area-id=0.0.0.0 instance=ospf-ops",
    "/interface wireguard add name=wg-ops listen-port=13231",
    '/interface wireguard peers add interface=wg-ops allowed-address=10.99.9.0/24 '
    'endpoint-address=203.0.113.9 endpoint-port=13231 '
    'public-key="YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY="',
    "/interface bridge add name=br-ops",
    "/ip pool add name=pool-ops ranges=10.99.1.10-10.99.1.100",
    "/ip dhcp-server add name=dhcp-ops interface=br-ops address-pool=pool-ops",
    "/ip dhcp-server network add address=10.99.1.0/24 gateway=10.99.1.1 dns-server=10.99.1.1",
    '/system script add name=ops-report source=":log info ops"',
]
ROS_SURVIVES = ("name=ospf-ops", "name=backbone-ops", "name=wg-ops", "interface=wg-ops",
                "name=pool-ops", "name=dhcp-ops", "address=10.99.1.0/24", "name=ops-report")
IOS_FOREIGN = [
    "configure terminal",
    "router ospf 10", " network 10.99.0.0 0.0.0.255 area 0",
    "vrf definition OPS", " rd 65000:99",
    "access-list 99 permit 10.99.0.0 0.0.0.255",
    "ip nat inside source list 99 interface GigabitEthernet0/0/0 overload",
    "ip route 10.99.99.0 255.255.255.0 Null0",
    "end",
]
IOS_SURVIVES = ("router ospf 10", "vrf definition OPS",
                "ip nat inside source list 99 interface GigabitEthernet0/0/0 overload",
                "ip route 10.99.99.0 255.255.255.0 Null0")
FOREIGN_WORDS = re.compile(r"ospf|wg-ops|pool-ops|dhcp-ops|ops-report|OPS|list 99|Null0|"
                           r"10\.99\.")


def _ok(r: subprocess.CompletedProcess[str], code: int = 0) -> str:
    assert r.returncode == code, r.stdout[-4000:] + r.stderr[-4000:]
    return r.stdout


def _words(r: subprocess.CompletedProcess[str]) -> str:
    """What a command printed, its lines unwrapped (the console wraps at its width)."""
    return " ".join(_ok(r).split())


def _console(lab: Lab, host: str, lines: list[str]) -> None:
    first = ["enable", LAB_SECRET] if host == IOS else []
    answers = lab.control("run", name=host, lines=[*first, *lines])
    assert not [a for a in answers if re.search(r"^%|bad command|failure|invalid", a, re.M)
                ], answers


def _checks(r: subprocess.CompletedProcess[str]) -> dict[str, dict[str, Any]]:
    return {o["host"]: o for o in json.loads(_ok(r))}


def test_rehearsal_on_a_twin_of_production(tmp_path: Path) -> None:
    inv = make_inventory(tmp_path, SITES)
    state = tmp_path / ".pydriver"
    lab = Lab(inv, state, lab_env(inv, state), tmp_path)
    repo = str(tmp_path / "backups")
    try:
        # production: applied, backed up, then other teams' items added and backed up again
        _ok(lab.cli("lab", "up", "--inventory", str(inv), "--skip-platform", LINUX))
        clean = _checks(lab.cli("apply", "--no-canary", "--wave-size", "100%", "--json"))
        assert clean[ROS]["status"] == clean[IOS]["status"] == "applied"
        assert "backed up 4 routers" in _words(lab.cli("backup", "--backups", repo))
        _console(lab, ROS, ROS_FOREIGN)
        _console(lab, IOS, IOS_FOREIGN)
        assert f"2 changed: {IOS}, {ROS}" in _words(lab.cli("backup", "--backups", repo))
        assert "ospf-ops" in (tmp_path / "backups" / f"{ROS}.rsc").read_text()
    finally:
        manage.down(state)
    assert manage.status(state) == []

    # the source of truth changes: a site's bandwidth
    site = inv / "sites" / "kec-ampenan.yml"
    text = site.read_text()
    assert "guaranteed_mbps: 10\n" in text and "max_mbps: 30\n" in text
    site.write_text(text.replace("guaranteed_mbps: 10\n", "guaranteed_mbps: 20\n")
                    .replace("max_mbps: 30\n", "max_mbps: 45\n"))
    try:
        r = lab.cli("lab", "rehearse", "--inventory", str(inv), "--skip-platform", LINUX,
                    "--from", "backups", "--backups", repo, "--keep")
        printed = _ok(r)
        for host in (ROS, IOS, "hub-drc-01", "hub-pusdatin-01"):
            assert re.search(rf"^{host}: booted from its backup, \d+ lines$", printed, re.M)
        assert "second plan: no changes" in printed
        assert "/queue simple" not in printed  # a summary, not every command

        # the plan touched only what pydriver owns: the shaping of that one site
        saved = json.loads((state / "lab" / "rehearsal-plan.json").read_text())
        changes = {p["host"]: p for p in saved["routers"] if p["action"] == "update"}
        assert set(changes) == {ROS, "hub-pusdatin-01"}
        for host, change in changes.items():
            assert change["sections"] == ["qos"], (host, change["commands"])
            assert not [c for c in change["commands"] if FOREIGN_WORDS.search(c)], host
        # its post-checks as on the clean twin: every one run and passed
        passed = re.search(rf"^{ROS}: applied - (\d+) post-checks passed$", printed, re.M)
        assert passed and int(passed[1]) == len(clean[ROS]["checks"]) > 0, printed
        # the hub's interconnect to the kabupaten waits for a region this lab does not hold
        # (its session and its ping); nothing else waits
        hub = re.search(r"^hub-pusdatin-01: applied - \d+ post-checks passed"
                        r"(?:, (\d+) waiting for the other end)?$", printed, re.M)
        assert hub and int(hub[1] or 0) <= 2, printed
        assert not re.search(r"^(?!hub-pusdatin-01:).*waiting for the other end", printed,
                             re.M), printed

        # on the twins' consoles: every foreign item is still there, the change is in
        ros = lab.running(ROS)
        for item in ROS_SURVIVES:
            assert item in ros, item
        assert re.search(r"comment=pydriver:qos/total max-limit=45M/45M ", ros)
        ios = lab.running(IOS)
        for item in IOS_SURVIVES:
            assert re.search(rf"^{re.escape(item)}$", ios, re.M), item
        intents = Pipeline(inv).intents
        for nb in intents[ROS].bgp.neighbors:
            assert lab.fabric("bgp_established", ROS, str(nb.address))
        # the lab values of the secrets never reach a file
        values = [v for k, v in secret_env(inv).items() if k.startswith("JIP_")]
        files = [p for p in tmp_path.rglob("*") if p.is_file() and ".git" not in p.parts]
        assert not [p for p in files for v in values if v.encode() in p.read_bytes()]
    finally:
        manage.down(state)
    assert manage.status(state) == []


IOS_BACKUP = """\
hostname rtr-dishub
interface Loopback0
 ip address 10.255.0.48 255.255.255.255
frobnicate everything
router ospf 10
 network 10.99.0.0 0.0.0.255 area 0
"""
ROS_BACKUP = """\
/interface bridge
add name=br-ops
/ip frobnicate
add foo=bar
/ip address
add address=10.99.0.1/24 interface=br-ops
/system identity
set name=rtr-kec-ampenan
"""
BAD = {IOS: "frobnicate everything", ROS: "/ip frobnicate"}


def _store(repo: Path, texts: dict[str, str]) -> dict[str, int]:
    """Write the backups as ``pydriver backup`` does; the line number of each bad line."""
    platforms = {IOS: "cisco_ios", ROS: "mikrotik_routeros"}
    backups.store(repo, texts, platforms)
    stored = backups.read(repo, platforms)
    return {h: stored[h].split("\n").index(BAD[h]) + 1 for h in texts if BAD[h] in stored[h]}


def test_a_line_the_twin_refuses_stops_lab_up(tmp_path: Path) -> None:
    inv = make_inventory(tmp_path, SITES)
    state = tmp_path / ".pydriver"
    lab = Lab(inv, state, lab_env(inv, state), tmp_path)
    repo = tmp_path / "backups"
    where = _store(repo, {IOS: IOS_BACKUP, ROS: ROS_BACKUP})
    up = ["lab", "up", "--inventory", str(inv), "--skip-platform", LINUX, "--from", "backups",
          "--backups", str(repo)]

    r = lab.cli(*up)  # the hubs have no backup: an error naming them, nothing started
    _ok(r, 1)
    assert "no backup in" in r.stderr and "hub-drc-01, hub-pusdatin-01" in r.stderr
    assert not (state / "lab" / "daemon.pid").exists()

    try:
        r = lab.cli(*up, "--allow-missing", "--json")
        _ok(r, 1)
        assert manage.status(state) == []  # everything brought up was taken down again
        assert "no lab is running" in _ok(lab.cli("lab", "status"))
        err = " ".join(r.stderr.split())
        for host, bad in BAD.items():
            assert re.search(rf"{host} \(\w+\): \d+ of \d+ lines refused line {where[host]}: "
                             rf"{re.escape(bad)}", err), err
        assert "bad command name frobnicate" in err and "% Invalid input detected" in err
        reports = {b["name"]: b for b in json.loads(r.stdout)}
        assert [(x["line"], x["text"]) for x in reports[IOS]["refused"]] == \
            [(where[IOS], BAD[IOS])]
        assert reports[ROS]["refused"][0]["line"] == where[ROS]
        assert reports[ROS]["lines"] >= 4 and reports["hub-drc-01"]["source"] == "factory"

        # a threshold of two lets each router in: the lab comes up with them refused
        r = lab.cli(*up, "--allow-missing", "--max-refused", "2")
        assert "1 refused (lines " in _ok(r) + r.stderr
        assert {x.name for x in manage.status(state)} == {IOS, ROS, "hub-drc-01",
                                                          "hub-pusdatin-01"}
    finally:
        manage.down(state)
    assert manage.status(state) == []


def _session(router: LabRouter) -> Any:
    conn = ConnectHandler(device_type=router.device_type, host=router.host, port=router.port,
                          username=router.username, password=router.password,
                          secret=router.secret)
    if router.secret:
        conn.enable()
    return conn


def test_unknown_commands_answer_as_the_router_would(tmp_path: Path) -> None:
    inv = make_inventory(tmp_path, SITES)
    state = tmp_path / ".pydriver"
    lab = Lab(inv, state, lab_env(inv, state), tmp_path)
    repo = tmp_path / "backups"
    _store(repo, {IOS: IOS_BACKUP.replace("frobnicate everything\n", ""),
                  ROS: ROS_BACKUP.replace("/ip frobnicate\nadd foo=bar\n", "")})
    try:
        r = lab.cli("lab", "up", "--inventory", str(inv), "--skip-platform", LINUX, "--from",
                    "backups", "--backups", str(repo), "--allow-missing", "--json")
        twins = {t["name"]: t for t in json.loads(_ok(r))}
        assert twins[IOS]["source"] == twins[ROS]["source"] == "backup"
        assert twins[IOS]["refused"] == twins[ROS]["refused"] == []
        assert twins[IOS]["lines"] == 6 and twins[ROS]["lines"] == 3
        assert twins["hub-drc-01"]["note"] == "no backup (--allow-missing)"
        routers = {x.name: x for x in manage.status(state)}

        conn = _session(routers[ROS])
        try:  # the identity from the backup, RouterOS's own complaint
            assert conn.find_prompt() == f"[admin@{ROS}] >"
            assert conn.send_command("/ip frobnicate print") == \
                "bad command name frobnicate (line 1 column 5)"
            assert "10.99.0.1/24" in conn.send_command("/ip address print")
        finally:
            conn.disconnect()
        conn = _session(routers[IOS])
        try:  # the caret under the word IOS does not know, after the prompt
            prompt = conn.find_prompt()
            assert prompt == f"{IOS}#"
            out = conn.send_command("show frobnicate", strip_command=True)
            caret, message = out.strip("\n").split("\n")[-2:]
            assert message == "% Invalid input detected at '^' marker."
            assert caret == " " * len(f"{prompt}show ") + "^", out
            assert "router ospf 10" in conn.send_command("show running-config")
        finally:
            conn.disconnect()
    finally:
        manage.down(state)
