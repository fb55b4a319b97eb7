"""Export then import into a blank router gives the same configuration back (any config).

This is the property pydriver's RouterOS support leans on: what ``/export`` prints is a
complete, re-playable description of the state, values quoted and escaped so that they
survive the console's parser.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine
from pydriver.platforms.mikrotik_routeros.schema import quote


class _Handle:
    def cancel(self) -> None:
        return None


class _Scheduler:
    def call_later(self, delay: float, callback: Callable[[], None]) -> _Handle:
        return _Handle()


def body(export: str) -> list[str]:
    return [line for line in export.splitlines() if not line.startswith("#")]


_text = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 -_.:/\"\\$?;=[]{}\n,!@#")), min_size=0, max_size=12
)
_name = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
_octet = st.integers(0, 255)
_ip = st.builds(lambda a, b, c, d: f"{a}.{b}.{c}.{d}", _octet, _octet, _octet, _octet)
_iface = st.sampled_from(["ether2", "ether3", "ether5", "bridge", "sfp-sfpplus1"])


def _q(value: str) -> str:
    return quote(value)


_commands = st.one_of(
    st.builds(lambda n, m, c: f"/interface bridge add name=br-{n} protocol-mode={m} "
              f"comment={_q(c)}", _name, st.sampled_from(["none", "rstp", "stp"]), _text),
    st.builds(lambda n, v, i: f"/interface vlan add name=vl-{n} vlan-id={v} interface={i}",
              _name, st.integers(1, 4094), _iface),
    st.builds(lambda n, r, mtu, fp: f"/interface gre add name=gre-{n} remote-address={r} "
              f"mtu={mtu} allow-fast-path={fp}", _name, _ip, st.integers(1280, 1500),
              st.sampled_from(["yes", "no"])),
    st.builds(lambda a, n, i, c: f"/ip address add address={a}/{n} interface={i} "
              f"comment={_q(c)}", _ip, st.integers(8, 32), _iface, _text),
    st.builds(lambda lst, a, n: f"/ip firewall address-list add list={lst} address={a}/{n}",
              _name, _ip, st.integers(8, 32)),
    st.builds(lambda ch, act, proto, port, c, d: f"/ip firewall filter add chain={ch} "
              f"action={act} protocol={proto} dst-port={port} comment={_q(c)} disabled={d}",
              st.sampled_from(["input", "forward"]), st.sampled_from(["accept", "drop"]),
              st.sampled_from(["tcp", "udp"]), st.integers(1, 65535), _text,
              st.sampled_from(["yes", "no"])),
    st.builds(lambda d, n, g, dist: f"/ip route add dst-address={d}/{n} gateway={g} "
              f"distance={dist}", _ip, st.integers(0, 32), _ip, st.integers(1, 250)),
    st.builds(lambda n, t, a, b: f"/queue simple add name=q-{n} target={t}/32 "
              f"max-limit={a}M/{a}M limit-at={b}M/{b}M", _name, _ip, st.integers(1, 900),
              st.integers(1, 900)),
    st.builds(lambda n: f"/system identity set name={_q(n)}", _text.filter(bool)),
    st.builds(lambda s, d, p: f"/ip service set {s} disabled={d} port={p}",
              st.sampled_from(["telnet", "ftp", "ssh", "winbox"]), st.sampled_from(["yes", "no"]),
              st.integers(1, 65535)),
    st.builds(lambda c, loc: f"/snmp set enabled=yes contact={_q(c)} location={_q(loc)}",
              _text, _text),
    st.builds(lambda n: f"/system note set note={_q(n)}", _text),
    st.builds(lambda n, a, s: f"/ip ipsec peer add name=p-{n} address={a}/32 exchange-mode=ike2"
              f"\n/ip ipsec identity add peer=p-{n} secret={_q(s)}", _name, _ip, _text),
    st.builds(lambda n, c: f"/user group add name=g-{n} policy=read,test comment={_q(c)}",
              _name, _text),
    st.builds(lambda i: f"/ip firewall filter remove {i}", st.integers(0, 12)),
    st.builds(lambda i, c: f"/interface ethernet set [find default-name=ether{i}] "
              f"comment={_q(c)}", st.integers(1, 10), _text),
)


def _apply(ros: RouterOSEngine, commands: list[str]) -> None:
    for command in commands:
        for line in command.split("\n"):
            ros.run(line)  # duplicates and collisions fail harmlessly, as on a router


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_commands, max_size=12), st.sampled_from(["", " terse"]))
def test_export_import_round_trip(commands: list[str], style: str) -> None:
    source = RouterOSEngine("r1", scheduler=_Scheduler())
    _apply(source, commands)
    exported = source.export("show-sensitive" + style)
    blank = RouterOSEngine("r1", scheduler=_Scheduler(), defaults=False)
    blank.write_file("all.rsc", exported)
    assert blank.run("/import file-name=all.rsc").endswith(
        "Script file loaded and executed successfully\n"
    ), exported
    assert body(blank.export("show-sensitive")) == body(source.export("show-sensitive"))
    assert blank.identity == source.identity
