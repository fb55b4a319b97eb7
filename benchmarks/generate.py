"""Generate a realistic N-site inventory (a province, or the nation) for scale benchmarks.

The shape follows the example province (``inventory/``): the same region settings,
baseline and crypto profile; the same platform mix (mostly RouterOS sites, IOS-XE in the
larger offices, Linux/FRR at some puskesmas, kecamatan and public Wi-Fi); the same site
kinds, media (own fibre near the data centre, ISP metro, internet + VPN) and zones.

What changes with N is what would change in a real network that size:

* Data centres: two (pusdatin and a DR site) up to 1,000 sites, then one more regional
  data centre per 3,000 sites, up to ten (hub ids are 1..31: three hubs per data centre).
* Hubs: each data centre has an IOS-XE, a RouterOS and a Linux hub; at 100 sites the three
  hubs of the example. Two hubs stay "main" hubs that every region also reaches
  (``hub-pusdatin-01``, IOS-XE, and ``hub-drc-01``, RouterOS): they carry a fixed share
  of all links, so their size grows with N and exposes how hub rendering and planning
  scale, while no hub carries the whole nation.
* Own fibre: only in the capital (Mataram), to the two central data centres' hubs, and
  only for site ids up to 3,094 (its VLAN at the hub is 1000 + id).
* Address pools: 10.0.0.0/10 for site LANs with the largest block per site that still
  fits (/22 to 4,095 sites, /24 at 10,000, /25 at 30,000); loopbacks 10.64.0.0/16,
  transit 10.72.0.0/13 (32,767 sites). Uplinks are sized so no uplink is overbooked.
* Underlay: each hub's metro port has a /16 of 100.64.0.0/10; internet circuits are /30s
  from 198.18.0.0/15 (RFC 2544 benchmarking space), then 100.96.0.0/11.

Deterministic: the same (n, seed) gives byte-identical files. Usable as a library
(``generate(n, dest) -> Path``) and as a script::

    python benchmarks/generate.py 1000 /tmp/inv-1k [--seed 7]
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pydriver.sot.models import Medium, Platform

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inventory"

try:  # libyaml when present: writing 30,000 files with the pure-Python emitter is slow
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Dumper = yaml.SafeDumper

ROS, IOS, FRR = (Platform.MIKROTIK_ROUTEROS.value, Platform.CISCO_IOS.value,
                 Platform.LINUX_FRR.value)
FIBRE, METRO, INET = Medium.OWN_FIBRE.value, Medium.ISP_METRO.value, Medium.INTERNET_VPN.value
MAX_FIBRE_ID = 3094  # own-fibre VLAN 1000 + id must stay <= 4094
SITE_LAN = IPv4Network("10.0.0.0/10")
MAIN_IOS, MAIN_ROS = "hub-pusdatin-01", "hub-drc-01"

# (code, name) of the province's kabupaten/kota; the first is the capital
KABUPATEN = (
    ("mtr", "Kota Mataram"), ("lobar", "Kabupaten Lombok Barat"),
    ("loteng", "Kabupaten Lombok Tengah"), ("lotim", "Kabupaten Lombok Timur"),
    ("klu", "Kabupaten Lombok Utara"), ("sbw", "Kabupaten Sumbawa"),
    ("ksb", "Kabupaten Sumbawa Barat"), ("dompu", "Kabupaten Dompu"),
    ("bima", "Kabupaten Bima"), ("kbima", "Kota Bima"),
)
AGENCIES = (
    ("dinkes", "Dinas Kesehatan"), ("dikbud", "Dinas Pendidikan dan Kebudayaan"),
    ("dishub", "Dinas Perhubungan"), ("bappeda", "Badan Perencanaan Pembangunan Daerah"),
    ("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah"),
    ("bpbd", "Badan Penanggulangan Bencana Daerah"), ("dinsos", "Dinas Sosial"),
    ("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("dpmptsp", "Dinas Penanaman Modal dan PTSP"), ("dpupr", "Dinas PUPR"),
    ("distan", "Dinas Pertanian"), ("satpolpp", "Satuan Polisi Pamong Praja"),
    ("inspektorat", "Inspektorat"), ("bapenda", "Badan Pendapatan Daerah"),
)
ISPS = ("Telkom Astinet", "Icon+ (PLN Icon Plus)", "Lintasarta", "Biznet", "Indosat HiFi")
SITE_ISPS = ("Indibiz", "Telkom Astinet", "Biznet", "MyRepublic", "Icon+ Metro")


@dataclass(frozen=True)
class Kind:
    """How a kind of site is usually built: platform odds, media, zones, bandwidth."""

    name: str
    prefix: str
    label: str
    weight: float
    platforms: tuple[tuple[str, float], ...]
    fibre: float  # odds of own fibre when the hub has a fibre port and the id allows it
    metro: float  # odds of an ISP metro circuit when the hub has a metro port
    backup: float  # odds of a second (backup) link
    zones: tuple[str, ...]  # besides staff, each taken with odds 1/2
    guaranteed: tuple[int, ...]
    max_mbps: tuple[int, ...]
    capacity: tuple[int, ...]  # of a metro/internet link (own fibre is 1000)
    priority: tuple[int, ...]


KINDS = (
    Kind("opd_office", "opd", "Kantor", 0.15, ((ROS, 0.55), (IOS, 0.40), (FRR, 0.05)),
         0.35, 0.45, 0.6, ("cctv", "guest_wifi", "vicon"), (40, 50, 80, 100), (100, 200, 300),
         (100, 200, 300), (2, 3)),
    Kind("upt", "upt", "UPT", 0.10, ((ROS, 0.80), (IOS, 0.15), (FRR, 0.05)),
         0.15, 0.5, 0.4, ("cctv", "vicon"), (20, 30), (50, 100), (50, 100), (3,)),
    Kind("kecamatan", "kec", "Kantor Camat", 0.15, ((ROS, 0.85), (FRR, 0.15)),
         0.05, 0.15, 0.25, ("cctv",), (10,), (30,), (30, 50), (5,)),
    Kind("kelurahan", "kel", "Kantor Lurah/Desa", 0.25, ((ROS, 0.90), (FRR, 0.10)),
         0.0, 0.1, 0.05, (), (5,), (20,), (20, 30), (6,)),
    Kind("puskesmas", "pkm", "Puskesmas", 0.20, ((ROS, 0.75), (FRR, 0.25)),
         0.05, 0.15, 0.2, ("vicon",), (10, 15), (30, 40), (30, 50), (2,)),
    Kind("public_wifi", "wifi", "Wi-Fi Publik", 0.15, ((ROS, 0.70), (FRR, 0.30)),
         0.0, 0.05, 0.0, ("guest_wifi",), (10, 20), (50, 100), (50, 100), (7,)),
)
MODELS = {ROS: ("RB4011iGS+", "RB5009UG+S+", "hEX RB750Gr3"),
          IOS: ("ISR4331/K9", "C8200-1N-4T"), FRR: ("Debian 12 mini PC",)}
ZONE_PORTS = {
    ROS: {"staff": "ether3", "cctv": "ether4", "guest_wifi": "ether5", "vicon": "ether6"},
    IOS: {z: f"GigabitEthernet0/0/2.{10 * (i + 1)}"
          for i, z in enumerate(("staff", "cctv", "guest_wifi", "vicon"))},
    FRR: {"staff": "br-staff", "cctv": "br-cctv", "guest_wifi": "br-guest", "vicon": "br-vicon"},
}
LINK_PORTS = {ROS: ("ether1", "ether2"), IOS: ("GigabitEthernet0/0/0", "GigabitEthernet0/0/1"),
              FRR: ("eth1", "eth2")}
HUB_PORTS = {
    IOS: {"mgmt": "GigabitEthernet0", "wan": "GigabitEthernet0/0/0",
          "metro": "GigabitEthernet0/0/1", "fibre": "GigabitEthernet0/0/2",
          "core": "GigabitEthernet0/0/3"},
    ROS: {"mgmt": "ether1", "wan": "sfp-sfpplus1", "metro": "ether2", "fibre": "ether3",
          "core": "ether4"},
    FRR: {"mgmt": "eth0", "wan": "eth1", "core": "eth2"},
}
HUB_MODELS = {IOS: "ISR4451-X/K9", ROS: "CCR2004-16G-2S+",
              FRR: "Debian 12 (FRR 8.4, strongSwan 5.9)"}


@dataclass
class _Hub:
    hostname: str
    id: int
    platform: str
    dc: int
    fibre: bool
    uplink: str
    metro_net: IPv4Network | None
    metro_next: int = 2  # next host number for a site's metro address
    guaranteed: int = 0  # Mbps the sites homed here guarantee on its uplink
    links: int = 0


@dataclass
class _Plan:
    """What the generator decided: data centres, hubs, and counters for the underlay."""

    n: int
    dcs: list[tuple[str, str]]  # (code, name)
    hubs: list[_Hub] = field(default_factory=list)
    inet_next: int = 0

    def hub(self, hostname: str) -> _Hub:
        return next(h for h in self.hubs if h.hostname == hostname)


def datacenter_count(n: int) -> int:
    """Two data centres up to 1,000 sites, one more per 3,000 sites beyond, at most ten."""
    if n <= 1000:
        return 2
    return min(10, 2 + math.ceil((n - 1000) / 3000))


def site_block(n: int) -> int:
    """The largest block per site (the shortest prefix, from /22 down) that still gives
    every site id 1..n its own block in ``SITE_LAN`` (block 0 is never used)."""
    for prefix in range(22, 27):
        if (SITE_LAN.num_addresses >> (32 - prefix)) > n:
            return prefix
    raise ValueError(f"{n} sites do not fit in {SITE_LAN} even with /26 blocks")


def _plan(n: int) -> _Plan:
    d = datacenter_count(n)
    dcs = [("pusdatin", "Pusat Data Pemda - Diskominfotik NTB, Mataram"),
           ("drc", "Disaster Recovery Center - Kantor Gubernur, Mataram")]
    for k in range(2, d):
        code, name = KABUPATEN[1 + (k - 2) % (len(KABUPATEN) - 1)]
        dcs.append((f"dc-{code}", f"Data Center Regional {name}"))
    plan = _Plan(n, dcs)
    if n <= 100:  # the example's three hubs
        layout = [(0, "01", IOS), (1, "01", ROS), (0, "02", FRR)]
    else:
        layout = [(0, "01", IOS), (1, "01", ROS), (0, "02", FRR), (0, "03", ROS),
                  (1, "02", IOS), (1, "03", FRR)]
        for k in range(2, d):
            layout += [(k, "01", IOS), (k, "02", ROS), (k, "03", FRR)]
    for hub_id, (dc, suffix, platform) in enumerate(layout, start=1):
        hostname = f"hub-{dcs[dc][0]}-{suffix}"
        metro = IPv4Network((int(IPv4Address("100.64.0.0")) + (hub_id << 16), 16)) \
            if platform != FRR else None
        plan.hubs.append(_Hub(hostname, hub_id, platform, dc, fibre=dc < 2 and platform != FRR,
                              uplink=f"inet-{dcs[dc][0].removeprefix('dc-')}-{suffix}",
                              metro_net=metro))
    return plan


def _pick(rng: random.Random, odds: tuple[tuple[str, float], ...]) -> str:
    r, total = rng.random(), 0.0
    for value, p in odds:
        total += p
        if r < total:
            return value
    return odds[-1][0]


def _inet(plan: _Plan) -> tuple[str, str]:
    """The next internet circuit's (site address/30, ISP gateway)."""
    k = plan.inet_next
    plan.inet_next += 1
    base = (int(IPv4Address("198.18.0.0")) + 4 * k if k < 32768
            else int(IPv4Address("100.96.0.0")) + 4 * (k - 32768))
    return f"{IPv4Address(base + 2)}/30", str(IPv4Address(base + 1))


