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
