"""Real RouterOS clients, unchanged, against the emulated router: scrapli with the
community RouterOS driver, Netmiko with ntc-templates, librouteros and Ansible's
``community.routeros`` API modules on the binary API, and a bare SSH client that sees
what the login options change. Each client's view is checked against the router's state.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import librouteros
import paramiko
import pytest
from librouteros.exceptions import TrapError
from librouteros.query import Key
from netmiko import ConnectHandler
from scrapli import Scrapli

from pydriver.lab.emu.server import DEFAULT_PASSWORD, EmulatorThread
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine

pytestmark = pytest.mark.lab

ANSIBLE_PLAYBOOK = Path(sys.executable).with_name("ansible-playbook")


@pytest.fixture
def emu() -> Iterator[EmulatorThread]:
    with EmulatorThread() as thread:
        yield thread


@pytest.fixture
def router(emu: EmulatorThread) -> tuple[RouterOSEngine, int]:
    engine = RouterOSEngine("rtr-clients", "RB5009UG+S+", scheduler=emu.scheduler)
    return engine, emu.add_device(engine)


def _api(emu: EmulatorThread, name: str) -> librouteros.Api:
    port = emu.api_port(name)
    assert port is not None
    return librouteros.connect(host="127.0.0.1", username="admin", password=DEFAULT_PASSWORD,
                               port=port, timeout=10)


# ---------------------------------------------------------------------------- scrapli


def test_scrapli_community_driver_sends_commands(emu: EmulatorThread,
                                                 router: tuple[RouterOSEngine, int]) -> None:
    """scrapli waits for the prompt twice on one line (RouterOS draws it twice); the driver
    is a generic one, so ``send_commands`` is its way of sending configuration lines."""
    engine, port = router
    conn = Scrapli(host="127.0.0.1", port=port, auth_username="admin",
                   auth_password=DEFAULT_PASSWORD, auth_strict_key=False,
                   platform="mikrotik_routeros", transport="paramiko", timeout_ops=10,
                   timeout_socket=10, timeout_transport=10)
    conn.open()
    try:
        assert conn.get_prompt() == "[admin@MikroTik] >"
        started = time.monotonic()
        identity = conn.send_command("/system identity print")
        assert identity.result.strip() == "name: MikroTik" and not identity.failed
        assert time.monotonic() - started < 5  # read to the prompt, not to a timeout
        replies = conn.send_commands([
            "/ip address add address=10.64.9.1/24 interface=ether3 comment=scrapli",
            "/ip address add address=10.64.9.1/24 interface=ether3 colour=red",
        ])
        assert replies[0].result == ""
        assert replies[1].result == "expected end of command (line 1 column 55)"
        listed = conn.send_command("/ip address print where comment=scrapli")
        assert "10.64.9.1/24" in listed.result and "ether3" in listed.result
    finally:
        conn.close()
    assert "10.64.9.1/24" in emu.call(lambda: engine.run("/ip address print"))


# ---------------------------------------------------------------------------- Netmiko + ntc


Rows = list[dict[str, Any]]
NTC_COMMANDS: dict[str, Callable[[Rows], bool]] = {
    "/system identity print": lambda rows: rows == [{"name": "rtr-ntc"}],
    "/system routerboard print": lambda rows: rows[0]["hardware_model"] == "RB5009UG+S+",
    "/ip address print": lambda rows: {(r["ip"], r["interface"]) for r in rows} >= {
        ("192.168.88.1", "bridge"), ("10.64.7.1", "ether4")},
    "/ping 127.0.0.1 count=3": lambda rows: rows[0]["sent"] == "3"
    and rows[0]["packet_loss"] == "0",
    "/interface print terse without-paging": lambda rows: {"ether4", "bridge", "v70"} <= {
        r["name"] for r in rows},
    "/interface print detail": lambda rows: any(r["name"] == "ether4" and r["mac_address"]
                                                for r in rows),
    "/ip route print terse": lambda rows: any(r["dst_address"] == "10.64.7.0/24"
                                              and r["gateway"] == "ether4" for r in rows),
    "/log print detail without-paging": lambda rows: any(
        r["whole_message"] == 'topics=script,info message="ntc check"' for r in rows),
    "/ip arp print without-paging": lambda rows: rows[0]["mac_address"] == "00:11:22:33:44:55",
    "/ip firewall address-list print terse": lambda rows: rows[0]["list"] == "mgmt",
}


def test_netmiko_textfsm_parses_with_ntc_templates(emu: EmulatorThread,
                                                   router: tuple[RouterOSEngine, int]) -> None:
    """The ntc-templates whose layout is RouterOS 7's parse the twin's output (the others
    are written for RouterOS 6 layouts, which a RouterOS 7 router does not print either;
    the route template knows no lower-case ``s`` flag, so the table holds no static route)."""
    engine, port = router
    emu.call(lambda: engine.run("/system identity set name=rtr-ntc"))
    conn = ConnectHandler(device_type="mikrotik_routeros", host="127.0.0.1", port=port,
                          username="admin", password=DEFAULT_PASSWORD)
    try:
        conn.send_config_set([
            "/ip address add address=10.64.7.1/24 interface=ether4",
            "/interface vlan add name=v70 vlan-id=70 interface=ether4",
            "/ip arp add address=10.64.7.9 mac-address=00:11:22:33:44:55 interface=ether4",
            "/ip firewall address-list add list=mgmt address=10.10.99.0/24",
            ':log info "ntc check"',
        ])
        for command, check in NTC_COMMANDS.items():
            rows = conn.send_command(command, use_textfsm=True)
            assert isinstance(rows, list) and rows, f"{command}: {rows!r}"
            assert check(rows), f"{command}: {rows!r}"
    finally:
        conn.disconnect()


# ---------------------------------------------------------------------------- console


def test_console_listings_over_ssh(emu: EmulatorThread,
                                   router: tuple[RouterOSEngine, int]) -> None:
    _, port = router
    conn = ConnectHandler(device_type="mikrotik_routeros", host="127.0.0.1", port=port,
                          username="admin", password=DEFAULT_PASSWORD)
    try:
        def cmd(line: str) -> str:
            out = conn.send_command(line)
            assert isinstance(out, str)
            return out

        active = cmd("/user active print")
        assert "admin" in active and "127.0.0.1" in active and "ssh" in active
        assert "user admin logged in from 127.0.0.1 via ssh" in cmd("/log print")
        cmd("/ip arp add address=192.168.88.7 mac-address=02:00:00:00:00:07 interface=bridge")
        assert "02:00:00:00:00:07" in cmd("/ip arp print")
        ping = cmd("/tool ping 127.0.0.1 count=2")
        assert "sent=2 received=2 packet-loss=0%" in ping
        assert cmd("/interface print count-only") == "10"
        where = cmd("/interface print where name=ether2")
        assert "ether2" in where and "ether3" not in where
        terse = cmd("/ip address print terse")
        assert "address=192.168.88.1/24" in terse and "interface=bridge" in terse
        assert cmd(":put [/system identity get name]") == "MikroTik"
        assert cmd(":put [/ip address get [find interface=bridge] address]") == \
            "192.168.88.1/24"
        assert cmd("/ip adress print") == "bad command name adress (line 1 column 5)"
        assert cmd("/system identity print bogus") == \
            "expected end of command (line 1 column 24)"
    finally:
        conn.disconnect()


# ---------------------------------------------------------------------------- login options


class _Raw:
    """A bare interactive SSH channel: what the router writes, escape codes and all."""

    def __init__(self, port: int, login: str) -> None:
        self.client = paramiko.SSHClient()
        self.client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        self.client.connect("127.0.0.1", port, login, DEFAULT_PASSWORD, look_for_keys=False,
                            allow_agent=False)
        self.chan = self.client.invoke_shell(width=200, height=50)
        self.chan.settimeout(5)
        self.seen = b""

    def read_until(self, marker: bytes) -> bytes:
        """Everything received up to and including the next ``marker``."""
        while marker not in self.seen:
            self.seen += self.chan.recv(65536)
        head, _, self.seen = self.seen.partition(marker)
        return head + marker

    def close(self) -> None:
        self.client.close()


@pytest.mark.parametrize(
    ("login", "probe", "colours"),
    [("admin", True, True), ("admin+ct", False, False), ("admin+c", True, False),
     ("admin+t", False, True), ("admin+cet511w4098h", False, False)],
)
def test_login_options_turn_colours_and_detection_off_only_when_asked(
        router: tuple[RouterOSEngine, int], login: str, probe: bool, colours: bool) -> None:
    _, port = router
    shell = _Raw(port, login)
    try:
        while len(shell.seen) < 2:
            shell.seen += shell.chan.recv(2 - len(shell.seen))
        assert shell.seen.startswith(b"\x1bZ") is probe  # "identify yourself": detection
        if probe:
            shell.chan.send(b"\x1b/Z")  # the answer a VT52-style terminal gives (as Ansible)
        greeting = shell.read_until(b"> ")
        assert (b"\x1b[1;36m" in greeting) is colours
        shell.chan.send(b"/system identity print\r\n")
        out = shell.read_until(b"name: MikroTik")
        assert b"bad command" not in out  # the answer was taken as an answer, not a command
        prompt = b"\x1b[1;36m[admin@MikroTik]\x1b[m > " if colours else b"[admin@MikroTik] > "
        drawn = shell.read_until(prompt) + shell.read_until(prompt)  # drawn twice, on one line
        assert drawn.endswith((b"\r" + prompt, b"\x1b[9999B" + prompt))
    finally:
        shell.close()


def test_a_client_that_never_answers_detection_waits_and_gets_a_dumb_terminal(
        router: tuple[RouterOSEngine, int]) -> None:
    _, port = router
    shell = _Raw(port, "admin")
    try:
        started = time.monotonic()
        greeting = shell.read_until(b"> ")
        assert greeting.startswith(b"\x1bZ") and time.monotonic() - started >= 0.9
        shell.chan.send(b"/system identity print\r\n")
        tail = shell.read_until(b"name: MikroTik") + shell.read_until(b"> ")
        tail += shell.read_until(b"> ")
        assert b"\x1b[9999B" not in tail  # no cursor moves on a terminal that never answered
    finally:
        shell.close()


# ---------------------------------------------------------------------------- the API


def test_librouteros_reads_and_changes_the_menus_pydriver_renders(
        emu: EmulatorThread, router: tuple[RouterOSEngine, int]) -> None:
    engine, _ = router
    api = _api(emu, engine.name)
    try:
        services = {r["name"]: r for r in api.path("ip", "service")}
        assert services["api"]["port"] == emu.api_port(engine.name)  # where it really listens
        assert services["ssh"]["port"] == 22 and services["api"]["disabled"] is False
        address = api.path("ip", "address")
        new = address.add(address="10.64.20.1/24", interface="ether6", comment="api")
        found = list(address.select(Key("address"), Key("network")).where(
            Key("interface") == "ether6"))
        assert found == [{"address": "10.64.20.1/24", "network": "10.64.20.0"}]
        address.update(**{".id": new, "comment": "api-changed"})
        with pytest.raises(TrapError, match="failure: already have such address"):
            address.add(address="10.64.20.1/24", interface="ether6")
        route = api.path("ip", "route")
        route_id = route.add(**{"dst-address": "10.99.0.0/16", "gateway": "10.64.20.254"})
        assert any(r["dst-address"] == "10.99.0.0/16" and r["active"] for r in route)
        api.path("ip", "ipsec", "profile").add(name="jip", **{"dh-group": "ecp256"})
        peer = api.path("ip", "ipsec", "peer")
        peer_id = peer.add(name="hub", address="198.51.100.1/32", profile="jip",
                           **{"exchange-mode": "ike2"})
        bgp = api.path("routing", "bgp", "connection")
        bgp.add(name="hub", **{"as": "65001", "local.role": "ebgp",
                               "remote.address": "10.64.20.254", "remote.as": "65000"})
        assert [r["remote.as"] for r in bgp] == [65000]  # librouteros reads numbers as int
        names = {r["name"] for r in api.path("interface")}
        assert {"ether6", "bridge"} <= names
        api.path("system", "identity").update(name="via-api")
        peer.remove(peer_id)
        route.remove(route_id)
        assert emu.call(lambda: engine.identity) == "via-api"
        exported = emu.call(engine.export)
        assert "add address=10.64.20.1/24 comment=api-changed interface=ether6" in exported
        assert "name=hub" in exported and "10.99.0.0/16" not in exported
    finally:
        api.close()


def test_the_api_answers_only_while_its_service_is_enabled(
        emu: EmulatorThread, router: tuple[RouterOSEngine, int]) -> None:
    engine, _ = router
    port = emu.api_port(engine.name)
    assert port is not None
    with pytest.raises(librouteros.exceptions.TrapError):
        librouteros.connect(host="127.0.0.1", username="admin", password="wrong", port=port)
    emu.call(lambda: engine.run("/ip service set api disabled=yes"))
    with pytest.raises((ConnectionError, OSError, librouteros.exceptions.LibRouterosError)):
        librouteros.connect(host="127.0.0.1", username="admin", password=DEFAULT_PASSWORD,
                            port=port, timeout=5)
    emu.call(lambda: engine.run("/ip service set api disabled=no address=10.0.0.0/8"))
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.settimeout(5)
        assert sock.recv(1) == b""  # 127.0.0.1 is not an allowed address: closed at once


# ---------------------------------------------------------------------------- Ansible


def _ansible(workdir: Path, port: int, tasks: list[dict[str, Any]]) -> dict[str, Any]:
    """Run ``tasks`` against the router's API with ``ansible-playbook``; the JSON report."""
    config = workdir / "ansible.cfg"
    config.write_text("[defaults]\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update({"HOME": str(workdir), "ANSIBLE_CONFIG": str(config), "LC_ALL": "C.UTF-8",
                "ANSIBLE_HOME": str(workdir / ".ansible"),
                "ANSIBLE_LOCAL_TEMP": str(workdir / ".ansible" / "tmp"),
                "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.json", "ANSIBLE_NOCOLOR": "True",
                "ANSIBLE_DEPRECATION_WARNINGS": "False"})
    login = {"hostname": "127.0.0.1", "port": port, "username": "admin",
             "password": DEFAULT_PASSWORD}
    plays = [{"name": "api", "hosts": "localhost", "gather_facts": False,
              "module_defaults": {"group/community.routeros.api": login},
              "tasks": tasks}]
    book = workdir / "play.yml"
    book.write_text(json.dumps(plays))
    inventory = workdir / "inventory.json"
    inventory.write_text(json.dumps({"all": {"hosts": {"localhost": {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}}))
    proc = subprocess.run([str(ANSIBLE_PLAYBOOK), "-i", str(inventory), str(book)],
                          cwd=workdir, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    return {t["task"]["name"]: t["hosts"]["localhost"] for t in report["plays"][0]["tasks"]}


def test_ansible_api_info_and_api_modify(emu: EmulatorThread,
                                         router: tuple[RouterOSEngine, int],
                                         tmp_path: Path) -> None:
    engine, _ = router
    port = emu.api_port(engine.name)
    assert port is not None
    results = _ansible(tmp_path, port, [
        {"name": "addresses", "community.routeros.api_info": {"path": "ip address"}},
        {"name": "identity", "community.routeros.api_modify": {
            "path": "system identity", "data": [{"name": "ansible-rtr"}]}},
        {"name": "add address", "community.routeros.api_modify": {
            "path": "ip address", "handle_absent_entries": "ignore",
            "data": [{"address": "10.64.30.1/24", "interface": "ether7",
                      "comment": "ansible"}]}},
        {"name": "again", "community.routeros.api_modify": {
            "path": "ip address", "handle_absent_entries": "ignore",
            "data": [{"address": "10.64.30.1/24", "interface": "ether7",
                      "comment": "ansible"}]}},
    ])
    listed = results["addresses"]["result"]
    assert [(r["address"], r["interface"]) for r in listed] == [("192.168.88.1/24", "bridge")]
    assert results["identity"]["changed"] and results["add address"]["changed"]
    assert not results["again"]["changed"]  # idempotent: the twin reads back what was set
    assert emu.call(lambda: engine.identity) == "ansible-rtr"
    assert "10.64.30.1/24" in emu.call(lambda: engine.run("/ip address print"))
