"""The roles on real Debian targets, through `pydriver servers apply`, as an operator runs it.

One module-scoped run: every server of the example inventory provisioned from the generated
inventory, then provisioned again (nothing may change), then each service checked the way
its users reach it: a router's log line lands in that router's file on the collector, the
NTP servers serve time, unbound answers the intranet zone, RADIUS accepts a router admin's
login (radtest on the server and a request from a router's own address), Prometheus
scrapes every node exporter, and the firewall keeps SSH to the management zone.

The lab host reaches the targets from an address in the management zone, as an
administrator's workstation does; checks that must come from a router bind to that
router's loopback, added to the lab bridge for the test.

The Linux hub hub-pusdatin-02 is in the run as its twin (its Debian host at its management
address, with its loopback on ``lo`` as FRR gives it): the routers playbook provisions it
like the router, and its time, logs, SNMP and logins are checked against the servers.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import socket
import struct
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import paramiko
import pytest

from pydriver.lab.targets import Target, TargetLab, router_twins
from pydriver.lab.targets.network import BRIDGE, TABLE
from pydriver.pipeline import Pipeline
from pydriver.platforms.linux_frr import driver as frr
from tests.servers.conftest import ROOT, ServersLab, venv_env

pytestmark = pytest.mark.servers

SECRETS = {
    "JIP_ADMIN_LALU_AHMAD": "Lalu-Pw-2026!x",
    "JIP_ADMIN_BAIQ_NURUL": 'Baiq "quoted" pw\\1',
    "JIP_RADIUS_SECRET": "Rad-Secret-7f3k",
    "JIP_SNMP_AUTH": "snmp-auth-pass-1",
    "JIP_SNMP_PRIV": "snmp-priv-pass-2",
}
# what a container cannot do: kernel.* sysctls are read-only, and there is no internet time
LAB_VARS = json.dumps({"baseline_sysctl_kernel": {}, "chrony_upstream_sources": []})
ROUTER = ("rtr-dinkes", "10.255.0.35")  # a site router: (name, loopback it sends from)
TWIN = "hub-pusdatin-02"  # the Linux hub whose twin the run provisions
T = TypeVar("T")


@dataclass
class Provisioned:
    lab: TargetLab
    state: Path
    runs: list[subprocess.CompletedProcess[str]]

    def target(self, name: str) -> Target:
        return self.lab.target(name)

    def address(self, name: str) -> str:
        return str(self.lab.target(name).address)

    def report(self, index: int) -> dict[str, Any]:
        return dict(json.loads(self.runs[index].stdout))


def _servers(lab: TargetLab, state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    key = lab.targets[0]
    # the lab holds the servers and one Linux router's twin, not the other routers
    limit = ",".join(t.name for t in lab.targets)
    env = {**venv_env(), **SECRETS, "PYDRIVER_STATE": str(state),
           "ANSIBLE_REMOTE_USER": "root", "ANSIBLE_PRIVATE_KEY_FILE": str(key.ssh_key),
           "ANSIBLE_SSH_ARGS": f"-o UserKnownHostsFile={key.known_hosts} "
                               "-o GlobalKnownHostsFile=/dev/null -o IdentitiesOnly=yes "
                               "-o ControlMaster=auto -o ControlPersist=60s"}
    return subprocess.run(
        [sys.executable, "-m", "pydriver.cli.main", "servers", *args, "--json",
         "--limit", limit, "-e", LAB_VARS], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=2400)


@pytest.fixture(scope="module")
def provisioned(servers_lab: ServersLab, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[Provisioned]:
    twins = [t.name for t in router_twins(servers_lab.network)]
    assert twins == [TWIN]
    lab = servers_lab.up([*(s.name for s in servers_lab.network.servers), *twins])
    # the twin carries the hub's loopback, and the servers' replies to it go to the twin
    loopback = str(Pipeline(ROOT / "inventory").intents[TWIN].loopback)
    twin = lab.target(TWIN)
    ssh(twin, f"ip addr replace {loopback}/32 dev lo")
    subprocess.run(["ip", "route", "replace", f"{loopback}/32", "via", str(twin.address),
                    "dev", BRIDGE, "table", str(TABLE)], check=True)
    state = tmp_path_factory.mktemp("servers-state")
    runs = [_servers(lab, state, "apply")]
    assert runs[0].returncode == 0, runs[0].stdout[-4000:] + runs[0].stderr[-4000:]
    runs.append(_servers(lab, state, "apply"))
    runs.append(_servers(lab, state, "plan"))
    try:
        yield Provisioned(lab, state, runs)
    finally:
        servers_lab.release()  # later modules start from clean, unfirewalled targets


def ssh(target: Target, command: str) -> str:
    done = subprocess.run(target.ssh_argv(command), capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"{target.name}: {command}: {done.stderr or done.stdout}"
    return done.stdout


def poll(what: str, probe: Callable[[], T | None], deadline: float = 90.0) -> T:
    """``probe`` until it returns a value (exceptions count as not yet), or fail."""
    end = time.monotonic() + deadline
    last: object = None
    while time.monotonic() < end:
        try:
            value = probe()
        except (OSError, AssertionError, ValueError) as exc:
            value, last = None, exc
        if value is not None:
            return value
        time.sleep(0.5)
    pytest.fail(f"{what}: not within {deadline:.0f} s (last: {last})")


@contextlib.contextmanager
def router_address(address: str) -> Iterator[str]:
    """The lab host may send from a router's loopback for the duration."""
    subprocess.run(["ip", "addr", "add", f"{address}/32", "dev", BRIDGE, "noprefixroute"],
                   check=True)
    try:
        yield address
    finally:
        subprocess.run(["ip", "addr", "del", f"{address}/32", "dev", BRIDGE], check=False)


