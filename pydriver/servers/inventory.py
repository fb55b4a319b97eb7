"""The Ansible inventory of the shared servers, generated from the Network, never hand-kept.

Everything the roles need to agree with the routers comes from the same validated source
of truth the router configs are rendered from: the NTP, syslog, DNS and RADIUS servers the
routers point at, every router as a syslog sender, RADIUS client and SNMP target (by the
loopback it sends from and the address it is managed on), the intranet zone's records and
each server's firewall policy. Secrets appear only as lookups (see ``lookups``).

The Linux routers (a platform whose ``host_baseline_by_ansible`` is set) are hosts here
too, in ``linux_routers``: their network files (FRR, strongSwan, nftables, tc) are
pydriver's, pushed under an armed revert, but their host baseline (packages, accounts,
sshd, chrony, rsyslog, snmpd, PAM RADIUS) is a Debian server's and is provisioned by the
same roles the servers get (``routers.yml``).
The servers are in ``servers``, so a play for servers never touches a router.

Nothing that came from the source of truth may become a template: a site name, a banner
or a path holding ``{{ lookup('pipe', ...) }}`` would otherwise run on the controller. So
in every form Ansible reads, each value is marked unsafe (never templated) except the
lookups pydriver built itself (``ansible_data``; the inventory plugin does the same).

The result has the form ``ansible-inventory --list`` prints (and a script inventory
returns): groups with ``hosts``, shared variables in ``all.vars``, and
``_meta.hostvars`` with ``ansible_host`` per server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, collapse_addresses
from pathlib import Path
from typing import Any

from pydriver.intent.model import DeviceIntent
from pydriver.platforms.registry import driver
from pydriver.servers import policy
from pydriver.servers.lookups import SOURCES, Lookup, Lookups
from pydriver.sot.models import Network, Server, ServerRole

SNMP_AUTH_PROTOCOL = "SHA"  # what the router templates configure (IOS: auth sha, priv aes 128)
SNMP_PRIV_PROTOCOL = "AES"
# net-snmp (the Linux routers' snmpd) offers SHA-2 (RFC 7860), so they authenticate with it
SNMP_SHA2_PROTOCOL = "SHA256"
ROUTERS_GROUP = "linux_routers"
SERVERS_GROUP = "servers"
# a router forwards, and its tunnels and uplinks make traffic asymmetric (loose rp_filter);
# the rest of the baseline's sysctl hardening holds for it as for a server
ROUTER_SYSCTL = {"net.ipv4.ip_forward": 1, "net.ipv4.conf.all.rp_filter": 2,
                 "net.ipv4.conf.default.rp_filter": 2}


@dataclass(frozen=True, slots=True)
class ServerInventory:
    """The generated inventory: hosts with their variables, groups, shared variables."""

    hostvars: Mapping[str, Mapping[str, Any]]
    groups: Mapping[str, tuple[str, ...]]
    shared: Mapping[str, Any]

    def as_list(self, mark: Callable[[Any], Any] = lambda v: v) -> dict[str, Any]:
        """The ``ansible-inventory --list`` JSON form (each variable's value through
        ``mark``)."""
        data: dict[str, Any] = {
            "_meta": {"hostvars": {h: {k: mark(x) for k, x in v.items()}
                                   for h, v in self.hostvars.items()}},
            "all": {"children": ["ungrouped", *self.groups],
                    "vars": {k: mark(x) for k, x in self.shared.items()}},
            "ungrouped": {"hosts": []},
        }
        for group, hosts in self.groups.items():
            data[group] = {"hosts": list(hosts)}
        return data

    def as_file(self, mark: Callable[[Any], Any] = lambda v: v) -> dict[str, Any]:
        """The form Ansible's YAML/JSON inventory files take (what ``-i FILE`` reads)."""
        return {"all": {
            "hosts": {h: {k: mark(x) for k, x in v.items()} for h, v in self.hostvars.items()},
            "vars": {k: mark(x) for k, x in self.shared.items()},
            "children": {g: {"hosts": dict.fromkeys(hosts)}
                         for g, hosts in self.groups.items()},
        }}

    def ansible_list(self) -> dict[str, Any]:
        """``as_list`` as Ansible must read it: every value unsafe but the lookups."""
        return self.as_list(ansible_data)

    def ansible_file(self) -> dict[str, Any]:
        """``as_file`` as Ansible must read it: every value unsafe but the lookups."""
        return self.as_file(ansible_data)