def _hubs_for(plan: _Plan, rng: random.Random, platform: str, home: int, backup: bool
              ) -> list[_Hub]:
    """The primary hub (and a backup hub) of a site homed in data centre ``home``."""
    if platform == FRR:
        family = [h for h in plan.hubs if h.platform == FRR]
        local = [h for h in family if h.dc == home] or family
        first = family[0] if rng.random() < 0.3 else rng.choice(local)
    else:
        family = [h for h in plan.hubs if h.platform != FRR]
        local = [h for h in family if h.dc == home] or family
        r = rng.random()
        if r < 0.18:
            first = plan.hub(MAIN_IOS)
        elif r < 0.36:
            first = plan.hub(MAIN_ROS)
        else:
            first = rng.choice(local)
    if not backup or len(family) < 2:
        return [first]
    mains = [h for h in family if h.hostname in (MAIN_IOS, MAIN_ROS) and h is not first]
    others = [h for h in family if h is not first]
    second = rng.choice(mains) if mains and rng.random() < 0.7 else rng.choice(others)
    return [first, second]


def _site(plan: _Plan, rng: random.Random, sid: int) -> dict[str, Any]:
    kind = rng.choices(KINDS, weights=[k.weight for k in KINDS])[0]
    kab_index = 0 if rng.random() < 0.3 else rng.randrange(len(KABUPATEN))
    kab, kab_name = KABUPATEN[kab_index]
    d = len(plan.dcs)
    home = rng.randrange(2) if kab_index == 0 or d == 2 else 2 + (kab_index - 1) % (d - 2)
    platform = _pick(rng, kind.platforms)
    if kind.name == "opd_office":
        agency, agency_name = AGENCIES[sid % len(AGENCIES)]
        code, name = f"{agency}-{kab}-{sid}", f"{agency_name} {kab_name} ({sid})"
    else:
        code, name = f"{kind.prefix}-{kab}-{sid}", f"{kind.label} {sid}, {kab_name}"
    hubs = _hubs_for(plan, rng, platform, home, rng.random() < kind.backup)
    links: list[dict[str, Any]] = []
    for n, hub in enumerate(hubs):
        if (hub.fibre and kab_index == 0 and sid <= MAX_FIBRE_ID
                and rng.random() < kind.fibre):
            medium = FIBRE
        elif hub.metro_net is not None and rng.random() < kind.metro:
            medium = METRO
        else:
            medium = INET
        prefix = {FIBRE: "fo", METRO: "metro", INET: "inet"}[medium]
        link: dict[str, Any] = {
            "name": f"{prefix}-{hub.hostname.removeprefix('hub-')}", "medium": medium,
            "hub": hub.hostname, "role": "primary" if n == 0 else "backup",
            "capacity_mbps": 1000 if medium == FIBRE else rng.choice(kind.capacity),
            # one port per link: the SFP cage takes the first fibre link only
            "interface": ("sfp-sfpplus1" if platform == ROS and medium == FIBRE
                          and not any(k["interface"] == "sfp-sfpplus1" for k in links)
                          else LINK_PORTS[platform][n]),
            "provider": ("Fiber optik Pemprov" if medium == FIBRE else rng.choice(SITE_ISPS)),
        }
        if medium == METRO:
            assert hub.metro_net is not None
            host = hub.metro_next
            hub.metro_next += 1
            base = int(hub.metro_net.network_address)
            link["address"] = f"{IPv4Address(base + host)}/16"
            link["gateway"] = str(IPv4Address(base + 65534))
        elif medium == INET:
            link["address"], link["gateway"] = _inet(plan)
        hub.links += 1
        links.append(link)
    zones = ["staff", *(z for z in kind.zones if rng.random() < 0.5)]
    top = max(link["capacity_mbps"] for link in links)
    max_mbps = min(top, rng.choice(kind.max_mbps))
    guaranteed = min(max_mbps, rng.choice(kind.guaranteed))
    hubs[0].guaranteed += guaranteed
    return {
        "id": sid, "code": code, "name": name, "kind": kind.name,
        "address": f"{kab_name}",
        "router": {"hostname": f"rtr-{code}", "platform": platform,
                   "model": rng.choice(MODELS[platform])},
        "links": links,
        "zones": [{"kind": z, "interface": ZONE_PORTS[platform][z]} for z in zones],
        "bandwidth": {"uplink": hubs[0].uplink, "guaranteed_mbps": guaranteed,
                      "max_mbps": max_mbps, "priority": rng.choice(kind.priority)},
    }


