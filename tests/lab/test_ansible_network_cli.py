"""Ansible's ``network_cli``, unchanged, against the emulated IOS-XE and RouterOS routers.

Real ``ansible-playbook`` runs (the bundled cisco.ios, community.routeros and
ansible.netcommon collections, paramiko as the SSH client) against one in-process lab. The
playbooks, the inventory and the configuration are written per run into a temporary
directory, so the repository's ``ansible.cfg`` plays no part; the JSON stdout callback gives
every task's result per host, and each claim Ansible makes is checked against the router's
own state in the emulator.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pydriver.lab.emu.server import DEFAULT_PASSWORD, EmulatorThread
from pydriver.platforms.cisco_ios.engine import IOSEngine
from pydriver.platforms.cisco_ios.engine.show import image_name
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine

pytestmark = pytest.mark.lab

ANSIBLE_PLAYBOOK = Path(sys.executable).with_name("ansible-playbook")
SECRET = "en4ble"
IOS = "hub1"
ROS = "rtr1"
#: What community.routeros's documentation tells users to log in as: console flags after '+'.
ROS_LOGIN = "admin+cet1024w"

Result = dict[str, Any]


@dataclass(frozen=True)
class PlaybookRun:
    """One ``ansible-playbook`` run, as its JSON callback reported it."""

    returncode: int
    results: dict[str, dict[str, Result]]  # task name -> host -> module result
    stats: dict[str, dict[str, int]]
    stderr: str

    def result(self, task: str, host: str) -> Result:
        assert task in self.results, f"task {task!r} did not run:\n{self.stderr}"
        return self.results[task][host]


@dataclass
class AnsibleLab:
    emu: EmulatorThread
    ios: IOSEngine
    ros: RouterOSEngine
    workdir: Path
    env: dict[str, str]

    def playbook(self, name: str, plays: list[dict[str, Any]]) -> PlaybookRun:
        """Run ``plays`` (JSON is YAML) with ``ansible-playbook`` and collect every result."""
        path = self.workdir / f"{name}.yml"
        path.write_text(json.dumps(plays, indent=1))
        proc = subprocess.run(
            [str(ANSIBLE_PLAYBOOK), "-i", str(self.workdir / "inventory.json"), str(path)],
            cwd=self.workdir, env=self.env, capture_output=True, text=True, timeout=300,
            check=False,
        )
        try:
            report = json.loads(proc.stdout)
        except json.JSONDecodeError:
            raise AssertionError(f"no JSON report (rc {proc.returncode}):\n"
                                 f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}") from None
        results: dict[str, dict[str, Result]] = {}
        for play in report["plays"]:
            for task in play["tasks"]:
                results[task["task"]["name"]] = task["hosts"]
        return PlaybookRun(proc.returncode, results, report["stats"], proc.stderr)


def _environment(workdir: Path) -> dict[str, str]:
    """A clean Ansible environment: nothing from the caller's ANSIBLE_* or home directory."""
    config = workdir / "ansible.cfg"
    config.write_text("[defaults]\n")  # an explicit, empty config: the repo's one never applies
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update({
        "HOME": str(workdir),
        "LC_ALL": "C.UTF-8",
        "ANSIBLE_CONFIG": str(config),
        "ANSIBLE_HOME": str(workdir / ".ansible"),
        "ANSIBLE_LOCAL_TEMP": str(workdir / ".ansible" / "tmp"),
        "ANSIBLE_PERSISTENT_CONTROL_PATH_DIR": str(workdir / "pc"),
        "ANSIBLE_HOST_KEY_CHECKING": "False",
        "ANSIBLE_PARAMIKO_LOOK_FOR_KEYS": "False",
        "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.json",
        "ANSIBLE_PERSISTENT_CONNECT_TIMEOUT": "30",
        "ANSIBLE_PERSISTENT_COMMAND_TIMEOUT": "30",
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "ANSIBLE_DEPRECATION_WARNINGS": "False",
        "ANSIBLE_NOCOLOR": "True",
    })
    return env


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnsibleLab]:
    """An IOS-XE and a RouterOS router on one emulator, and an inventory that reaches them."""
    workdir = tmp_path_factory.mktemp("ansible")
    with EmulatorThread() as emu:
        ios = IOSEngine(IOS, scheduler=emu.scheduler)
        ios_port = emu.add_device(ios, secret=SECRET)
        ros = RouterOSEngine(ROS, "RB5009UG+S+", scheduler=emu.scheduler)
        ros_port = emu.add_device(ros)
        inventory = {"all": {
            "vars": {
                "ansible_connection": "ansible.netcommon.network_cli",
                "ansible_network_cli_ssh_type": "paramiko",
                "ansible_host": "127.0.0.1",
                "ansible_password": DEFAULT_PASSWORD,
                "ansible_python_interpreter": sys.executable,
            },
            "hosts": {
                IOS: {
                    "ansible_port": ios_port,
                    "ansible_user": "admin",
                    "ansible_network_os": "cisco.ios.ios",
                    "ansible_become": True,
                    "ansible_become_method": "enable",
                    "ansible_become_password": SECRET,
                },
                ROS: {
                    "ansible_port": ros_port,
                    "ansible_user": ROS_LOGIN,
                    "ansible_network_os": "community.routeros.routeros",
                },
            },
        }}
        (workdir / "inventory.json").write_text(json.dumps(inventory, indent=1))
        yield AnsibleLab(emu, ios, ros, workdir, _environment(workdir))