# ---------------------------------------------------------------------------- the runs


def test_first_apply_provisions_every_server(provisioned: Provisioned) -> None:
    first = provisioned.report(0)
    assert first["ok"] and set(first["hosts"]) == {t.name for t in provisioned.lab.targets}
    for host, counts in first["hosts"].items():
        assert counts["failed"] == counts["unreachable"] == 0, host
        assert counts["changed"] > 5, host


def test_second_apply_changes_nothing(provisioned: Provisioned) -> None:
    second = provisioned.report(1)
    assert provisioned.runs[1].returncode == 0
    assert {h: c["changed"] for h, c in second["hosts"].items()} == dict.fromkeys(
        second["hosts"], 0)
    assert not second["results"]


def test_plan_after_converging_shows_nothing_to_do(provisioned: Provisioned) -> None:
    plan = provisioned.report(2)
    assert provisioned.runs[2].returncode == 0, provisioned.runs[2].stderr[-2000:]
    assert plan["check"] and all(c["changed"] == 0 for c in plan["hosts"].values())


def test_no_secret_in_output_audit_or_leftovers(provisioned: Provisioned) -> None:
    texts = [r.stdout + r.stderr for r in provisioned.runs]
    texts += [p.read_text() for p in provisioned.state.rglob("*") if p.is_file()]
    records = [json.loads(line) for line in
               (provisioned.state / "audit.jsonl").read_text().splitlines()]
    assert [r["event"] for r in records] == ["servers-apply", "servers-apply"]
    assert all(r["ok"] for r in records)
    for value in SECRETS.values():
        assert not any(value in t for t in texts), "a secret value leaked"
    leftovers = list(Path(os.environ.get("TMPDIR", "/tmp")).glob("pydriver-ansible-*"))
    assert not leftovers, leftovers


# ---------------------------------------------------------------------------- services


def test_router_log_line_lands_in_its_file(provisioned: Provisioned) -> None:
    collector = provisioned.target("syslog-01")
    name, loopback = ROUTER
    marker = f"pydriver-test-{time.time_ns()}"
    with router_address(loopback) as source, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((source, 0))
        s.sendto(f"<190>Nov 23 10:00:00 {name} test: {marker}".encode(),
                 (str(collector.address), 514))
    poll("the log line on the collector",
         lambda: marker in ssh(collector, f"cat /var/log/jip/{name}.log") or None)
    assert marker not in ssh(collector, "cat /var/log/jip/unknown.log 2>/dev/null || :")


