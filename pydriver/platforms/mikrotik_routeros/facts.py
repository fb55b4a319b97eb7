"""RouterOS configuration facts for the compliance rules (see :mod:`pydriver.platforms.facts`).

An ``/export`` shows only what differs from the defaults, so a setting that is absent has
RouterOS 7's default value: telnet, ftp, www and api are on, the MAC server answers on
every interface, and so on. Those defaults are written here, next to the parser, because
they are what a factory router really does.
"""

from __future__ import annotations

import re

from pydriver.errors import PlanError
from pydriver.platforms.facts import (
    ConfigFacts,
    Evidence,
    FactsBuilder,
    Tunnel,
    addresses,
    networks,
)
from pydriver.platforms.mikrotik_routeros.script import Command, parse

SERVICES = {"telnet": "telnet", "ftp": "ftp", "www": "http", "www-ssl": "https",
            "api": "api", "api-ssl": "api-ssl"}
# RouterOS 7 out of the box (www-ssl has no certificate, so it is off)
SERVICE_DEFAULTS = {"telnet": True, "ftp": True, "http": True, "https": False, "api": True,
                    "api-ssl": True}
DH = {"modp768": 1, "modp1024": 2, "modp1536": 5, "modp2048": 14, "modp3072": 15,
      "modp4096": 16, "modp6144": 17, "modp8192": 18, "ecp256": 19, "ecp384": 20,
      "ecp521": 21, "ec2n155": 3, "ec2n185": 4}
IKE_ENC = {"aes-128": "aes-128-cbc", "aes-192": "aes-192-cbc", "aes-256": "aes-256-cbc",
           "3des": "3des", "des": "des", "blowfish": "blowfish", "camellia-128": "camellia",
           "camellia-192": "camellia", "camellia-256": "camellia"}
_FIRMWARE = re.compile(r"^#.* by RouterOS (\S+)", re.M)
# RouterOS 7's default IPsec profile and proposal (what "default" means when a peer uses it)
DEFAULT_PROFILE: dict[str, set[str | int]] = {"enc": {"aes-128-cbc", "3des"}, "integ": {"sha1"},
                                             "dh": {14, 2}}
DEFAULT_PROPOSAL: dict[str, set[str | int]] = {
    "enc": {"aes-256-cbc", "aes-192-cbc", "aes-128-cbc"}, "integ": {"sha1"}, "dh": {2}}


