"""The RouterOS diff against the emulated router: take-overs, order, scope, exact undo.

Every round trip runs the commands on the emulated RouterOS engine (``apply_text``), which
refuses what RouterOS refuses (a duplicate bridge port, a rule placed before a missing
item), so "applies cleanly and converges" is a real claim, not a text comparison.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pydriver.errors import PlanError
from pydriver.pipeline import Pipeline
from pydriver.platforms.base import Remediation
from pydriver.platforms.emulation import NoTimers
from pydriver.platforms.mikrotik_routeros import users
from pydriver.platforms.mikrotik_routeros.diff import remediation
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine
from pydriver.platforms.mikrotik_routeros.normalise import normalise
from pydriver.platforms.mikrotik_routeros.offline import apply_text
from pydriver.render.render import RenderedConfig
from pydriver.sot.models import Platform

INVENTORY = Path(__file__).resolve().parents[3] / "inventory"
SITE = "rtr-kec-ampenan"
_PASSWORD = re.compile(r" password=\S+")




def factory(model: str = "RB750Gr3", extra: str = "") -> str:
    """A factory-fresh router's running config as pydriver reads it (plus ``extra``)."""
    engine = RouterOSEngine("r", model, scheduler=NoTimers())
    if extra:
        out = engine.run_script(extra)
        assert "error" not in out.lower() and "failure" not in out, out
    return users.with_users(engine.export("show-sensitive"), engine.run(users.PRINT))


@pytest.fixture(scope="module")
def rendered() -> dict[str, RenderedConfig]:
    return Pipeline(INVENTORY).rendered


def variant(base: RenderedConfig, edit: Callable[[str], str]) -> RenderedConfig:
    return RenderedConfig(base.hostname, base.platform, (("config.rsc", edit(base.main)),))


def owned(text: str) -> set[str]:
    """Canonical lines of items pydriver owns, write-only values left out."""
    out, menu = set(), ""
    for line in normalise(text).splitlines():
        if line.startswith("/"):
            menu = line
        elif "comment=pydriver:" in line:
            out.add(f"{menu} {_PASSWORD.sub('', line)}")
    return out


def unowned(text: str) -> list[str]:
    out, menu = [], ""
    for line in normalise(text).splitlines():
        if line.startswith("/"):
            menu = line
        elif line.startswith("add ") and "comment=pydriver:" not in line:
            out.append(f"{menu} {line}")
    return out


def assert_round_trip(running: str, intended: RenderedConfig, rem: Remediation,
                      step: int = 1) -> str:
    """Forward converges; rollback after the whole script or any prefix restores running."""
    after = apply_text(running, rem.commands)
    assert owned(after) == owned(intended.main)
    assert remediation(after, intended).empty
    before = normalise(running)
    assert normalise(apply_text(after, rem.rollback)) == before
    for k in range(0, len(rem.commands), step):
        partial = apply_text(running, rem.commands[:k])
        assert normalise(apply_text(partial, rem.rollback)) == before, f"after {k} lines"
    return after


def test_factory_router_to_site_takes_over_ports_and_places_rules_first(
        rendered: dict[str, RenderedConfig]) -> None:
    running = factory()
    intended = rendered[SITE]
    rem = remediation(running, intended)
    cmds = rem.commands
    assert ("/interface bridge port set [ find interface=ether3 ] bridge=br-staff "
            "comment=pydriver:port/ether3") in cmds
    assert not any(c.startswith("/interface bridge port add") for c in cmds)
    first_input = '[ find comment="defconf: accept established,related,untracked" ]'
    rules = [c for c in cmds if c.startswith("/ip firewall filter add")]
    assert len(rules) == 10 and all(c.endswith(f"place-before={first_input}") for c in rules)
    # the bridge exists before a port is moved onto it, addresses after their interfaces
    assert cmds.index(next(c for c in cmds if "name=br-staff" in c)) < \
        cmds.index(next(c for c in cmds if "bridge=br-staff" in c))
    assert cmds.index(next(c for c in cmds if "name=gre-inet-pusdatin " in c)) < \
        cmds.index(next(c for c in cmds if "interface=gre-inet-pusdatin" in c))
    assert "/interface bridge port set [ find comment=\"pydriver:port/ether3\" ] " \
           "bridge=bridge comment=defconf" in rem.rollback
    after = assert_round_trip(running, intended, rem, step=4)
    # factory items the intent does not need are untouched; the taken-over ports are ours
    kept = {line for line in unowned(running) if "interface=ether3" not in line and
            "interface=ether4" not in line}
    assert set(unowned(after)) == kept | set(unowned(intended.main))
    assert len(unowned(intended.main)) == 2  # the IPsec profile and proposal, by name
    filters = [ln for ln in normalise(after).split("/ip firewall filter\n")[1].splitlines()
               if "chain=input" in ln]
    assert "pydriver:in/drop" in filters[9] and "defconf" in filters[10]
    adds = sum(1 for c in cmds if " add " in c)
    sets = sum(1 for c in cmds if " set " in c)
    assert adds + sets == len(cmds)
    assert (rem.added, rem.removed) == (adds + sets, sets)  # a set is a changed line: +1 -1
    assert rem.sections >= {"mgmt", "aaa", "firewall", "crypto", "routing", "qos",
                            "interfaces", "baseline"}


