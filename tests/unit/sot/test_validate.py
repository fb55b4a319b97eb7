"""Every validation rule, each on a copy of the example broken in one place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pydriver.errors import Problem, SourceError
from pydriver.pipeline import Pipeline
from pydriver.sot.models import Medium, Platform, SiteKind, ZoneKind
from tests.conftest import Edit

# problems name files relative to the working directory: run from the copy's parent
pytestmark = pytest.mark.usefixtures("in_tmp")


def problems(inv: Path, require_secrets: bool = False) -> list[Problem]:
    with pytest.raises(SourceError) as info:
        assert Pipeline(inv, require_secrets=require_secrets).network
    return list(info.value.problems)


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def only(inv: Path, needle: str) -> Problem:
    found = [p for p in problems(inv) if needle in p.message]
    assert found, f"no problem mentions {needle!r}: {problems(inv)}"
    return found[0]


def test_example_is_sound_and_covers_the_issue(example: Path) -> None:
    net = Pipeline(example).network
    assert len(net.sites) >= 14
    assert {s.kind for s in net.sites} >= {SiteKind.OPD_OFFICE, SiteKind.UPT, SiteKind.KECAMATAN,
                                           SiteKind.PUSKESMAS, SiteKind.PUBLIC_WIFI}
    media = {link.medium for s in net.sites for link in s.links}
    assert media == set(Medium)
    platforms = {s.router.platform for s in net.sites} | {h.platform for h in net.hubs()}
    assert platforms == set(Platform)
    assert any(link.role == "backup" for s in net.sites for link in s.links)
    assert {z.kind for s in net.sites for z in s.zones} == set(ZoneKind)
    assert {dc.role for dc in net.datacenters} == {"primary", "dr"}
    assert sum(len(dc.uplinks) for dc in net.datacenters) >= 2
    assert net.servers


def test_unknown_key_lists_expected_keys(inv: Path, edit: Edit) -> None:
    edit("sites/dinkes.yml", "  priority: 2\n", "  priority: 2\n  burst: 9\n")
    p = only(inv, "unknown key 'burst'")
    assert p.location is not None
    assert (p.location.file, p.location.line, p.location.column) == (
        "inventory/sites/dinkes.yml", line_of(inv / "sites/dinkes.yml", "burst"), 3)
    assert "guaranteed_mbps" in p.message


def test_wrong_type_is_located(inv: Path, edit: Edit) -> None:
    edit("sites/dinkes.yml", "capacity_mbps: 200", "capacity_mbps: lots")
    p = only(inv, "capacity_mbps")
    assert p.location is not None
    assert p.location.line == line_of(inv / "sites/dinkes.yml", "lots")
    assert "'lots'" in p.message


def test_all_errors_in_one_run(inv: Path, edit: Edit) -> None:
    edit("sites/dinkes.yml", "capacity_mbps: 200", "capacity_mbps: lots")
    edit("sites/bappeda.yml", "hub: hub-pusdatin-01", "hub: hub-nowhere")
    edit("region.yml", "dh_groups: [19, 20, 14]", "dh_groups: [2, 19]")
    (inv / "sites" / "zz.yml").write_text("id: [\n")
    files = {p.location.file for p in problems(inv) if p.location}
    assert files == {"inventory/sites/dinkes.yml", "inventory/sites/bappeda.yml",
                     "inventory/region.yml", "inventory/sites/zz.yml"}


def test_duplicate_site_id_code_and_hostname(inv: Path, edit: Edit) -> None:
    text = (inv / "sites" / "bappeda.yml").read_text()
    (inv / "sites" / "zz-copy.yml").write_text(text.replace("sfp-sfpplus1", "ether1"))
    msgs = [p.message for p in problems(inv)]
    assert any("site id 2 is already used" in m for m in msgs)
    assert any("site code 'bappeda' is already used" in m for m in msgs)
    assert any("hostname 'rtr-bappeda' is already used" in m for m in msgs)


def test_overlapping_pools(inv: Path, edit: Edit) -> None:
    edit("region.yml", "transit: 10.254.0.0/16", "transit: 10.64.0.0/16")
    assert any("overlaps" in p.message and "site_lan" in p.message for p in problems(inv))


def test_zone_outside_management_pool(inv: Path, edit: Edit) -> None:
    edit("region.yml", "management: 10.250.20.0/24", "management: 10.251.20.0/24")
    only(inv, "must be inside pools.management")


def test_pool_exhausted(inv: Path, edit: Edit) -> None:
    edit("sites/dinkes.yml", "id: 3", "id: 5000")
    p = only(inv, "pool exhausted")
    assert p.location is not None and p.location.line == line_of(inv / "sites/dinkes.yml", "5000")


def test_address_outside_zone(inv: Path, edit: Edit) -> None:
    edit("servers.yml", "address: 10.10.10.21", "address: 10.99.10.21")
    only(inv, "outside zone server")


def test_underlay_overlapping_internal_pool(inv: Path, edit: Edit) -> None:
    edit("sites/dinkes.yml", "192.0.2.14/30", "10.64.200.14/30")
    only(inv, "overlaps the site_lan pool")


def test_references_resolve(inv: Path, edit: Edit) -> None:
    edit("sites/dinkes.yml", "hub: hub-drc-01", "hub: hub-mars")
    edit("sites/bappeda.yml", "uplink: inet-telkom", "uplink: inet-mars")
    edit("region.yml", "ntp: [ntp-01, ntp-02]", "ntp: [ntp-01, radius-01]")
    msgs = [p.message for p in problems(inv)]
    assert any("hub 'hub-mars' is not defined" in m for m in msgs)
    assert any("uplink 'inet-mars' is not defined" in m for m in msgs)
    assert any("server 'radius-01' does not have role 'ntp'" in m for m in msgs)


def test_unknown_platform(inv: Path, edit: Edit) -> None:
    edit("region.yml", "        platform: cisco_ios", "        platform: junos")
    p = only(inv, "junos")
    assert "mikrotik_routeros" in p.message


def test_platform_family_of_tunnel_ends(inv: Path, edit: Edit) -> None:
    edit("sites/pkm-tanjung.yml", "hub: hub-pusdatin-02", "hub: hub-pusdatin-01")
    only(inv, "cannot build a tunnel")


def test_bandwidth_budget(inv: Path, edit: Edit) -> None:
    edit("sites/dinkes.yml", "guaranteed_mbps: 80\n  max_mbps: 200",
         "guaranteed_mbps: 200\n  max_mbps: 200")
    edit("region.yml", "overbooking: 1.5", "overbooking: 1.0")
    edit("region.yml", "mbps: 1000", "mbps: 500")
    p = only(inv, "overbooked")
    assert "inet-telkom" in p.message and "dinkes" in p.message
    assert p.location is not None and p.location.file == "inventory/region.yml"
    # every site in the sum, at the line that sets its share, the largest first
    sum_ = p.message.split("the sum: ")[1]
    assert sum_.startswith("dinkes 200 Mbps (inventory/sites/dinkes.yml:")
    shares = re.findall(r"(\S+) (\d+) Mbps \((inventory/sites/\S+\.yml):(\d+):\d+\)", sum_)
    assert len(shares) == sum(1 for f in (inv / "sites").glob("*.yml")
                              if "uplink: inet-telkom" in f.read_text())
    for code, _mbps, file, line in shares:
        text = (inv.parent / file).read_text().splitlines()
        assert file.endswith(f"/{code}.yml") and "guaranteed_mbps" in text[int(line) - 1]


def test_guaranteed_above_max(inv: Path, edit: Edit) -> None:
    edit("sites/dinkes.yml", "guaranteed_mbps: 80", "guaranteed_mbps: 300")
    only(inv, "exceeds max_mbps")


@pytest.mark.parametrize(("old", "new", "needle"), [
    ("ike_version: 2", "ike_version: 1", "IKEv1"),
    ("ike_encryption: [aes-256-cbc]", "ike_encryption: [3des]", "3DES"),
    ("ike_integrity: [sha256]", "ike_integrity: [md5]", "MD5"),
    ("esp_integrity: [sha256]", "esp_integrity: [sha1]", "SHA-1"),
    ("dh_groups: [19, 20, 14]", "dh_groups: [2, 19]", "DH group 2"),
    ("pfs: true", "pfs: false", "PFS"),
])
def test_crypto_policy_cites_nist(inv: Path, edit: Edit, old: str, new: str,
                                  needle: str) -> None:
    edit("region.yml", old, new)
    p = only(inv, needle)
    assert "NIST SP 800-77r1" in p.message
    assert p.location is not None and p.location.file == "inventory/region.yml"


def test_secret_refs_well_formed(inv: Path, edit: Edit) -> None:
    edit("region.yml", "radius_secret: env:JIP_RADIUS_SECRET", "radius_secret: hunter2")
    p = only(inv, "malformed secret reference")
    # a secret pasted where its reference belongs is never repeated
    assert "hunter2" not in p.message and "expected env:NAME" in p.message
    assert p.location is not None and p.location.line == line_of(inv / "region.yml", "hunter2")


def test_require_secrets_resolves(inv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("JIP_RADIUS_SECRET", "JIP_SNMP_AUTH"):
        monkeypatch.delenv(name, raising=False)
    found = problems(inv, require_secrets=True)
    assert any("JIP_RADIUS_SECRET is not set" in p.message for p in found)
    # values never appear in messages, only names
    monkeypatch.setenv("JIP_RADIUS_SECRET", "s3cr3t-value")
    assert all("s3cr3t-value" not in p.message for p in problems(inv, require_secrets=True))


def test_one_primary_link(inv: Path, edit: Edit) -> None:
    edit("sites/dinkes.yml", "role: backup", "role: primary")
    only(inv, "exactly one primary link")


def test_tunnel_link_needs_underlay(inv: Path, edit: Edit) -> None:
    edit("sites/dinkes.yml", "    address: 192.0.2.14/30\n", "")
    only(inv, "needs 'address' and 'gateway'")


def test_two_links_on_one_port(inv: Path) -> None:
    """Each link is its own circuit on its own port; a second on the same port is named at
    its own line."""
    site = inv / "sites" / "bpbd.yml"
    lines = site.read_text().splitlines(keepends=True)
    second = [n for n, line in enumerate(lines) if line.strip() == "interface: ether2"]
    assert second, "bpbd's backup link is on ether2"
    lines[second[0]] = lines[second[0]].replace("ether2", "ether1")
    site.write_text("".join(lines))
    p = only(inv, "interface 'ether1' is already used by another link")
    assert p.location is not None and p.location.line == second[0] + 1
    assert p.location.file.endswith("sites/bpbd.yml")