def _play(host: str, tasks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": host, "hosts": host, "gather_facts": False, "tasks": tasks}


# ---------------------------------------------------------------------------- IOS-XE

HOSTNAME = "hub-pusdatin-01"
ROUTE = "ip route 10.99.0.0 255.255.0.0 10.20.0.254"
UPLINK = "interface GigabitEthernet0/0/1"
UPLINK_LINES = ["description uplink to ISP", "ip address 10.20.0.1 255.255.255.0"]


def _ios_config_tasks() -> list[dict[str, Any]]:
    return [
        {"name": "hostname and route",
         "cisco.ios.ios_config": {"lines": [f"hostname {HOSTNAME}", ROUTE]}},
        {"name": "uplink",
         "cisco.ios.ios_config": {"parents": [UPLINK], "lines": UPLINK_LINES,
                                  "save_when": "modified"}},
    ]


@pytest.fixture(scope="module")
def ios_first(lab: AnsibleLab) -> PlaybookRun:
    """The first run: configure (hostname, a route, the uplink; saved), then read it all back."""
    return lab.playbook("ios-first", [_play(IOS, [
        *_ios_config_tasks(),
        {"name": "show", "cisco.ios.ios_command": {
            "commands": ["show version", "show running-config", "show privilege",
                         "show inventory", "show cdp", "show lldp"]}},
        {"name": "facts", "cisco.ios.ios_facts": {"gather_subset": ["all"]}},
        {"name": "ping", "cisco.ios.ios_ping": {"dest": "10.20.0.1", "count": 3}},
    ])])


def test_ios_config_changes_and_saves_the_router(lab: AnsibleLab, ios_first: PlaybookRun) -> None:
    run = ios_first
    assert run.returncode == 0, run.stderr
    first = run.result("hostname and route", IOS)
    assert first["changed"] is True
    assert first["updates"] == [f"hostname {HOSTNAME}", ROUTE]
    uplink = run.result("uplink", IOS)
    assert uplink["changed"] is True
    assert uplink["updates"] == [UPLINK, *UPLINK_LINES]
    engine = lab.ios
    assert lab.emu.call(lambda: engine.hostname) == HOSTNAME
    facts = lab.emu.call(engine.facts)
    assert ("10.99.0.0/16", "10.20.0.254") in facts.static_routes
    assert ("GigabitEthernet0/0/1", "10.20.0.1/24") in facts.addresses
    node = lab.emu.call(lambda: engine.running.interface("GigabitEthernet0/0/1"))
    assert node is not None and UPLINK_LINES[0] in node.child_texts()
    # save_when=modified answered IOS's "Destination filename [startup-config]?" question
    assert not lab.emu.call(engine.unsaved)


def test_ios_config_again_changes_nothing_and_bad_line_fails(
        lab: AnsibleLab, ios_first: PlaybookRun) -> None:
    engine = lab.ios
    generation = lab.emu.call(lambda: engine.generation)
    seen = len(lab.emu.faults(IOS).log)
    run = lab.playbook("ios-again", [_play(IOS, [
        *_ios_config_tasks(),
        {"name": "bad line", "ignore_errors": True,
         "cisco.ios.ios_config": {"lines": ["hostnme broken"]}},
        {"name": "after the error", "cisco.ios.ios_command": {"commands": ["show privilege"]}},
    ])])
    assert run.returncode == 0, run.stderr
    for task in ("hostname and route", "uplink"):
        again = run.result(task, IOS)
        assert again["changed"] is False, again
        assert "updates" not in again
    bad = run.result("bad line", IOS)
    assert bad["failed"] is True
    assert "% Invalid input detected at '^' marker." in bad["msg"]
    assert "hostnme broken" in bad["msg"]
    # the session was left in (config)#; the next task still lands in privileged exec
    assert run.result("after the error", IOS)["stdout"] == ["Current privilege level is 15"]
    assert run.stats[IOS]["ignored"] == 1
    # the repeat sent no configuration line at all: the running config is canonical
    assert lab.emu.call(lambda: engine.generation) == generation
    sent = lab.emu.faults(IOS).log[seen:]
    resent = [line for line in sent
              if line.startswith(("hostname", "ip route", "interface", "description"))]
    assert resent == []
    assert "hostnme broken" in sent
    assert lab.emu.call(lambda: engine.hostname) == HOSTNAME


def test_ios_commands_facts_and_ping(lab: AnsibleLab, ios_first: PlaybookRun) -> None:
    engine = lab.ios
    run = ios_first
    assert run.returncode == 0, run.stderr
    version, running, privilege, inventory, cdp, lldp = run.result("show", IOS)["stdout"]
    assert version.startswith("Cisco IOS XE Software, Version 17.09.04a")
    assert f"{HOSTNAME} uptime is" in version
    assert ROUTE in running.splitlines()
    assert privilege == "Current privilege level is 15"
    assert f"PID: ISR4451-X/K9      , VID: V04  , SN: {engine.hardware.serial}" in inventory
    assert cdp.startswith("Global CDP information:")  # on by default, as on IOS-XE
    assert lldp == "% LLDP is not enabled"  # off by default

    facts = run.result("facts", IOS)["ansible_facts"]
    assert facts["ansible_net_version"] == "17.09.04a"
    assert facts["ansible_net_model"] == "ISR4451-X/K9"
    assert facts["ansible_net_serialnum"] == engine.hardware.serial
    # cliconf parses "show version" once per connection: before this run renamed the router
    assert facts["ansible_net_hostname"] == "Router"
    assert facts["ansible_net_iostype"] == "IOS-XE"
    assert facts["ansible_net_image"] == f"bootflash:{image_name(engine)}"
    assert f"hostname {HOSTNAME}" in facts["ansible_net_config"]
    interfaces = facts["ansible_net_interfaces"]
    assert set(interfaces) == set(engine.hardware.ports)
    uplink = interfaces["GigabitEthernet0/0/1"]
    assert uplink["description"] == "uplink to ISP"
    assert uplink["ipv4"] == [{"address": "10.20.0.1", "subnet": "24"}]
    assert (uplink["operstatus"], uplink["lineprotocol"], uplink["duplex"]) == ("up", "up", "Full")
    assert len({i["macaddress"] for i in interfaces.values()}) == len(interfaces)
    assert facts["ansible_net_all_ipv4_addresses"] == ["10.20.0.1"]
    assert facts["ansible_net_all_ipv6_addresses"] == []
    assert facts["ansible_net_neighbors"] == {}  # CDP runs, LLDP is off, no cables in the lab
    assert facts["ansible_net_filesystems"] == ["bootflash:"]
    assert 0 < facts["ansible_net_memfree_mb"] < facts["ansible_net_memtotal_mb"]
    assert facts["ansible_net_cpu_utilization"]["core"]["five_minutes"] == 1

    ping = run.result("ping", IOS)  # ios_ping sends "ping ip <dest> repeat <count>"
    assert (ping["packet_loss"], ping["packets_rx"], ping["packets_tx"]) == ("0%", 3, 3)


# ---------------------------------------------------------------------------- RouterOS

IDENTITY = "rtr-dinkes"
UPLINK_ADDRESS = "10.64.12.1/24"


@pytest.fixture(scope="module")
def ros_run(lab: AnsibleLab) -> PlaybookRun:
    """Commands that change the router, one that RouterOS rejects, then the facts module."""
    cmd = "community.routeros.command"
    return lab.playbook("routeros", [_play(ROS, [
        {"name": "change", cmd: {"commands": [
            f"/system identity set name={IDENTITY}",
            "/system identity print",
            f"/ip address add address={UPLINK_ADDRESS} interface=ether1 comment=pydriver:uplink",
            "/ip address print where interface=ether1",
        ]}},
        {"name": "bad command", "ignore_errors": True, cmd: {"commands": ["/ip adress print"]}},
        {"name": "facts", "community.routeros.facts": {
            "gather_subset": ["default", "hardware", "interfaces"]}},
    ])])


def test_routeros_commands_change_the_router(lab: AnsibleLab, ros_run: PlaybookRun) -> None:
    assert ros_run.returncode == 0, ros_run.stderr
    out = ros_run.result("change", ROS)["stdout"]
    # the prompt changed after the first line ([admin@rtr-dinkes] >); the rest still ran
    assert out[:3] == ["", f"name: {IDENTITY}", ""]
    printed = out[3].splitlines()
    assert ";;; pydriver:uplink" in printed
    assert printed[-1].split() == ["1", UPLINK_ADDRESS, "10.64.12.0", "ether1"]
    engine = lab.ros
    assert lab.emu.call(lambda: engine.identity) == IDENTITY
    assert ("ether1", UPLINK_ADDRESS) in lab.emu.call(engine.facts).addresses


def test_routeros_bad_command_fails_the_task(ros_run: PlaybookRun) -> None:
    bad = ros_run.result("bad command", ROS)
    assert bad["failed"] is True
    assert "bad command name adress (line 1 column 5)" in bad["msg"]
    assert ros_run.stats[ROS]["ignored"] == 1


def test_routeros_facts(lab: AnsibleLab, ros_run: PlaybookRun) -> None:
    facts = ros_run.result("facts", ROS)["ansible_facts"]
    engine = lab.ros
    assert facts["ansible_net_hostname"] == IDENTITY
    assert facts["ansible_net_version"].startswith("7.")
    assert facts["ansible_net_model"] == "RB5009UG+S+"
    assert facts["ansible_net_serialnum"] == engine.serial
    assert facts["ansible_net_arch"] == "arm64"
    assert 0 < facts["ansible_net_memfree_mb"] < facts["ansible_net_memtotal_mb"]
    interfaces = facts["ansible_net_interfaces"]
    assert {"ether1", "ether5", "bridge"} <= set(interfaces)
    assert interfaces["ether1"]["ipv4"] == [{"address": "10.64.12.1", "subnet": "24"}]
    assert interfaces["bridge"]["ipv4"] == [{"address": "192.168.88.1", "subnet": "24"}]
    assert interfaces["ether1"]["type"] == "ether"
    assert sorted(facts["ansible_net_all_ipv4_addresses"]) == ["10.64.12.1", "192.168.88.1"]
    # IPv6 is on in RouterOS 7: a link-local address on each interface that is not a port
    for name in ("ether1", "bridge"):
        [link_local] = interfaces[name]["ipv6"]
        assert link_local["address"].startswith("fe80::") and link_local["subnet"] == "64"
    assert "ipv6" not in interfaces["ether2"]  # a bridge port has none of its own
    assert len(facts["ansible_net_all_ipv6_addresses"]) == 2
