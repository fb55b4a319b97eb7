"""The value types of the source of truth: character rules, grammars, strict secret
references, and what cannot work on a router (ASN range, crypto, time zone, e-mail)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from pydriver.errors import Problem, SecretError, SourceError
from pydriver.pipeline import Pipeline
from pydriver.sot import secrets
from pydriver.sot.models import Banner, Email, Text, Timezone
from tests.conftest import Edit

pytestmark = pytest.mark.usefixtures("in_tmp")

SITE = "sites/bappeda.yml"


def problems(inv: Path) -> list[Problem]:
    with pytest.raises(SourceError) as info:
        assert Pipeline(inv).rendered
    return list(info.value.problems)


def one(inv: Path) -> Problem:
    (p,) = problems(inv)
    assert p.location is not None
    return p


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


# -- free text ---------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["line\nbreak", "tab\there", "esc\x1b[31m", "del\x7f",
                                   "nel\x85", "sep\u2028", "bidi\u202eevil", "nul\x00"])
def test_free_text_refuses_control_characters(value: str) -> None:
    with pytest.raises(ValidationError) as info:
        TypeAdapter(Text).validate_python(value)
    assert "control characters and line breaks are not allowed" in str(info.value)


def test_free_text_takes_any_printable_text() -> None:
    for value in ("Dinas Kesehatan Ñusa Tenggara", "[blink]x", "[/x]", "O'Brien \"Q\"",
                  "Jl. Udayana No. 4, Mataram (lt. 2) — ruang 3"):
        assert TypeAdapter(Text).validate_python(value) == value
    with pytest.raises(ValidationError):
        TypeAdapter(Text).validate_python(2024)  # a YAML number is not text
    with pytest.raises(ValidationError):
        TypeAdapter(Text).validate_python("x" * 201)


def test_banner_is_multi_line_with_rules_per_line() -> None:
    ok = "PERINGATAN: sistem milik Pemda.\nAkses hanya untuk yang berwenang."
    assert TypeAdapter(Banner).validate_python(ok) == ok
    for bad, why in (("one\ntwo\x1b[2J", "line 2: control characters"),
                     ("a\r\nb", "line 1: control characters"),
                     ("x" * 201, "line 1: at most 200 characters"),
                     ("\n".join(["x"] * 41), "at most 40 lines")):
        with pytest.raises(ValidationError) as info:
            TypeAdapter(Banner).validate_python(bad)
        assert why in str(info.value)


@pytest.mark.parametrize(("field", "old", "new"), [
    ("name", "name: Badan Perencanaan Pembangunan Daerah", 'name: "Bappeda\\nrm -rf"'),
    ("address", 'address: "Jl. Pejanggik No. 12, Mataram"', 'address: "Jl.\\tPejanggik"'),
    ("router.model", "model: RB4011iGS+", 'model: "RB4011\\x1b]0;x\\x07"'),
    ("links.0.provider", "provider: Fiber optik Pemprov", 'provider: "a\\u2028b"'),
    ("zones.1.description", "description: Ruang Rapat Bappeda", 'description: "a\\rb"'),
])
def test_control_characters_in_site_fields_are_located(inv: Path, edit: Edit, field: str,
                                                       old: str, new: str) -> None:
    edit(SITE, old, new)
    p = one(inv)
    assert p.message.startswith(f"{field}: control characters")
    assert p.location is not None and p.location.line == line_of(inv / SITE, new)


@pytest.mark.parametrize(("old", "new", "field"), [
    ("name: NTBProv-CSIRT", 'name: "CSIRT\\nX"', "region.csirt.name"),
    ("isp: Telkom Astinet", 'isp: "Telkom\\x00"', "datacenters.0.uplinks.0.isp"),
    ("contract: KTR.027/DISKOMINFOTIK/2026", 'contract: "K\\x1b"',
     "datacenters.0.uplinks.0.contract"),
    ("full_name: Lalu Ahmad Zaini", 'full_name: "Lalu\\tAhmad"', "baseline.admins.0.full_name"),
    ("    Akses hanya untuk", "    \\x1b[2JAkses hanya untuk", None),
])
def test_control_characters_in_region_fields_are_located(inv: Path, edit: Edit, old: str,
                                                         new: str, field: str | None) -> None:
    if field is None:  # inside the banner's block scalar: a literal escape character
        text = (inv / "region.yml").read_text().replace(old, "    \x1b[2JAkses hanya untuk")
        (inv / "region.yml").write_text(text)
        p = one(inv)
        assert "control character U+001B" in p.message  # YAML itself refuses it
        return
    edit("region.yml", old, new)
    p = one(inv)
    assert p.message.startswith(f"{field}: control characters")


def test_banner_line_rules_are_located(inv: Path, edit: Edit) -> None:
    edit("region.yml", "    dan dipantau", "    " + "x" * 250 + " dan dipantau")
    p = one(inv)
    assert p.message.startswith("baseline.banner: line 3: at most 200 characters")


# -- secret references -------------------------------------------------------------------------
@pytest.mark.parametrize("ref", [
    "env:JIP_X", "file:secrets/psk.txt", "file:/run/secrets/jip", "vault:vault.yml#radius",
    "vault:group_vars/all/vault.yml#snmp_auth"])
def test_good_secret_references(ref: str) -> None:
    assert secrets.parse(ref).text == ref


@pytest.mark.parametrize("ref", [
    "x')+lookup('pipe','echo${IFS}INJECTED')+('",
    "file:x')+lookup('pipe','echo${IFS}INJECTED')+('",
    "env:X')+lookup('pipe','id')+('", "file:../../etc/shadow", "file:a/../b", "file:..",
    "vault:../v.yml#k", "vault:v.yml#k}}{{", "file:a b", "file:$(id)", "env:lower",
    "env:A-B", "file:{{x}}", "file:a\nb", "vault:v.yml#", "file:", "hunter2", ""])
def test_bad_secret_references_are_refused_without_echo(ref: str) -> None:
    with pytest.raises(SecretError) as info:
        secrets.parse(ref)
    # the same words whatever was written: a secret pasted in is never repeated
    assert str(info.value) == f"malformed secret reference: {secrets.EXPECTED}"


def test_injection_in_a_link_psk_is_refused_and_not_echoed(inv: Path, edit: Edit) -> None:
    payload = "x')+lookup('pipe','echo${IFS}INJECTED')+('"
    edit("sites/dinkes.yml", "    medium: isp_metro",
         f'    medium: isp_metro\n    psk: "{payload}"')
    p = one(inv)
    assert p.message.startswith("links.0.psk: malformed secret reference")
    assert "INJECTED" not in p.message and "lookup" not in p.message


def test_tunnel_psk_template_takes_only_the_site_placeholder(inv: Path, edit: Edit) -> None:
    edit("region.yml", "tunnel_psk: env:JIP_PSK_{SITE}", "tunnel_psk: env:JIP_PSK_{SITE}_{X}")
    assert one(inv).message.startswith("baseline.tunnel_psk: malformed secret reference")


# -- what cannot work --------------------------------------------------------------------------
def test_site_asn_past_the_4_byte_range(inv: Path, edit: Edit) -> None:
    edit("region.yml", "site_asn_base: 4200000000", "site_asn_base: 4294967280")
    found = problems(inv)
    assert found and all("past 4294967294" in p.message for p in found)
    assert all(p.location is not None and p.location.file.startswith("inventory/sites/")
               for p in found)
    assert all(p.location is not None and p.location.line == 2 for p in found)


def test_site_asn_base_itself_is_bounded(inv: Path, edit: Edit) -> None:
    edit("region.yml", "site_asn_base: 4200000000", "site_asn_base: 4294967295")
    assert one(inv).message.startswith("region.site_asn_base: Input should be less than")


@pytest.mark.parametrize("key", ["ike_encryption", "esp_encryption", "dh_groups",
                                 "ike_integrity"])
def test_empty_crypto_lists(inv: Path, edit: Edit, key: str) -> None:
    region = (inv / "region.yml").read_text()
    line = next(x for x in region.splitlines() if x.strip().startswith(f"{key}:"))
    edit("region.yml", line, f"    {key}: []")
    where = line_of(inv / "region.yml", f"{key}: []")
    found = [p for p in problems(inv) if p.location is not None and p.location.line == where]
    assert found and found[0].code == "crypto" and "crypto profile 'jip-standard'" in \
        found[0].message


def test_routeros_ike_without_cbc_is_located_not_a_render_failure(inv: Path,
                                                                    edit: Edit) -> None:
    edit("region.yml", "ike_encryption: [aes-256-cbc]", "ike_encryption: [aes-256-gcm]")
    p = one(inv)
    assert p.location is not None and p.location.file == "inventory/region.yml"
    assert p.location.line == line_of(inv / "region.yml", "ike_encryption:")
    assert "mikrotik_routeros routers hub-drc-01" in p.message and "AES-CBC" in p.message


def test_routeros_ike_without_cbc_named_by_a_link(inv: Path, edit: Edit) -> None:
    (inv / "region.yml").write_text((inv / "region.yml").read_text().replace(
        "crypto_profiles:\n", "crypto_profiles:\n  gcm-only:\n    ike_encryption: "
        "[aes-256-gcm]\n    ike_integrity: [sha256]\n    dh_groups: [19]\n"
        "    esp_encryption: [aes-256-gcm]\n", 1))
    edit("sites/bpbd.yml", "    medium: internet_vpn", "    medium: internet_vpn\n"
         "    crypto_profile: gcm-only")
    p = one(inv)
    assert p.location is not None and p.location.file == "inventory/sites/bpbd.yml"
    assert p.location.line == line_of(inv / "sites/bpbd.yml", "crypto_profile: gcm-only")
    assert p.message.startswith("crypto profile 'gcm-only' cannot be used by "
                                "mikrotik_routeros router rtr-bpbd")


def test_vlan_of_own_fibre_is_bounded(inv: Path, edit: Edit) -> None:
    edit(SITE, "id: 2", "id: 3100")
    messages = [p.message for p in problems(inv)]
    assert any("own-fibre VLAN 4100 for site id 3100 exceeds 4094" in m for m in messages)


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "UTC"])
def test_real_time_zones(zone: str) -> None:
    assert TypeAdapter(Timezone).validate_python(zone) == zone


@pytest.mark.parametrize("zone", ["Mars/Olympus", "WITA", "../../etc/passwd", "Asia/",
                                  "asia/jakarta"])
def test_unknown_time_zones(zone: str) -> None:
    with pytest.raises(ValidationError, match="expected an IANA time zone"):
        TypeAdapter(Timezone).validate_python(zone)


@pytest.mark.parametrize(("email", "ok"), [
    ("csirt@ntbprov.go.id", True), ("first.last+tag@example.co.id", True),
    ("not an email", False), ("csirt@", False), ("@ntbprov.go.id", False),
    ("a@b", False), ("a@@b.id", False), ("a@b..id", False), ("a@-b.id", False),
    ("a b@c.id", False), ("a@b.id\n", False)])
def test_csirt_email_syntax(email: str, ok: bool) -> None:
    adapter = TypeAdapter(Email)
    if ok:
        assert adapter.validate_python(email) == email
    else:
        with pytest.raises(ValidationError, match="expected an e-mail address"):
            adapter.validate_python(email)


def test_timezone_and_email_are_located(inv: Path, edit: Edit) -> None:
    edit("region.yml", "timezone: Asia/Makassar", "timezone: Mars/Olympus")
    edit("region.yml", "email: csirt@ntbprov.go.id", "email: csirt@")
    found = {p.message.split(":")[0]: p for p in problems(inv)}
    assert set(found) == {"region.timezone", "region.csirt.email"}
    assert found["region.timezone"].location is not None
    assert found["region.timezone"].location.line == line_of(inv / "region.yml", "timezone:")


# -- strict types ------------------------------------------------------------------------------
@pytest.mark.parametrize(("old", "new", "expected"), [
    ("capacity_mbps: 1000", "capacity_mbps: '1000'", "expected a whole number"),
    ("capacity_mbps: 1000", "capacity_mbps: 1000.0", "expected a whole number"),
    ("capacity_mbps: 1000", "capacity_mbps: true", "expected a whole number"),
    ("name: fo-pusdatin", "name: 12", "expected text"),
    ("model: RB4011iGS+", "model: 4011", "expected text"),
    ("provider: Fiber optik Pemprov", "provider: 1.5", "expected text"),
    ("interface: ether3", "interface: 3", "expected text"),
    ("priority: 3", "priority: '3'", "expected a whole number"),
])
def test_numbers_and_text_are_never_confused(inv: Path, edit: Edit, old: str, new: str,
                                             expected: str) -> None:
    edit(SITE, old, new)
    p = one(inv)
    assert expected in p.message
    assert p.location is not None and p.location.line == line_of(inv / SITE, new)


def test_an_address_is_text_not_a_number(inv: Path, edit: Edit) -> None:
    edit("servers.yml", "address: 10.10.10.11,", "address: 167772161,")
    assert "expected an IPv4 address such as 10.0.0.1, written as text" in one(inv).message


def test_secret_fields_never_show_their_value(inv: Path, edit: Edit) -> None:
    edit("region.yml", "secret: env:JIP_ADMIN_LALU_AHMAD", "secret: [Sup3rS3cret!]")
    p = one(inv)
    assert "Sup3rS3cret" not in p.message and p.message.startswith(
        "baseline.admins.0.secret")
    edit("region.yml", "priv_secret: env:JIP_SNMP_PRIV", "priv_secret: 123456789")
    assert all("123456789" not in p.message for p in problems(inv))


def test_long_values_are_cut_in_messages(inv: Path, edit: Edit) -> None:
    edit(SITE, "hub: hub-pusdatin-01", "hub: " + "h" * 5000)
    p = one(inv)
    assert len(p.message) < 250 and "..." in p.message
