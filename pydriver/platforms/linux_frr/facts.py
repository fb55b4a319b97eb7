"""linux_frr configuration facts for the compliance rules (see :mod:`pydriver.platforms.facts`).

A Linux router's security lives in several files: nftables decides who reaches the
management plane, swanctl.conf carries the IPsec policy, and the host baseline (time,
logging, SSH, SNMP, RADIUS, lockout) is in the files the routers playbook writes (chrony,
rsyslog, the sshd drop-in, snmpd, pam_radius, faillock). A router read back carries them
(``OBSERVED`` in the driver); a rendered config has only pydriver's four files, and its
baseline is judged from the playbook instead (``pydriver.servers.provisioned``).
"""

from __future__ import annotations

import re

from pydriver.platforms.facts import (
    ConfigFacts,
    Evidence,
    FactsBuilder,
    Tunnel,
    addresses,
    networks,
    strong_ssh,
)

SWAN_ENC = {"aes256gcm16": "aes-256-gcm", "aes128gcm16": "aes-128-gcm", "aes256": "aes-256-cbc",
            "aes128": "aes-128-cbc", "aes192": "aes-192-cbc", "3des": "3des", "des": "des"}
SWAN_DH = {"modp2048": 14, "modp3072": 15, "modp4096": 16, "modp6144": 17, "modp8192": 18,
           "ecp256": 19, "ecp384": 20, "ecp521": 21, "modp1024": 2, "modp1536": 5,
           "modp768": 1}
# net-snmp's createUser names: plain SHA is SHA-1
SNMP_AUTH = {"SHA": "sha1", "SHA1": "sha1", "MD5": "md5"}


Located = dict[str, tuple[str, str, int]]  # file name -> (text, evidence file, first line)


def _lines(files: Located, name: str) -> list[Evidence]:
    text, where, first = files.get(name, ("", name, 1))
    return [Evidence(where, first + n, line.rstrip())
            for n, line in enumerate(text.split("\n"))
            if line.strip() and not line.lstrip().startswith("#")]


def locate(text: str, where: str, mark: str) -> Located:
    """The files of a joined running text, each with where its lines are: inside the one
    file ``where`` (a backup), at the line it starts on."""
    out: Located = {}
    lines = text.replace("\r", "").split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith(mark):
            name = lines[i][len(mark):].strip()
            j = i + 1
            while j < len(lines) and not lines[j].startswith(mark):
                j += 1
            out[name] = ("\n".join(lines[i + 1:j]), where, i + 2)
            i = j
        else:
            i += 1
    return out


def _commented(line: str) -> bool:
    """A grep -H line (``file:text``) whose text is a comment."""
    return line.split(":", 1)[-1].lstrip().startswith("#")