def _ev(file: str, cmd: Command) -> Evidence:
    return Evidence(file, cmd.line, cmd.text(with_path=True))


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def facts(host: str, text: str, file: str) -> ConfigFacts:
    """Read an export (rendered or running) into facts; ``file`` names it in evidence."""
    try:
        config = parse(text)
    except PlanError:
        config = parse("")
    b = FactsBuilder(host, "mikrotik_routeros")
    by_path: dict[tuple[str, ...], list[Command]] = {}
    for cmd in config.commands:
        by_path.setdefault(cmd.path, []).append(cmd)

    def settings(*path: str) -> list[Command]:
        return [c for c in by_path.get(path, []) if c.verb == "set"]

    def value(path: tuple[str, ...], prop: str) -> tuple[str | None, Evidence | None]:
        for cmd in reversed(settings(*path)):
            got = cmd.get(prop)
            if got is not None:
                return got, _ev(file, cmd)
        return None, None

    # -- services and management access ----------------------------------------------------
    mgmt: list[str] = []
    mgmt_ev: list[Evidence] = []
    unrestricted = False
    seen: dict[str, tuple[bool, Evidence | None]] = {}
    for cmd in settings("ip", "service"):
        name = cmd.target or ""
        disabled = cmd.get("disabled")
        if name in SERVICES and disabled is not None:
            seen[SERVICES[name]] = (disabled != "yes", _ev(file, cmd))
        if name in ("ssh", "winbox"):
            address = cmd.get("address")
            if address:
                mgmt += _split(address)
                mgmt_ev.append(_ev(file, cmd))
            else:
                unrestricted = True
    for name, default in SERVICE_DEFAULTS.items():
        on, ev = seen.get(name, (default, None))
        b.set(f"service.{name}", on, ev)
    if unrestricted or not mgmt:
        b.set("mgmt.sources", None, *mgmt_ev)
    else:
        b.set("mgmt.sources", networks(mgmt), *mgmt_ev)

    # -- discovery and L2 services ---------------------------------------------------------
    for key, path, prop, off in (
            ("mac-server", ("tool", "mac-server"), "allowed-interface-list", "none"),
            ("mac-winbox", ("tool", "mac-server", "mac-winbox"), "allowed-interface-list",
             "none"),
            ("mac-ping", ("tool", "mac-server", "ping"), "enabled", "no"),
            ("neighbor", ("ip", "neighbor", "discovery-settings"), "discover-interface-list",
             "none"),
            ("bandwidth", ("tool", "bandwidth-server"), "enabled", "no"),
            ("romon", ("tool", "romon"), "enabled", "no")):
        got, ev = value(path, prop)
        default_on = key != "romon"
        b.set(f"discovery.{key}", default_on if got is None else got != off, ev)

    # -- accounts ----------------------------------------------------------------------------
    users = [c for c in by_path.get(("user",), []) if c.verb == "add"]
    names = [c.get("name") or "" for c in users]
    admin = next((c for c in users if c.get("name") == "admin"), None)
    b.set("admin.default", admin is not None and admin.get("disabled") != "yes",
          _ev(file, admin) if admin else None)
    b.set("admin.named", tuple(n for n in names if n and n != "admin"),
          *(_ev(file, c) for c in users))
    radius = [c for c in by_path.get(("radius",), []) if c.verb == "add"
              and "login" in (c.get("service") or "").split(",")
              and c.get("disabled") != "yes"]
    # the servers count only when logins use them (/user aaa use-radius=yes)
    used, used_ev = value(("user", "aaa"), "use-radius")
    b.set("aaa.radius", addresses(c.get("address") or "" for c in radius)
          if used == "yes" else (), used_ev, *(_ev(file, c) for c in radius))

    # -- management crypto ------------------------------------------------------------------
    strong, ev = value(("ip", "ssh"), "strong-crypto")
    b.set("ssh.strong", strong == "yes", ev)
    tls, ev = value(("ip", "service"), "tls-version")
    b.set("tls.min", "1.2" if tls == "only-1.2" else None, ev)

    # -- IPsec --------------------------------------------------------------------------------
    _ipsec(b, by_path, file)

    # -- SNMP ---------------------------------------------------------------------------------
    versions: set[str] = set()
    integ: set[str] = set()
    snmp_ev: list[Evidence] = []
    for cmd in by_path.get(("snmp", "community"), []):
        if cmd.get("disabled") == "yes":
            continue
        security = cmd.get("security")
        if cmd.verb == "add" or (cmd.verb == "set" and "default" not in (cmd.target or "")):
            versions.add("v3" if security in ("authorized", "private") else "v2c")
            proto = (cmd.get("authentication-protocol") or "MD5").lower()
            if security in ("authorized", "private"):
                integ.add({"sha1": "sha1", "md5": "md5"}.get(proto, proto))
            snmp_ev.append(_ev(file, cmd))
    enabled, ev = value(("snmp",), "enabled")
    if enabled == "yes":
        if not [c for c in by_path.get(("snmp", "community"), [])
                if "default" in (c.target or "") and c.get("disabled") == "yes"]:
            versions.add("v2c")  # the default "public" community answers
        b.set("snmp.versions", frozenset(versions), ev, *snmp_ev)
        b.set("snmp.integrity", frozenset(integ), *snmp_ev)
    else:
        b.set("snmp.versions", frozenset(), ev)
        b.set("snmp.integrity", frozenset())
    b.set("snmp.sha2_supported", False)  # RouterOS 7 SNMPv3: MD5 or SHA1 only

    # -- logging, time, DNS -----------------------------------------------------------------
    remote = [c for c in by_path.get(("system", "logging", "action"), [])
              if c.verb == "add" and c.get("target") == "remote"]
    b.set("syslog.servers", addresses(c.get("remote") or "" for c in remote),
          *(_ev(file, c) for c in remote))
    servers, ev = value(("system", "ntp", "client"), "servers")
    ntp_on, ev2 = value(("system", "ntp", "client"), "enabled")
    b.set("ntp.servers", addresses(_split(servers)) if ntp_on == "yes" else (), ev, ev2)
    remote_dns, ev = value(("ip", "dns"), "allow-remote-requests")
    b.set("dns.remote", remote_dns == "yes", ev)
    dns, ev = value(("ip", "dns"), "servers")
    b.set("dns.servers", addresses(_split(dns)), ev)

    # -- hardening ------------------------------------------------------------------------
    for key, path, prop, good, default_good in (
            ("proxy", ("ip", "proxy"), "enabled", "no", True),
            ("socks", ("ip", "socks"), "enabled", "no", True),
            ("upnp", ("ip", "upnp"), "enabled", "no", True),
            ("cloud", ("ip", "cloud"), "ddns-enabled", "no", True)):
        got, ev = value(path, prop)
        b.set(f"hardening.{key}", default_good if got is None else got == good, ev)
    rules = [c for c in by_path.get(("ip", "firewall", "filter"), [])
             if c.verb == "add" and c.get("chain") == "input"]
    last = rules[-1] if rules else None
    matchers = {k for k, _ in (last.props if last else ())} - {
        "action", "chain", "comment", "log", "log-prefix", "disabled"}
    b.set("hardening.input-drop", last is not None and last.get("action") == "drop"
          and not matchers, _ev(file, last) if last else None)
    found = _FIRMWARE.search(text)
    b.set("firmware", found.group(1) if found else None,
          Evidence(file, text[:found.start()].count("\n") + 1, found.group(0)) if found else None)
    return b.build()


