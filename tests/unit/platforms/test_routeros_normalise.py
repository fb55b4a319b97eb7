"""The canonical form: one text per configuration, whatever export spelled it."""

from __future__ import annotations

import pytest

from pydriver.platforms.emulation import NoTimers
from pydriver.platforms.mikrotik_routeros import users
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine
from pydriver.platforms.mikrotik_routeros.normalise import normalise
from pydriver.platforms.mikrotik_routeros.offline import apply_text

LOCAL = """\
/ip address add address=172.16.5.1/24 interface=ether5 comment="site \\"cctv\\" lan"
/ip address add address=172.16.4.1/24 interface=ether4
/ip firewall address-list add list=b address=10.0.0.0/8
/ip firewall address-list add list=a address=10.1.0.0/16
/ip firewall filter add chain=forward action=drop comment=second place-before=0
/ip firewall filter add chain=forward action=accept comment=first place-before=0
/system note set note="line one\\nline \\"two\\" costs \\$5"
/user add name=ops group=read comment=pydriver:admin/ops password=secret
"""


@pytest.fixture(scope="module")
def engine() -> RouterOSEngine:
    router = RouterOSEngine("n", "RB750Gr3", scheduler=NoTimers())
    out = router.run_script(LOCAL)
    assert "error" not in out.lower() and "failure" not in out
    return router


def read(router: RouterOSEngine, *options: str) -> str:
    return users.with_users(router.export("show-sensitive", *options), router.run(users.PRINT))


def test_every_export_form_gives_the_same_canonical_text(engine: RouterOSEngine) -> None:
    plain = normalise(read(engine))
    assert plain == normalise(read(engine, "verbose"))
    assert plain == normalise(read(engine, "terse"))
    assert "#" not in plain and "RouterOS" not in plain and "serial" not in plain
    assert normalise(plain) == plain
    assert plain.endswith("\n") and "\n\n" not in plain


def test_a_restored_snapshot_is_byte_identical(engine: RouterOSEngine) -> None:
    snapshot = read(engine)
    restored = apply_text(snapshot, ())  # imported into a blank router, exported again
    assert restored != snapshot  # a new header, items in import order...
    assert normalise(restored) == normalise(snapshot)  # ...and the same configuration


def test_order_counts_only_where_routeros_evaluates_in_order(engine: RouterOSEngine) -> None:
    text = normalise(read(engine))
    addresses = text.split("/ip address\n")[1].split("\n/")[0].splitlines()
    assert addresses == sorted(addresses, key=lambda ln: ln.split("address=")[1])
    lists = text.split("/ip firewall address-list\n")[1].split("\n/")[0].splitlines()
    assert [ln.split("list=")[1] for ln in lists] == ["a", "b"]
    rules = text.split("/ip firewall filter\n")[1].split("\n/")[0].splitlines()
    assert "comment=first" in rules[0] and "comment=second" in rules[1]
    swapped = apply_text(read(engine), (
        "/ip firewall filter move [ find comment=second ] destination=[ find comment=first ]",))
    assert normalise(swapped) != text
    shuffled = apply_text(read(engine), (
        "/ip address remove [ find address=172.16.4.1/24 ]",
        "/ip address add address=172.16.4.1/24 interface=ether4",
    ))
    assert normalise(shuffled) == text


def test_properties_sorted_defaults_dropped_values_canonical() -> None:
    text = ("/ip firewall address-list\n"
            "add list=x address=10.0.0.1/32 disabled=no comment=k\n"
            "/ip dns\nset servers=10.0.0.53\n/ip dns\nset cache-max-ttl=7d\n"
            "/ip route\nadd gateway=10.0.0.1 distance=1 dst-address=0.0.0.0/0\n")
    assert normalise(text) == (
        "/ip dns\nset servers=10.0.0.53\n"
        "/ip firewall address-list\nadd address=10.0.0.1 comment=k list=x\n"
        "/ip route\nadd gateway=10.0.0.1\n")


def test_quoted_values_survive_canonical_form(engine: RouterOSEngine) -> None:
    text = normalise(read(engine))
    assert 'comment="site \\"cctv\\" lan"' in text
    assert 'note="line one\\nline \\"two\\" costs \\$5"' in text
    assert "/user\nadd comment=pydriver:admin/ops group=read name=ops\n" in text


def test_empty_config_is_empty_text() -> None:
    assert normalise("# 2026-11-23 14:00:00 by RouterOS 7.16.2\n# software id = X\n") == ""