def _region(plan: _Plan, overbooking: float) -> dict[str, Any]:
    example = yaml.load((EXAMPLE / "region.yml").read_text(encoding="utf-8"),
                        Loader=yaml.CSafeLoader if hasattr(yaml, "CSafeLoader")
                        else yaml.SafeLoader)
    region = example["region"]
    region["overbooking"] = overbooking
    dcs: list[dict[str, Any]] = []
    for d, (code, name) in enumerate(plan.dcs):
        hubs = [h for h in plan.hubs if h.dc == d]
        uplinks = []
        for i, hub in enumerate(hubs):
            need = math.ceil(hub.guaranteed / overbooking / 100) * 100
            uplinks.append({"name": hub.uplink, "isp": ISPS[(d + i) % len(ISPS)],
                            "contract": f"KTR.{100 + d * 3 + i:03d}/DISKOMINFOTIK/2026",
                            "mbps": max(100, need)})
        hub_docs = []
        for j, hub in enumerate(hubs):
            ports = HUB_PORTS[hub.platform]
            wan = 8 * (hub.id - 1)
            ifaces: dict[str, Any] = {
                "mgmt": {"name": ports["mgmt"], "address": f"10.250.{d}.{11 + j}/24"},
                "wan": {"name": ports["wan"], "address": f"203.0.113.{wan + 2}/29",
                        "gateway": f"203.0.113.{wan + 1}", "uplink": hub.uplink},
            }
            if hub.metro_net is not None:
                ifaces["metro"] = {"name": ports["metro"],
                                   "address": f"{hub.metro_net.network_address + 1}/16"}
            if hub.fibre:
                ifaces["fibre"] = {"name": ports["fibre"]}
            ifaces["core"] = {"name": ports["core"], "address": f"10.100.{d}.{1 + j}/24"}
            hub_docs.append({"hostname": hub.hostname, "id": hub.id, "platform": hub.platform,
                             "model": HUB_MODELS[hub.platform], "interfaces": ifaces})
        dcs.append({
            "code": code, "name": name, "role": "primary" if d == 0 else "dr",
            "zones": {"core": f"10.100.{d}.0/24", "core_gateway": f"10.100.{d}.254",
                      "server": f"10.101.{d}.0/24", "management": f"10.250.{d}.0/24",
                      "dmz": f"10.102.{d}.0/24"},
            "uplinks": uplinks, "hubs": hub_docs})
    return {
        "region": region,
        "pools": {"loopback": "10.64.0.0/16", "transit": "10.72.0.0/13",
                  "site_lan": str(SITE_LAN), "management": "10.250.0.0/16",
                  "site_block": site_block(plan.n)},
        "crypto_profiles": example["crypto_profiles"],
        "baseline": example["baseline"],
        "datacenters": dcs,
    }


