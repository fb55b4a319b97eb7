"""The servers' Ansible inventory: generated from the example, agreeing with the routers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from typing import Any

import pytest
import yaml

from pydriver.pipeline import Pipeline
from pydriver.servers.inventory import ServerInventory, generate, secret_refs
from pydriver.servers.lookups import Lookups
from tests.conftest import ROOT, Edit


def _generate(inventory: Path) -> ServerInventory:
    _pipe = Pipeline(inventory)
    net = _pipe.network
    return generate(net, _pipe.intents, inventory.resolve())


@pytest.fixture(scope="module")
def listed() -> dict[str, Any]:
    return _generate(ROOT / "inventory").as_list()


def _allow(listed: dict[str, Any], host: str, name: str) -> set[IPv4Network]:
    rules = listed["_meta"]["hostvars"][host]["jip_firewall_allow"]
    (rule,) = (r for r in rules if r["name"] == name)
    return {IPv4Network(s) for s in rule["sources"]}


def test_groups_and_hosts_follow_servers_yml(listed: dict[str, Any]) -> None:
    _pipe = Pipeline(ROOT / "inventory")
    net = _pipe.network
    hostvars = listed["_meta"]["hostvars"]
    linux = {h for h, i in _pipe.intents.items() if i.platform.value == "linux_frr"}
    assert linux == {"hub-pusdatin-02", "rtr-pkm-tanjung", "rtr-wifi-alun-alun"}
    assert set(hostvars) == {s.name for s in net.servers} | linux
    assert set(listed["servers"]["hosts"]) == {s.name for s in net.servers}
    assert set(listed["linux_routers"]["hosts"]) == linux
    for s in net.servers:
        assert hostvars[s.name]["ansible_host"] == str(s.address)
        for role in s.roles:
            assert s.name in listed[str(role)]["hosts"]
        assert s.name in listed[f"dc_{s.datacenter}"]["hosts"]
    assert listed["ntp"]["hosts"] == ["ntp-01", "ntp-02"]
    assert set(listed["all"]["children"]) >= {"ntp", "syslog", "dns", "radius", "monitoring"}


def test_every_router_is_a_sender_client_and_target(listed: dict[str, Any]) -> None:
    intents = Pipeline(ROOT / "inventory").intents
    routers = {r["name"]: r for r in listed["all"]["vars"]["jip_routers"]}
    assert set(routers) == set(intents)
    for name, intent in intents.items():
        assert routers[name]["source"] == str(intent.loopback)
        assert routers[name]["management"] == str(intent.management)
    # what the routers are configured to use is what the servers are
    dinkes = intents["rtr-dinkes"].baseline
    shared = listed["all"]["vars"]
    assert shared["jip_ntp_servers"] == [str(a) for a in dinkes.ntp]
    assert shared["jip_syslog_servers"] == [str(a) for a in dinkes.syslog]
    assert shared["jip_radius_servers"] == [str(a) for a in dinkes.radius]
    assert shared["jip_banner"] == Pipeline(ROOT / "inventory").network.baseline.banner
    records = {r["name"]: r["value"] for r in shared["jip_dns_records"]}
    assert records["rtr-dinkes"] == str(intents["rtr-dinkes"].loopback)
    assert records["dinkes.site"] == str(intents["rtr-dinkes"].zones[0].gateway.ip)
    assert records["ntp-01"] == "10.10.10.11"


def test_firewall_policy_per_role(listed: dict[str, Any]) -> None:
    mgmt = {IPv4Network("10.250.10.0/24"), IPv4Network("10.250.20.0/24")}
    loopbacks = {IPv4Network(r["source"]) for r in listed["all"]["vars"]["jip_routers"]}
    for host in listed["servers"]["hosts"]:
        assert _allow(listed, host, "ssh") == mgmt
        assert _allow(listed, host, "node-exporter") == {IPv4Network("10.250.10.50/32")}
    assert _allow(listed, "radius-01", "radius-auth") == loopbacks
    assert loopbacks < _allow(listed, "syslog-01", "syslog")
    assert IPv4Network("10.64.0.0/12") in _allow(listed, "dns-01", "dns")
    assert _allow(listed, "monitor-01", "prometheus") == mgmt
    names = {r["name"] for r in listed["_meta"]["hostvars"]["ntp-01"]["jip_firewall_allow"]}
    assert "radius-auth" not in names and "dns" not in names


def test_no_secret_value_only_lookups(inv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {ref.split(":", 1)[1]: f"value-of-{ref}" for ref in
           secret_refs(Pipeline(inv).network) if ref.startswith("env:")}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    text = json.dumps(_generate(inv).as_list())
    assert env and not any(v in text for v in env.values())
    assert "{{ lookup('ansible.builtin.env', 'JIP_RADIUS_SECRET') }}" in text


def test_file_and_vault_references_become_absolute_lookups(inv: Path, edit: Edit) -> None:
    edit("region.yml", "radius_secret: env:JIP_RADIUS_SECRET", "radius_secret: file:s/radius")
    edit("region.yml", "auth_secret: env:JIP_SNMP_AUTH", "auth_secret: vault:v.yml#snmp_auth")
    shared = _generate(inv).shared
    sources = shared["jip_secret_sources"]
    file_key = shared["jip_radius_secret"].split("jip_secret_sources.")[1].split(".")[0]
    assert shared["jip_radius_secret"] == (
        "{{ lookup('ansible.builtin.file', jip_secret_sources." + file_key + ".path) }}")
    assert sources[file_key] == {"path": str(inv.resolve() / "s" / "radius")}
    vault_key = shared["jip_snmp"]["auth_password"].split("jip_secret_sources.")[1] \
        .split(".")[0]
    assert shared["jip_snmp"]["auth_password"] == (
        "{{ (lookup('ansible.builtin.unvault', jip_secret_sources." + vault_key + ".path)"
        " | from_yaml)[jip_secret_sources." + vault_key + ".key] }}")
    assert sources[vault_key] == {"path": str(inv.resolve() / "v.yml"), "key": "snmp_auth"}
    lookup = Lookups(inv)
    assert lookup("file:/run/secret").endswith(".path) }}")
    assert list(lookup.sources.values()) == [{"path": "/run/secret"}]


def test_output_is_stable(inv: Path) -> None:
    a = json.dumps(_generate(inv).as_list(), sort_keys=True)
    b = json.dumps(_generate(inv).as_list(), sort_keys=True)
    assert a == b


def test_plain_ansible_sees_the_same_inventory(listed: dict[str, Any]) -> None:
    """ansible.cfg's plugin gives ansible-inventory exactly what pydriver generates, each
    value from the source of truth unsafe (never templated), the lookups templates."""
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-inventory"), "--list"], cwd=ROOT,
        env={**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")},
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    theirs = json.loads(proc.stdout)
    marked = _generate(ROOT / "inventory").ansible_list()
    shared = marked["all"]["vars"]
    for host, ours in marked["_meta"]["hostvars"].items():
        assert theirs["_meta"]["hostvars"][host] == {**shared, **ours}
    assert shared["jip_radius_secret"] == "{{ lookup('ansible.builtin.env', 'JIP_RADIUS_SECRET') }}"
    assert shared["jip_banner"] == {"__ansible_unsafe": listed["all"]["vars"]["jip_banner"]}
    for group in ("ntp", "syslog", "dns", "radius", "monitoring", "dc_pusdatin", "dc_drc"):
        assert theirs[group]["hosts"] == listed[group]["hosts"]


def test_router_sources_are_unique_addresses(listed: dict[str, Any]) -> None:
    sources = [IPv4Address(r["source"]) for r in listed["all"]["vars"]["jip_routers"]]
    assert len(sources) == len(set(sources)) == 19


def test_linux_routers_are_hosts_of_their_own_baseline(listed: dict[str, Any]) -> None:
    """A Linux router is reached on its management address, lets SSH in from the
    management zones only, keeps forwarding, and sends from its loopback."""
    intents = Pipeline(ROOT / "inventory").intents
    hostvars = listed["_meta"]["hostvars"]
    routers = {r["name"]: r for r in listed["all"]["vars"]["jip_routers"]}
    for name in listed["linux_routers"]["hosts"]:
        v, intent = hostvars[name], intents[name]
        assert v["ansible_host"] == str(intent.management)
        assert v["jip_source_address"] == str(intent.loopback)
        assert v["baseline_ssh_allow_from"] == ["10.250.10.0/24", "10.250.20.0/24"]
        assert v["baseline_sysctl_router"]["net.ipv4.ip_forward"] == 1
        assert v["snmpd_auth_protocol"] == routers[name]["snmp_auth_protocol"] == "SHA256"
        assert "jip_firewall_allow" not in v  # its firewall is pydriver's nftables.conf
    assert routers["rtr-dinkes"]["snmp_auth_protocol"] == "SHA"
    for book in ("baseline.yml", "firewall.yml", "monitoring.yml"):
        plays = yaml.safe_load((ROOT / "playbooks" / book).read_text())
        assert all("linux_routers" not in p["hosts"] and p["hosts"] != "all" for p in plays)
