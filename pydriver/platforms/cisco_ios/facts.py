"""IOS-XE configuration facts for the compliance rules (see :mod:`pydriver.platforms.facts`).

``show running-config`` hides defaults too: an IOS-XE router answers on HTTP, speaks CDP
and keeps ``service pad`` and IP source routing unless the config says otherwise, and its
vty lines take any transport unless ``transport input`` narrows them. Those defaults are
the values below when a line is absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydriver.platforms.facts import (
    ConfigFacts,
    Evidence,
    FactsBuilder,
    Tunnel,
    addresses,
    networks,
)

ENC = {"aes-cbc-128": "aes-128-cbc", "aes-cbc-192": "aes-192-cbc", "aes-cbc-256": "aes-256-cbc",
       "aes-gcm-128": "aes-128-gcm", "aes-gcm-256": "aes-256-gcm", "3des": "3des", "des": "des"}
ESP = {"esp-gcm": "aes-gcm", "esp-aes": "aes-cbc", "esp-3des": "3des", "esp-des": "des",
       "esp-null": "null"}
ESP_INTEG = {"esp-sha256-hmac": "sha256", "esp-sha384-hmac": "sha384",
             "esp-sha512-hmac": "sha512", "esp-sha-hmac": "sha1", "esp-md5-hmac": "md5"}
_VERSION = re.compile(r"^version (\S+)", re.M)


@dataclass
class _Section:
    line: Evidence
    children: list[Evidence] = field(default_factory=list)


def _sections(text: str, file: str) -> list[_Section]:
    """Top-level lines with their (indented) children; banners are one block."""
    out: list[_Section] = []
    lines = text.replace("\r", "").split("\n")
    i = 0
    while i < len(lines):
        raw = lines[i]
        n = i + 1
        i += 1
        if not raw.strip() or raw.startswith("!"):
            continue
        ev = Evidence(file, n, raw.rstrip())
        if raw.startswith(" ") and out:
            out[-1].children.append(ev)
            continue
        out.append(_Section(ev))
        if raw.startswith("banner "):
            parts = raw.split(" ", 2)
            delim = parts[2][:2] if len(parts) > 2 else "^C"
            while i < len(lines) and delim not in lines[i]:
                i += 1
            i += 1
    return out


def facts(host: str, text: str, file: str) -> ConfigFacts:
    """Read a running-config (rendered or from a router) into facts."""
    b = FactsBuilder(host, "cisco_ios")
    secs = _sections(text, file)
    top = {s.line.text: s for s in secs}

    def first(prefix: str) -> _Section | None:
        return next((s for s in secs if s.line.text.startswith(prefix)), None)

    def line(prefix: str) -> Evidence | None:
        s = first(prefix)
        return s.line if s else None

    # -- services ---------------------------------------------------------------------------
    vtys = [s for s in secs if s.line.text.startswith("line vty")]
    telnet = False
    tev: list[Evidence] = []
    acl_names: set[str] = set()
    unrestricted = False
    for vty in vtys:
        transport = next((c for c in vty.children if c.text.strip().startswith(
            "transport input")), None)
        words = transport.text.split()[2:] if transport else ["all"]
        if "telnet" in words or "all" in words:
            telnet = True
            tev.append(transport or vty.line)
        acl = next((c for c in vty.children if c.text.strip().startswith("access-class")), None)
        if acl is None:
            unrestricted = True
        else:
            acl_names.add(acl.text.split()[1])
            tev.append(acl)
    b.set("service.telnet", telnet or not vtys, *tev[:4])
    b.set("service.ftp", first("ftp-server") is not None, line("ftp-server"))
    http = line("ip http server")
    b.set("service.http", http is not None or line("no ip http server") is None, http or
          line("no ip http server"))
    https = line("ip http secure-server")
    b.set("service.https", https is not None, https or line("no ip http secure-server"))
    tls = line("ip http tls-version")
    b.set("tls.min", "1.2" if tls and "TLSv1.2" in tls.text else None, tls)
    sources: list[str] = []
    acl_ev: list[Evidence] = []
    for name in sorted(acl_names):
        acl_section = first(f"ip access-list standard {name}")
        for child in (acl_section.children if acl_section else []):
            words = child.text.split()
            if (words and words[0] in ("permit",)) or (len(words) > 1 and words[1] == "permit"):
                w = words[words.index("permit") + 1:]
                if w and w[0] == "any":
                    unrestricted = True
                elif len(w) >= 2 and re.match(r"\d", w[1]):
                    wildcard = sum(bin(int(o)).count("1") for o in w[1].split("."))
                    sources.append(f"{w[0]}/{32 - wildcard}")
                elif w:
                    sources.append(f"{w[0].removeprefix('host ')}/32")
                acl_ev.append(child)
    b.set("mgmt.sources", None if unrestricted or not vtys else networks(sources), *acl_ev)

    # -- discovery ----------------------------------------------------------------------------
    b.set("discovery.cdp", line("no cdp run") is None, line("no cdp run") or line("cdp run"))
    b.set("discovery.lldp", line("lldp run") is not None, line("lldp run"))

    # -- accounts -------------------------------------------------------------------------------
    users = [s.line for s in secs if s.line.text.startswith("username ")]
    names = [u.text.split()[1] for u in users]
    default = [u for u in users if u.text.split()[1] in ("cisco", "admin", "root")]
    b.set("admin.default", bool(default), *default)
    b.set("admin.named", tuple(n for n in names if n not in ("cisco", "admin", "root")), *users)
    # the servers count only when the login method list asks a RADIUS group first
    login = line("aaa authentication login default group ")
    radius = [c for s in secs if s.line.text.startswith("radius server ")
              for c in s.children if c.text.strip().startswith("address ipv4 ")]
    b.set("aaa.radius", addresses(c.text.split()[2] for c in radius) if login else (),
          login, *radius)

    # -- SSH ------------------------------------------------------------------------------------
    v2 = line("ip ssh version 2")
    enc = line("ip ssh server algorithm encryption")
    weak = enc is not None and bool(re.search(r"\b(3des|aes\d+-cbc)\b", enc.text))
    b.set("ssh.strong", v2 is not None and enc is not None and not weak, v2, enc)

    # -- IPsec ----------------------------------------------------------------------------------
    if first("crypto isakmp") or first("crypto map"):
        b.add("ike.versions", {1}, line("crypto isakmp") or line("crypto map"))
    ikev2 = [s for s in secs if s.line.text.startswith("crypto ikev2 proposal ")]
    profiles = [s for s in secs if s.line.text.startswith("crypto ipsec profile ")]
    if ikev2 or first("crypto ikev2 profile"):
        b.add("ike.versions", {2}, *(s.line for s in ikev2[:1]))
    for prop in ikev2:
        for child in prop.children:
            words = child.text.split()
            if words[0] == "encryption":
                b.add("crypto.encryption", {ENC.get(w, w) for w in words[1:]}, child)
            elif words[0] == "integrity":
                b.add("crypto.integrity", set(words[1:]), child)
            elif words[0] == "group":
                b.add("crypto.dh", {int(w) for w in words[1:] if w.isdigit()}, child)
    for s in secs:
        words = s.line.text.split()
        if s.line.text.startswith("crypto ipsec transform-set ") and len(words) > 4:
            algs = words[4:]
            i = 0
            while i < len(algs):
                alg = algs[i]
                if alg in ESP:
                    size = algs[i + 1] if i + 1 < len(algs) and algs[i + 1].isdigit() else ""
                    name = ESP[alg]
                    if name.startswith("aes"):
                        name = f"aes-{size or '128'}-{name.split('-')[1]}"
                        i += 1 if size else 0
                    b.add("crypto.encryption", {name}, s.line)
                elif alg in ESP_INTEG:
                    b.add("crypto.integrity", {ESP_INTEG[alg]}, s.line)
                elif alg.startswith("ah-"):
                    b.add("crypto.encryption", {"ah"}, s.line)
                i += 1
    pfs = True
    for prof in profiles:
        group = next((c for c in prof.children if c.text.strip().startswith("set pfs")), None)
        if group is None:
            pfs = False
        else:
            b.add("crypto.dh", {int(x) for x in re.findall(r"group(\d+)", group.text)}, group)
    if profiles:
        b.set("crypto.pfs", pfs, *(p.line for p in profiles[:1]))
    ike_profiles = [s for s in secs if s.line.text.startswith("crypto ikev2 profile ")]
    explicit = bool(ikev2) and all(
        any(c.text.strip().startswith("set transform-set") for c in p.children)
        for p in profiles) and not first("crypto ikev2 proposal default")
    if ike_profiles or profiles:
        b.set("crypto.explicit", explicit, *(p.line for p in ike_profiles[:1]))
        auth = set()
        for p in ike_profiles:
            for c in p.children:
                if "authentication" in c.text:
                    auth.add("cert" if "rsa-sig" in c.text or "ecdsa-sig" in c.text else "psk")
        b.set("crypto.auth", frozenset(auth or {"psk"}), *(p.line for p in ike_profiles[:1]))
    for s in secs:
        if s.line.text.startswith("interface Tunnel"):
            prot = any(c.text.strip().startswith("tunnel protection ipsec") for c in s.children)
            b.tunnels.append(Tunnel(s.line.text.split()[1], prot, s.line))

    # -- SNMP ---------------------------------------------------------------------------------
    versions: set[str] = set()
    integ: set[str] = set()
    snmp_ev: list[Evidence] = []
    for s in secs:
        t = s.line.text
        if t.startswith("snmp-server community "):
            versions.add("v2c")
            snmp_ev.append(s.line)
        elif t.startswith("snmp-server user ") and " v3" in t:
            versions.add("v3")
            m = re.search(r" auth (md5|sha-2 \d+|sha)\b", t)
            if m:
                integ.add({"sha": "sha1", "md5": "md5"}.get(m[1], m[1].replace("sha-2 ", "sha")))
            snmp_ev.append(Evidence(s.line.file, s.line.line, re.sub(
                r"( auth \S+| priv \S+(?: \d+)?) \S+", r"\1 <secret>", t)))
        elif t.startswith("snmp-server group ") and " v3 " not in t:
            versions.add("v2c")
            snmp_ev.append(s.line)
    b.set("snmp.versions", frozenset(versions), *snmp_ev)
    b.set("snmp.integrity", frozenset(integ), *snmp_ev)
    b.set("snmp.sha2_supported", False)  # the IOS-XE releases pydriver targets: SHA-1 at most

    # -- logging, time, sessions, DNS ------------------------------------------------------------
    hosts = [s.line for s in secs if s.line.text.startswith("logging host ")]
    b.set("syslog.servers", addresses(h.text.split()[2] for h in hosts), *hosts)
    ntp = [s.line for s in secs if s.line.text.startswith("ntp server ")]
    b.set("ntp.servers", addresses(n.text.split()[2] for n in ntp if len(n.text.split()) > 2),
          *ntp)
    timeouts: list[float] = []
    tev2: list[Evidence] = []
    for s in secs:
        if s.line.text.startswith(("line vty", "line con")):
            limit = next((c for c in s.children
                          if c.text.strip().startswith("exec-timeout")), None)
            if limit is None:
                timeouts.append(10.0)  # the IOS default
            else:
                w = limit.text.split()
                timeouts.append(int(w[1]) + (int(w[2]) / 60 if len(w) > 2 else 0))
                tev2.append(limit)
    b.set("session.timeout", max(timeouts) if timeouts else 10.0, *tev2)
    b.set("login.lockout", line("login block-for") is not None, line("login block-for"))
    servers = line("ip name-server")
    b.set("dns.servers", addresses(servers.text.split()[2:]) if servers else (), servers)
    dns_server = line("ip dns server")
    b.set("dns.remote", dns_server is not None, dns_server)

    # -- hardening -------------------------------------------------------------------------------
    b.set("hardening.password-encryption", "service password-encryption" in top,
          line("service password-encryption"))
    b.set("hardening.source-route", line("no ip source-route") is not None,
          line("no ip source-route") or line("ip source-route"))
    b.set("hardening.pad", line("no service pad") is not None, line("no service pad"))
    b.set("hardening.logging-buffered", line("logging buffered") is not None,
          line("logging buffered"))
    found = _VERSION.search(text)
    b.set("firmware", found.group(1) if found else None,
          Evidence(file, text[:found.start()].count("\n") + 1, found.group(0)) if found else None)
    return b.build()
