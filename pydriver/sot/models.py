"""The typed, frozen domain model of a regional intranet (the validate stage's output).

These pydantic models are the boundary between hand-written YAML and the rest of pydriver:
``extra="forbid"`` turns a misspelt key into an error instead of a silently ignored setting,
and ``frozen=True`` guarantees that no later stage edits the source of truth behind the
others' backs. Cross-object rules (uniqueness, pools, references, budgets, crypto policy)
live in ``semantic.py`` because they need the whole network, not one object.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Name = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$")]
Hostname = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$")]
SecretRef = Annotated[str, StringConstraints(min_length=1)]


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
    name: str
    email: str
    phone: str | None = None


class RegionInfo(Model):
    code: Annotated[str, StringConstraints(pattern=r"^\d{2}(\.\d{2})?$")] = Field(
        description="Kemendagri kode wilayah: '52' (provinsi) or '52.01' (kabupaten/kota)")
    name: str
    level: Literal["provinsi", "kabupaten", "kota"]
    domain: str
    asn: int = Field(ge=64512, le=65534, description="the hubs' private ASN")
    site_asn_base: int = Field(default=4200000000, ge=4200000000, le=4294960000)
    overbooking: float = Field(default=1.0, ge=1.0, le=10.0)
    timezone: str = "Asia/Jakarta"
    csirt: Csirt


class Pools(Model):
    loopback: IPv4Network
    transit: IPv4Network
    site_lan: IPv4Network
    management: IPv4Network
    site_block: int = Field(default=22, ge=16, le=26, description="prefix length per site")


class CryptoProfile(Model):
    ike_version: int = 2
    ike_encryption: tuple[str, ...]
    ike_integrity: tuple[str, ...]
    dh_groups: tuple[int, ...]
    esp_encryption: tuple[str, ...]
    esp_integrity: tuple[str, ...] = ()
    pfs: bool = True
    ike_lifetime: int = Field(default=86400, ge=300, le=86400)
    esp_lifetime: int = Field(default=3600, ge=300, le=28800)


class Admin(Model):
    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9._-]{1,30}$")]
    full_name: str
    secret: SecretRef


class Snmp(Model):
    user: str
    auth_secret: SecretRef
    priv_secret: SecretRef
    location_prefix: str = ""


class Baseline(Model):
    ntp: tuple[str, ...] = Field(min_length=1)
    syslog: tuple[str, ...] = Field(min_length=1)
    dns: tuple[str, ...] = Field(min_length=1)
    radius: tuple[str, ...] = Field(min_length=1)
    radius_secret: SecretRef
    snmp: Snmp
    admins: tuple[Admin, ...] = Field(min_length=1)
    banner: str
    tunnel_psk: SecretRef = Field(
        default="env:JIP_PSK_{SITE}",
        description="default pre-shared-key reference; {SITE} is the site code in capitals")


class Uplink(Model):
    name: Name
    isp: str
    contract: str
    mbps: int = Field(gt=0)


class HubInterface(Model):
    name: str
    address: IPv4Interface | None = None
    gateway: IPv4Address | None = None
    uplink: Name | None = None


class HubInterfaces(Model):
    mgmt: HubInterface
    wan: HubInterface
    core: HubInterface
    metro: HubInterface | None = None
    fibre: HubInterface | None = None


class Hub(Model):
    hostname: Hostname
    id: int = Field(ge=1, le=31, description="loopback slot; hubs use 1..31")
    platform: Platform
    model: str
    crypto_profile: Name = "jip-standard"
    interfaces: HubInterfaces

    @property
    def management(self) -> IPv4Address:
        """Hubs are managed out of band, on their interface in the management zone."""
        assert self.interfaces.mgmt.address is not None, "validated by semantic.pools"
        return self.interfaces.mgmt.address.ip


class DcZones(Model):
    core: IPv4Network
    core_gateway: IPv4Address
    server: IPv4Network
    management: IPv4Network
    dmz: IPv4Network | None = None


class DataCenter(Model):
    code: Name
    name: str
    role: Literal["primary", "dr"]
    address: str = ""
    zones: DcZones
    uplinks: tuple[Uplink, ...] = Field(min_length=1)
    hubs: tuple[Hub, ...] = Field(min_length=1)


class RegionFile(Model):
    """The whole of region.yml."""

    region: RegionInfo
    pools: Pools
    crypto_profiles: dict[Name, CryptoProfile]
    baseline: Baseline
    datacenters: tuple[DataCenter, ...] = Field(min_length=1)


class Router(Model):
    hostname: Hostname
    platform: Platform
    model: str
    management: IPv4Address | None = Field(
        default=None, description="address pydriver connects to; default: the loopback")


class Link(Model):
    name: Name
    medium: Medium
    hub: Hostname
    role: Literal["primary", "backup"] = "primary"
    capacity_mbps: int = Field(gt=0)
    interface: str
    provider: str | None = None
    address: IPv4Interface | None = Field(
        default=None, description="underlay address (ISP or public); own fibre uses transit")
    gateway: IPv4Address | None = None
    crypto_profile: Name | None = None
    psk: SecretRef | None = None


class Zone(Model):
    kind: ZoneKind
    interface: str
    description: str = ""


class Bandwidth(Model):
    uplink: Name
    guaranteed_mbps: int = Field(gt=0)
    max_mbps: int = Field(gt=0)
    priority: int = Field(default=4, ge=1, le=8)


class Site(Model):
    """One OPD office, UPT, kecamatan, puskesmas or public Wi-Fi site: one file each."""

    id: int = Field(ge=1, description="stable numeric id; every derived address hangs off it")
    code: Name
    name: str
    kind: SiteKind
    address: str = ""
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
    address: IPv4Address
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
