"""What a router's configuration says about its security, in platform-neutral terms.

The compliance rules are written once, against these facts; each platform reads its own
config text into them (``platforms/<name>/facts.py``), the rendered one or the one a router
really runs, so a router that drifted out of compliance is judged by the same rule as the
source of truth. Every fact keeps the line it came from: a finding points at evidence.

A fact a platform does not have (RouterOS has no CDP, IOS no RoMON) is simply absent, and
a rule that needs it is "not applicable" there rather than passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import Any


@dataclass(frozen=True, slots=True)
class Evidence:
    """A line of a config file (1-based), as the router or the renderer wrote it."""

    file: str
    line: int
    text: str


@dataclass(frozen=True, slots=True)
class Fact:
    """One observed value and the lines that show it (none: the platform default)."""

    value: Any
    evidence: tuple[Evidence, ...] = ()

    @property
    def first(self) -> Evidence | None:
        return self.evidence[0] if self.evidence else None


@dataclass(frozen=True, slots=True)
class Tunnel:
    """A tunnel interface and whether IPsec protects what it carries."""

    name: str
    protected: bool
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class ConfigFacts:
    """Facts of one router's configuration, keyed by the names the rules use.

    Keys (values in parentheses): ``service.<name>`` (bool: enabled) for telnet, ftp, http,
    https, api, api-ssl; ``mgmt.sources`` (tuple of IPv4Network, or None: from anywhere);
    ``discovery.<name>`` (bool) for mac-server, mac-winbox, mac-ping, neighbor, bandwidth,
    romon, cdp, lldp; ``admin.default`` (bool), ``admin.named`` (tuple of names);
    ``ssh.strong`` (bool); ``tls.min`` (str or None); ``ike.versions`` (set of int);
    ``crypto.encryption``, ``crypto.integrity`` (sets of canonical names: aes-256-gcm,
    3des, sha256, sha1, md5...); ``crypto.dh`` (set of int); ``crypto.pfs`` (bool);
    ``crypto.explicit`` (bool: no platform default proposal in use); ``crypto.auth`` (set:
    psk, cert); ``snmp.versions`` (set of str), ``snmp.integrity`` (set); ``syslog.servers``,
    ``ntp.servers`` (tuples of IPv4Address); ``session.timeout`` (minutes or None);
    ``login.lockout`` (bool); ``dns.remote`` (bool), ``dns.servers``; ``hardening.<name>``
    (bool: the hardening is in place) for proxy, socks, upnp, cloud, input-drop,
    password-encryption, source-route, pad, logging-buffered; ``firmware`` (str or None).
    """

    host: str
    platform: str
    facts: Mapping[str, Fact] = field(default_factory=dict)
    tunnels: tuple[Tunnel, ...] = ()

    def get(self, key: str) -> Fact | None:
        return self.facts.get(key)

    def has(self, key: str) -> bool:
        return key in self.facts


class FactsBuilder:
    """Collects facts while a platform reads its config (a mutable helper, then frozen)."""

    def __init__(self, host: str, platform: str) -> None:
        self.host = host
        self.platform = platform
        self.facts: dict[str, Fact] = {}
        self.tunnels: list[Tunnel] = []

    def set(self, key: str, value: Any, *evidence: Evidence | None) -> None:
        self.facts[key] = Fact(value, tuple(e for e in evidence if e is not None))

    def add(self, key: str, items: Iterable[Any], *evidence: Evidence | None) -> None:
        """Add to a set-valued fact, keeping every line that contributed."""
        old = self.facts.get(key)
        values = set(old.value) if old is not None else set()
        values |= set(items)
        ev = (*(old.evidence if old is not None else ()),
              *(e for e in evidence if e is not None))
        self.facts[key] = Fact(frozenset(values), ev)

    def default(self, key: str, value: Any) -> None:
        """A value the platform has when the config says nothing (no evidence line)."""
        self.facts.setdefault(key, Fact(value))

    def build(self) -> ConfigFacts:
        return ConfigFacts(self.host, self.platform, dict(self.facts), tuple(self.tunnels))


def networks(texts: Iterable[str]) -> tuple[IPv4Network, ...]:
    """Parse address/prefix texts, skipping what is not an IPv4 network."""
    out = []
    for text in texts:
        try:
            out.append(IPv4Network(text.strip(), strict=False))
        except ValueError:
            continue
    return tuple(out)


def addresses(texts: Iterable[str]) -> tuple[IPv4Address, ...]:
    out = []
    for text in texts:
        try:
            out.append(IPv4Address(text.strip()))
        except ValueError:
            continue
    return tuple(out)


#: OpenSSH algorithm names (or parts of them) that are not strong crypto: CBC and RC4
#: ciphers, 3DES, MD5 and SHA-1 MACs, and SHA-1 or 1024-bit key exchange
WEAK_SSH = ("cbc", "arcfour", "3des", "hmac-md5", "hmac-sha1", "group1-", "group14-sha1",
            "group-exchange-sha1")


def strong_ssh(ciphers: Iterable[str], *others: Iterable[str]) -> bool:
    """An OpenSSH algorithm set is strong when ciphers are named (sshd's defaults are not
    proof) and no cipher, MAC or key exchange among them is weak."""
    named = [c for c in ciphers if c]
    return bool(named) and not any(w in a for a in (*named, *(x for o in others for x in o))
                                   for w in WEAK_SSH)
