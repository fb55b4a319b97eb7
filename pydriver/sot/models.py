"""The typed, frozen domain model of a regional intranet (the validate stage's output).

These pydantic models are the boundary between hand-written YAML and the rest of pydriver:
``extra="forbid"`` turns a misspelt key into an error instead of a silently ignored setting,
and ``frozen=True`` guarantees that no later stage edits the source of truth behind the
others' backs. Cross-object rules (uniqueness, pools, references, budgets, crypto policy)
live in ``semantic.py`` because they need the whole network, not one object.
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from functools import cache, cached_property
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
)

from pydriver.errors import SecretError
from pydriver.sot import secrets

# -- value types -------------------------------------------------------------------------
# Every value of the source of truth has a type that says what it may contain, checked here
# before any later stage sees it: a YAML number or boolean is never taken for text (strict
# types), free text is one line of printable characters (it ends up in configs, scripts,
# reports and terminals), names and addresses have their grammar. The messages say what is
# expected; they never repeat the value of a secret-bearing field.

# C0/C1 controls (tab, newline, escape...), line and paragraph separators, and the bidi
# embedding/override/isolate marks that make text display differently from what it is
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X}" + (f" {unicodedata.name(char)}" if unicodedata.name(
        char, "") else "")


def _one_line(value: str) -> str:
    found = _CONTROL.search(value)
    if found:
        raise ValueError(f"control characters and line breaks are not allowed here (found "
                         f"{_char_name(found.group())} at character {found.start() + 1})")
    return value


def _lines(value: str) -> str:
    lines = value.split("\n")
    if len(lines) > BANNER_LINES:
        raise ValueError(f"at most {BANNER_LINES} lines, found {len(lines)}")
    for n, line in enumerate(lines, 1):
        found = _CONTROL.search(line)
        if found:
            raise ValueError(f"line {n}: control characters are not allowed (found "
                             f"{_char_name(found.group())} at character {found.start() + 1})")
        if len(line) > BANNER_WIDTH:
            raise ValueError(f"line {n}: at most {BANNER_WIDTH} characters, found {len(line)}")
    return value


def _grammar(pattern: str, expected: str) -> Callable[[str], str]:
    """A check that the whole value matches ``pattern``; the error says what is expected."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"expected {expected}")
        return value

    return check


BANNER_LINES = 40
BANNER_WIDTH = 200

#: one line of free text: names, descriptions, street addresses, models, contracts
Text = Annotated[str, Strict(), StringConstraints(max_length=200), AfterValidator(_one_line)]
#: the login banner: several lines, each of them free text
Banner = Annotated[str, Strict(), StringConstraints(max_length=BANNER_LINES * BANNER_WIDTH),
                   AfterValidator(_lines)]
Name = Annotated[str, Strict(), StringConstraints(max_length=32), AfterValidator(_grammar(
    r"[a-z0-9][a-z0-9-]{0,30}[a-z0-9]",
    "a name of 2-32 lowercase letters, digits and '-', not starting or ending with '-'"))]
Hostname = Annotated[str, Strict(), StringConstraints(max_length=40), AfterValidator(_grammar(
    r"[a-z0-9][a-z0-9-]{0,38}[a-z0-9]",
    "a hostname of 2-40 lowercase letters, digits and '-', not starting or ending with '-'"))]
#: an interface name as written; each platform then checks its own grammar
InterfaceName = Annotated[str, Strict(), StringConstraints(max_length=64),
                          AfterValidator(_grammar(r"\S+", "an interface name (no spaces)"))]
#: a crypto algorithm keyword; which ones are acceptable is crypto policy (semantic)
Algorithm = Annotated[str, Strict(), StringConstraints(max_length=32), AfterValidator(
    _grammar(r"[A-Za-z0-9_-]+", "an algorithm name such as aes-256-cbc or sha256"))]
Identifier = Annotated[str, Strict(), StringConstraints(max_length=32), AfterValidator(
    _grammar(r"[A-Za-z0-9][A-Za-z0-9._-]*", "letters, digits and '._-'"))]
