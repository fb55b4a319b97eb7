"""What README promises, on the emulated network: the internet is bought centrally and
leaves at the data centre, where the hub source-NATs the site LANs; guest Wi-Fi reaches
the internet and never the intranet.

A lab of both emulated platforms (IOS-XE hub and site, RouterOS hub and sites) is
configured by ``pydriver apply``; then the fabric is asked what a host on a site's LAN
reaches. Taking the NAT off a hub shows the answer really depends on it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from pydriver.intent.model import DeviceIntent
from pydriver.lab import manage
from pydriver.lab.model import LAB_SECRET
from pydriver.pipeline import Pipeline
from tests.lab.conftest import Lab, lab_env, make_inventory

pytestmark = pytest.mark.lab

INTERNET = "8.8.8.8"
SITES = ("dinkes", "wifi-taman-udayana", "upt-labkes")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    base = tmp_path_factory.mktemp("guestlab")
    inv = make_inventory(base, SITES)
    state = base / ".pydriver"
    old = os.environ.get("PYDRIVER_STATE")
    os.environ["PYDRIVER_STATE"] = str(state)
    try:
        manage.up(Pipeline(inv), state, {"linux_frr"}, minute_seconds=2.0)
        lab = Lab(inv, state, lab_env(inv, state), base)
        applied = lab.cli("apply", "--json", "--revert-after", "30")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        yield lab
    finally:
        manage.down(state)
        if old is None:
            os.environ.pop("PYDRIVER_STATE", None)
        else:
            os.environ["PYDRIVER_STATE"] = old


@pytest.fixture(scope="module")
def intents(lab: Lab) -> dict[str, DeviceIntent]:
    return Pipeline(lab.inventory).intents


def zone(intents: dict[str, DeviceIntent], host: str, kind: str) -> str:
    """The interface the router routes ``kind``'s LAN on (RouterOS: the zone's bridge)."""
    intent = intents[host]
    z = next(z for z in intent.zones if z.kind == kind)
    return next(i.name for i in intent.interfaces if i.address == z.gateway) \
        if intent.platform.value == "cisco_ios" else f"br-{kind.replace('_', '-')}"


def reaches(lab: Lab, host: str, interface: str, destination: str) -> bool:
    return lab.fabric("host_ping", host, interface, destination)


def test_guest_wifi_reaches_the_internet_and_never_the_intranet(
        lab: Lab, intents: dict[str, DeviceIntent]) -> None:
    hub = str(intents["hub-pusdatin-01"].loopback)
    sites = {"rtr-dinkes": "rtr-wifi-taman-udayana", "rtr-wifi-taman-udayana": "rtr-dinkes"}
    for site, other in sites.items():  # IOS-XE, RouterOS; both behind hub-pusdatin-01
        other_staff = str(intents[other].zones[0].gateway.ip)
        guest = zone(intents, site, "guest_wifi")
        staff = zone(intents, site, "staff")
        assert reaches(lab, site, guest, INTERNET), site
        assert not reaches(lab, site, guest, hub), site
        assert not reaches(lab, site, guest, other_staff), site
        # the staff LAN of the same router reaches both: it is the guest rule that decides
        assert reaches(lab, site, staff, hub), site
        assert reaches(lab, site, staff, other_staff), site
        assert reaches(lab, site, staff, INTERNET), site


def console(lab: Lab, host: str, *lines: str) -> None:
    first = ["enable", LAB_SECRET, "configure terminal"] \
        if lab.platform(host) == "cisco_ios" else []
    last = ["end"] if first else []
    lab.control("run", name=host, lines=[*first, *lines, *last])


def test_the_internet_leaves_through_each_hubs_source_nat(
        lab: Lab, intents: dict[str, DeviceIntent]) -> None:
    dinkes = zone(intents, "rtr-dinkes", "staff")
    labkes = zone(intents, "rtr-upt-labkes", "staff")
    assert reaches(lab, "rtr-dinkes", dinkes, INTERNET)  # through hub-pusdatin-01 (IOS-XE)
    assert reaches(lab, "rtr-upt-labkes", labkes, INTERNET)  # through hub-drc-01 (RouterOS)
    # without 'ip nat inside' on the tunnel the site comes in on, the IOS hub does not
    # translate the site's packets, and nobody on the internet answers them
    tunnel = next(t.name for t in intents["hub-pusdatin-01"].tunnels if t.site == "dinkes")
    console(lab, "hub-pusdatin-01", f"interface {tunnel}", "no ip nat inside")
    try:
        assert not reaches(lab, "rtr-dinkes", dinkes, INTERNET)
    finally:
        console(lab, "hub-pusdatin-01", f"interface {tunnel}", "ip nat inside")
    assert reaches(lab, "rtr-dinkes", dinkes, INTERNET)
    # the RouterOS hub's masquerade
    rule = '[ find comment="pydriver:nat/10.64.0.0/12" ]'
    console(lab, "hub-drc-01", f"/ip firewall nat disable {rule}")
    try:
        assert not reaches(lab, "rtr-upt-labkes", labkes, INTERNET)
    finally:
        console(lab, "hub-drc-01", f"/ip firewall nat enable {rule}")
    assert reaches(lab, "rtr-upt-labkes", labkes, INTERNET)
    assert lab.cli("plan").returncode == 0  # the lab is as intended again
