from __future__ import annotations

import os
import re
import shutil
import subprocess
from ipaddress import IPv4Network
from pathlib import Path

import pytest

from pydriver.pipeline import Pipeline
from pydriver.platforms.cisco_ios import filters as ios
from pydriver.platforms.mikrotik_routeros import filters as ros
from pydriver.render.render import write
from pydriver.sot.secrets import PLACEHOLDER
from tests.conftest import Edit


def test_rendering_is_byte_identical(example: Path, tmp_path: Path) -> None:
    first = Pipeline(example).rendered
    second = Pipeline(example).rendered
    assert first == second
    write(first, tmp_path / "a")
    write(second, tmp_path / "b")
    for path in sorted((tmp_path / "a").rglob("*")):
        if path.is_file():
            twin = tmp_path / "b" / path.relative_to(tmp_path / "a")
            assert path.read_bytes() == twin.read_bytes()


def test_every_router_renders_its_platform_files(example: Path) -> None:
    configs = Pipeline(example).rendered
    assert len(configs) == 19
    names = {c.platform.value: tuple(n for n, _ in c.files) for c in configs.values()}
    assert names == {
        "mikrotik_routeros": ("config.rsc",),
        "cisco_ios": ("running-config.ios",),
        "linux_frr": ("frr.conf", "swanctl.conf", "nftables.conf", "tc.sh"),
    }