def _sntp(server: str) -> tuple[int, int]:
    """One SNTP request: the answer's (leap indicator, stratum)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        s.sendto(b"\x23" + bytes(47), (server, 123))  # LI 0, version 4, mode 3 (client)
        data, _ = s.recvfrom(512)
    assert data[0] & 0x7 == 4, "not a server reply"
    return data[0] >> 6, data[1]


def test_ntp_servers_serve_time(provisioned: Provisioned) -> None:
    for name in ("ntp-01", "ntp-02"):
        address = provisioned.address(name)

        def synchronised(a: str = address) -> int | None:
            leap, stratum = _sntp(a)
            return stratum if leap != 3 else None  # 3: the server has no time to give yet

        stratum = poll(f"synchronised time from {name}", synchronised)
        assert 1 <= stratum <= 10, (name, stratum)
    # a client server follows the intranet's NTP servers
    sources = ssh(provisioned.target("monitor-01"), "chronyc -n sources")
    assert "10.10.10.11" in sources and "10.20.10.11" in sources


def _dns_a(server: str, name: str) -> tuple[int, list[str]]:
    """One A query over UDP: (rcode, addresses)."""
    query = struct.pack(">HHHHHH", 0x5044, 0x0100, 1, 0, 0, 0) + b"".join(
        bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(3)
        s.sendto(query, (server, 53))
        data, _ = s.recvfrom(4096)
    rcode, count, offset, found = data[3] & 0xF, struct.unpack(">H", data[6:8])[0], len(query), []
    for _ in range(count):
        offset += 2 if data[offset] & 0xC0 == 0xC0 else len(name) + 2
        rtype, _cls, _ttl, length = struct.unpack(">HHIH", data[offset:offset + 10])
        offset += 10
        if rtype == 1:
            found.append(socket.inet_ntoa(data[offset:offset + 4]))
        offset += length
    return rcode, found


def test_unbound_resolves_the_intranet_zone(provisioned: Provisioned) -> None:
    inventory = json.loads(subprocess.run(
        [sys.executable, "-m", "pydriver.cli.main", "servers", "inventory"], cwd=ROOT,
        capture_output=True, text=True, check=True).stdout)
    domain = inventory["all"]["vars"]["jip_domain"]
    # values from the source of truth are marked unsafe for Ansible (never templated)
    domain = domain["__ansible_unsafe"] if isinstance(domain, dict) else domain
    assert isinstance(domain, str) and domain.endswith(".go.id"), domain
    for name in ("dns-01", "dns-02"):
        server = provisioned.address(name)
        assert _dns_a(server, f"{ROUTER[0]}.{domain}") == (0, [ROUTER[1]])
        assert _dns_a(server, f"dinkes.site.{domain}") == (0, ["10.64.12.1"])
        assert _dns_a(server, f"ntp-01.{domain}") == (0, ["10.10.10.11"])
        assert _dns_a(server, f"no-such-router.{domain}")[0] == 3  # NXDOMAIN


def _radius_pap(server: str, source: str, user: str, password: str, secret: str) -> int:
    """An Access-Request with a PAP password (RFC 2865); the reply's code."""
    authenticator = os.urandom(16)
    padded = password.encode() + b"\0" * (-len(password.encode()) % 16)
    hidden, previous = b"", authenticator
    for i in range(0, len(padded), 16):
        key = hashlib.md5(secret.encode() + previous).digest()
        previous = bytes(a ^ b for a, b in zip(padded[i:i + 16], key, strict=True))
        hidden += previous
    attrs = bytes([1, 2 + len(user)]) + user.encode() + bytes([2, 2 + len(hidden)]) + hidden
    packet = struct.pack(">BBH", 1, 42, 20 + len(attrs)) + authenticator + attrs
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((source, 0))
        s.settimeout(3)
        s.sendto(packet, (server, 1812))
        return s.recv(4096)[0]


def test_radius_logs_in_a_router_admin(provisioned: Provisioned) -> None:
    radius = provisioned.target("radius-01")
    user, password = "lalu.ahmad", SECRETS["JIP_ADMIN_LALU_AHMAD"]
    secret = SECRETS["JIP_RADIUS_SECRET"]
    out = ssh(radius, f"radtest {user} '{password}' 127.0.0.1 0 '{secret}'")
    assert "Received Access-Accept" in out
    with router_address(ROUTER[1]) as source:
        assert _radius_pap(str(radius.address), source, user, password, secret) == 2  # Accept
        assert _radius_pap(str(radius.address), source, user, "wrong", secret) == 3  # Reject
        other = SECRETS["JIP_ADMIN_BAIQ_NURUL"]
        assert _radius_pap(str(radius.address), source, "baiq.nurul", other, secret) == 2


