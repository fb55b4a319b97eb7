"""Inventories for review tests: a git repository of the example with a base commit, and
generated sites (a new OPD, or hundreds of them)."""

from __future__ import annotations

import shutil
import subprocess
from ipaddress import IPv4Address
from pathlib import Path

from tests.conftest import EXAMPLE

# a new OPD on two internet links (ids and addresses unused in the example region)
DISPAR = """\
# Dinas Pariwisata
id: 17
code: dispar
name: Dinas Pariwisata
kind: opd_office
address: "Jl. Langko No. 70, Mataram"
router:
  hostname: rtr-dispar
  platform: mikrotik_routeros
  model: hEX RB750Gr3
links:
  - name: inet-pusdatin
    medium: internet_vpn
    hub: hub-pusdatin-01
    role: primary
    capacity_mbps: 50
    interface: ether1
    provider: Indibiz
    address: 192.0.2.38/30
    gateway: 192.0.2.37
  - name: inet-drc
    medium: internet_vpn
    hub: hub-drc-01
    role: backup
    capacity_mbps: 20
    interface: ether2
    provider: Biznet
    address: 198.51.100.18/30
    gateway: 198.51.100.17
zones:
  - kind: staff
    interface: ether3
bandwidth:
  uplink: inet-telkom
  guaranteed_mbps: 10
  max_mbps: 30
  priority: 5
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=ci", "-c",
                           "user.email=ci@example.invalid", *args], capture_output=True,
                          text=True, check=True).stdout.strip()


def repository(dest: Path) -> Path:
    """A git repository holding a copy of the example inventory, committed once (the
    base); returns the inventory directory."""
    shutil.copytree(EXAMPLE, dest / "inventory")
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", ".")
    git(dest, "commit", "-q", "-m", "base")
    return dest / "inventory"


def opd_change(inv: Path) -> None:
    """The example change: a new OPD, and a site's bandwidth raised."""
    (inv / "sites" / "dispar.yml").write_text(DISPAR)
    site = inv / "sites" / "kec-gunungsari.yml"
    text = site.read_text()
    assert "guaranteed_mbps: 10\n" in text and "max_mbps: 30\n" in text
    site.write_text(text.replace("guaranteed_mbps: 10\n", "guaranteed_mbps: 25\n")
                    .replace("max_mbps: 30\n", "max_mbps: 45\n"))


def generated_site(n: int) -> str:
    """Site number ``n`` of a generated batch: an IOS-XE OPD on one internet link to the
    IOS-XE hub (ids from 100, underlay addresses from 172.16.0.0/12, one /30 each)."""
    code = f"opd-{n:03d}"
    local = IPv4Address("172.16.0.0") + 4 * n + 2
    return f"""\
id: {100 + n}
code: {code}
name: Kantor OPD {n}
kind: opd_office
router:
  hostname: rtr-{code}
  platform: cisco_ios
  model: ISR4331/K9
links:
  - name: inet-pusdatin
    medium: internet_vpn
    hub: hub-pusdatin-01
    capacity_mbps: 20
    interface: GigabitEthernet0/0/0
    provider: Telkom Astinet
    address: {local}/30
    gateway: {local - 1}
zones:
  - kind: staff
    interface: GigabitEthernet0/0/1
bandwidth:
  uplink: inet-telkom
  guaranteed_mbps: 2
  max_mbps: 10
"""


def many_sites(inv: Path, count: int) -> None:
    for n in range(count):
        (inv / "sites" / f"opd-{n:03d}.yml").write_text(generated_site(n))
