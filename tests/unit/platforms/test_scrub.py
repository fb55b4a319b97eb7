from __future__ import annotations

from pathlib import Path

from pydriver.platforms.scrub import known_values, redact, scrub
from pydriver.sot.secrets import Resolver

RUNNING = """username lalu.ahmad privilege 15 secret 9 $9$AbCdEf
radius server JIP-RADIUS-1
 key 7 0822455D0A16
crypto ikev2 keyring JIP-KEYRING
 peer Tunnel12
  pre-shared-key psk-for-dinkes
add auth-method=pre-shared-key peer=gre-x secret="old value with spaces"
add authentication-password=snmp-auth-value encryption-password=snmp-priv-value name=m
    ike-jip {
        secret = "swan-psk"
    }
set strong-crypto=yes
"""


def test_known_values_become_placeholders_and_the_rest_is_redacted() -> None:
    values = {"env:JIP_PSK_DINKES": "psk-for-dinkes", "env:JIP_SNMP_AUTH": "snmp-auth-value"}
    text = scrub(RUNNING, values)
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