Domain = Annotated[str, Strict(), StringConstraints(max_length=253), AfterValidator(_grammar(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
    "a DNS domain such as jip.example.go.id"))]
Email = Annotated[str, Strict(), StringConstraints(max_length=254), AfterValidator(_grammar(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
    "an e-mail address such as csirt@example.go.id"))]
Phone = Annotated[str, Strict(), StringConstraints(max_length=32), AfterValidator(_grammar(
    r"\+?[0-9][0-9 ().-]{3,30}", "a telephone number such as +62 370 123456"))]


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _timezone(value: str) -> str:
    if value not in _zones():
        raise ValueError("expected an IANA time zone such as Asia/Jakarta, Asia/Makassar or "
                         "Asia/Jayapura")
    return value


Timezone = Annotated[str, Strict(), StringConstraints(max_length=64),
                     AfterValidator(_timezone)]


def _secret_ref(value: str) -> str:
    try:
        secrets.parse(value)
    except SecretError as exc:
        raise ValueError(str(exc)) from None
    return value


def _psk_template(value: str) -> str:
    _secret_ref(secrets.format_site_ref(value, "site"))
    return value


#: a reference to a secret (env:NAME, file:PATH, vault:FILE#KEY), never the secret itself
SecretRef = Annotated[str, Strict(), StringConstraints(max_length=256),
                      AfterValidator(_secret_ref)]
#: a reference in which ``{SITE}`` stands for the site code
SecretRefTemplate = Annotated[str, Strict(), StringConstraints(max_length=256),
                              AfterValidator(_psk_template)]

#: fields whose value is a secret reference: an error never repeats what they hold, since a
#: secret pasted in by mistake is exactly what they would then show
SECRET_FIELDS = frozenset({"secret", "radius_secret", "auth_secret", "priv_secret", "psk",
                           "tunnel_psk"})

Int = Annotated[int, Strict()]
Bool = Annotated[bool, Strict()]


def _ip_text(expected: str) -> Callable[[Any], Any]:
    """Addresses are written as text without spaces (a number or a list is not one)."""

    def check(value: Any) -> Any:
        if isinstance(value, IPv4Address | IPv4Interface | IPv4Network):
            return value
        if not isinstance(value, str):
            raise ValueError(f"expected {expected}, written as text")
        if any(c.isspace() for c in value) or _CONTROL.search(value):
            raise ValueError(f"expected {expected}, without spaces or tabs")
        return value

    return check


Address = Annotated[IPv4Address, BeforeValidator(_ip_text("an IPv4 address such as 10.0.0.1"))]
Interface = Annotated[IPv4Interface, BeforeValidator(_ip_text(
    "an IPv4 address with its prefix length such as 10.0.0.1/24"))]
Prefix = Annotated[IPv4Network, BeforeValidator(_ip_text(
    "an IPv4 network such as 10.0.0.0/24"))]

#: the largest 4-byte ASN a site may take (4294967295 is reserved, RFC 7300)
MAX_ASN = 4_294_967_294
MIN_SITE_ASN_BASE = 4_200_000_000


class Model(BaseModel):
    """Base of every source-of-truth model: frozen, strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Platform(StrEnum):
    """Router platforms pydriver renders for (see DESIGN.md, Platforms)."""

    MIKROTIK_ROUTEROS = "mikrotik_routeros"
    CISCO_IOS = "cisco_ios"
    LINUX_FRR = "linux_frr"


class SiteKind(StrEnum):
    OPD_OFFICE = "opd_office"
    UPT = "upt"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    PUSKESMAS = "puskesmas"
    PUBLIC_WIFI = "public_wifi"


class Medium(StrEnum):
    """How a site link reaches a hub; anything but own fibre crosses a network we do not own."""

    OWN_FIBRE = "own_fibre"
    ISP_METRO = "isp_metro"
    INTERNET_VPN = "internet_vpn"

    @property
    def needs_tunnel(self) -> bool:
        return self is not Medium.OWN_FIBRE


class ZoneKind(StrEnum):
    """LAN zones of a site; each has a fixed slot in the site's address block (see ipam)."""

    STAFF = "staff"
    CCTV = "cctv"
    GUEST_WIFI = "guest_wifi"
    VICON = "vicon"