@pytest.mark.parametrize("host", ["hub-drc-01", "rtr-bpbd", "rtr-wifi-taman-udayana",
                                  "rtr-kel-ampenan-selatan"])
def test_every_kind_of_router_converges_in_one_pass(rendered: dict[str, RenderedConfig],
                                                    host: str) -> None:
    intended = rendered[host]
    assert intended.platform is Platform.MIKROTIK_ROUTEROS
    model = "CCR2004-16G-2S+" if host.startswith("hub") else "RB4011iGS+"
    running = factory(model)
    rem = remediation(running, intended)
    after = apply_text(running, rem.commands)
    assert owned(after) == owned(intended.main)
    assert remediation(after, intended).empty
    assert normalise(apply_text(after, rem.rollback)) == normalise(running)


@pytest.fixture(scope="module")
def converged(rendered: dict[str, RenderedConfig]) -> str:
    running = factory()
    return apply_text(running, remediation(running, rendered[SITE]).commands)


def test_a_changed_value_is_one_set_and_its_undo(converged: str,
                                                  rendered: dict[str, RenderedConfig]) -> None:
    intended = variant(rendered[SITE],
                       lambda t: t.replace("max-limit=30M/30M", "max-limit=50M/50M"))
    rem = remediation(converged, intended)
    assert rem.commands == (
        '/queue simple set [ find comment="pydriver:qos/total" ] max-limit=50M/50M',
        '/queue simple set [ find comment="pydriver:qos/other" ] max-limit=50M/50M',
    )
    assert rem.rollback == (
        '/queue simple set [ find comment="pydriver:qos/other" ] max-limit=30M/30M',
        '/queue simple set [ find comment="pydriver:qos/total" ] max-limit=30M/30M',
    )
    assert rem.sections == frozenset({"qos"})
    assert_round_trip(converged, intended, rem)


def test_a_rotated_key_is_sent_as_its_new_placeholder(converged: str,
                                                      rendered: dict[str, RenderedConfig]) -> None:
    intended = variant(rendered[SITE], lambda t: t.replace("JIP_PSK_KEC_AMPENAN",
                                                           "JIP_PSK_KEC_AMPENAN_2026"))
    rem = remediation(converged, intended)
    assert rem.commands == (
        '/ip ipsec identity set [ find comment="pydriver:ipsec/gre-inet-pusdatin" ] '
        "secret=@@secret:env:JIP_PSK_KEC_AMPENAN_2026@@",)
    assert rem.rollback == (
        '/ip ipsec identity set [ find comment="pydriver:ipsec/gre-inet-pusdatin" ] '
        "secret=@@secret:env:JIP_PSK_KEC_AMPENAN@@",)
    assert rem.sections == frozenset({"crypto"})


def test_passwords_are_sent_on_add_and_never_compared(converged: str,
                                                      rendered: dict[str, RenderedConfig]) -> None:
    assert " password=" not in converged  # RouterOS never shows one
    renamed = variant(rendered[SITE], lambda t: t.replace("JIP_ADMIN_BAIQ_NURUL",
                                                          "JIP_ADMIN_OTHER"))
    assert remediation(converged, renamed).empty
    extra = variant(rendered[SITE], lambda t: t + "add comment=pydriver:admin/made group=full "
                                                  "name=made password=@@secret:env:JIP_MADE@@\n")
    rem = remediation(converged, extra)
    assert rem.commands == ("/user add comment=pydriver:admin/made group=full name=made "
                            "password=@@secret:env:JIP_MADE@@",)
    assert rem.sections == frozenset({"mgmt", "aaa"})


def test_a_dropped_tunnel_goes_dependants_first_and_comes_back_in_order(
        rendered: dict[str, RenderedConfig]) -> None:
    intended = rendered["rtr-bpbd"]
    running = apply_text(factory("RB4011iGS+"), remediation(factory("RB4011iGS+"),
                                                            intended).commands)
    fewer = variant(intended, lambda t: "\n".join(
        ln for ln in t.splitlines() if "gre-metro-drc" not in ln) + "\n")
    rem = remediation(running, fewer)
    assert all(" remove " in c for c in rem.commands)
    menus = [c.split(" remove ")[0] for c in rem.commands]
    assert menus.index("/ip address") < menus.index("/interface gre")
    assert menus.index("/ip ipsec identity") < menus.index("/ip ipsec peer")
    assert rem.removed == 5 and rem.added == 0  # gre, address, IPsec peer/identity/policy
    readd = [c for c in rem.rollback if " add " in c]
    assert readd[0].startswith("/interface gre add")
    assert_round_trip(running, fewer, rem)


