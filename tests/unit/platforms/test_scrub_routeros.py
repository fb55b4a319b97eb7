"""RouterOS secrets as ``/export show-sensitive``, ``/export terse`` and plans print them:
every form hides its value behind a stable digest, whatever the value holds, and the lines
pydriver diffs that only look like secrets come out untouched."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings

from pydriver.platforms.mikrotik_routeros import normalise
from pydriver.platforms.mikrotik_routeros import scrub as ros
from pydriver.platforms.mikrotik_routeros.schema import MENUS
from pydriver.platforms.scrub import redact, scrub, scrub_known
from pydriver.sot.models import Platform
from tests.unit.platforms.scrubbing import ROS, Sample, check, form_matches

P = Platform.MIKROTIK_ROUTEROS


def s(form: str, printed: str) -> Sample:
    return Sample(form, printed, printed.replace("{v}", "{r}"), ROS)


SAMPLES = (
    s("/snmp community name (v1/v2c community)",
      "/snmp community\nadd addresses=10.10.0.0/16 name={v}"),
    s("/snmp community name (v1/v2c community)",
      "/snmp community\nset [ find default=yes ] addresses=10.10.0.0/16 name={v}"),
    s("/snmp community name (v1/v2c community)",
      "/snmp community\nadd name={v} read-access=yes security=none"),
    s("/snmp community authentication-password",
      "/snmp community\nadd addresses=10.10.0.0/16 authentication-password={v} "
      "authentication-protocol=SHA1 name=jip-snmp security=private"),
    s("/snmp community encryption-password",
      "/snmp community add encryption-password={v} encryption-protocol=AES name=jip-snmp "
      "security=private"),
    s("/snmp trap-community", "/snmp\nset enabled=yes trap-community={v} trap-version=2"),
    s("/user password", "/user\nadd group=full name=ops password={v}"),
    s("/user-manager user password", "/user-manager user\nadd name=pegawai01 password={v}"),
    s("/user-manager router shared-secret",
      "/user-manager router\nadd address=10.10.0.1 name=hub shared-secret={v}"),
    s("/ppp secret password",
      "/ppp secret\nadd name=vpn-dinkes password={v} profile=default-encryption service=l2tp"),
    s("/interface l2tp-server server ipsec-secret",
      "/interface l2tp-server server\nset enabled=yes ipsec-secret={v} use-ipsec=required"),
    s("/interface l2tp-client ipsec-secret",
      "/interface l2tp-client\nadd connect-to=203.0.113.1 ipsec-secret={v} name=l2tp-out1 "
      "use-ipsec=yes user=site1"),
    s("/interface l2tp-client password",
      "/interface l2tp-client\nadd connect-to=203.0.113.1 name=l2tp-out1 password={v} user=s1"),
    s("/interface pptp-client password",
      "/interface pptp-client\nadd connect-to=203.0.113.1 name=pptp-out1 password={v} user=u"),
    s("/interface sstp-client password",
      "/interface sstp-client\nadd connect-to=vpn.example.id name=sstp-out1 password={v} user=u"),
    s("/interface ovpn-client password",
      "/interface ovpn-client\nadd certificate=none connect-to=203.0.113.9 name=ovpn-out1 "
      "password={v} user=u"),
    s("/interface pppoe-client password",
      "/interface pppoe-client\nadd add-default-route=yes interface=ether1 name=pppoe-out1 "
      "password={v} user=astinet@telkom"),
    s("/interface lte apn password",
      "/interface lte apn\nadd apn=m2minternet authentication=chap name=isp password={v} user=u"),
    s("/interface eoip ipsec-secret",
      "/interface eoip\nadd ipsec-secret={v} name=eoip-dr remote-address=203.0.113.2 "
      "tunnel-id=7"),
    s("/interface gre ipsec-secret",
      "/interface gre\nadd ipsec-secret={v} local-address=203.0.113.1 name=gre-hub "
      "remote-address=203.0.113.2"),
    s("/interface ipip ipsec-secret",
      "/interface ipip\nadd ipsec-secret={v} name=ipip1 remote-address=203.0.113.2"),
    s("/interface 6to4 ipsec-secret",
      "/interface 6to4\nadd ipsec-secret={v} name=6to4-1 remote-address=203.0.113.2"),
    s("/interface vrrp password",
      "/interface vrrp\nadd authentication=simple interface=bridge-lan name=vrrp1 "
      "password={v} version=2 vrid=10"),
    s("/interface wireless security-profiles wpa-pre-shared-key",
      "/interface wireless security-profiles\nadd authentication-types=wpa-psk,wpa2-psk "
      "mode=dynamic-keys name=tamu supplicant-identity=MikroTik wpa-pre-shared-key={v}"),
    s("/interface wireless security-profiles wpa2-pre-shared-key",
      "/interface wireless security-profiles\nadd authentication-types=wpa2-psk "
      "mode=dynamic-keys name=staff supplicant-identity=MikroTik wpa2-pre-shared-key={v}"),
    s("/interface wireless security-profiles static-key-[0-3]",
      "/interface wireless security-profiles\nadd mode=static-keys-required name=legacy "
      "static-algo-0=104bit-wep static-key-0={v} static-transmit-key=key-0"),
    s("/interface wireless security-profiles static-key-[0-3]",
      "/interface wireless security-profiles\nset [ find default=yes ] static-key-3={v}"),
    s("/interface wireless security-profiles static-sta-private-key",
      "/interface wireless security-profiles\nadd mode=static-keys-required name=sta "
      "static-sta-private-algo=104bit-wep static-sta-private-key={v}"),
    s("/interface wireless security-profiles management-protection-key",
      "/interface wireless security-profiles\nadd management-protection=allowed "
      "management-protection-key={v} mode=dynamic-keys name=mfp"),
    s("/interface wireless security-profiles mschapv2-password",
      "/interface wireless security-profiles\nadd eap-methods=peap mode=dynamic-keys "
      "mschapv2-password={v} mschapv2-username=ops name=eap"),
    s("/interface wireless access-list private-pre-shared-key",
      "/interface wireless access-list\nadd interface=wlan1 mac-address=00:11:22:33:44:55 "
      "private-pre-shared-key={v}"),
    s("/interface wireless access-list private-key",
      "/interface wireless access-list\nadd mac-address=00:11:22:33:44:55 "
      "private-algo=104bit-wep private-key={v}"),
    s("/interface wifi security.passphrase",
      "/interface wifi\nset [ find default-name=wifi1 ] configuration.mode=ap "
      "configuration.ssid=JIP-STAFF disabled=no security.authentication-types=wpa2-psk,"
      "wpa3-psk security.passphrase={v}"),
    s("/interface wifi security.eap-password",
      "/interface wifi\nset [ find default-name=wifi2 ] configuration.mode=station "
      "security.eap-password={v} security.eap-username=sta1"),
    s("/interface wifi configuration security.passphrase",
      "/interface wifi configuration\nadd country=Indonesia name=cfg-staff "
      "security.authentication-types=wpa2-psk security.passphrase={v} ssid=JIP-STAFF"),
    s("/interface wifi configuration security.eap-password",
      "/interface wifi configuration\nadd name=cfg-sta security.eap-password={v} "
      "security.eap-username=sta1 ssid=JIP-UPLINK"),
    s("/interface wifi security passphrase",
      "/interface wifi security\nadd authentication-types=wpa2-psk,wpa3-psk name=sec-staff "
      "passphrase={v} wps=disable"),
    s("/interface wifi security eap-password",
      "/interface wifi security\nadd authentication-types=wpa2-eap eap-password={v} "
      "eap-username=sta1 name=sec-eap"),
    s("/interface wifi access-list passphrase",
      "/interface wifi access-list\nadd action=accept mac-address=00:11:22:33:44:55 "
      "passphrase={v}"),
    s("/interface wifiwave2 security.passphrase",
      "/interface wifiwave2\nset [ find default-name=wifi1 ] configuration.ssid=JIP "
      "disabled=no security.authentication-types=wpa2-psk security.passphrase={v}"),
    s("/interface wifiwave2 security.eap-password",
      "/interface wifiwave2\nset [ find default-name=wifi1 ] security.eap-password={v}"),
    s("/interface wifiwave2 configuration security.passphrase",
      "/interface wifiwave2 configuration\nadd name=cfg1 security.passphrase={v} ssid=JIP"),
    s("/interface wifiwave2 configuration security.eap-password",
      "/interface wifiwave2 configuration\nadd name=cfg2 security.eap-password={v} ssid=JIP"),
    s("/interface wifiwave2 security passphrase",
      "/interface wifiwave2 security\nadd authentication-types=wpa2-psk,wpa3-psk name=sec1 "
      "passphrase={v}"),
    s("/interface wifiwave2 security eap-password",
      "/interface wifiwave2 security\nadd eap-password={v} eap-username=sta1 name=sec2"),
    s("/interface wifiwave2 access-list passphrase",
      "/interface wifiwave2 access-list\nadd action=accept mac-address=00:11:22:33:44:55 "
      "passphrase={v}"),
    s("/caps-man security passphrase",
      "/caps-man security\nadd authentication-types=wpa2-psk encryption=aes-ccm "
      "name=sec-staff passphrase={v}"),
    s("/caps-man configuration security.passphrase",
      "/caps-man configuration\nadd country=indonesia name=cfg-staff "
      "security.authentication-types=wpa2-psk security.passphrase={v} ssid=JIP-STAFF"),
    s("/caps-man access-list private-passphrase",
      "/caps-man access-list\nadd action=accept mac-address=00:11:22:33:44:55 "
      "private-passphrase={v}"),
    s("/interface wireguard private-key",
      "/interface wireguard\nadd listen-port=13231 mtu=1420 name=wg-mgmt private-key={v}"),
    s("/interface wireguard peers preshared-key",
      "/interface wireguard peers\nadd allowed-address=10.99.0.2/32 interface=wg-mgmt "
      "preshared-key={v} public-key=\"xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\""),
    s("/interface wireguard peers private-key",
      "/interface wireguard peers\nadd allowed-address=10.99.0.3/32 client-address="
      "10.99.0.3/32 interface=wg-mgmt private-key={v} "
      "public-key=\"TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=\""),
    s("/ip ipsec identity secret",
      "/ip ipsec identity\nadd auth-method=pre-shared-key comment=pydriver:ipsec/gre-x "
      "peer=gre-x secret={v}"),
    s("/ip ipsec identity secret",
      "/ip ipsec identity set [ find comment=\"pydriver:ipsec/gre-x\" ] secret={v}"),
    s("/ip ipsec identity secret",
      "/ip/ipsec/identity add peer=gre-y secret={v}"),
    s("/ip ipsec identity password",
      "/ip ipsec identity\nadd auth-method=eap certificate=\"\" eap-methods=eap-mschapv2 "
      "password={v} peer=road username=ops"),
    s("/ip ipsec peer secret",
      "/ip ipsec peer\nadd address=203.0.113.2/32 enc-algorithm=aes-256 secret={v}"),
    s("/ip ipsec user password", "/ip ipsec user\nadd name=xauth1 password={v}"),
    s("/ip hotspot user password",
      "/ip hotspot user\nadd name=tamu-01 password={v} profile=default server=hotspot1"),
    s("/ip smb users password", "/ip smb users\nadd name=scan password={v} read-only=no"),
    s("/radius secret",
      "/radius\nadd address=10.10.20.5 comment=pydriver:radius/10.10.20.5 secret={v} "
      "service=login src-address=10.255.1.1 timeout=3s"),
    s("/certificate passphrase",
      "/certificate import file-name=router.p12 name=router passphrase={v}"),
    s("/certificate export-passphrase",
      "/certificate export-certificate router export-passphrase={v} type=pkcs12"),
    s("/routing bgp connection tcp-md5-key",
      "/routing bgp connection\nadd as=65010 local.role=ibgp name=to-hub remote.address="
      "10.255.0.1 tcp-md5-key={v} templates=default"),
    s("/routing bgp template tcp-md5-key",
      "/routing bgp template\nset default as=65010 tcp-md5-key={v}"),
    s("/routing bgp peer tcp-md5-key",
      "/routing bgp peer\nadd name=hub remote-address=10.255.0.1 remote-as=65000 "
      "tcp-md5-key={v}"),
    s("/routing ospf interface-template auth-key",
      "/routing ospf interface-template\nadd area=backbone-v2 auth=md5 auth-id=1 "
      "auth-key={v} interfaces=ether2"),
    s("/routing ospf interface authentication-key",
      "/routing ospf interface\nadd authentication=md5 authentication-key={v} "
      "interface=ether2 network-type=broadcast"),
    s("/tool e-mail password",
      "/tool e-mail\nset from=noc@kominfo.example.go.id password={v} port=587 "
      "server=smtp.example.go.id tls=starttls user=noc"),
    s("/tool romon secrets", "/tool romon\nset enabled=yes secrets={v}"),
    s("/tool sms secret", "/tool sms\nset port=lte1 receive-enabled=yes secret={v}"),
    s("any property named like a secret",
      "/container config\nset registry-password={v} registry-url=https://registry-1.docker.io "
      "username=kominfo"),
    s("any property named like a secret",
      "/iot mqtt brokers\nadd address=10.10.20.9 name=telemetry password={v} username=rtr"),
)

# lines that only look like secrets: pydriver diffs them, so they must come out unchanged
NOT_SECRETS = (
    "/ip ipsec identity\nadd auth-method=pre-shared-key comment=pydriver:ipsec/gre-x "
    "peer=gre-x",
    "/ip ipsec identity\nadd auth-method=rsa-key key=site-key peer=hub remote-key=hub-key",
    "/interface wireguard peers\nadd allowed-address=10.99.0.2/32 interface=wg-mgmt "
    "public-key=\"xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\"",
    "/interface wireguard\nadd listen-port=13231 mtu=1420 name=wg-mgmt",
    "/certificate\nadd common-name=rtr key-size=2048 key-usage=digital-signature,"
    "key-encipherment name=rtr",
    "/ip ssh\nset host-key-size=4096 host-key-type=ed25519 strong-crypto=yes",
    "/user settings\nset minimum-password-length=12",
    "/interface wireless security-profiles\nadd authentication-types=wpa2-psk "
    "group-key-update=1h mode=dynamic-keys name=staff",
    "/interface wireless security-profiles\nadd mode=static-keys-required name=legacy "
    "static-algo-0=104bit-wep static-transmit-key=key-0",
    "/interface wifi aaa\nadd name=aaa1 password-format=\"\"",
    "/snmp community\nadd addresses=10.10.0.0/16 authentication-protocol=SHA1 "
    "comment=pydriver:snmp/jip-snmp encryption-protocol=AES name=jip-snmp security=private",
    "/snmp community\nadd name=jip-ro security=authorized",
    "/routing ospf interface-template\nadd area=backbone-v2 auth=md5 auth-id=1 "
    "interfaces=ether2",
    "/ip ipsec profile\nset [ find default=yes ] dh-group=ecp256 enc-algorithm=aes-256",
    "/ip firewall filter\nadd action=accept chain=input comment=\"ssh, winbox and api from "
    "mgmt\" dst-port=22,8291 protocol=tcp src-address-list=mgmt",
    "/system script\nadd name=hello source=\":log info \\\"hello\\\"\"",
    "/user\nadd group=full name=ops\nset [ find default=yes ] disabled=yes",
)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda x: x.id)
def test_each_form_as_printed_is_hidden_behind_its_digest(sample: Sample) -> None:
    secret = "Rahasia Kominfo=2024 \"@@\" \\x"
    out = scrub(sample.line(secret), {}, P)
    assert out == sample.expected(sample.stand_in(secret, redact(secret)))
    assert "Rahasia" not in out


@pytest.mark.slow  # 40 random secrets per form
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda x: x.id)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(secret=ROS.values)
def test_each_form_hides_any_value(sample: Sample, secret: str) -> None:
    check(sample, secret, P)


@pytest.mark.parametrize("text", NOT_SECRETS, ids=lambda t: t.splitlines()[1][:50])
def test_look_alikes_are_left_alone(text: str) -> None:
    assert scrub(text, {}, P) == text


def test_every_form_has_a_sample_and_every_sample_its_form() -> None:
    forms = {f.what: f for f in ros.FORMS if not f.keep}
    assert {x.form for x in SAMPLES} == set(forms)
    for x in SAMPLES:
        assert form_matches(forms[x.form], ros.PROP, x.line("v")), x.id


def test_every_keep_form_protects_a_line_pydriver_diffs() -> None:
    for form in (f for f in ros.FORMS if f.keep):
        assert any(form_matches(form, ros.PROP, t) for t in NOT_SECRETS), form.what


def test_every_property_the_schema_marks_sensitive_is_a_form() -> None:
    named = {(menu, prop) for menu, props in ros.SENSITIVE for prop in props}
    for menu in MENUS:
        for prop in menu.props:
            if prop.sensitive:
                assert (menu.title, prop.name) in named, (menu.title, prop.name)


def test_every_schema_property_named_like_a_secret_is_a_form() -> None:
    """pydriver diffs these menus: a name the catch-all hides must be a secret indeed."""
    named = {(menu, prop) for menu, props in ros.SENSITIVE for prop in props}
    for menu in MENUS:
        for prop in menu.props:
            if re.fullmatch(ros.SECRET_NAME, prop.name):
                assert (menu.title, prop.name) in named, (menu.title, prop.name)


def test_the_ipsec_secret_that_starts_like_a_placeholder_is_still_hidden() -> None:
    line = '/ip ipsec identity\nadd peer=gre-x secret="@@not-a-placeholder"'
    out = scrub(line, {}, P)
    assert "not-a-placeholder" not in out
    assert out.endswith(f'secret="{redact("@@not-a-placeholder")}"')


def test_an_unknown_secret_like_property_on_an_unknown_menu_is_hidden() -> None:
    line = "/iot mqtt brokers\nadd address=10.10.20.9 name=telemetry password=mqtt-pw username=r"
    out = scrub(line, {}, P)
    assert "mqtt-pw" not in out
    assert out == ("/iot mqtt brokers\nadd address=10.10.20.9 name=telemetry "
                   f"password={redact('mqtt-pw')} username=r")


def test_a_value_wrapped_by_export_is_one_value() -> None:
    text = ("/interface wireless security-profiles\n"
            "add authentication-types=wpa2-psk mode=dynamic-keys name=staff wpa2-pre-shared-\\\n"
            "    key=\"panjang sekali \\\n    rahasianya\"\n")
    out = scrub(text, {}, P)
    assert "rahasia" not in out and "panjang" not in out
    assert f'wpa2-pre-shared-key={redact("panjang sekali rahasianya")}' in out
    assert normalise.normalise(out)  # still an export pydriver reads


def test_a_secret_nested_in_a_script_is_hidden() -> None:
    text = ('/system scheduler\nadd name=fix on-event="/ip ipsec identity set [find] '
            'secret=\\"bocor\\"" start-time=startup')
    out = scrub(text, {}, P)
    assert "bocor" not in out
    assert normalise.normalise(out)


def test_a_changed_secret_shows_as_a_change_and_an_unchanged_one_does_not() -> None:
    def running(psk: str) -> str:
        return normalise.normalise(scrub(
            f'/ip ipsec identity\nadd peer=gre-x secret="{psk}"\n', {}, P))

    assert running("lama-123") == running("lama-123")
    assert running("lama-123") != running("baru-456")


def test_known_values_become_placeholders_even_when_escaped() -> None:
    secret = 'a"b$c\\d'
    line = '/radius\nadd address=10.10.20.5 secret="a\\"b\\$c\\\\d"'
    # printed as pydriver writes a secret in: the placeholder stands for all of it, bare,
    # as it does in the rendered file (apply embeds the value again)
    assert scrub(line, {"env:JIP_RADIUS": secret}, P) == (
        '/radius\nadd address=10.10.20.5 secret=@@secret:env:JIP_RADIUS@@')
    # the rollback's view keeps an unknown secret, and still swaps the known one
    both = line + "\n/ppp secret\nadd name=x password=tetap"
    assert scrub_known(both, {"env:JIP_RADIUS": secret}, P) == (
        '/radius\nadd address=10.10.20.5 secret=@@secret:env:JIP_RADIUS@@'
        "\n/ppp secret\nadd name=x password=tetap")