def generate(net: Network, intents: Mapping[str, DeviceIntent], base: Path) -> ServerInventory:
    """Build the inventory; ``base`` is the inventory directory (for secret file paths)."""
    routers = sorted(intents.values(), key=lambda i: i.hostname)
    zones = _zones(net)
    intranet = tuple(collapse_addresses(net.intranet()))
    by_role = {role: tuple(s for s in net.servers if role in s.roles) for role in ServerRole}
    parties = policy.Parties(
        management=tuple(zones["management"]),
        intranet=intranet,
        routers=tuple(r.loopback for r in routers),
        servers=tuple(s.address for s in net.servers),
        monitoring=tuple(s.address for s in by_role[ServerRole.MONITORING]),
    )
    hostvars = {
        s.name: {
            "ansible_host": str(s.address),
            "jip_datacenter": s.datacenter,
            "jip_zone": s.zone,
            "jip_roles": [str(r) for r in s.roles],
            "jip_firewall_allow": [a.as_dict() for a in policy.allow(s, parties)],
        }
        for s in net.servers
    }
    linux = [r for r in routers if driver(r.platform).host_baseline_by_ansible]
    hostvars.update({r.hostname: _linux_router(r, zones["management"]) for r in linux})
    groups: dict[str, tuple[str, ...]] = {
        str(role): tuple(s.name for s in servers) for role, servers in by_role.items()}
    groups[SERVERS_GROUP] = tuple(s.name for s in net.servers)
    groups[ROUTERS_GROUP] = tuple(r.hostname for r in linux)
    for dc in net.datacenters:
        groups[f"dc_{dc.code.replace('-', '_')}"] = tuple(
            s.name for s in net.servers if s.datacenter == dc.code)
    base_sot = net.baseline
    lookup = Lookups(base)
    shared: dict[str, Any] = {
        "jip_domain": net.region.domain,
        "jip_region_name": net.region.name,
        "jip_timezone": net.region.timezone,
        "jip_banner": base_sot.banner,  # the same warning the routers show (BSSN 4/2021)
        "jip_intranet": [str(n) for n in intranet],
        "jip_zones": {k: [str(n) for n in v] for k, v in zones.items()},
        "jip_ntp_servers": _addresses(base_sot.ntp, net),
        "jip_syslog_servers": _addresses(base_sot.syslog, net),
        "jip_dns_servers": _addresses(base_sot.dns, net),
        "jip_radius_servers": _addresses(base_sot.radius, net),
        "jip_monitoring_servers": [str(s.address) for s in by_role[ServerRole.MONITORING]],
        "jip_servers": [_server(s) for s in net.servers],
        "jip_routers": [_router(r) for r in routers],
        "jip_dns_records": _records(net, routers),
        "jip_admins": [{"name": a.name, "full_name": a.full_name,
                        "password": lookup(a.secret)} for a in base_sot.admins],
        "jip_radius_secret": lookup(base_sot.radius_secret),
        "jip_snmp": {
            "user": base_sot.snmp.user,
            "auth_protocol": SNMP_AUTH_PROTOCOL,
            "priv_protocol": SNMP_PRIV_PROTOCOL,
            "auth_password": lookup(base_sot.snmp.auth_secret),
            "priv_password": lookup(base_sot.snmp.priv_secret),
        },
    }
    shared[SOURCES] = lookup.sources  # the paths and keys the lookups read, as data
    return ServerInventory(hostvars=hostvars, groups=groups, shared=shared)


def ansible_data(value: Any) -> Any:
    """``value`` in Ansible's JSON inventory form, every string marked unsafe
    (``{"__ansible_unsafe": ...}``: Ansible keeps it as data and never templates it)
    except the lookups pydriver built (``Lookup``), which Ansible must resolve."""
    if isinstance(value, Lookup):
        return str(value)
    if isinstance(value, str):
        return {"__ansible_unsafe": value}
    if isinstance(value, Mapping):
        return {k: ansible_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [ansible_data(v) for v in value]
    return value


def secret_refs(net: Network) -> tuple[str, ...]:
    """Every secret reference the servers' inventory looks up (checked before a run)."""
    b = net.baseline
    return tuple(dict.fromkeys((*(a.secret for a in b.admins), b.radius_secret,
                                b.snmp.auth_secret, b.snmp.priv_secret)))


def _zones(net: Network) -> dict[str, list[IPv4Network]]:
    zones: dict[str, list[IPv4Network]] = {"management": [], "server": [], "dmz": []}
    for dc in net.datacenters:
        zones["management"].append(dc.zones.management)
        zones["server"].append(dc.zones.server)
        if dc.zones.dmz is not None:
            zones["dmz"].append(dc.zones.dmz)
    return zones


def _addresses(names: tuple[str, ...], net: Network) -> list[str]:
    return [str(net.server(n).address) for n in names]


def _server(s: Server) -> dict[str, Any]:
    return {"name": s.name, "address": str(s.address), "datacenter": s.datacenter,
            "roles": [str(r) for r in s.roles]}


def _router(r: DeviceIntent) -> dict[str, Any]:
    sha2 = driver(r.platform).host_baseline_by_ansible  # net-snmp, set up by snmpd
    return {"name": r.hostname, "source": str(r.loopback), "management": str(r.management),
            "platform": str(r.platform), "role": r.role, "site": r.site_code,
            "snmp_auth_protocol": SNMP_SHA2_PROTOCOL if sha2 else SNMP_AUTH_PROTOCOL}


def _linux_router(r: DeviceIntent, management: list[IPv4Network]) -> dict[str, Any]:
    """A Linux router as an Ansible host: reached on its management address; its sshd
    answers the management zones only (its nftables, pydriver's, says the same); its
    logs, time and RADIUS requests leave from its loopback, the address the servers know
    it by."""
    return {
        "ansible_host": str(r.management),
        "jip_roles": ["router"],
        "jip_platform": r.platform.value,
        "jip_site": r.site_code,
        "jip_source_address": str(r.loopback),
        "baseline_ssh_allow_from": [str(n) for n in management],
        "baseline_sysctl_router": dict(ROUTER_SYSCTL),
        # over UDP from the loopback, as the other routers send (rsyslog binds a source
        # address for UDP only)
        "baseline_syslog_protocol": "udp",
        "snmpd_auth_protocol": SNMP_SHA2_PROTOCOL,
        "snmpd_location": r.baseline.snmp_location,
    }


def _records(net: Network, routers: list[DeviceIntent]) -> list[dict[str, str]]:
    """A records of the intranet zone: every router, every site's gateway, every server."""
    records: dict[str, IPv4Address] = {r.hostname: r.loopback for r in routers}
    for r in routers:
        if r.site_code and r.zones:
            records[f"{r.site_code}.site"] = r.zones[0].gateway.ip
    records.update({s.name: s.address for s in net.servers})
    return [{"name": n, "type": "A", "value": str(a)} for n, a in sorted(records.items())]