class Csirt(Model):
    name: Text
    email: Email
    phone: Phone | None = None


#: the tiers of the federation, highest first (kabupaten and kota are one tier)
Tier = Literal["pusat", "provinsi", "kabupaten", "kota"]
TIER_RANK = {"pusat": 0, "provinsi": 1, "kabupaten": 2, "kota": 2}
RegionCode = Annotated[str, Strict(), AfterValidator(_grammar(
    r"\d{2}(?:\.\d{2})?", "a kode wilayah such as '52' or '52.01' (quoted)"))]


class RegionInfo(Model):
    code: RegionCode = Field(
        description="Kemendagri kode wilayah: '52' (provinsi) or '52.01' (kabupaten/kota)")
    name: Text
    level: Tier
    domain: Domain
    asn: Int = Field(ge=64512, le=65534, description="the hubs' private ASN")
    site_asn_base: Int = Field(default=MIN_SITE_ASN_BASE, ge=MIN_SITE_ASN_BASE, le=MAX_ASN - 1,
                               description="sites take site_asn_base + id (at most "
                                           f"{MAX_ASN})")
    overbooking: Annotated[float, Strict()] = Field(default=1.0, ge=1.0, le=10.0,
                                                    allow_inf_nan=False)
    timezone: Timezone = "Asia/Jakarta"
    csirt: Csirt


class Pools(Model):
    loopback: Prefix
    transit: Prefix
    site_lan: Prefix
    management: Prefix
    site_block: Int = Field(default=22, ge=16, le=26, description="prefix length per site")

    @cached_property
    def _hash(self) -> int:
        return hash((self.loopback, self.transit, self.site_lan, self.management,
                     self.site_block))

    def __hash__(self) -> int:
        """Worked out once: the address plan's remembered results are keyed by the pools,
        looked up several times per site (four networks hashed each time otherwise). A
        ``model_copy(update=...)`` would keep the old value (pools are never copied so:
        only a remembered result would be missed, equality is by field)."""
        return self._hash


class CryptoProfile(Model):
    ike_version: Int = 2
    ike_encryption: tuple[Algorithm, ...] = Field(max_length=8)
    ike_integrity: tuple[Algorithm, ...] = Field(max_length=8)
    dh_groups: tuple[Int, ...] = Field(max_length=8)
    esp_encryption: tuple[Algorithm, ...] = Field(max_length=8)
    esp_integrity: tuple[Algorithm, ...] = Field(default=(), max_length=8)
    pfs: Bool = True
    ike_lifetime: Int = Field(default=86400, ge=300, le=86400)
    esp_lifetime: Int = Field(default=3600, ge=300, le=28800)


class Admin(Model):
    name: Annotated[str, Strict(), AfterValidator(_grammar(
        r"[a-z][a-z0-9._-]{1,30}", "a user name of 2-31 lowercase letters, digits and '._-', "
        "starting with a letter"))]
    full_name: Text
    secret: SecretRef


class Snmp(Model):
    user: Identifier
    auth_secret: SecretRef
    priv_secret: SecretRef
    location_prefix: Text = ""


class Baseline(Model):
    ntp: tuple[Hostname, ...] = Field(min_length=1, max_length=8)
    syslog: tuple[Hostname, ...] = Field(min_length=1, max_length=8)
    dns: tuple[Hostname, ...] = Field(min_length=1, max_length=8)
    radius: tuple[Hostname, ...] = Field(min_length=1, max_length=8)
    radius_secret: SecretRef
    snmp: Snmp
    admins: tuple[Admin, ...] = Field(min_length=1, max_length=100)
    banner: Banner
    tunnel_psk: SecretRefTemplate = Field(
        default="env:JIP_PSK_{SITE}",
        description="default pre-shared-key reference; {SITE} is the site code in capitals")


