from __future__ import annotations

from pathlib import Path

import pytest

from pydriver.errors import PlanError
from pydriver.platforms.scrub import (
    SecretForm,
    by_indentation,
    dialect,
    known_values,
    redact,
    scrub,
    scrub_known,
)
from pydriver.sot.models import Platform
from pydriver.sot.secrets import Resolver

# one excerpt per platform, scrubbed each with its own forms
IOS = """username lalu.ahmad privilege 15 secret 9 $9$AbCdEf
radius server JIP-RADIUS-1
 key 7 0822455D0A16
crypto ikev2 keyring JIP-KEYRING
 peer Tunnel12
  pre-shared-key psk-for-dinkes
"""
ROUTEROS = """/ip ipsec identity
add auth-method=pre-shared-key peer=gre-x secret="old value with spaces"
/snmp community
add authentication-password=snmp-auth-value encryption-password=snmp-priv-value name=m
/ip ipsec profile
set strong-crypto=yes
"""
SWANCTL = """secrets {
    ike-jip {
        secret = "swan-psk"
    }
}
"""


def test_known_values_become_placeholders_and_the_rest_is_redacted() -> None:
    values = {"env:JIP_PSK_DINKES": "psk-for-dinkes", "env:JIP_SNMP_AUTH": "snmp-auth-value"}
    text = "".join(scrub(t, values, p) for t, p in ((IOS, Platform.CISCO_IOS),
                                                   (ROUTEROS, Platform.MIKROTIK_ROUTEROS),
                                                   (SWANCTL, Platform.LINUX_FRR)))
    for secret in ("$9$AbCdEf", "0822455D0A16", "psk-for-dinkes", "old value with spaces",
                   "snmp-auth-value", "snmp-priv-value", "swan-psk"):
        assert secret not in text, secret
    assert "pre-shared-key @@secret:env:JIP_PSK_DINKES@@" in text
    assert "authentication-password=@@secret:env:JIP_SNMP_AUTH@@" in text
    assert f'secret={redact("old value with spaces")}' in text  # as RouterOS writes one
    assert "set strong-crypto=yes" in text  # not a secret field


def test_redaction_is_stable_and_distinct() -> None:
    assert redact("a") == redact("a") != redact("b")
    assert redact("a").startswith("@@redacted:")


def test_known_values_resolves_only_what_is_available(tmp_path: Path) -> None:
    texts = ["x @@secret:env:A_SET@@ y @@secret:env:B_UNSET@@"]
    values = known_values(texts, Resolver(tmp_path, environ={"A_SET": "va"}))
    assert values == {"env:A_SET": "va"}


def test_every_platform_has_its_forms_and_an_unknown_one_is_an_error() -> None:
    for platform in Platform:
        assert dialect(platform).forms
        assert dialect(platform.value) is dialect(platform)
    with pytest.raises(PlanError, match="no secret forms"):
        dialect("junos")


def test_a_form_is_a_pattern_or_a_property() -> None:
    with pytest.raises(ValueError, match="not both"):
        SecretForm("both", pattern="x (?P<value>\\S+)", prop="x")
    with pytest.raises(ValueError, match="not both"):
        SecretForm("neither")


def test_sections_come_from_indentation() -> None:
    lines = ["key chain K", " key 1", "  key-string x", "!", "interface e0", " ip x", ""]
    assert by_indentation(lines) == [
        (), ("key chain K",), ("key chain K", "key 1"), (), (), ("interface e0",),
        ("interface e0", "ip x")]


def test_placeholders_in_a_plan_are_left_as_they_are() -> None:
    for text, platform in (
            (" key @@secret:env:JIP_RADIUS@@\n  pre-shared-key @@redacted:0123456789@@",
             Platform.CISCO_IOS),
            ("/radius add address=10.10.20.5 secret=@@secret:env:JIP_RADIUS@@",
             Platform.MIKROTIK_ROUTEROS),
            ('    secret = "@@secret:env:JIP_PSK_T1@@"', Platform.LINUX_FRR)):
        assert scrub(text, {}, platform) == text
        assert scrub_known(text, {"env:JIP_RADIUS": "radius-rahasia"}, platform) == text


def test_a_known_value_outside_any_form_still_becomes_its_placeholder() -> None:
    text = "% Invalid input detected at '^' marker: psk-for-dinkes"
    assert scrub(text, {"env:JIP_PSK": "psk-for-dinkes"}, Platform.CISCO_IOS) == (
        "% Invalid input detected at '^' marker: @@secret:env:JIP_PSK@@")
