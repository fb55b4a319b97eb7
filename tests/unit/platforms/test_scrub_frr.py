"""Linux router secrets as its files print them: FRR's frr.conf (vtysh's view), strongSwan's
swanctl.conf (and the legacy ipsec.secrets); every form comes out as a stable digest,
whatever the value holds, and the lines around them (proposals, ids, nftables, tc) stay."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pydriver.platforms.linux_frr import driver as frr
from pydriver.platforms.linux_frr import scrub as forms
from pydriver.platforms.scrub import redact, scrub
from pydriver.sot.models import Platform
from tests.unit.platforms.scrubbing import (
    IPSEC_QUOTED,
    LINE,
    SWAN_BARE,
    SWAN_QUOTED,
    WORD,
    Kind,
    Sample,
    check,
    form_matches,
)

P = Platform.LINUX_FRR


def s(form: str, printed: str, kind: Kind) -> Sample:
    return Sample(form, printed, printed.replace("{v}", "{r}"), kind)


SAMPLES = (
    s("password", "password {v}", WORD),
    s("password", "password 8 {v}", WORD),
    s("enable password", "enable password {v}", WORD),
    s("BGP/LDP neighbor password", "router bgp 65000\n neighbor 10.255.0.2 password {v}", LINE),
    s("BGP/LDP neighbor password", "router bgp 65000\n no neighbor 10.255.0.2 password {v}",
      LINE),
    s("BGP/LDP neighbor password", "mpls ldp\n neighbor 10.0.0.2 password {v}", LINE),
    s("ip ospf authentication-key", "interface eth1\n ip ospf authentication-key {v}", WORD),
    s("ip ospf authentication-key",
      "interface eth1\n ip ospf authentication-key {v} 10.20.0.1", WORD),
    s("ip ospf authentication-key",
      "router ospf\n area 0.0.0.1 virtual-link 10.0.0.2 authentication-key {v}", WORD),
    s("ip ospf message-digest-key", "interface eth1\n ip ospf message-digest-key 1 md5 {v}",
      WORD),
    s("ip ospf message-digest-key",
      "router ospf\n area 0.0.0.1 virtual-link 10.0.0.2 message-digest-key 2 md5 {v}", WORD),
    s("ipv6 ospf6 authentication key",
      "interface eth1\n ipv6 ospf6 authentication keyid 1 hash-algo hmac-sha-256 key {v}", WORD),
    s("key-string", "key chain RIP\n key 1\n  key-string {v}", LINE),
    s("IS-IS area-password/domain-password",
      "router isis JIP\n area-password md5 {v} authenticate snp validate", WORD),
    s("IS-IS area-password/domain-password", "router isis JIP\n domain-password clear {v}",
      WORD),
    s("IS-IS/OpenFabric interface password", "interface eth1\n isis password md5 {v}", WORD),
    s("IS-IS/OpenFabric interface password", "interface eth1\n openfabric password clear {v}",
      WORD),
    s("ip rip authentication string", "interface eth1\n ip rip authentication string {v}", LINE),
    s("ip nhrp authentication", "interface gre1\n ip nhrp authentication {v}", WORD),
    s("strongSwan secret/pin", "secrets {\n    ike-hub-1 {\n        id = 203.0.113.2\n"
                               "        secret = {v}\n    }\n}", SWAN_QUOTED),
    s("strongSwan secret/pin", "secrets {\n    ike-hub-1 {\n        secret = {v}\n    }\n}",
      SWAN_BARE),
    s("strongSwan secret/pin", "secrets {\n    eap-ops {\n        id = ops\n"
                               "        secret = {v}\n    }\n}", SWAN_QUOTED),
    s("strongSwan secret/pin", "secrets {\n    xauth-ops {\n        id = ops\n"
                               "        secret={v}\n    }\n}", SWAN_BARE),
    s("strongSwan secret/pin", "secrets {\n    ntlm-ops {\n        id = ops\n"
                               "        secret = {v}\n    }\n}", SWAN_QUOTED),
    s("strongSwan secret/pin", "secrets {\n    ppk-1 {\n        id = hub-ppk\n"
                               "        secret = {v}\n    }\n}", SWAN_BARE),
    s("strongSwan secret/pin", "secrets {\n    private-hub {\n        file = hub.pem\n"
                               "        secret = {v}\n    }\n}", SWAN_QUOTED),
    s("strongSwan secret/pin", "secrets {\n    token-hsm {\n        handle = 01\n"
                               "        slot = 1\n        module = opensc\n"
                               "        pin = {v}\n    }\n}", SWAN_BARE),
    s("strongSwan secret/pin", "eap-radius {\n    secret = {v}\n    server = 10.10.20.5\n}",
      SWAN_QUOTED),
    s("ipsec.secrets PSK/EAP/XAUTH/NTLM/PIN/PPK", ": PSK {v}", IPSEC_QUOTED),
    s("ipsec.secrets PSK/EAP/XAUTH/NTLM/PIN/PPK", "203.0.113.1 203.0.113.2 : PSK {v}",
      IPSEC_QUOTED),
    s("ipsec.secrets PSK/EAP/XAUTH/NTLM/PIN/PPK", "ops : EAP {v}", IPSEC_QUOTED),
    s("ipsec.secrets PSK/EAP/XAUTH/NTLM/PIN/PPK", "ops : XAUTH {v}", IPSEC_QUOTED),
    s("ipsec.secrets private key passphrase", ": RSA hub.pem {v}", IPSEC_QUOTED),
)

NOT_SECRETS = (
    "key chain RIP\n key 1\n  accept-lifetime 00:00:00 Jan 1 2024 infinite",
    "interface eth1\n ip ospf authentication message-digest\n ip rip authentication mode md5\n"
    " ip rip authentication key-chain RIP",
    "router isis JIP\n is-type level-2-only\n net 49.0001.0102.5500.1001.00",
    "service password-encryption",
    "router bgp 65000\n neighbor 10.255.0.2 remote-as 65000\n neighbor 10.255.0.2 "
    "update-source lo",
    "connections {\n    hub-1 {\n        version = 2\n        proposals = aes256gcm16-prfsha384-"
    "ecp384\n        local {\n            auth = psk\n            id = 203.0.113.1\n        }\n"
    "    }\n}",
    "table inet filter {\n    chain input {\n        tcp dport 22 ip saddr @mgmt accept\n"
    "    }\n}",
    "tc qdisc add dev eth0 root handle 1: htb default 30",
    "ip prefix-list SITES seq 5 permit 10.20.0.0/16 le 24",
)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda x: x.id)
def test_each_form_as_printed_is_hidden_behind_its_digest(sample: Sample) -> None:
    secret = "Rahasia=k3y@@" if sample.kind is WORD else "Rahasia k3y=\"@@\""
    if sample.kind is IPSEC_QUOTED:
        secret = "Rahasia k3y=@@"
    out = scrub(sample.line(secret), {}, P)
    assert out == sample.expected(sample.stand_in(secret, redact(secret)))
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
        assert form_matches(named[x.form], "", x.line("v")), x.id


def test_the_combined_running_text_keeps_its_files_and_loses_its_secrets() -> None:
    files = {
        "frr.conf": "router bgp 65000\n neighbor 10.255.0.2 password bgp rahasia\n",
        "swanctl.conf": 'secrets {\n    ike-t1 {\n        secret = "psk rahasia"\n    }\n}\n',
        "nftables.conf": "table inet filter {\n}\n",
        "tc.sh": "tc qdisc del dev eth0 root\n",
    }
    out = scrub(frr.join(files), {"env:JIP_PSK_T1": "psk rahasia"}, P)
    assert "rahasia" not in out
    back = frr.split(out)
    assert back["swanctl.conf"] == (
        'secrets {\n    ike-t1 {\n        secret = @@secret:env:JIP_PSK_T1@@\n    }\n}\n')
    assert back["frr.conf"] == (
        f"router bgp 65000\n neighbor 10.255.0.2 password {redact('bgp rahasia')}\n")
    assert back["nftables.conf"] == files["nftables.conf"]
    assert back["tc.sh"] == files["tc.sh"]


def test_a_changed_secret_shows_as_a_change_and_an_unchanged_one_does_not() -> None:
    def running(psk: str) -> str:
        return scrub(f'secrets {{\n    ike-t1 {{\n        secret = "{psk}"\n    }}\n}}\n', {}, P)

    assert running("lama-123") == running("lama-123")
    assert running("lama-123") != running("baru-456")