class Uplink(Model):
    name: Name
    isp: Text
    contract: Text
    mbps: Int = Field(gt=0, le=10_000_000)


class HubInterface(Model):
    name: InterfaceName
    address: Interface | None = None
    gateway: Address | None = None
    uplink: Name | None = None


class HubInterfaces(Model):
    mgmt: HubInterface
    wan: HubInterface
    core: HubInterface
    metro: HubInterface | None = None
    fibre: HubInterface | None = None


class Hub(Model):
    hostname: Hostname
    id: Int = Field(ge=1, le=31, description="loopback slot; hubs use 1..31")
    platform: Platform
    model: Text
    crypto_profile: Name = "jip-standard"
    interfaces: HubInterfaces

    @property
    def management(self) -> IPv4Address:
        """Hubs are managed out of band, on their interface in the management zone."""
        assert self.interfaces.mgmt.address is not None, "validated by semantic.pools"
        return self.interfaces.mgmt.address.ip


class DcZones(Model):
    core: Prefix
    core_gateway: Address
    server: Prefix
    management: Prefix
    dmz: Prefix | None = None


class DataCenter(Model):
    code: Name
    name: Text
    role: Literal["primary", "dr"]
    address: Text = ""
    zones: DcZones
    uplinks: tuple[Uplink, ...] = Field(min_length=1)
    hubs: tuple[Hub, ...] = Field(min_length=1)


#: the agreed transit block of an interconnect: one /30, the higher tier takes the first host
TRANSIT_PREFIXLEN = 30
#: interconnect tunnels are numbered from here (+ the interconnect's id), apart from the
#: sites' tunnels (site id x 4 + link index)
INTERCONNECT_TUNNEL_BASE = 90_000
#: own-fibre VLANs of interconnects stay below the sites' (1000 + site id)
INTERCONNECT_VLANS = (2, 999)


class PeerSide(Model):
    """The other region's end of an interconnect, as this region understands it; ``validate
    --peers`` checks it against what the other region publishes."""

    code: RegionCode
    tier: Tier
    asn: Int = Field(ge=64512, le=65534, description="the peer region's hubs' ASN")
    hub: Hostname
    underlay: Address | None = Field(
        default=None, description="the peer hub's underlay address (tunnel media only)")
    exports: tuple[Prefix, ...] = Field(min_length=1, max_length=64,
                                        description="the prefixes the peer sends us")


class Interconnect(Model):
    """A link between this region and a region of another tier, owned by both teams.

    Everything here is agreed with the other side; each side renders only its own end."""

    name: Name
    id: Int = Field(ge=1, le=99, description="this region's slot for the interconnect")
    peer: PeerSide
    hub: Hostname
    medium: Medium
    capacity_mbps: Int = Field(gt=0, le=10_000_000)
    transit: Prefix
    vlan: Int | None = Field(default=None, ge=INTERCONNECT_VLANS[0], le=INTERCONNECT_VLANS[1],
                             description="own_fibre only: the agreed 802.1Q tag")
    exports: tuple[Prefix, ...] = Field(min_length=1, max_length=64,
                                        description="the prefixes this region sends the peer")
    max_prefix: Int = Field(default=100, ge=1, le=100_000,
                            description="the most routes accepted from the peer")
    crypto_profile: Name | None = None
    psk: SecretRef | None = None


class RegionFile(Model):
    """The whole of region.yml."""

    region: RegionInfo
    pools: Pools
    crypto_profiles: dict[Name, CryptoProfile]
    baseline: Baseline
    datacenters: tuple[DataCenter, ...] = Field(min_length=1)
    interconnects: tuple[Interconnect, ...] = Field(default=(), max_length=99)


class Router(Model):
    hostname: Hostname
    platform: Platform
    model: Text
    management: Address | None = Field(
        default=None, description="address pydriver connects to; default: the loopback")