def test_prometheus_scrapes_every_node_exporter(provisioned: Provisioned) -> None:
    monitor = provisioned.address("monitor-01")
    servers = {str(t.address) for t in provisioned.lab.targets if t.name != TWIN}

    def up_instances() -> set[str] | None:
        url = f"http://{monitor}:9090/api/v1/query?query=up%7Bjob%3D%22node%22%7D"
        with urllib.request.urlopen(url, timeout=5) as reply:
            result = json.load(reply)["data"]["result"]
        up = {r["metric"]["instance"].split(":")[0] for r in result if r["value"][1] == "1"}
        return up if up == servers else None

    assert poll("every node exporter up in Prometheus", up_instances, deadline=120) == servers


def test_firewall_keeps_ssh_to_the_management_zone(provisioned: Provisioned) -> None:
    target = provisioned.target("ntp-01")
    ssh(target, "true")  # from the management zone: let in
    with router_address(ROUTER[1]) as source, \
            socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((source, 0))
        s.settimeout(2)
        with pytest.raises(OSError):  # dropped: times out, never answered
            s.connect((str(target.address), 22))
    ruleset = ssh(target, "nft list ruleset")
    assert "policy drop" in ruleset and "10.250.10.0/24" in ruleset


def test_login_banner_is_the_source_of_truths(provisioned: Provisioned) -> None:

    banner = Pipeline(ROOT / "inventory").network.baseline.banner
    for target in provisioned.lab.targets:
        assert ssh(target, "cat /etc/issue.net").strip() == banner.strip(), target.name


# ------------------------------------------------------------- the Linux router's twin


def _twin_loopback() -> str:
    return str(Pipeline(ROOT / "inventory").intents[TWIN].loopback)


def test_linux_router_follows_the_intranet_ntp_servers(provisioned: Provisioned) -> None:
    twin = provisioned.target(TWIN)
    conf = ssh(twin, "cat /etc/chrony/chrony.conf")
    assert "server 10.10.10.11 iburst" in conf and "server 10.20.10.11 iburst" in conf
    assert f"bindacqaddress {_twin_loopback()}" in conf

    def answered() -> set[str] | None:
        # chronyc -c: mode, state, address, stratum, poll, reach (octal), ...
        rows = [line.split(",") for line in ssh(twin, "chronyc -n -c sources").splitlines()]
        got = {r[2] for r in rows if len(r) > 5 and int(r[5], 8) != 0}
        return got if got >= {"10.10.10.11", "10.20.10.11"} else None

    poll("both NTP servers answering the router (from its loopback)", answered, deadline=120)


def test_linux_router_logs_land_in_its_file(provisioned: Provisioned) -> None:
    collector = provisioned.target("syslog-01")
    marker = f"pydriver-twin-{time.time_ns()}"
    ssh(provisioned.target(TWIN), f"logger -t pydriver-test {marker}")
    poll("the router's own log line in its file on the collector",
         lambda: marker in ssh(collector, f"cat /var/log/jip/{TWIN}.log 2>/dev/null || :")
         or None)


def test_linux_router_answers_snmpv3_sha2_only(provisioned: Provisioned) -> None:
    monitor = provisioned.address("monitor-01")

    def polled() -> float | None:
        query = urllib.parse.quote(f'sysUpTime{{router="{TWIN}"}}')
        url = f"http://{monitor}:9090/api/v1/query?query={query}"
        with urllib.request.urlopen(url, timeout=5) as reply:
            result = json.load(reply)["data"]["result"]
        return float(result[0]["value"][1]) if result else None

    assert poll("the router's uptime through SNMPv3 SHA-256", polled, deadline=150) > 0
    conf = ssh(provisioned.target(TWIN), "cat /etc/snmp/snmpd.conf")
    assert "createUser jip-monitor SHA-256 " in conf and " AES " in conf
    assert not re.search(r"^\s*(ro|rw)community", conf, re.M)  # no v1/v2c
    assert f"agentaddress udp:{provisioned.address(TWIN)}:161" in conf


