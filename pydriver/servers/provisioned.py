"""What the routers playbook provisions on each Linux router, as compliance facts.

A Linux router's host baseline (time, logging, sshd, SNMP, accounts, RADIUS) is not in the
files pydriver renders for it: the routers playbook provisions it with the roles the
servers get (see ``inventory``). ``pydriver check`` on rendered configs judges it from what
that playbook will write: the router must be a host of the generated ``linux_routers``
group, the playbook must apply each role to that group, and the values are the generated
inventory's and the roles' defaults. Each fact points at the line that decides it (the
role in ``playbooks/routers.yml``, a default in ``roles/*/defaults/main.yml``), so a
playbook that loses a role, or a default weakened by hand, fails the rule where it is
written. Running configs are judged from the files themselves (see the Linux platform's facts).
"""

from __future__ import annotations

from collections.abc import Mapping
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

import yaml

from pydriver.pipeline import Pipeline
from pydriver.platforms.facts import ConfigFacts, Evidence, FactsBuilder, strong_ssh
from pydriver.servers.inventory import ROUTERS_GROUP, ServerInventory, generate

PLAYBOOK = "playbooks/routers.yml"
BASELINE_DEFAULTS = "roles/baseline/defaults/main.yml"


def _nodes(path: Path) -> yaml.Node | None:
    try:
        return yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return None


def _roles(project: Path) -> dict[str, Evidence]:
    """The roles the playbook applies to the Linux routers, each with its line."""
    root = _nodes(project / PLAYBOOK)
    out: dict[str, Evidence] = {}
    if not isinstance(root, yaml.SequenceNode):
        return out
    for play in root.value:
        if not isinstance(play, yaml.MappingNode):
            continue
        keys = {k.value: v for k, v in play.value if isinstance(k, yaml.ScalarNode)}
        hosts = keys.get("hosts")
        if not isinstance(hosts, yaml.ScalarNode) or hosts.value != ROUTERS_GROUP:
            continue
        roles = keys.get("roles")
        for item in roles.value if isinstance(roles, yaml.SequenceNode) else ():
            name = item
            if isinstance(item, yaml.MappingNode):
                name = next((v for k, v in item.value if k.value == "role"), item)
            if isinstance(name, yaml.ScalarNode):
                out[name.value] = Evidence(PLAYBOOK, name.start_mark.line + 1,
                                           f"role: {name.value}")
    return out


def _defaults(project: Path) -> dict[str, tuple[Any, Evidence]]:
    """The baseline role's defaults, each with the line it is set on."""
    root = _nodes(project / BASELINE_DEFAULTS)
    out: dict[str, tuple[Any, Evidence]] = {}
    if not isinstance(root, yaml.MappingNode):
        return out
    for key, node in root.value:
        value = yaml.safe_load(yaml.serialize(node))
        text = f"{key.value}: {value}"
        out[key.value] = (value, Evidence(BASELINE_DEFAULTS, key.start_mark.line + 1, text))
    return out


def baseline_facts(project: Path, generated: ServerInventory) -> dict[str, ConfigFacts]:
    """Per Linux router of the generated inventory, the facts its host baseline will have
    once the routers playbook under ``project`` has run.

    With no ``playbooks/routers.yml`` there at all the baseline is provisioned somewhere
    this check cannot see (another repository, by hand): nothing is claimed, and its rules
    stay "not assessed" on rendered configs. A playbook that is there but does not apply a
    role to the routers is a failure of that role's rules."""
    if not (project / PLAYBOOK).is_file():
        return {}
    roles = _roles(project)
    defaults = _defaults(project)
    shared: Mapping[str, Any] = generated.shared
    out: dict[str, ConfigFacts] = {}
    for host in generated.groups.get(ROUTERS_GROUP, ()):
        hostvars = generated.hostvars[host]
        b = FactsBuilder(host, str(hostvars.get("jip_platform", "")))
        # a role the playbook does not apply to the routers provisions nothing: its facts
        # are empty (the rules fail), located at the playbook
        missing = Evidence(PLAYBOOK, 1, f"no play applies this role to {ROUTERS_GROUP}")
        chrony, base = roles.get("chrony"), roles.get("baseline")
        ntp = shared["jip_ntp_servers"] if chrony else []
        b.set("ntp.servers", tuple(IPv4Address(a) for a in ntp),
              Evidence(chrony.file, chrony.line, f"{chrony.text} (server {', '.join(ntp)})")
              if chrony else missing)
        logs = shared["jip_syslog_servers"] if base else []
        names = [a["name"] for a in shared["jip_admins"]] if base else []
        named = Evidence(base.file, base.line, f"{base.text} (accounts {', '.join(names)})") \
            if base else missing
        b.set("syslog.servers", tuple(IPv4Address(a) for a in logs),
              Evidence(base.file, base.line, f"{base.text} (syslog to {', '.join(logs)})")
              if base else missing)
        b.set("admin.named", tuple(names), named)
        b.set("login.lockout", False, missing)
        b.set("ssh.strong", False, missing)
        b.set("session.timeout", None, missing)
        if base is not None:
            root, root_ev = defaults.get("baseline_ssh_permit_root_login", ("yes", None))
            b.set("admin.default", root == "yes", root_ev or named)
            crypto = [defaults.get(k) for k in ("baseline_ssh_ciphers", "baseline_ssh_macs",
                                                "baseline_ssh_kex")]
            if all(c is not None for c in crypto):
                b.set("ssh.strong", strong_ssh(*(c[0] for c in crypto if c is not None)),
                      *(c[1] for c in crypto if c is not None))
            deny = defaults.get("baseline_faillock_deny")
            if deny is not None:
                b.set("login.lockout", int(deny[0]) > 0, deny[1])
            idle = defaults.get("baseline_shell_timeout")
            if idle is not None:
                b.set("session.timeout", int(idle[0]) / 60 if int(idle[0]) > 0 else None,
                      idle[1])
        snmpd = roles.get("snmpd")
        protocol = str(hostvars.get("snmpd_auth_protocol", "SHA")).lower()
        ev = Evidence(snmpd.file, snmpd.line,
                      f"{snmpd.text} (SNMPv3 {shared['jip_snmp']['user']}, authPriv, "
                      f"{protocol.upper()}/AES)") if snmpd else missing
        b.set("snmp.versions", frozenset({"v3"}) if snmpd else frozenset(), ev)
        b.set("snmp.integrity", frozenset({"sha1" if protocol == "sha" else protocol})
              if snmpd else frozenset(), ev)
        r = roles.get("radius_client")
        servers = shared["jip_radius_servers"] if r else []
        b.set("aaa.radius", tuple(IPv4Address(a) for a in servers),
              Evidence(r.file, r.line, f"{r.text} (RADIUS {', '.join(servers)})")
              if r else missing)
        out[host] = b.build()
    return out



def for_pipeline(pipe: Pipeline, project: Path | None = None) -> dict[str, ConfigFacts]:
    """``baseline_facts`` for the pipeline's network; the playbooks and roles are looked
    for beside the inventory directory (the project layout) unless ``project`` says."""
    base = pipe.inventory.resolve()
    return baseline_facts(project or base.parent, generate(pipe.network, pipe.intents, base))