class Link(Model):
    name: Name
    medium: Medium
    hub: Hostname
    role: Literal["primary", "backup"] = "primary"
    capacity_mbps: Int = Field(gt=0, le=10_000_000)
    interface: InterfaceName
    provider: Text | None = None
    address: Interface | None = Field(
        default=None, description="underlay address (ISP or public); own fibre uses transit")
    gateway: Address | None = None
    crypto_profile: Name | None = None
    psk: SecretRef | None = None


class Zone(Model):
    kind: ZoneKind
    interface: InterfaceName
    description: Text = ""


class Bandwidth(Model):
    uplink: Name
    guaranteed_mbps: Int = Field(gt=0, le=10_000_000)
    max_mbps: Int = Field(gt=0, le=10_000_000)
    priority: Int = Field(default=4, ge=1, le=8)


class Site(Model):
    """One OPD office, UPT, kecamatan, puskesmas or public Wi-Fi site: one file each."""

    id: Int = Field(ge=1, le=MAX_ASN - MIN_SITE_ASN_BASE,
                    description="stable numeric id; every derived address hangs off it")
    code: Name
    name: Text
    kind: SiteKind
    address: Text = ""
    router: Router
    links: tuple[Link, ...] = Field(min_length=1, max_length=4)
    zones: tuple[Zone, ...] = Field(min_length=1)
    bandwidth: Bandwidth


class ServerRole(StrEnum):
    NTP = "ntp"
    SYSLOG = "syslog"
    DNS = "dns"
    RADIUS = "radius"
    MONITORING = "monitoring"


class Server(Model):
    name: Hostname
    address: Address
    datacenter: Name
    zone: Literal["server", "management", "dmz"] = "server"
    roles: tuple[ServerRole, ...] = Field(min_length=1)
    os: Literal["debian12"] = "debian12"


class ServersFile(Model):
    servers: tuple[Server, ...] = ()


class WaiverScope(Model):
    """What a waiver covers: one router, one site, every router of a platform, or all."""

    router: Hostname | None = None
    site: Name | None = None
    platform: Platform | None = None
    all: bool = False


class Waiver(Model):
    """A rule not enforced for a scope, with who approved it, why, and until when."""

    rule: Annotated[str, StringConstraints(pattern=r"^JIP-\d{2}$")]
    scope: WaiverScope
    justification: Annotated[str, StringConstraints(min_length=10, max_length=1000)]
    approved_by: Annotated[str, StringConstraints(min_length=3, max_length=200)]
    expires: date


class WaiversFile(Model):
    """The whole of waivers.yml."""

    waivers: tuple[Waiver, ...] = ()


class Network(Model):
    """The validated source of truth: everything later stages need, and nothing unchecked."""

    region: RegionInfo
    pools: Pools
    crypto_profiles: dict[str, CryptoProfile]
    baseline: Baseline
    datacenters: tuple[DataCenter, ...]
    sites: tuple[Site, ...]
    servers: tuple[Server, ...]
    waivers: tuple[Waiver, ...] = ()
    interconnects: tuple[Interconnect, ...] = ()

    def hubs(self) -> tuple[Hub, ...]:
        return tuple(h for dc in self.datacenters for h in dc.hubs)

    def hub(self, hostname: str) -> Hub:
        for hub in self.hubs():
            if hub.hostname == hostname:
                return hub
        raise KeyError(hostname)

    def datacenter_of(self, hub: Hub) -> DataCenter:
        return next(dc for dc in self.datacenters if hub in dc.hubs)

    def server(self, name: str) -> Server:
        return next(s for s in self.servers if s.name == name)

    def management_zones(self) -> tuple[IPv4Network, ...]:
        return tuple(dc.zones.management for dc in self.datacenters)

    def intranet(self) -> tuple[IPv4Network, ...]:
        """Every network of the intranet: the address pools and the data centres' zones
        (their management zones lie inside the management pool, as validation checks)."""
        pools = self.pools
        nets = [pools.site_lan, pools.loopback, pools.transit, pools.management]
        for dc in self.datacenters:
            z = dc.zones
            nets += [z.core, z.server] + ([z.dmz] if z.dmz else [])
        return tuple(sorted(set(nets)))
