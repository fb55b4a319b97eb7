"""IOS-XE remediation round trips with hier_config, on the rendered golden configs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydriver.pipeline import Pipeline
from pydriver.platforms.cisco_ios import driver as ios
from pydriver.render.render import RenderedConfig

FACTORY = """Building configuration...

Current configuration : 1234 bytes
!
! Last configuration change at 10:00:00 WITA Mon Nov 23 2026
!
version 17.9
service timestamps debug datetime msec
hostname Router
boot-start-marker
boot-end-marker
!
interface GigabitEthernet0/0/0
 no ip address
 negotiation auto
!
interface GigabitEthernet0/0/1
 no ip address
 shutdown
 negotiation auto
!
ntp clock-period 17179
line vty 0 4
 login
 transport input ssh
!
end
"""


@pytest.fixture(scope="module")
def rendered() -> dict[str, RenderedConfig]:
    return Pipeline(Path(__file__).resolve().parents[3] / "inventory").rendered


@pytest.mark.parametrize("host", ["rtr-dinkes", "hub-pusdatin-01"])
def test_remediation_then_rollback_round_trip(rendered: dict[str, RenderedConfig],
                                              host: str) -> None:
    intended = rendered[host]
    rem = ios.remediation(FACTORY, intended)
    assert rem.commands and not any(c.startswith(("no version", "no boot"))
                                    for c in rem.commands)
    after = ios.apply_text(FACTORY, rem.commands)
    assert ios.canonical(after) == ios.canonical(intended.main)
    assert ios.remediation(after, intended).empty  # converged: nothing more to send
    # the rollback takes the new lines away again and puts the factory ones back (the
    # exact round trip is proven on the emulated router in tests/lab)
    assert "hostname Router" in rem.rollback
    assert any(c.startswith("no aaa new-model") or c == "no aaa new-model"
               for c in rem.rollback) or "aaa new-model" not in FACTORY


def test_normalise_drops_volatile_and_unmanaged_lines() -> None:
    text = ios.normalise(FACTORY)
    for gone in ("Building configuration", "Last configuration change", "ntp clock-period",
                 "version 17.9", "boot-start-marker", "negotiation auto"):
        assert gone not in text
    assert "interface GigabitEthernet0/0/0\n no ip address\n no shutdown" in text
    assert "interface GigabitEthernet0/0/1\n no ip address\n shutdown" in text


def test_type7_keys_are_decoded_for_comparison() -> None:
    text = ios.normalise("radius server R\n key 7 0822455D0A16\n")
    assert " key cisco" in text


def test_change_of_bandwidth_touches_only_that_policy(rendered: dict[str, RenderedConfig]
                                                      ) -> None:
    intended = rendered["hub-pusdatin-01"]
    running = intended.main.replace("policy-map SITE-DINKES\n class class-default\n"
                                    "  shape average 200000000",
                                    "policy-map SITE-DINKES\n class class-default\n"
                                    "  shape average 100000000")
    assert running != intended.main
    rem = ios.remediation(running, intended)
    assert rem.commands[:2] == ("policy-map SITE-DINKES", "  class class-default")
    assert "    shape average 200000000" in rem.commands and len(rem.commands) <= 4
    assert rem.sections == frozenset({"qos"})
    assert "    shape average 100000000" in rem.rollback


BLOCK_CASES = {
    "a route written twice in the intent": ("", "ip route 10.99.0.0 255.255.0.0 192.0.2.1\n" * 2),
    "a route written twice on the router": ("ip route 10.99.0.0 255.255.0.0 192.0.2.1\n" * 2,
                                            "ip route 10.99.0.0 255.255.0.0 192.0.2.1\n"),
    "an interface in two blocks": (
        "interface Loopback99\n description a\n",
        "interface Loopback99\n description a\ninterface Loopback99\n ip address 10.9.9.9 "
        "255.255.255.255\n"),
    "one logging console line replaces another": (
        "logging console warnings\nlogging console xml\n", "logging console warnings\n"),
    "and the other way": ("logging console warnings\n",
                          "logging console warnings\nlogging console xml\n"),
}


@pytest.mark.parametrize("case", sorted(BLOCK_CASES))
def test_leaving_shared_blocks_out_changes_no_plan(
        case: str, rendered: dict[str, RenderedConfig], monkeypatch: pytest.MonkeyPatch) -> None:
    """The blocks both sides share are left out of hier_config for speed; the plan (or
    hier_config's refusal) must be what the whole configs give, where rules look across
    blocks or a block is repeated."""
    base = rendered["hub-pusdatin-01"]
    extra_run, extra_want = BLOCK_CASES[case]
    intended = RenderedConfig(base.hostname, base.platform,
                              (("running-config.ios", base.main + extra_want),))

    def plan() -> object:
        try:
            rem = ios.remediation(base.main + extra_run, intended)
        except Exception as exc:  # hier_config's refusal, compared as such
            return type(exc).__name__
        return rem.commands, rem.rollback

    fast = plan()
    monkeypatch.setattr(ios, "_without_common_blocks", lambda run, want: (run, want))
    assert fast == plan()