def _ipsec(b: FactsBuilder, by_path: dict[tuple[str, ...], list[Command]], file: str) -> None:
    profiles = {c.get("name") or "": c for c in by_path.get(("ip", "ipsec", "profile"), [])
                if c.verb == "add"}
    proposals = {c.get("name") or "": c for c in by_path.get(("ip", "ipsec", "proposal"), [])
                 if c.verb == "add"}
    peers = [c for c in by_path.get(("ip", "ipsec", "peer"), []) if c.verb == "add"]
    policies = [c for c in by_path.get(("ip", "ipsec", "policy"), []) if c.verb == "add"]
    identities = [c for c in by_path.get(("ip", "ipsec", "identity"), []) if c.verb == "add"]
    versions: set[int] = set()
    explicit = True
    for peer in peers:
        ev = _ev(file, peer)
        versions.add(2 if peer.get("exchange-mode") == "ike2" else 1)
        profile = profiles.get(peer.get("profile") or "default")
        if profile is None:
            explicit = False
            b.add("crypto.encryption", DEFAULT_PROFILE["enc"], ev)
            b.add("crypto.integrity", DEFAULT_PROFILE["integ"], ev)
            b.add("crypto.dh", DEFAULT_PROFILE["dh"], ev)
            continue
        pev = _ev(file, profile)
        b.add("crypto.encryption", {IKE_ENC.get(a, a) for a in
                                    _split(profile.get("enc-algorithm") or "aes-128,3des")}, pev)
        b.add("crypto.integrity", set(_split(profile.get("hash-algorithm") or "sha1")), pev)
        b.add("crypto.dh", {DH.get(g, 0) for g in
                            _split(profile.get("dh-group") or "modp2048,modp1024")}, pev)
    pfs = True
    for policy in policies:
        ev = _ev(file, policy)
        proposal = proposals.get(policy.get("proposal") or "default")
        if proposal is None:
            explicit = False
            b.add("crypto.encryption", DEFAULT_PROPOSAL["enc"], ev)
            b.add("crypto.integrity", DEFAULT_PROPOSAL["integ"], ev)
            b.add("crypto.dh", DEFAULT_PROPOSAL["dh"], ev)
            continue
        pev = _ev(file, proposal)
        encs = _split(proposal.get("enc-algorithms") or "aes-256-cbc,aes-192-cbc,aes-128-cbc")
        b.add("crypto.encryption", {e.replace("aes-256-ctr", "aes-256-ctr") for e in encs}, pev)
        auths = [a for a in _split(proposal.get("auth-algorithms") or "sha1") if a != "null"]
        if any(not e.endswith("gcm") for e in encs):
            b.add("crypto.integrity", set(auths), pev)
        group = proposal.get("pfs-group") or "modp1024"
        if group == "none":
            pfs = False
            b.set("crypto.pfs", False, pev)
        else:
            b.add("crypto.dh", {DH.get(group, 0)}, pev)
    if peers:
        b.set("ike.versions", frozenset(versions), *(_ev(file, p) for p in peers))
        b.set("crypto.explicit", explicit, *(_ev(file, p) for p in peers))
        if pfs:
            b.set("crypto.pfs", True, *(_ev(file, p) for p in policies[:1]))
        methods = {"cert" if "rsa" in (i.get("auth-method") or "") or
                   "digital" in (i.get("auth-method") or "") else "psk" for i in identities}
        b.set("crypto.auth", frozenset(methods or {"psk"}), *(_ev(file, i) for i in identities))
    protected = {(p.get("dst-address") or "").split("/")[0] for p in policies
                 if p.get("protocol") == "gre"}
    for gre in by_path.get(("interface", "gre"), []):
        if gre.verb != "add":
            continue
        remote = gre.get("remote-address") or ""
        b.tunnels.append(Tunnel(gre.get("name") or "", remote in protected or
                                bool(gre.get("ipsec-secret")), _ev(file, gre)))