def _servers() -> dict[str, Any]:
    return {"servers": [
        {"name": "ntp-01", "address": "10.101.0.11", "datacenter": "pusdatin", "roles": ["ntp"]},
        {"name": "ntp-02", "address": "10.101.1.11", "datacenter": "drc", "roles": ["ntp"]},
        {"name": "syslog-01", "address": "10.101.0.31", "datacenter": "pusdatin",
         "roles": ["syslog"]},
        {"name": "dns-01", "address": "10.101.0.53", "datacenter": "pusdatin", "roles": ["dns"]},
        {"name": "dns-02", "address": "10.101.1.53", "datacenter": "drc", "roles": ["dns"]},
        {"name": "radius-01", "address": "10.101.0.21", "datacenter": "pusdatin",
         "roles": ["radius"]},
        {"name": "monitor-01", "address": "10.250.0.50", "datacenter": "pusdatin",
         "zone": "management", "roles": ["monitoring"]},
    ]}


def _dump(data: dict[str, Any], header: str) -> str:
    body: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                          width=100, default_flow_style=False)
    return f"# {header}\n{body}"


def generate(n: int, dest: Path, seed: int = 52, overbooking: float = 1.5) -> Path:
    """Write an inventory of ``n`` sites into ``dest`` (replaced if present); return it."""
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = random.Random(f"pydriver-bench-{seed}-{n}")
    plan = _plan(n)
    sites = [_site(plan, rng, sid) for sid in range(1, n + 1)]
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "sites").mkdir(parents=True)
    (dest / "region.yml").write_text(
        _dump(_region(plan, overbooking), f"Generated benchmark region: {n} sites, seed {seed}"),
        encoding="utf-8")
    (dest / "servers.yml").write_text(_dump(_servers(), "Shared servers"), encoding="utf-8")
    for site in sites:
        (dest / "sites" / f"{site['code']}.yml").write_text(
            _dump(site, site["name"]), encoding="utf-8")
    return dest


def hub_load(dest: Path) -> dict[str, int]:
    """Links per hub in a generated inventory (what each hub's config grows with)."""
    count: Counter[str] = Counter()
    loader = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader
    for path in sorted((dest / "sites").glob("*.yml")):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        count.update(link["hub"] for link in doc["links"])
    return dict(sorted(count.items(), key=lambda kv: (-kv[1], kv[0])))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("sites", type=int)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--seed", type=int, default=52)
    args = parser.parse_args(argv)
    generate(args.sites, args.dest, args.seed)
    for hub, links in hub_load(args.dest).items():
        print(f"{hub:24} {links:7d} links")
    return 0


if __name__ == "__main__":
    sys.exit(main())