def test_hand_made_changes_to_owned_items_are_drift(converged: str,
                                                   rendered: dict[str, RenderedConfig]) -> None:
    touched = apply_text(converged, (
        '/ip firewall filter set [ find comment="pydriver:in/mgmt" ] disabled=yes '
        "src-address=0.0.0.0/0",
        '/ip address set [ find comment="pydriver:address/loopback" ] disabled=yes',
    ))
    rem = remediation(touched, rendered[SITE])
    assert set(rem.commands) == {
        '/ip firewall filter set [ find comment="pydriver:in/mgmt" ] disabled=no',
        '/ip firewall filter unset [ find comment="pydriver:in/mgmt" ] value-name=src-address',
        '/ip address set [ find comment="pydriver:address/loopback" ] disabled=no',
    }
    assert {"mgmt", "firewall", "interfaces"} <= rem.sections
    assert_round_trip(touched, rendered[SITE], rem)


def test_a_sites_own_items_survive_and_its_top_rule_stays_below_ours(
        converged: str, rendered: dict[str, RenderedConfig]) -> None:
    local = apply_text(converged, (
        '/ip firewall filter add chain=input action=accept src-address=192.168.88.0/24 '
        'comment="site: lan admin" place-before=0',
        "/ip address add address=172.16.5.1/24 interface=ether5 comment=site-cctv",
        "/ip firewall address-list add list=site-local address=172.16.5.0/24",
    ))
    rem = remediation(local, rendered[SITE])
    assert rem.commands and all(" move " in c for c in rem.commands)
    assert rem.commands[0].endswith('destination=[ find comment="site: lan admin" ]')
    after = assert_round_trip(local, rendered[SITE], rem)
    assert unowned(after) == unowned(local)
    rules = normalise(after).split("/ip firewall filter\n")[1].splitlines()
    assert "pydriver:in/drop" in rules[9] and "site: lan admin" in rules[10]


def test_owned_rules_out_of_order_are_moved_back(converged: str,
                                                 rendered: dict[str, RenderedConfig]) -> None:
    shuffled = apply_text(converged, (
        '/ip firewall filter move [ find comment="pydriver:in/drop" ] '
        'destination=[ find comment="pydriver:in/icmp" ]',
        '/ip firewall filter move [ find comment="pydriver:in/established" ]',
    ))
    rem = remediation(shuffled, rendered[SITE])
    assert rem.commands and all(" move " in c for c in rem.commands)
    assert_round_trip(shuffled, rendered[SITE], rem)


def test_new_rules_go_between_the_owned_ones_they_belong_between(
        converged: str, rendered: dict[str, RenderedConfig]) -> None:
    extra = ("add action=accept chain=input comment=pydriver:in/ntp dst-port=123 "
             "protocol=udp\n")
    intended = variant(rendered[SITE], lambda t: t.replace(
        "add action=accept chain=input comment=pydriver:in/bgp", extra.rstrip() +
        "\nadd action=accept chain=input comment=pydriver:in/bgp"))
    rem = remediation(converged, intended)
    assert rem.commands == (
        "/ip firewall filter add action=accept chain=input comment=pydriver:in/ntp "
        'dst-port=123 protocol=udp place-before=[ find comment="pydriver:in/bgp" ]',)
    assert_round_trip(converged, intended, rem)


def test_a_removed_rule_is_restored_at_its_place(converged: str,
                                                  rendered: dict[str, RenderedConfig]) -> None:
    intended = variant(rendered[SITE], lambda t: "\n".join(
        ln for ln in t.splitlines() if "pydriver:in/icmp" not in ln) + "\n")
    rem = remediation(converged, intended)
    assert rem.commands == ('/ip firewall filter remove [ find comment="pydriver:in/icmp" ]',)
    assert rem.rollback[-1].endswith('place-before=[ find comment="pydriver:in/ike" ]')
    assert_round_trip(converged, intended, rem)


def test_settings_and_builtin_items_undo_to_their_exact_old_state(
        rendered: dict[str, RenderedConfig]) -> None:
    running = factory(extra="/ip service set www-ssl disabled=no\n"
                            "/interface ethernet set [ find default-name=ether2 ] comment=uplink\n")
    port = "/interface ethernet\nset [ find default-name=ether2 ] comment=spare mtu=1400\n"
    intended = variant(rendered[SITE], lambda t: t + port)
    rem = remediation(running, intended)
    assert "/ip service set www-ssl disabled=yes" in rem.commands
    assert ("/interface ethernet set [ find default-name=ether2 ] comment=spare mtu=1400"
            in rem.commands)
    assert ("/interface ethernet set [ find default-name=ether2 ] comment=uplink mtu=1500"
            in rem.rollback)
    assert_round_trip(running, intended, rem, step=9)


def test_a_key_used_twice_in_the_intent_is_refused(rendered: dict[str, RenderedConfig]) -> None:
    doubled = variant(rendered[SITE], lambda t: t.replace(
        "comment=pydriver:address/zone-cctv", "comment=pydriver:address/zone-staff"))
    with pytest.raises(PlanError, match="used twice"):
        remediation(factory(), doubled)


def test_nothing_to_do_has_no_rollback_either(converged: str,
                                              rendered: dict[str, RenderedConfig]) -> None:
    rem = remediation(converged, rendered[SITE])
    assert rem.empty and rem.rollback == () and rem.sections == frozenset()
    assert (rem.added, rem.removed) == (0, 0)