def test_secrets_only_as_placeholders(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIP_RADIUS_SECRET", "radius-VALUE-xyz")
    configs = Pipeline(example).rendered
    text = "\n".join(t for c in configs.values() for _, t in c.files)
    assert "radius-VALUE-xyz" not in text
    refs = {m["ref"] for m in PLACEHOLDER.finditer(text)}
    assert "env:JIP_RADIUS_SECRET" in refs and "env:JIP_PSK_DINKES" in refs


def test_routeros_crypto_is_explicit(example: Path) -> None:
    text = Pipeline(example).rendered["rtr-bpbd"].main
    profile = next(line for line in text.splitlines() if line.startswith("add dh-group="))
    assert "modp1024" not in profile and "3des" not in text and "sha1 " not in profile
    assert "enc-algorithm=aes-256" in profile and "hash-algorithm=sha256" in profile
    assert re.search(r"pfs-group=ecp256", text)


def test_routeros_baseline_turns_services_off(example: Path) -> None:
    text = Pipeline(example).rendered["rtr-kec-ampenan"].main
    for needle in ("set telnet disabled=yes", "set ftp disabled=yes", "set www disabled=yes",
                   "set api disabled=yes", "set strong-crypto=yes",
                   "set discover-interface-list=none", "/tool bandwidth-server\nset enabled=no",
                   "/tool mac-server\nset allowed-interface-list=none", "use-radius=yes",
                   "security=private", "target=remote", "show-at-login=yes"):
        assert needle in text, needle


def test_ios_baseline(example: Path) -> None:
    text = Pipeline(example).rendered["rtr-dinkes"].main
    for needle in ("aaa new-model", "transport input ssh", "access-class JIP-MGMT in",
                   "no ip http server", "no cdp run", "snmp-server group JIP-MON v3 priv",
                   "ip ssh version 2", "banner login ^\n", "logging host 10.10.10.31",
                   "ntp server 10.10.10.11", "tunnel protection ipsec profile"):
        assert needle in text, needle


def test_filters_map_crypto_names() -> None:
    assert ros.ros_dh([19, 20, 14]) == "ecp256,ecp384,modp2048"
    assert ros.ros_duration(86400) == "1d" and ros.ros_duration(90) == "90s"
    assert ros.ros('a "b" $c') == '"a \\"b\\" \\$c"' and ros.ros("x-1") == "x-1"
    with pytest.raises(ValueError):
        ros.ros_ike_enc(["aes-256-gcm"])
    assert ios.ios_transform("aes-256-cbc", ["sha256"]) == "esp-aes 256 esp-sha256-hmac"


@pytest.mark.skipif(shutil.which("nft") is None or os.geteuid() != 0,
                    reason="needs nft and root to check rulesets")
def test_rendered_nftables_rulesets_parse(example: Path, tmp_path: Path) -> None:
    for host, config in Pipeline(example).rendered.items():
        if config.platform.value != "linux_frr":
            continue
        path = tmp_path / f"{host}.nft"
        path.write_text(config.file("nftables.conf"))
        r = subprocess.run(["nft", "-c", "-f", str(path)], capture_output=True, text=True)
        assert r.returncode == 0, f"{host}: {r.stderr}"


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_rendered_tc_scripts_are_valid_shell(example: Path, tmp_path: Path) -> None:
    for host, config in Pipeline(example).rendered.items():
        if config.platform.value == "linux_frr":
            path = tmp_path / f"{host}.sh"
            path.write_text(config.file("tc.sh"))
            r = subprocess.run(["sh", "-n", str(path)], capture_output=True, text=True)
            assert r.returncode == 0, f"{host}: {r.stderr}"


def _nft_chain(text: str, name: str) -> list[str]:
    """The statements of chain ``name`` of the rendered ruleset (blank lines dropped)."""
    lines = [line.strip() for line in text.split("\n")]
    start = lines.index(f"chain {name} {{")
    end = lines.index("}", start)
    return [line for line in lines[start + 1:end] if line]


def test_linux_guest_wifi_is_dropped_toward_the_intranet_in_the_forward_chain(
        example: Path) -> None:
    pipe = Pipeline(example)
    intent = pipe.intents["rtr-wifi-alun-alun"]
    (guest,) = [z for z in intent.zones if z.kind == "guest_wifi"]
    chain = _nft_chain(pipe.rendered["rtr-wifi-alun-alun"].file("nftables.conf"), "forward")
    assert chain[0] == "type filter hook forward priority filter; policy accept;"
    drops = [line for line in chain if line.endswith(" drop")]
    assert len(drops) == 1
    m = re.fullmatch(r"ip saddr (\S+) ip daddr \{ (.+) \} drop", drops[0])
    assert m is not None, drops[0]
    assert IPv4Network(m[1]) == guest.prefix
    assert {IPv4Network(p) for p in m[2].split(", ")} == set(intent.baseline.internal)
    # every network of the intranet, the site's own LANs and the data centres included
    assert any(guest.prefix.subnet_of(n) for n in intent.baseline.internal)
    for z in intent.zones:
        assert any(z.prefix.subnet_of(n) for n in intent.baseline.internal)
    # a site without guest Wi-Fi drops nothing it forwards
    other = pipe.rendered["rtr-pkm-tanjung"].file("nftables.conf")
    assert not [line for line in _nft_chain(other, "forward") if line.endswith(" drop")]


@pytest.mark.parametrize(("zone", "clock"), [
    ("Asia/Jakarta", "WIB 7 0"), ("Asia/Makassar", "WITA 8 0"), ("Asia/Jayapura", "WIT 9 0"),
    ("Europe/Berlin", "CET 1 0"), ("America/St_Johns", "NST -3 30"),
    ("Asia/Bangkok", "UTC+7 7 0"), ("UTC", "UTC 0 0")])
def test_ios_clock_follows_the_regions_time_zone(inv: Path, edit: Edit, zone: str,
                                                 clock: str) -> None:
    edit("region.yml", "timezone: Asia/Makassar", f"timezone: {zone}")
    rendered = Pipeline(inv).rendered
    for host in ("rtr-dinkes", "hub-pusdatin-01"):
        lines = [ln for ln in rendered[host].main.split("\n") if ln.startswith("clock ")]
        assert lines == [f"clock timezone {clock}"], host
    assert f"set time-zone-name={zone}\n" in rendered["rtr-bpbd"].main


def test_ios_clock_refuses_what_is_not_a_time_zone() -> None:
    with pytest.raises(ValueError, match="not an IANA time zone"):
        ios.ios_clock("WITA")