def facts(host: str, files: Located) -> ConfigFacts:
    """Read a router's files (rendered or read back) into facts."""
    b = FactsBuilder(host, "linux_frr")
    nft = _lines(files, "nftables.conf")
    # management: the sources the input chain lets reach SSH
    mgmt_set = next((i for i, e in enumerate(nft) if re.match(r"\s*set mgmt\b", e.text)), None)
    sources: list[str] = []
    set_ev: list[Evidence] = []
    if mgmt_set is not None:
        for e in nft[mgmt_set:mgmt_set + 6]:
            m = re.search(r"elements = \{([^}]*)\}", e.text)
            if m:
                sources = [s.strip() for s in m[1].split(",")]
                set_ev.append(e)
    ssh_rules = [e for e in nft if "dport 22" in e.text or "dport ssh" in e.text]
    open_ssh = [e for e in ssh_rules if "@mgmt" not in e.text]
    b.set("mgmt.sources", None if open_ssh or not ssh_rules else networks(sources),
          *set_ev, *ssh_rules)
    policy = next((e for e in nft if "hook input" in e.text), None)
    b.set("hardening.input-drop", policy is not None and "policy drop" in policy.text, policy)
    for port, name in ((23, "telnet"), (21, "ftp"), (80, "http"), (443, "https")):
        rule = next((e for e in nft if f"dport {port} " in e.text + " " and "accept" in e.text),
                    None)
        b.set(f"service.{name}", rule is not None, rule)

    # -- IPsec (swanctl.conf) ------------------------------------------------------------------
    swan = _lines(files, "swanctl.conf")
    conns = [e for e in swan if re.match(r"\s{4}\S+ \{$", e.text) and
             not e.text.strip().startswith(("local", "remote", "children"))]
    versions = {int(v) for e in swan for v in re.findall(r"^\s*version = (\d)", e.text)}
    if conns:
        b.set("ike.versions", frozenset(versions or {0}), *(e for e in swan
                                                            if "version =" in e.text))
    for e in swan:
        m = re.match(r"\s*(esp_)?proposals = (.*)", e.text)
        if not m:
            continue
        for proposal in m[2].split(","):
            parts = proposal.strip().split("-")
            b.add("crypto.encryption", {SWAN_ENC.get(p, p) for p in parts
                                        if p in SWAN_ENC or p.startswith(("aes", "3des", "des"))},
                  e)
            b.add("crypto.integrity", {p for p in parts if p.startswith(("sha", "md5"))}, e)
            groups = {SWAN_DH[p] for p in parts if p in SWAN_DH}
            b.add("crypto.dh", groups, e)
            if m[1] and not groups:
                b.set("crypto.pfs", False, e)
    if conns:
        b.default("crypto.pfs", True)
        b.set("crypto.explicit", all(any("proposals =" in e.text for e in swan)
                                     for _ in conns), *conns[:1])
        auth = {"psk" if "psk" in e.text else "cert" for e in swan
                if re.match(r"\s*auth = ", e.text)}
        b.set("crypto.auth", frozenset(auth or {"psk"}), *(e for e in swan if "auth =" in e.text))
    children = [e for e in swan if re.match(r"\s*mode = ", e.text)]
    for e in children:
        b.tunnels.append(Tunnel(f"child at line {e.line}", "mode = tunnel" in e.text, e))

    # -- the host baseline, where the router's own files were read -------------------------
    # (a file read back empty is a router without it: its fact is empty, so the rule fails)
    if "chrony.conf" in files:
        chrony = _lines(files, "chrony.conf")
        b.set("ntp.servers", addresses(e.text.split()[1] for e in chrony
                                       if e.text.startswith(("server ", "pool "))), *chrony[:3])
    if "rsyslog.conf" in files:
        rsyslog = _lines(files, "rsyslog.conf")
        b.set("syslog.servers", addresses(m for e in rsyslog for m in re.findall(
            r'target="([0-9.]+)"', e.text)), *rsyslog[:3])
    pam = _lines(files, "pam.d")
    if "pam_radius_auth.conf" in files:
        radius = _lines(files, "pam_radius_auth.conf")
        wired = [e for e in pam if e.text.startswith("/etc/pam.d/sshd:") and
                 "pam_radius_auth.so" in e.text and not _commented(e.text)] \
            if "pam.d" in files else radius
        b.set("aaa.radius", addresses(e.text.split()[0].split(":")[0] for e in radius)
              if wired else (), *(radius if wired else pam[:1]))
    if "faillock.conf" in files:
        faillock = _lines(files, "faillock.conf")
        deny = next((e for e in faillock if re.match(r"\s*deny\s*=\s*[1-9]", e.text)), None)
        counted = next((e for e in pam if e.text.startswith("/etc/pam.d/common-auth:") and
                        "pam_faillock.so authfail" in e.text and not _commented(e.text)), None)
        b.set("login.lockout", deny is not None and (counted is not None or
                                                     "pam.d" not in files),
              deny or next(iter(faillock), None), counted)
    if "admins" in files:
        group = _lines(files, "admins")
        members = group[0].text.rsplit(":", 1)[-1] if group else ""
        b.set("admin.named", tuple(m for m in members.split(",") if m), *group[:1])
    if "timeout.sh" in files:
        shell = _lines(files, "timeout.sh")
        tmout = next((e for e in shell if re.match(r"\s*(?:export\s+)?TMOUT=\d+", e.text)),
                     None)
        seconds = int(re.findall(r"\d+", tmout.text)[0]) if tmout else 0
        b.set("session.timeout", seconds / 60 if seconds else None, tmout or
              next(iter(shell), None))
    sshd = _lines(files, "sshd_config")
    if sshd:
        text = "\n".join(e.text for e in sshd)
        lists = {k: (m[1].split(",") if (m := re.search(rf"^{k} (\S+)", text, re.M)) else [])
                 for k in ("Ciphers", "MACs", "KexAlgorithms")}
        b.set("ssh.strong", strong_ssh(lists["Ciphers"], lists["MACs"],
                                       lists["KexAlgorithms"]), *sshd[:1])
        b.set("admin.default", bool(re.search(r"^PermitRootLogin yes", text, re.M)), *sshd[:1])
    elif "sshd_config" in files:
        b.set("ssh.strong", False)
    snmpd = _lines(files, "snmpd.conf")
    if snmpd:
        text = "\n".join(e.text for e in snmpd)
        versions_s = {"v2c" for _ in re.findall(r"^(?:ro|rw)community", text, re.M)}
        if re.search(r"^createUser", text, re.M):
            versions_s.add("v3")
        b.set("snmp.versions", frozenset(versions_s), *snmpd[:2])
        b.set("snmp.integrity", frozenset(
            SNMP_AUTH.get(m.upper(), m.lower().replace("-", ""))
            for m in re.findall(r"^createUser \S+ (\S+)", text, re.M)), *snmpd[:2])
    b.set("snmp.sha2_supported", True)  # net-snmp 5.9: SHA-256/512 (RFC 7860)
    return b.build()
