"""The IOS command matcher and the IOS password encodings, tested on their own."""

from __future__ import annotations

import pytest
from netutils.password import compare_cisco_type9, decrypt_type7, encrypt_cisco_type9

from pydriver.platforms.cisco_ios.engine.grammar import Grammar, normalize_iface
from pydriver.platforms.cisco_ios.engine.secrets import (
    is_type7,
    type7_decode,
    type7_encode,
    type9_hash,
    type9_verify,
)

G: Grammar[str] = Grammar(
    [
        ("show running-config", "run"),
        ("show startup-config", "start"),
        ("show ip interface brief", "brief"),
        ("service password-encryption", "pwenc"),
        ("snmp-server location <line>", "loc"),
        ("ip address <ip> <mask> [ secondary ]", "addr"),
        ("interface <if>", "if"),
        ("group { ( 14 | 19 | 20 ) }", "group"),
        ("neighbor <ip> remote-as <1-4294967295>", "nb"),
    ]
)


def test_abbreviations_resolve_to_the_full_keywords() -> None:
    result = G.match("sh ip int br")
    assert [h.payload for h in result.complete] == ["brief"]
    assert result.complete[0].text == "show ip interface brief"
    assert G.match("SH RUN").complete[0].text == "show running-config"


def test_ambiguous_keyword_is_reported_not_guessed() -> None:
    assert G.match("s").error == "ambiguous"  # show, service, snmp-server
    assert G.match("s password-encryption").error == "ambiguous"
    assert G.match("se password-encryption").complete[0].payload == "pwenc"


def test_caret_column_points_at_the_first_bad_token() -> None:
    result = G.match("show ip interfaze brief")
    assert result.error == "invalid"
    assert result.column == len("show ip ")


def test_incomplete_when_the_line_stops_early() -> None:
    result = G.match("neighbor 10.0.0.1 remote-as")
    assert result.error == "incomplete"
    assert [h.text for h in result.partial] == ["neighbor 10.0.0.1 remote-as"]


@pytest.mark.parametrize(
    ("line", "ok"),
    [
        ("ip address 10.0.0.1 255.255.255.0", True),
        ("ip address 10.0.0.1 255.0.255.0", False),  # not a netmask
        ("ip address 10.0.0.256 255.255.255.0", False),
        ("ip address 10.0.0.1 255.255.255.0 secondary", True),
        ("neighbor 10.0.0.1 remote-as 4200000001", True),
        ("neighbor 10.0.0.1 remote-as 4294967296", False),
    ],
)
def test_arguments_are_validated(line: str, ok: bool) -> None:
    assert bool(G.match(line).complete) is ok


def test_rest_of_line_argument_keeps_spacing_and_case() -> None:
    hit = G.match("snmp-server location  Pusat Data,  Mataram").complete[0]
    assert hit.words[-1] == "Pusat Data,  Mataram"


def test_repeated_values_are_all_kept() -> None:
    assert G.match("group 19 20 14").complete[0].words == ("group", "19", "20", "14")


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("gi0/0/1", "GigabitEthernet0/0/1"),
        ("GigabitEthernet0/0/2.1001", "GigabitEthernet0/0/2.1001"),
        ("te0/1/0", "TenGigabitEthernet0/1/0"),
        ("tu12", "Tunnel12"),
        ("lo0", "Loopback0"),
        ("t1", None),  # Tunnel or TenGigabitEthernet: IOS refuses to guess
        ("foo1", None),
    ],
)
def test_interface_names_are_normalised(given: str, canonical: str | None) -> None:
    assert normalize_iface(given) == canonical


def test_interface_name_may_be_split_in_two_tokens() -> None:
    assert G.match("interface GigabitEthernet 0/0/3").complete[0].words == (
        "interface",
        "GigabitEthernet0/0/3",
    )


def test_type7_is_the_real_algorithm() -> None:
    encoded = type7_encode("R4dius-Secret")
    assert is_type7(encoded)
    assert decrypt_type7(encoded) == "R4dius-Secret"
    assert type7_decode(encoded) == "R4dius-Secret"
    assert type7_encode("R4dius-Secret") == encoded  # stable across runs


def test_type9_is_real_scrypt_and_stable() -> None:
    stored = type9_hash("Adm1n!")
    assert stored.startswith("$9$") and len(stored.split("$")[2]) == 14
    assert stored == type9_hash("Adm1n!")
    assert type9_verify("Adm1n!", stored)
    assert not type9_verify("adm1n!", stored)
    assert compare_cisco_type9("Adm1n!", stored)
    assert encrypt_cisco_type9("Adm1n!", stored.split("$")[2]) == stored
