from __future__ import annotations

from pathlib import Path

from pydriver.platforms.scrub import known_values, redact, scrub
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
    assert f'secret="{redact("old value with spaces")}"' in text
    assert "set strong-crypto=yes" in text  # not a secret field


def test_redaction_is_stable_and_distinct() -> None:
    assert redact("a") == redact("a") != redact("b")
    assert redact("a").startswith("@@redacted:")


def test_known_values_resolves_only_what_is_available(tmp_path: Path) -> None:
    texts = ["x @@secret:env:A_SET@@ y @@secret:env:B_UNSET@@"]
    values = known_values(texts, Resolver(tmp_path, environ={"A_SET": "va"}))
    assert values == {"env:A_SET": "va"}
