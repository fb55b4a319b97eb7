"""The lab's one bridge: every target on it, the host as the gateway of every server subnet.

The host's gateway addresses are added without their subnet route, and each target gets a
host route instead: another lab on this machine may already route a whole zone (the FRR
lab's management bridge carries the management zone, where monitor-01 lives), and a second
route for the same subnet would send one lab's traffic into the other. Forwarding is turned
on for the bridge alone, so a target in one zone reaches the others through the host (as
they would through the data centre's core) without changing how the host forwards elsewhere.
The zones share one segment, so the host also sends ICMP redirects for cross-zone traffic
(whether to send them is a host-wide setting, left alone); a target that follows one talks
to its peer directly on the bridge, with the same addresses.
Forwarded traffic is routed by the lab's own table (a rule for packets that arrive on the
bridge), which knows the targets and nothing else: a target's packet for the internet is
refused at the host instead of leaving through the host's uplink with a lab source address.
The bridge's alias names the lab's state directory: a teardown deletes only its own bridge.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from ipaddress import IPv4Address, IPv4Interface
from pathlib import Path

from pydriver.errors import LabError
from pydriver.lab.netns.cmd import run
from pydriver.lab.netns.journal import Journal

BRIDGE = "pdsrv0"
TABLE = 31440  # the lab's routing table and the preference of its rule


def exists(bridge: str) -> bool:
    return run(["ip", "link", "show", "dev", bridge], check=False).returncode == 0


def owner(bridge: str) -> str | None:
    """The state directory that made ``bridge`` (its alias), None if no such link."""
    done = run(["ip", "-j", "link", "show", "dev", bridge], check=False)
    if done.returncode != 0:
        return None
    links = json.loads(done.stdout or "[]")
    return str(links[0].get("ifalias", "")) if links else None


def check_free(bridge: str, targets: Sequence[IPv4Address],
               gateways: Sequence[IPv4Interface]) -> None:
    """Refuse to start over another lab's bridge or over addresses the host already has."""
    if exists(bridge):
        made_by = owner(bridge)
        how = (f"pydriver.lab.targets.teardown(Path({made_by!r}))" if made_by
               else f"ip link del {bridge}")
        raise LabError(f"bridge {bridge} already exists: a targets lab in "
                       f"{made_by or 'an unknown state directory'} is running; "
                       f"bring it down first ({how})")
    if rule_exists():
        delete_rule(TABLE, bridge)  # left by a lab whose bridge is gone: nothing uses it
    local = {IPv4Address(a["local"])
             for link in json.loads(run(["ip", "-j", "-4", "addr", "show"]).stdout or "[]")
             for a in link.get("addr_info", []) if "local" in a}
    clash = sorted({*targets, *(g.ip for g in gateways)} & local)
    if clash:
        raise LabError("this host already has the address(es) "
                       f"{', '.join(map(str, clash))}; the lab cannot use them")
    routes = json.loads(run(["ip", "-j", "-4", "route", "show", "table", "main"]).stdout or
                        "[]")
    host_routes = {r["dst"] for r in routes}
    taken = sorted(str(a) for a in targets if str(a) in host_routes)
    if taken:
        raise LabError(f"this host already routes {', '.join(taken)} somewhere else")


def create(journal: Journal, bridge: str, state_dir: Path,
           gateways: Sequence[IPv4Interface], targets: Sequence[IPv4Interface],
           admin: IPv4Address | None = None) -> None:
    """The bridge, the gateways and the routes; ``admin`` is the host's own source address.

    With ``admin`` (an address in the management zone) the host reaches every target from
    it, as an administrator's workstation in that zone does, so the servers' firewall
    policy of the source of truth applies to the host unchanged.
    """
    journal.add("link", bridge)
    cmds = [f"link add {bridge} type bridge stp_state 0 forward_delay 0",
            f"link set {bridge} alias {state_dir}"]
    cmds += [f"addr add {g} dev {bridge} noprefixroute" for g in gateways]
    if admin is not None and admin not in {g.ip for g in gateways}:
        cmds.append(f"addr add {admin}/32 dev {bridge} noprefixroute")
    cmds.append(f"link set {bridge} up")
    for t in targets:
        gw = next(g for g in gateways if t.ip in g.network)
        cmds.append(f"route add {t.ip}/32 dev {bridge} src {admin or gw.ip}")
        cmds.append(f"route add {t.ip}/32 dev {bridge} src {gw.ip} table {TABLE}")
    cmds.append(f"route add unreachable default table {TABLE}")
    journal.add("rule", str(TABLE))
    cmds.append(f"rule add pref {TABLE} iif {bridge} lookup {TABLE}")
    run(["ip", "-batch", "-"], stdin="\n".join(cmds) + "\n")
    Path(f"/proc/sys/net/ipv4/conf/{bridge}/forwarding").write_text("1\n", encoding="utf-8")


def rule_exists(table: int = TABLE) -> bool:
    return bool(run(["ip", "-4", "rule", "show", "pref", str(table)]).stdout.strip())


def delete_rule(table: int, bridge: str) -> None:
    """Remove the lab's rule and empty its table (both outlive the bridge otherwise)."""
    rules = json.loads(run(["ip", "-j", "-4", "rule", "show", "pref", str(table)]).stdout
                       or "[]")
    for r in rules:
        if r.get("iif") == bridge and str(r.get("table")) == str(table):
            run(["ip", "-4", "rule", "del", "pref", str(table), "iif", bridge,
                 "lookup", str(table)])
    run(["ip", "-4", "route", "flush", "table", str(table)], check=False)


def delete(bridge: str, state_dir: Path) -> None:
    """Delete the bridge if this lab made it (its routes and addresses go with it)."""
    made_by = owner(bridge)
    if made_by is not None and made_by == str(state_dir):
        run(["ip", "link", "del", "dev", bridge])
        delete_rule(TABLE, bridge)
