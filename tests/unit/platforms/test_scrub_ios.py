"""IOS-XE secrets as ``show running-config`` and plans print them: clear, type 7 (decoded,
so the digest is of the secret and a type-7 RADIUS key with a space is one secret), hashed
(5/8/9) or AES (6); every form comes out as a stable digest, whatever the value holds, and
the lines that only look like secrets (a key chain's key number, ``crypto key generate``,
an SNMPv3 user name) come out untouched."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netutils.password import encrypt_type7

from pydriver.platforms.cisco_ios import driver as ios
from pydriver.platforms.cisco_ios import scrub as forms
from pydriver.platforms.cisco_ios.engine.secrets import type7_encode
from pydriver.platforms.cisco_ios.type7 import decode, reveal_type7
from pydriver.platforms.scrub import redact, scrub, scrub_known
from pydriver.sot.models import Platform
from tests.unit.platforms.scrubbing import LINE, T7, T7WORD, WORD, Kind, Sample, check, form_matches

P = Platform.CISCO_IOS


def s(form: str, printed: str, kind: Kind, scrubbed: str | None = None) -> Sample:
    """``scrubbed`` defaults to ``printed`` with the value swapped (type 7: the ``7 `` goes,
    since the value is shown decoded before it is hidden)."""
    if scrubbed is None:
        scrubbed = printed.replace("7 {v}", "{r}") if kind is T7 else printed
        scrubbed = scrubbed.replace("{v} 7", "{r}") if kind is T7WORD else scrubbed
    return Sample(form, printed, scrubbed.replace("{v}", "{r}"), kind)


SAMPLES = (
    s("username secret", "username lalu.ahmad privilege 15 secret 9 {v}", WORD),
    s("username secret", "username noc secret 5 {v}", WORD),
    s("username password", "username backup privilege 15 password 7 {v}", T7),
    s("username password", "username backup password 0 {v}", LINE),
    s("enable secret", "enable secret 9 {v}", WORD),
    s("enable password", "enable password 7 {v}", T7),
    s("line password", "line vty 0 4\n password 7 {v}", T7),
    s("line password", "line con 0\n exec-timeout 5 0\n password {v}", LINE),
    s("crypto isakmp key", "crypto isakmp key {v} address 203.0.113.10", WORD),
    s("crypto isakmp key", "crypto isakmp key 6 {v} address 0.0.0.0 0.0.0.0", WORD),
    s("crypto keyring pre-shared-key",
      "crypto keyring KR-ISP\n pre-shared-key address 203.0.113.10 key {v}", WORD),
    s("crypto keyring pre-shared-key",
      "crypto keyring KR-ISP\n pre-shared-key hostname hub.example.id key 6 {v}", WORD),
    s("IKEv2 keyring pre-shared-key",
      "crypto ikev2 keyring JIP-KEYRING\n peer Tunnel12\n  address 10.255.0.2\n"
      "  pre-shared-key {v}", LINE),
    s("IKEv2 keyring pre-shared-key",
      "crypto ikev2 keyring JIP-KEYRING\n peer Tunnel12\n  pre-shared-key local 6 {v}", WORD),
    s("IKEv2 keyring pre-shared-key",
      "crypto ikev2 keyring JIP-KEYRING\n peer Tunnel12\n  pre-shared-key 7 {v}", T7),
    s("IKEv2 keyring pre-shared-key",  # a plan's removal of a rotated key
      "crypto ikev2 keyring JIP-KEYRING\n peer Tunnel12\n  no pre-shared-key {v}", LINE),
    s("IKEv2 profile pre-share key",
      "crypto ikev2 profile JIP-IKEV2\n authentication local pre-share key {v}", LINE),
    s("radius/tacacs server key",
      "radius server JIP-RADIUS-1\n address ipv4 10.10.20.5 auth-port 1812 acct-port 1813\n"
      " key 7 {v}", T7),
    s("radius/tacacs server key", "radius server JIP-RADIUS-2\n key {v}", LINE),
    s("radius/tacacs server key", "tacacs server TAC-1\n address ipv4 10.10.20.6\n key 7 {v}",
      T7),
    s("radius-server/tacacs-server key", "radius-server key 7 {v}", T7),
    s("radius-server/tacacs-server key",
      "radius-server host 10.10.20.5 auth-port 1645 acct-port 1646 key 7 {v}", T7),
    s("radius-server/tacacs-server key", "tacacs-server host 10.10.20.6 key {v}", LINE),
    s("RADIUS dynamic-author server-key",
      "aaa server radius dynamic-author\n client 10.10.20.5 server-key 7 {v}", T7),
    s("snmp-server community", "snmp-server community {v} RO 10", WORD),
    s("snmp-server community", "snmp-server community {v} view JIP-VIEW RW SNMP-ACL", WORD),
    s("snmp-server host community (v1/v2c)", "snmp-server host 10.10.20.7 version 2c {v}", WORD),
    s("snmp-server host community (v1/v2c)",
      "snmp-server host 10.10.20.7 informs version 2c {v} udp-port 1162 config", WORD),
    s("snmp-server host community (v1/v2c)", "snmp-server host 10.10.20.7 {v}", WORD),
    s("snmp-server host community (v1/v2c)",
      "snmp-server host 10.10.20.7 vrf Mgmt-intf version 2c {v}", WORD),
    s("snmp-server user auth/priv passwords",
      "snmp-server user jip-mon JIP-MON v3 auth sha {v} priv aes 128 {v} access JIP-MGMT",
      WORD),
    s("ntp authentication-key", "ntp authentication-key 1 md5 {v} 7", T7WORD),
    s("ntp authentication-key", "ntp authentication-key 2 md5 {v}", WORD),
    s("key-string", "key chain JIP-OSPF\n key 1\n  key-string 7 {v}", T7),
    s("key-string", "key chain JIP-EIGRP\n key 2\n  key-string {v}", LINE),
    s("key-string", "interface Vlan10\n standby 1 authentication md5 key-string 7 {v}", T7),
    s("ip ospf authentication-key",
      "interface GigabitEthernet0/0/1\n ip ospf authentication-key 7 {v}", T7),
    s("ip ospf authentication-key",
      "router ospf 1\n area 1 virtual-link 10.0.0.2 authentication-key {v}", LINE),
    s("ip ospf message-digest-key",
      "interface GigabitEthernet0/0/1\n ip ospf message-digest-key 1 md5 7 {v}", T7),
    s("ip ospf message-digest-key",
      "interface GigabitEthernet0/0/2\n ip ospf message-digest-key 2 md5 {v}", LINE),
    s("ip ospf message-digest-key",
      "router ospf 1\n area 1 virtual-link 10.0.0.2 message-digest-key 1 md5 7 {v}", T7),
    s("OSPFv3 IPsec authentication key",
      "interface GigabitEthernet0/0/1\n ipv6 ospf authentication ipsec spi 256 sha1 {v}",
      WORD),
    s("BGP neighbor password", "router bgp 65010\n neighbor 10.255.0.1 password 7 {v}", T7),
    s("wpa-psk", "dot11 ssid JIP-STAFF\n authentication open\n authentication key-management "
                 "wpa version 2\n wpa-psk ascii 7 {v}", T7),
    s("wpa-psk", "dot11 ssid JIP-TAMU\n wpa-psk ascii 0 {v}", LINE),
    s("ppp chap/pap password", "interface Dialer1\n ppp chap password 7 {v}", T7),
    s("ppp chap/pap password", "interface Dialer1\n ppp pap sent-username isp-user password 7 {v}",
      T7),
    s("HSRP/VRRP text authentication", "interface Vlan10\n standby 1 authentication {v}", WORD),
    s("HSRP/VRRP text authentication", "interface Vlan20\n vrrp 2 authentication text {v}", WORD),
    s("IS-IS password", "router isis JIP\n area-password {v}", WORD),
    s("IS-IS password", "router isis JIP\n domain-password {v} authenticate snp validate", WORD),
    s("IS-IS password", "interface GigabitEthernet0/0/1\n isis password {v} level-2", WORD),
    s("password-encryption master key", "key config-key password-encrypt {v}", LINE),
    s("any other password", "ip ftp password 7 {v}", T7),
    s("any other password", "vpdn-group L2TP\n l2tp tunnel password 7 {v}", T7),
    s("any other key", "crypto isakmp client configuration group REMOTE\n key {v}", LINE),
)

NOT_SECRETS = (
    "key chain JIP-OSPF\n key 1\n  cryptographic-algorithm hmac-sha-256\n key 2",
    "crypto key generate rsa modulus 2048 label SSH",
    "password encryption aes",
    "service password-encryption",
    "security passwords min-length 10",
    "interface GigabitEthernet0/0/1\n ip ospf authentication message-digest\n"
    " ip ospf authentication key-chain JIP-OSPF",
    "interface Vlan10\n standby 1 authentication md5 key-chain HSRP",
    "snmp-server host 10.10.20.7 version 3 priv jip-mon",
    "snmp-server group JIP-MON v3 priv access JIP-MGMT",
    "ntp authenticate\nntp trusted-key 1",
    "crypto ikev2 profile JIP-IKEV2\n authentication remote pre-share\n"
    " authentication local pre-share\n keyring local JIP-KEYRING",
    "crypto isakmp policy 10\n authentication pre-share",
    "aaa authentication login default group JIP-RADIUS local",
    "crypto pki trustpoint TP-self-signed-1\n rsakeypair TP-self-signed-1",
    "router bgp 65010\n neighbor 10.255.0.1 remote-as 65000",
    "ip ssh pubkey-chain\n username ops\n  key-hash ssh-rsa 8FB4F858DD7E5AFB372780EC653DB371",
    "username lalu.ahmad privilege 15",
)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda x: x.id)
def test_each_form_as_printed_is_hidden_behind_its_digest(sample: Sample) -> None:
    secret = "Rahasia k3y" if sample.kind in (T7, LINE) else "Rahasia=k3y\"@@"
    out = scrub(sample.line(secret), {}, P)
    assert out == sample.expected(redact(secret))
    assert "Rahasia" not in out and "k3y" not in out


@pytest.mark.slow  # 40 random secrets per form
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda x: x.id)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_each_form_hides_any_value(sample: Sample, data: st.DataObject) -> None:
    check(sample, data.draw(sample.kind.values), P)


@pytest.mark.parametrize("text", NOT_SECRETS, ids=lambda t: t.splitlines()[-1].strip()[:50])
def test_look_alikes_are_left_alone(text: str) -> None:
    assert scrub(text, {}, P) == text


def test_every_form_has_a_sample_and_every_sample_its_form() -> None:
    named = {f.what: f for f in forms.FORMS if not f.keep}
    assert {x.form for x in SAMPLES} == set(named)
    for x in SAMPLES:
        assert form_matches(named[x.form], "", reveal_type7(x.line("v"))), x.id


def test_every_keep_form_protects_a_line_pydriver_diffs() -> None:
    for form in (f for f in forms.FORMS if f.keep):
        assert any(form_matches(form, "", t) for t in NOT_SECRETS), form.what


def test_a_type7_radius_key_with_a_space_is_one_secret() -> None:
    line = f"radius server JIP-RADIUS-1\n key 7 {type7_encode('kunci radius kominfo')}"
    out = scrub(line, {}, P)
    assert out == f"radius server JIP-RADIUS-1\n key {redact('kunci radius kominfo')}"


def test_the_same_secret_in_another_type7_encoding_is_no_change() -> None:
    # IOS picks a new salt whenever a key is entered again: the digest is of the secret
    encodings = {encrypt_type7("rahasia kominfo", salt) for salt in (0, 7, 15)}
    assert len(encodings) == 3
    assert len({scrub(f" key 7 {e}", {}, P) for e in encodings}) == 1


def test_a_changed_secret_shows_as_a_change_and_an_unchanged_one_does_not() -> None:
    def running(psk: str) -> str:
        return ios.normalise(scrub(
            f"crypto ikev2 keyring JIP-KEYRING\n peer T1\n  pre-shared-key {psk}\n", {}, P))

    assert running("lama-123") == running("lama-123")
    assert running("lama-123") != running("baru-456")


def test_known_values_become_placeholders_and_unknown_ones_stay_for_a_rollback() -> None:
    text = (f"radius server JIP-RADIUS-1\n key 7 {type7_encode('kunci radius')}\n"
            "crypto ikev2 keyring JIP-KEYRING\n peer T1\n  pre-shared-key psk lama\n")
    values = {"env:JIP_RADIUS": "kunci radius"}
    assert scrub_known(text, values, P) == (
        "radius server JIP-RADIUS-1\n key @@secret:env:JIP_RADIUS@@\n"
        "crypto ikev2 keyring JIP-KEYRING\n peer T1\n  pre-shared-key psk lama\n")
    assert scrub(text, values, P) == (
        "radius server JIP-RADIUS-1\n key @@secret:env:JIP_RADIUS@@\n"
        f"crypto ikev2 keyring JIP-KEYRING\n peer T1\n  pre-shared-key {redact('psk lama')}\n")


def test_not_type7_after_all_is_left_for_the_forms() -> None:
    assert decode("ZZ12") is None and decode("99AB") is None and decode("0822455D0A16") == "cisco"
    assert scrub(" key 7 not-hex", {}, P) == f" key 7 {redact('not-hex')}"
