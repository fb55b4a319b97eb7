"""linux_frr round trips with no router: running -> remediation -> intended -> rollback ->
running, for the example's linux_frr routers and real changes of the source of truth.

``frr.apply_text`` is the platform's own offline model (hier_config for the frr.conf lines,
whole files for swanctl/nftables/tc); ``frr.remediation`` proves every plan with it before
the plan is shown or pushed, so these tests exercise the path a real apply takes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pydriver.errors import PlanError
from pydriver.pipeline import Pipeline
from pydriver.platforms.base import Remediation
from pydriver.platforms.linux_frr import driver as frr
from pydriver.render.render import RenderedConfig

EXAMPLE = Path(__file__).resolve().parents[3] / "inventory"
WHOLE = ("swanctl.conf", "nftables.conf", "tc.sh")
# What a factory linux_frr router shows (the lab's twins and a fresh Debian FRR): vtysh's
# header, the hostname and nothing else; the other three files empty.
FACTORY = ("Building configuration...\n\nCurrent configuration:\n!\nfrr version 8.4.4\n"
           "frr defaults traditional\nhostname {host}\nservice integrated-vtysh-config\n!\n"
           "end\n")

Edit = Callable[[Path], None]


def replace(path: str, old: str, new: str) -> Edit:
    def edit(inv: Path) -> None:
        text = (inv / path).read_text()
        assert old in text, (path, old)
        (inv / path).write_text(text.replace(old, new, 1))

    return edit


def remove(path: str) -> Edit:
    return lambda inv: (inv / path).unlink()


def new_site(inv: Path) -> None:
    """A second public Wi-Fi site behind the linux_frr hub: one new file, as in a PR."""
    text = (inv / "sites" / "wifi-alun-alun.yml").read_text()
    for old, new in (("id: 14", "id: 17"), ("code: wifi-alun-alun", "code: wifi-pantai"),
                     ("rtr-wifi-alun-alun", "rtr-wifi-pantai"),
                     ("198.51.100.14/30", "198.51.100.18/30"),
                     ("gateway: 198.51.100.13", "gateway: 198.51.100.17")):
        assert old in text, old
        text = text.replace(old, new)
    (inv / "sites" / "wifi-pantai.yml").write_text(text)


def crypto_profile(inv: Path) -> None:
    """A stronger profile for one site's link (both ends' swanctl.conf change)."""
    replace("region.yml", "crypto_profiles:\n", "crypto_profiles:\n"
            "  jip-strong:\n    ike_version: 2\n    ike_encryption: [aes-256-cbc]\n"
            "    ike_integrity: [sha256]\n    dh_groups: [20]\n"
            "    esp_encryption: [aes-256-gcm]\n    esp_integrity: [sha256]\n    pfs: true\n"
            "    ike_lifetime: 28800\n    esp_lifetime: 3600\n")(inv)
    replace("sites/wifi-alun-alun.yml", "    provider: Biznet\n",
            "    provider: Biznet\n    crypto_profile: jip-strong\n")(inv)


CHANGES: dict[str, tuple[Edit, ...]] = {
    "bandwidth": (replace("sites/pkm-tanjung.yml", "guaranteed_mbps: 10", "guaranteed_mbps: 20"),),
    "new-site": (new_site,),
    "site-removed": (remove("sites/wifi-alun-alun.yml"),),
    "crypto-profile": (crypto_profile,),
    "psk": (replace("sites/pkm-tanjung.yml", "    provider: Indibiz\n",
                    "    provider: Indibiz\n    psk: env:JIP_PSK_PKM_TANJUNG_2027\n"),),
    "wan-gateway": (replace("sites/pkm-tanjung.yml", "198.51.100.10/30", "198.51.100.22/30"),
                    replace("sites/pkm-tanjung.yml", "gateway: 198.51.100.9",
                            "gateway: 198.51.100.21"),),
    "hub-asn": (replace("region.yml", "asn: 65052 ", "asn: 65053 "),),
}


def linux_frr(rendered: dict[str, RenderedConfig]) -> dict[str, RenderedConfig]:
    return {h: c for h, c in rendered.items() if c.platform.value == "linux_frr"}


@pytest.fixture(scope="module")
def example() -> dict[str, RenderedConfig]:
    return linux_frr(Pipeline(EXAMPLE).rendered)


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, RenderedConfig]]:
    out = {}
    for name, edits in CHANGES.items():
        inv = tmp_path_factory.mktemp(name) / "inventory"
        shutil.copytree(EXAMPLE, inv)
        for edit in edits:
            edit(inv)
        out[name] = linux_frr(Pipeline(inv).rendered)
    return out


def converged(config: RenderedConfig) -> str:
    """A router that runs ``config`` (as plan reads it: secrets as placeholders)."""
    return frr.join(dict(config.files))


def factory(host: str) -> str:
    return frr.join({"frr.conf": FACTORY.format(host=host)})


def files(text: str) -> dict[str, str]:
    return {n: t.strip("\n") for n, t in frr.split(frr.normalise(text)).items() if n in WHOLE}


def round_trip(running: str, intended: RenderedConfig) -> Remediation:
    """Remediation on running gives intended; the rollback on that gives running back."""
    running = frr.normalise(running)
    rem = frr.remediation(running, intended)
    after = frr.apply_text(running, rem.commands, rem.files)
    got = frr.split(after)
    assert frr.canonical(got["frr.conf"]) == frr.canonical(intended.file("frr.conf"))
    assert files(after) == {n: intended.file(n).strip("\n") for n in WHOLE}
    assert frr.remediation(after, intended).empty  # converged: a second apply sends nothing
    # the revert restores the files it saved before the push
    back = frr.apply_text(after, rem.rollback, frr.split(running).items())
    assert frr.canonical(frr.split(back)["frr.conf"]) == \
        frr.canonical(frr.split(running)["frr.conf"])
    assert files(back) == files(running)
    return rem


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_change_round_trips_on_every_linux_frr_router(
        example: dict[str, RenderedConfig], changed: dict[str, dict[str, RenderedConfig]],
        change: str) -> None:
    after = changed[change]
    touched = set()
    for host, intended in sorted(after.items()):
        running = converged(example[host]) if host in example else factory(host)
        if not round_trip(running, intended).empty:
            touched.add(host)
    assert touched  # every change here reaches at least one linux_frr router


@pytest.mark.parametrize("host", ["hub-pusdatin-02", "rtr-pkm-tanjung", "rtr-wifi-alun-alun"])
def test_factory_router_round_trips(example: dict[str, RenderedConfig], host: str) -> None:
    rem = round_trip(factory(host), example[host])
    assert [f for f, _ in rem.files] == ["nftables.conf", "frr.conf", "swanctl.conf", "tc.sh"]
    assert f"no router bgp {example[host].file('frr.conf').split('router bgp ')[1].split()[0]}" \
        in rem.rollback


def test_bandwidth_touches_only_the_hubs_shaping(
        example: dict[str, RenderedConfig], changed: dict[str, dict[str, RenderedConfig]]
        ) -> None:
    rem = frr.remediation(converged(example["hub-pusdatin-02"]),
                          changed["bandwidth"]["hub-pusdatin-02"])
    assert rem.commands == ("replace /etc/pydriver/tc.sh",)
    assert rem.rollback == ("restore /etc/pydriver/tc.sh",)
    assert [f for f, _ in rem.files] == ["tc.sh"] and rem.sections == {"qos"}
    for site in ("rtr-pkm-tanjung", "rtr-wifi-alun-alun"):
        assert frr.remediation(converged(example[site]), changed["bandwidth"][site]).empty


def test_removed_site_takes_its_transit_address_off_ipsec0(
        example: dict[str, RenderedConfig], changed: dict[str, dict[str, RenderedConfig]]
        ) -> None:
    """ipsec0 holds one transit /30 per site: removing one site removes its address and
    keeps the others (IOS's one-primary-address rule would hide the removal)."""
    rem = frr.remediation(converged(example["hub-pusdatin-02"]),
                          changed["site-removed"]["hub-pusdatin-02"])
    lines = [c.strip() for c in rem.commands]
    assert "no ip address 10.254.0.225/30" in lines
    assert "no ip address 10.254.0.193/30" not in lines
    assert "ip address 10.254.0.225/30" in [c.strip() for c in rem.rollback]


def test_new_site_adds_an_address_beside_the_others(
        example: dict[str, RenderedConfig], changed: dict[str, dict[str, RenderedConfig]]
        ) -> None:
    hub = frr.remediation(converged(example["hub-pusdatin-02"]),
                          changed["new-site"]["hub-pusdatin-02"])
    assert not [c for c in hub.commands if c.strip().startswith("no ip address")]
    assert {f for f, _ in hub.files} == {"frr.conf", "nftables.conf", "swanctl.conf", "tc.sh"}
    assert {"firewall", "crypto", "routing", "qos"} <= hub.sections


def test_secrets_stay_placeholders(example: dict[str, RenderedConfig],
                                   changed: dict[str, dict[str, RenderedConfig]]) -> None:
    rem = frr.remediation(converged(example["rtr-pkm-tanjung"]),
                          changed["psk"]["rtr-pkm-tanjung"])
    assert rem.commands == ("replace /etc/swanctl/swanctl.conf",)
    swanctl = dict(rem.files)["swanctl.conf"]
    assert "secret = @@secret:env:JIP_PSK_PKM_TANJUNG_2027@@\n" in swanctl


def test_whole_file_markers_need_their_text() -> None:
    with pytest.raises(PlanError, match=r"needs the text of tc\.sh"):
        frr.apply_text(factory("r"), ("replace /etc/pydriver/tc.sh",))