def test_linux_router_ssh_only_from_the_management_zone(provisioned: Provisioned) -> None:
    twin = provisioned.target(TWIN)
    ssh(twin, "true")  # from the management zone
    with router_address(ROUTER[1]) as source:
        argv = twin.ssh_argv("true")
        done = subprocess.run([argv[0], "-b", source, *argv[1:]], capture_output=True,
                              text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 255 and "Permission denied" in done.stderr, done.stderr
    assert "not allowed because not listed in AllowUsers" in ssh(
        twin, "journalctl -u ssh --no-pager -n 50")


def _password_login(target: Target, user: str, password: str) -> bool:
    client = paramiko.SSHClient()
    client.load_host_keys(str(target.known_hosts))
    try:
        client.connect(str(target.address), username=user, password=password,
                       allow_agent=False, look_for_keys=False, timeout=10,
                       auth_timeout=30, banner_timeout=30)
    except paramiko.AuthenticationException:
        return False
    finally:
        client.close()
    return True


def test_linux_router_logins_are_radius_decided(provisioned: Provisioned) -> None:
    twin = provisioned.target(TWIN)
    user, radius_password = "lalu.ahmad", SECRETS["JIP_ADMIN_LALU_AHMAD"]
    local_only = "Local-Only-Pw-7q"
    assert _password_login(twin, user, radius_password)
    # a local password RADIUS does not know is refused while RADIUS answers ...
    ssh(twin, f"echo '{user}:{local_only}' | chpasswd")
    try:
        assert not _password_login(twin, user, local_only)
        assert _password_login(twin, user, radius_password)  # RADIUS decided
        # ... and is the way in when no RADIUS server answers
        ssh(twin, "ip route add blackhole 10.10.10.21/32")
        try:
            assert _password_login(twin, user, local_only)
        finally:
            ssh(twin, "ip route del blackhole 10.10.10.21/32")
    finally:
        ssh(twin, f"echo '{user}:{radius_password}' | chpasswd")


def test_linux_router_radius_rejects_count_towards_the_lockout(
        provisioned: Provisioned) -> None:
    twin = provisioned.target(TWIN)
    user, password = "baiq.nurul", SECRETS["JIP_ADMIN_BAIQ_NURUL"]
    try:
        for n in range(5):
            assert not _password_login(twin, user, f"wrong-{n}")  # RADIUS rejects
        assert not _password_login(twin, user, password)  # locked: RADIUS is not asked
        assert "RHOST" in ssh(twin, f"faillock --user {user}")
    finally:
        ssh(twin, f"faillock --user {user} --reset")
    assert _password_login(twin, user, password)


def test_linux_router_automation_account_logs_in_locally(provisioned: Provisioned) -> None:
    """An account outside the administrators' group (the one pydriver itself logs in
    with) is not RADIUS's to refuse: its local password works while RADIUS answers."""
    twin = provisioned.target(TWIN)
    ssh(twin, "id pydriver-ci >/dev/null 2>&1 || useradd -m -s /bin/sh pydriver-ci; "
              "echo 'pydriver-ci:Automation-Pw-5r' | chpasswd")
    try:
        assert _password_login(twin, "pydriver-ci", "Automation-Pw-5r")
        assert not _password_login(twin, "pydriver-ci", "wrong")
    finally:
        ssh(twin, "userdel -r pydriver-ci 2>/dev/null; faillock --user pydriver-ci --reset")


def test_linux_router_read_back_passes_the_baseline_rules(provisioned: Provisioned) -> None:
    """The files the routers playbook wrote, read as `check --from device` reads them (the
    linux_frr driver's own commands), prove the rules on the twin, with no secret read."""
    twin = provisioned.target(TWIN)
    pipe = Pipeline(ROOT / "inventory")
    files = dict(pipe.rendered[TWIN].files)
    files.update({name: ssh(twin, f"{command} 2>/dev/null")
                  for name, command in frr.OBSERVED.items()})
    running = frr.join(files)
    for value in SECRETS.values():
        assert value not in running
    report = pipe.check({TWIN: (running, f"backups/{TWIN}.txt")}, "device")
    for rule in ("JIP-05", "JIP-06", "JIP-09", "JIP-13", "JIP-20"):
        got = [(f.status.value, f.message) for f in report.findings
               if f.rule == rule and f.router == TWIN]
        assert got and all(s == "pass" for s, _ in got), (rule, got)


def test_repeated_failed_logins_lock_the_account(provisioned: Provisioned) -> None:
    """pam_faillock (baseline role): five wrong passwords, and the right one is refused
    until the lock is lifted."""
    target = provisioned.target("ntp-02")
    user, password = "baiq.nurul", SECRETS["JIP_ADMIN_BAIQ_NURUL"]
    try:
        assert _password_login(target, user, password)
        for n in range(5):
            assert not _password_login(target, user, f"wrong-{n}")
        assert not _password_login(target, user, password)  # locked
        assert "RHOST" in ssh(target, f"faillock --user {user}")
    finally:
        ssh(target, f"faillock --user {user} --reset")
    assert _password_login(target, user, password)
