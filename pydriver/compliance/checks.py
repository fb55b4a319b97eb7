"""The checks the rules name: pure functions over a router's facts or the network.

A config check gets a router's :class:`~pydriver.platforms.facts.ConfigFacts` (from its
rendered or its running config) and its intent; it answers with results (status, message,
evidence). A fact the platform does not have makes the check "not applicable" there; a
router with no config to read is "not assessed" before any check runs. Network checks get
the source of truth and what is known about the routers (backups, the audit log).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pydriver.compliance.model import Status
from pydriver.intent.model import DeviceIntent
from pydriver.platforms.facts import ConfigFacts, Evidence, Fact
from pydriver.sot.loader import Source
from pydriver.sot.models import Network

Result = tuple[Status, str, Evidence | None]
WEAK_ENC = {"des", "3des", "blowfish", "null", "ah", "camellia", "cast128"}
WEAK_INTEG = {"md5", "sha1"}


@dataclass(frozen=True, slots=True)
class RouterView:
    intent: DeviceIntent
    facts: ConfigFacts
    network: Network


@dataclass(frozen=True, slots=True)
class NetworkView:
    network: Network
    source: Source
    intents: Mapping[str, DeviceIntent]
    # what the backups repository says, when there is one: router -> time of its last backup
    backed_up: Mapping[str, datetime] | None = None
    # router -> time of its last applied change (from the audit log)
    changed: Mapping[str, datetime] = field(default_factory=dict)
    firmware: Mapping[str, str] = field(default_factory=dict)


def _ok(message: str, evidence: Evidence | None = None) -> Result:
    return (Status.PASS, message, evidence)


def _fail(message: str, evidence: Evidence | None = None) -> Result:
    return (Status.FAIL, message, evidence)


def _na(message: str) -> Result:
    return (Status.NOT_APPLICABLE, message, None)


def _value(v: RouterView, key: str) -> Fact | None:
    return v.facts.get(key)


# -- config checks -------------------------------------------------------------------------


def tunnels_encrypted(v: RouterView) -> list[Result]:
    expected = len(v.intent.tunnels)
    open_ = [t for t in v.facts.tunnels if not t.protected]
    if open_:
        return [_fail(f"tunnel {t.name} is not protected by IPsec", t.evidence) for t in open_]
    if expected and not v.facts.tunnels:
        return [_fail(f"{expected} tunnels expected, none configured")]
    first = v.facts.tunnels[0].evidence if v.facts.tunnels else None
    return [_ok(f"{len(v.facts.tunnels)} tunnels, all IPsec-protected" if v.facts.tunnels
                else "no link crosses a network the region does not own", first)]


def management_zone_only(v: RouterView) -> list[Result]:
    fact = _value(v, "mgmt.sources")
    if fact is None:
        return [_na("the platform exposes no management access control")]
    zones = v.network.management_zones()
    if fact.value is None:
        return [_fail("management is reachable from anywhere (no source restriction)",
                      fact.first)]
    outside = [n for n in fact.value if not any(n.subnet_of(z) for z in zones)]
    if outside:
        return [_fail(f"management allowed from {', '.join(map(str, outside))}, outside the "
                      f"management zones {', '.join(map(str, zones))}", fact.first)]
    return [_ok(f"management only from {', '.join(map(str, fact.value))}", fact.first)]


def services_off(v: RouterView) -> list[Result]:
    out = []
    for name in ("telnet", "ftp", "http", "api"):
        fact = _value(v, f"service.{name}")
        if fact is None:
            continue
        if fact.value:
            default = "" if fact.evidence else " (on by default: the config does not turn it off)"
            out.append(_fail(f"{name} is on{default}", fact.first))
    return out or [_ok("telnet, ftp, http and api are off")]


def discovery_off(v: RouterView) -> list[Result]:
    out = []
    names = ("mac-server", "mac-winbox", "mac-ping", "neighbor", "bandwidth", "romon", "cdp",
             "lldp")
    for name in names:
        fact = _value(v, f"discovery.{name}")
        if fact is not None and fact.value:
            default = "" if fact.evidence else " (on by default)"
            out.append(_fail(f"{name} is on{default}", fact.first))
    present = [n for n in names if v.facts.has(f"discovery.{n}")]
    return out or [_ok(f"{', '.join(present)} off")]


def named_accounts(v: RouterView) -> list[Result]:
    default = _value(v, "admin.default")
    named = _value(v, "admin.named")
    if default is None and named is None:
        return [_na("accounts are provisioned outside this config")]
    out = []
    if default is not None and default.value:
        out.append(_fail("a default administrator account is present", default.first))
    wanted = {a.name for a in v.intent.baseline.admins}
    if named is not None:
        extra = sorted(set(named.value) - wanted)
        missing = sorted(wanted - set(named.value))
        if extra:
            out.append(_fail(f"accounts not in the source of truth: {', '.join(extra)}",
                             named.first))
        if missing:
            out.append(_fail(f"named administrators missing: {', '.join(missing)}",
                             named.first))
    radius = _value(v, "aaa.radius")
    via = ""
    if radius is not None:
        absent = sorted(set(v.intent.baseline.radius) - set(radius.value))
        if absent:
            out.append(_fail(f"logins not checked with RADIUS server(s) "
                             f"{', '.join(map(str, absent))}", radius.first))
        via = f"; logins through RADIUS {', '.join(map(str, radius.value))}"
    return out or [_ok(f"named accounts only: {', '.join(sorted(wanted))}{via}",
                       named.first if named else None)]


def strong_management_crypto(v: RouterView) -> list[Result]:
    out = []
    ssh = _value(v, "ssh.strong")
    if ssh is not None and not ssh.value:
        out.append(_fail("SSH allows weak ciphers (strong crypto not set)", ssh.first))
    https = _value(v, "service.https")
    tls = _value(v, "tls.min")
    if https is not None and https.value and (tls is None or tls.value not in ("1.2", "1.3")):
        out.append(_fail("HTTPS is on without TLS 1.2 as the minimum", https.first))
    if ssh is None and https is None:
        return [_na("management crypto is provisioned outside this config")]
    return out or [_ok("SSH strong crypto; HTTPS off or TLS 1.2+", ssh.first if ssh else None)]


def ikev2_only(v: RouterView) -> list[Result]:
    fact = _value(v, "ike.versions")
    if fact is None:
        return [_ok("no IPsec configured")]
    if set(fact.value) != {2}:
        return [_fail(f"IKE versions in use: {sorted(fact.value)}", fact.first)]
    return [_ok("IKEv2 only", fact.first)]


def aes_only(v: RouterView) -> list[Result]:
    fact = _value(v, "crypto.encryption")
    if fact is None:
        return [_ok("no IPsec configured")]
    weak = sorted(set(fact.value) & WEAK_ENC)
    non_aes = sorted(a for a in fact.value if not a.startswith("aes"))
    if weak or non_aes:
        return [_fail(f"non-AES algorithms: {', '.join(sorted(set(weak) | set(non_aes)))}",
                      fact.first)]
    return [_ok(f"AES only: {', '.join(sorted(fact.value))}", fact.first)]


def sha2_only(v: RouterView) -> list[Result]:
    out = []
    fact = _value(v, "crypto.integrity")
    if fact is not None and set(fact.value) & WEAK_INTEG:
        out.append(_fail(f"IPsec integrity {', '.join(sorted(set(fact.value) & WEAK_INTEG))}",
                         fact.first))
    snmp = _value(v, "snmp.integrity")
    sha2 = _value(v, "snmp.sha2_supported")
    if snmp is not None:
        if "md5" in snmp.value:
            out.append(_fail("SNMPv3 authenticates with MD5", snmp.first))
        elif "sha1" in snmp.value and sha2 is not None and sha2.value:
            out.append(_fail("SNMPv3 uses SHA-1 where the platform offers SHA-2", snmp.first))
    versions = _value(v, "snmp.versions")
    if versions is not None and "v2c" in versions.value:
        out.append(_fail("SNMP v1/v2c communities answer (no authentication)",
                         versions.first))
    note = "" if sha2 is None or sha2.value else "; SNMPv3 SHA-1 (the platform offers no SHA-2)"
    return out or [_ok(f"SHA-2 for IPsec{note}", fact.first if fact else None)]


def dh_and_pfs(v: RouterView) -> list[Result]:
    dh = _value(v, "crypto.dh")
    if dh is None:
        return [_ok("no IPsec configured")]
    out = []
    weak = sorted(g for g in dh.value if not 14 <= g <= 21)
    if weak:
        out.append(_fail(f"DH groups outside 14-21: {weak}", dh.first))
    pfs = _value(v, "crypto.pfs")
    if pfs is not None and not pfs.value:
        out.append(_fail("a Child SA has no PFS", pfs.first))
    return out or [_ok(f"DH groups {sorted(dh.value)}, PFS on", dh.first)]


def explicit_crypto(v: RouterView) -> list[Result]:
    fact = _value(v, "crypto.explicit")
    if fact is None:
        return [_ok("no IPsec configured")]
    if not fact.value:
        return [_fail("a peer or policy uses the platform's default profile or proposal",
                      fact.first)]
    return [_ok("every peer and policy names its profile and proposal", fact.first)]


def certificate_auth(v: RouterView) -> list[Result]:
    fact = _value(v, "crypto.auth")
    if fact is None:
        return [_ok("no IPsec configured")]
    if "psk" in fact.value:
        return [_fail("IKE authenticates with pre-shared keys (needs a recorded "
                      "justification)", fact.first)]
    return [_ok("certificate authentication", fact.first)]


def syslog_and_ntp(v: RouterView) -> list[Result]:
    out: list[Result] = []
    base = v.intent.baseline
    for key, wanted, what in (("syslog.servers", base.syslog, "syslog"),
                              ("ntp.servers", base.ntp, "NTP")):
        fact = _value(v, key)
        if fact is None:
            out.append((Status.NOT_ASSESSED, f"{what} is provisioned on the router itself "
                        "(read back with --from backups or --from device)", None))
            continue
        missing = sorted(set(wanted) - set(fact.value))
        if missing:
            out.append(_fail(f"{what} servers missing: {', '.join(map(str, missing))}",
                             fact.first))
        else:
            out.append(_ok(f"{what} to {', '.join(map(str, fact.value))}", fact.first))
    return out


def dns_egress(v: RouterView) -> list[Result]:
    out = []
    remote = _value(v, "dns.remote")
    if remote is not None and remote.value:
        out.append(_fail("the router answers DNS for others (open resolver)", remote.first))
    servers = _value(v, "dns.servers")
    if servers is not None and servers.value:
        foreign = sorted(set(servers.value) - set(v.intent.baseline.dns))
        if foreign:
            out.append(_fail(f"resolvers outside the intranet: {', '.join(map(str, foreign))}",
                             servers.first))
    if remote is None and servers is None:
        return [_na("resolution is provisioned outside this config")]
    return out or [_ok("intranet resolvers only; no open resolver",
                       servers.first if servers else None)]


def session_limits(v: RouterView) -> list[Result]:
    timeout = _value(v, "session.timeout")
    lockout = _value(v, "login.lockout")
    if timeout is None and lockout is None:
        return [_na("the platform has no session timeout or login lockout setting")]
    out = []
    if timeout is not None and (timeout.value is None or timeout.value > 15):
        out.append(_fail(f"session timeout {timeout.value} min (at most 15)", timeout.first))
    if lockout is not None and not lockout.value:
        out.append(_fail("no login lockout", lockout.first))
    if timeout is not None and lockout is None:
        out.append(_fail("no login lockout setting", timeout.first))
    said = [f"session timeout {timeout.value:g} min" if timeout is not None and
            timeout.value is not None else "", "login lockout" if lockout is not None else ""]
    return out or [_ok(" and ".join(w for w in said if w) + " set",
                       timeout.first if timeout else lockout.first if lockout else None)]


def hardening(v: RouterView) -> list[Result]:
    keys = [k for k in v.facts.facts if k.startswith("hardening.")]
    if not keys:
        return [_na("no hardening settings on this platform")]
    bad = [k for k in keys if not v.facts.facts[k].value]
    return [_fail(f"{k.split('.', 1)[1]} not hardened", v.facts.facts[k].first)
            for k in bad] or [_ok(", ".join(k.split(".", 1)[1] for k in keys))]


CONFIG_CHECKS: dict[str, Callable[[RouterView], list[Result]]] = {
    f.__name__: f for f in (
        tunnels_encrypted, management_zone_only, services_off, discovery_off, named_accounts,
        strong_management_crypto, ikev2_only, aes_only, sha2_only, dh_and_pfs,
        explicit_crypto, certificate_auth, syslog_and_ntp, dns_egress, session_limits,
        hardening)}


# -- network checks ------------------------------------------------------------------------

NetResult = tuple[Status, str, Evidence | None, str | None]  # ..., router


def _sot(view: NetworkView, doc_name: str, path: tuple[str | int, ...], text: str
         ) -> Evidence | None:
    doc = view.source.region if doc_name == "region" else None
    if doc is None:
        return None
    loc = doc.where(path)
    return Evidence(loc.file, loc.line, text)


def backup_after_change(view: NetworkView) -> list[NetResult]:
    if view.backed_up is None:
        return [(Status.NOT_ASSESSED, "no backups repository to judge by (--backups)", None,
                 None)]
    out: list[NetResult] = []
    for host in sorted(view.intents):
        last_backup = view.backed_up.get(host)
        changed = view.changed.get(host)
        if last_backup is None:
            out.append((Status.FAIL, "no backup of this router", None, host))
        elif changed is not None and changed > last_backup:
            out.append((Status.FAIL, f"changed {changed:%Y-%m-%d %H:%M}, last backup "
                        f"{last_backup:%Y-%m-%d %H:%M}", None, host))
        else:
            out.append((Status.PASS, f"backed up {last_backup:%Y-%m-%d %H:%M}", None, host))
    return out


def asset_inventory(view: NetworkView) -> list[NetResult]:
    out: list[NetResult] = []
    for host in sorted(view.intents):
        firmware = view.firmware.get(host)
        if firmware:
            out.append((Status.PASS, f"model {view.intents[host].model}, firmware {firmware}",
                        None, host))
        else:
            out.append((Status.NOT_ASSESSED, f"model {view.intents[host].model}, firmware "
                        "unknown (no backup read from the router)", None, host))
    return out


def architecture_document(view: NetworkView) -> list[NetResult]:
    net = view.network
    missing = [dc.code for dc in net.datacenters if not dc.address]
    where = _sot(view, "region", ("datacenters",), "datacenters:")
    if missing:
        return [(Status.FAIL, f"data centres without an address: {', '.join(missing)}", where,
                 None)]
    return [(Status.PASS, f"{len(net.datacenters)} data centres, {len(net.sites)} sites, "
             "zones, pools and crypto profiles described; 'pydriver report bssn' writes it",
             where, None)]


def jump_host(view: NetworkView) -> list[NetResult]:
    net = view.network
    zones = net.management_zones()
    where = _sot(view, "region", ("pools", "management"), f"management: {net.pools.management}")
    if not zones or not all(z.subnet_of(net.pools.management) for z in zones):
        return [(Status.FAIL, "a data centre has no management zone inside pools.management",
                 where, None)]
    return [(Status.PASS, f"management zones {', '.join(map(str, zones))}", where, None)]


def allocation_within_budget(view: NetworkView) -> list[NetResult]:
    net = view.network
    over = net.region.overbooking
    out: list[NetResult] = []
    for d, dc in enumerate(net.datacenters):
        for u, uplink in enumerate(dc.uplinks):
            used = sum(s.bandwidth.guaranteed_mbps for s in net.sites
                       if s.bandwidth.uplink == uplink.name)
            budget = uplink.mbps * over
            where = _sot(view, "region", ("datacenters", d, "uplinks", u, "mbps"),
                         f"mbps: {uplink.mbps}")
            status = Status.PASS if used <= budget else Status.FAIL
            out.append((status, f"uplink {uplink.name}: {used} Mbps guaranteed of "
                        f"{budget:g} Mbps", where, None))
    return out


def csirt_contact(view: NetworkView) -> list[NetResult]:
    c = view.network.region.csirt
    where = _sot(view, "region", ("region", "csirt"), "csirt:")
    missing = [k for k, v in (("name", c.name), ("email", c.email), ("phone", c.phone)) if not v]
    if missing:
        return [(Status.FAIL, f"CSIRT contact lacks {', '.join(missing)}", where, None)]
    return [(Status.PASS, f"{c.name} <{c.email}>, {c.phone}", where, None)]


NETWORK_CHECKS: dict[str, Callable[[NetworkView], list[NetResult]]] = {
    f.__name__: f for f in (backup_after_change, asset_inventory, architecture_document,
                            jump_host, allocation_within_budget, csirt_contact)}
