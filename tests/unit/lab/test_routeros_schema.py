"""The RouterOS menu schema: canonical values, defaults, quoting, order."""

from __future__ import annotations

import pytest

from pydriver.platforms.mikrotik_routeros import schema
from pydriver.platforms.mikrotik_routeros.schema import Kind, ValueRejected, canonical, menu, quote


def _prop(path: str, name: str) -> schema.Prop:
    found = menu(path)
    assert found is not None
    prop = found.prop(name)
    assert prop is not None
    return prop


@pytest.mark.parametrize(
    ("path", "name", "raw", "shown"),
    [
        ("/ip ipsec profile", "lifetime", "24h", "1d"),
        ("/ip ipsec proposal", "lifetime", "3600", "1h"),
        ("/routing bgp connection", "hold-time", "90s", "1m30s"),
        ("/ip ssh", "strong-crypto", "true", "yes"),
        ("/ip firewall address-list", "address", "10.255.0.2/32", "10.255.0.2"),
        ("/ip firewall address-list", "address", "10.64.3.7/24", "10.64.3.0/24"),
        ("/ip firewall filter", "src-address", "!10.0.0.0/8", "!10.0.0.0/8"),
        ("/ip ipsec peer", "address", "192.0.2.1/32", "192.0.2.1/32"),
        ("/ip route", "dst-address", "10.1.2.3/24", "10.1.2.0/24"),
        ("/ip address", "address", "10.1.2.3/24", "10.1.2.3/24"),
        ("/queue simple", "max-limit", "50000000/50M", "50M/50M"),
        ("/queue simple", "limit-at", "1500k/2G", "1500k/2G"),
        ("/ip ipsec profile", "dh-group", "ecp256,modp2048", "ecp256,modp2048"),
        ("/system logging", "topics", "info,!debug", "info,!debug"),
        ("/routing table", "fib", "", "yes"),
    ],
)
def test_canonical(path: str, name: str, raw: str, shown: str) -> None:
    assert canonical(_prop(path, name), raw) == shown


@pytest.mark.parametrize(
    ("path", "name", "raw", "message"),
    [
        ("/ip ipsec peer", "exchange-mode", "ike3",
         "input does not match any value of exchange-mode"),
        ("/ip ipsec profile", "dh-group", "ecp256,bogus",
         "input does not match any value of dh-group"),
        ("/interface vlan", "vlan-id", "ten", "invalid value for argument vlan-id"),
        ("/ip address", "address", "10.0.0.1/33", "invalid value for argument address"),
        ("/ip ipsec profile", "lifetime", "1y", "invalid time value"),
    ],
)
def test_rejected(path: str, name: str, raw: str, message: str) -> None:
    with pytest.raises(ValueRejected, match=message):
        canonical(_prop(path, name), raw)


def test_quote() -> None:
    assert quote("jip-drop") == "jip-drop"
    assert quote("") == '""'
    assert quote('a "b" $c\\d') == '"a \\"b\\" \\$c\\\\d"'
    assert quote("line\n") == '"line\\n"'  # a trailing newline is never "safe"


def test_menu_lookup_kinds_and_defaults() -> None:
    ip_service = menu("/ip service")
    assert ip_service is not None and ip_service.kind is Kind.FIXED
    assert ip_service.default("port", "winbox") == "8291"
    assert ip_service.default("disabled", "www-ssl") == "yes"
    gre = menu(("interface", "gre"))
    assert gre is not None and gre.default("keepalive") == "10s,10"
    assert schema.is_default(gre, "allow-fast-path", "yes")
    ssh = menu("/ip/ssh")
    assert ssh is not None and ssh.kind is Kind.SINGLETON
    user = menu("/user")
    assert user is not None and not user.exported
    assert menu("/no such") is None
    order = schema.export_order()
    assert order.index(("ip", "ipsec", "peer")) < order.index(("ip", "ipsec", "identity"))
    assert ("user",) not in order


def test_every_menu_is_consistent() -> None:
    for m in schema.MENUS:
        names = [p.name for p in m.props]
        assert len(names) == len(set(names)), m.title
        for key in (*m.identity, *m.required):
            assert m.prop(key) is not None, (m.title, key)
        for rule in m.unique:
            assert all(m.prop(k) is not None for k in rule.keys), m.title
        for p in m.props:
            if p.type is schema.Type.ENUM and p.default:
                canonical(p, p.default)  # a default is always a legal value


def test_model_ports() -> None:
    assert schema.model_ports("hEX")[-1] == "ether5"
    assert len(schema.model_ports("CCR2004-16G-2S+")) == 18
