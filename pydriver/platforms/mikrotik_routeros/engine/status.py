"""Commands that report state rather than change it: routes, BGP, IPsec, ping, resources.

What a running network would show (is the tunnel up, which routes were learned) is not in
one router's configuration: it comes from the fabric (the shared network model). With no
fabric every tunnel and session is down and only connected and static routes exist, as on
a router whose cables are unplugged.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydriver.platforms.mikrotik_routeros.engine.errors import RosError, end_of_command
from pydriver.platforms.mikrotik_routeros.engine.lexer import Token
from pydriver.platforms.mikrotik_routeros.engine.render import grid, key_values
from pydriver.platforms.mikrotik_routeros.schema import ROUTEROS_VERSION, format_duration, quote

if TYPE_CHECKING:
    from pydriver.platforms.mikrotik_routeros.engine.interp import Context, Interpreter

Handler = Callable[["Interpreter", list[Token], "Context"], str]


def handler(node: tuple[str, ...], verb: str) -> Handler | None:
    from pydriver.platforms.mikrotik_routeros.engine import console

    return _HANDLERS.get((node, verb)) or console.HANDLERS.get((node, verb))


# ---------------------------------------------------------------------------- helpers


def _words(args: list[Token], allowed: tuple[str, ...]) -> set[str]:
    found = set()
    for tok in args:
        if tok.is_arg or tok.value not in allowed:
            if tok.value == "where" or (tok.is_arg and tok.name in ("proplist", "where")):
                break
            raise end_of_command(tok.col)
        found.add(tok.value)
    return found


def _addresses(interp: Interpreter) -> list[tuple[str, ipaddress.IPv4Interface]]:
    """(interface, address) of every enabled /ip address."""
    table = interp.config.table(("ip", "address"))
    out = []
    for item in table.items:
        if table.disabled(item):
            continue
        address, iface = table.value(item, "address"), table.value(item, "interface")
        if address and iface:
            out.append((iface, ipaddress.IPv4Interface(address)))
    return out


# ---------------------------------------------------------------------------- routes


def route_rows(interp: Interpreter) -> list[dict[str, str]]:
    """Connected, static and (from the fabric) BGP routes, as ``print`` and ``where`` see them;
    ``#`` is set for static routes only (dynamic ones have no number in RouterOS 7)."""
    engine = interp.engine
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for iface, addr in _addresses(interp):
        prefix = str(addr.network)
        if prefix in seen:
            continue
        seen.add(prefix)
        rows.append({"flags": "DAc", "dst-address": prefix, "routing-table": "main",
                     "gateway": iface, "immediate-gw": iface, "distance": "0", "scope": "10",
                     "suppress-hw-offload": "no", "local-address": f"{addr.ip}%{iface}",
                     "dynamic": "yes", "active": "yes", "connect": "yes"})
    table = interp.config.table(("ip", "route"))
    connected = [a.network for _, a in _addresses(interp)]
    for index, item in enumerate(table.items):
        gateway = table.value(item, "gateway") or ""
        active = not table.disabled(item) and _reachable(gateway, connected)
        flags = "X" if table.disabled(item) else ("As" if active else "s")
        row = {"#": str(index), "flags": flags,
               "dst-address": table.value(item, "dst-address") or "",
               "routing-table": table.value(item, "routing-table") or "main",
               "gateway": gateway, "distance": table.value(item, "distance") or "1",
               "scope": table.value(item, "scope") or "30",
               "target-scope": table.value(item, "target-scope") or "10",
               "suppress-hw-offload": "no", "dynamic": "no",
               "active": "yes" if active else "no", "static": "yes",
               "disabled": "yes" if table.disabled(item) else "no"}
        comment = table.value(item, "comment")
        if comment is not None:
            row["comment"] = comment
        rows.append(row)
    if engine.fabric is not None:
        for route in engine.fabric.routes(engine.name):
            if route.protocol == "bgp":
                gateway = route.gateway or route.interface or ""
                rows.append({"flags": "DAb", "dst-address": route.prefix,
                             "routing-table": "main", "gateway": gateway,
                             "immediate-gw": gateway, "distance": "20", "scope": "40",
                             "target-scope": "10", "dynamic": "yes", "active": "yes",
                             "bgp": "yes"})
    return rows


def route_print(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    from pydriver.platforms.mikrotik_routeros.engine import console

    asked = console.print_args(args)
    chosen = [row for _, row in console.select(route_rows(interp), asked.conditions)]
    if "count-only" in asked.words:
        return f"{len(chosen)}\n"
    keys = ("comment", "dst-address", "routing-table", "pref-src", "gateway", "immediate-gw",
            "distance", "scope", "target-scope", "suppress-hw-offload", "local-address")
    if "terse" in asked.words or "detail" in asked.words:
        lines = []
        for row in chosen:
            head = f"{row['#']:>2} {row['flags']:<3}" if "#" in row else f"{row['flags']:<3}"
            body = " ".join(f"{k}={_shown(row[k])}" for k in keys if k in row)
            lines.append(f"{head} {body}")
            if "detail" in asked.words:
                lines.append("")
        return "\n".join(lines) + ("\n" if lines else "")
    grid_rows = [[f"{row['#']:<2} {row['flags']}" if "#" in row else row["flags"],
                  row["dst-address"], row["gateway"], row["distance"]] for row in chosen]
    legend = "D - DYNAMIC; X - DISABLED; A - ACTIVE; c - CONNECT, s - STATIC, b - BGP"
    return grid(["#", "DST-ADDRESS", "GATEWAY", "DISTANCE"], grid_rows,
                [row.get("comment") for row in chosen], legend)


def _shown(value: str) -> str:
    """A value as ``print`` shows it: quoted only when it has spaces or quotes."""
    return quote(value) if not value or any(c in value for c in ' "\\') else value


def _reachable(gateway: str, connected: list[ipaddress.IPv4Network]) -> bool:
    try:
        address = ipaddress.IPv4Address(gateway.split("%", maxsplit=1)[0])
    except ValueError:
        return bool(gateway)  # an interface name as gateway
    return any(address in net for net in connected)


# ---------------------------------------------------------------------------- ping


def ping(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    target: str | None = None
    count = 4
    source: str | None = None
    for tok in args:
        if tok.is_arg and tok.name == "count":
            if not tok.value.isdigit():
                raise RosError("invalid value for argument count")
            count = int(tok.value)
        elif tok.is_arg and tok.name == "src-address":
            source = tok.value
        elif tok.is_arg and tok.name in ("address",):
            target = tok.value
        elif tok.is_arg and tok.name in ("interval", "size", "ttl", "interface", "routing-table",
                                         "do-not-fragment", "vrf"):
            continue
        elif not tok.is_arg and target is None:
            target = tok.value
        else:
            raise end_of_command(tok.col)
    if target is None:
        raise RosError("missing value(s) of argument(s) address")
    try:
        ipaddress.IPv4Address(target)
    except ValueError:
        raise RosError("invalid value for argument address") from None
    engine = interp.engine
    own = {str(a.ip) for _, a in _addresses(interp)}
    if target in own or target.startswith("127."):
        ok = True
    elif engine.fabric is not None:
        ok = engine.fabric.ping(engine.name, target, source)
    else:
        ok = False
    lines = ["  SEQ HOST                                     SIZE TTL TIME       STATUS"]
    for seq in range(count):
        if ok:
            lines.append(f"{seq:>5} {target:<40} {56:>4} {64:>3} 1ms")
        else:
            lines.append(f"{seq:>5} {target:<40} {'':>4} {'':>3} {'':<10} timeout")
    received = count if ok else 0
    loss = 0 if ok or count == 0 else 100
    summary = f"    sent={count} received={received} packet-loss={loss}%"
    if ok and count:
        summary += " min-rtt=1ms avg-rtt=1ms max-rtt=1ms"
    lines.append(summary)
    return "\n".join(lines) + "\n\n"


# ---------------------------------------------------------------------------- BGP / IPsec


def bgp_sessions(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    _words(args, ("detail", "terse", "without-paging", "where"))
    engine = interp.engine
    table = interp.config.table(("routing", "bgp", "connection"))
    lines = ["Flags: E - established"]
    index = 0
    for item in table.items:
        if table.disabled(item):
            continue
        remote = table.value(item, "remote.address") or ""
        address = remote.split("/")[0]
        up = engine.fabric is not None and engine.fabric.bgp_established(engine.name, address)
        received = engine.fabric.bgp_received(engine.name, address) if up and engine.fabric else ()
        name = f"{table.value(item, 'name')}-1"
        lines.append(f"{index:>2} {'E' if up else ' '} name=\"{name}\"")
        lines.append(f"     remote.address={address} .as={table.value(item, 'remote.as') or ''}")
        lines.append(f"     local.role={table.value(item, 'local.role')} "
                     f".as={table.value(item, 'as') or ''} "
                     f".id={table.value(item, 'router-id') or ''}")
        lines.append(f"     hold-time={table.value(item, 'hold-time')} "
                     f"keepalive-time={table.value(item, 'keepalive-time')}")
        lines.append(f"     prefix-count={len(received)}")
        lines.append("")
        index += 1
    return "\n".join(lines) + "\n"


def _peers_up(interp: Interpreter) -> list[tuple[str, str]]:
    engine = interp.engine
    if engine.fabric is None:
        return []
    table = interp.config.table(("ip", "ipsec", "peer"))
    out = []
    for item in table.items:
        name = table.value(item, "name") or ""
        if not table.disabled(item) and engine.fabric.ipsec_up(engine.name, name):
            out.append((name, (table.value(item, "address") or "").split("/")[0]))
    return out


def active_peers(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    _words(args, ("detail", "terse", "without-paging", "where"))
    rows = [[str(i), address, "established", "1m", "1", address]
            for i, (_, address) in enumerate(_peers_up(interp))]
    return grid(["#", "ID", "STATE", "UPTIME", "PH2-TOTAL", "REMOTE-ADDRESS"], rows,
                [None] * len(rows), "R - RESPONDER, N - NATT-PEER")


def installed_sa(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    _words(args, ("detail", "terse", "without-paging", "where"))
    rows: list[list[str]] = []
    n = 0
    for _, address in _peers_up(interp):
        for direction in ("in", "out"):
            rows.append([f"{n} AE", f"0x{0x1000 + n:X}", "esp", "aes-gcm", direction, address])
            n += 1
    return grid(["#", "SPI", "STATE", "ENC-ALGORITHM", "DIRECTION", "PEER"], rows,
                [None] * len(rows), "A - AUTHENTICATED; E - ESTABLISHED")


# ---------------------------------------------------------------------------- interfaces


def _interfaces(interp: Interpreter) -> list[tuple[str, str, bool, bool]]:
    """(name, type, running, disabled) of every interface."""
    engine = interp.engine
    out = []
    kinds: dict[tuple[str, ...], str] = {
        ("interface", "ethernet"): "ether", ("interface", "bridge"): "bridge",
        ("interface", "vlan"): "vlan", ("interface", "gre"): "gre-tunnel"}
    others = sorted(p for p, t in interp.config.tables.items()
                    if t.menu.interface and p not in kinds and t.items)
    for path in others:
        kinds[path] = _TYPES.get(path[-1], path[-1])
    for path, kind in kinds.items():
        table = interp.config.table(path)
        for item in table.items:
            name = table.name_of(item) or ""
            disabled = table.disabled(item)
            if kind == "gre-tunnel":
                running = engine.fabric is not None and engine.fabric.tunnel_up(engine.name, name)
            else:
                running = True
            out.append((name, kind, running and not disabled, disabled))
    return out


#: ``/interface print`` type names of interface menus (the menu's own name otherwise).
_TYPES = {"wireguard": "wg", "bonding": "bond", "eoip": "eoip-tunnel", "ipip": "ipip-tunnel",
          "6to4": "6to4-tunnel", "pppoe-client": "pppoe-out", "l2tp-client": "l2tp-out",
          "ovpn-client": "ovpn-out", "sstp-client": "sstp-out", "pptp-client": "pptp-out",
          "wireless": "wlan", "gre6": "gre6-tunnel", "eoipv6": "eoipv6-tunnel"}


@dataclass(frozen=True, slots=True)
class _Link:
    """What ``/interface print detail`` says of one interface beyond its name and state."""

    mtu: str
    l2mtu: str | None
    mac: str | None
    default_name: str | None
    slave: bool


def _links(interp: Interpreter) -> dict[str, _Link]:
    """Per interface: MTU, L2MTU, MAC (a bridge's admin MAC, a VLAN's parent's), slave flag."""
    config = interp.config
    ports = config.table(("interface", "bridge", "port"))
    slaves = {ports.value(i, "interface") for i in ports.items if not ports.disabled(i)}
    out: dict[str, _Link] = {}
    ether = config.table(("interface", "ethernet"))
    for item in ether.items:
        name = ether.name_of(item) or ""
        out[name] = _Link(ether.value(item, "mtu") or "1500", ether.value(item, "l2mtu"),
                          ether.value(item, "mac-address"), ether.value(item, "default-name"),
                          name in slaves)
    bridges = config.table(("interface", "bridge"))
    for item in bridges.items:
        name = bridges.name_of(item) or ""
        mac = bridges.value(item, "admin-mac")
        if bridges.value(item, "auto-mac") != "no" or not mac:
            members = [ports.value(i, "interface") for i in ports.items
                       if ports.value(i, "bridge") == name]
            mac = next((out[m].mac for m in members if m in out), None)
        out[name] = _Link("auto", "1598", mac, None, False)
    vlans = config.table(("interface", "vlan"))
    for item in vlans.items:
        name = vlans.name_of(item) or ""
        parent = out.get(vlans.value(item, "interface") or "")
        out[name] = _Link(vlans.value(item, "mtu") or "1500", "1594",
                          parent.mac if parent else None, None, name in slaves)
    return out


def interface_rows(interp: Interpreter) -> list[dict[str, str]]:
    """One row per interface: what ``print``, ``terse`` and ``where`` see."""
    links = _links(interp)
    rows = []
    for name, kind, running, disabled in _interfaces(interp):
        link = links.get(name, _Link("1476", None, None, None, False))
        row = {"name": name, "type": kind, "mtu": link.mtu,
               "actual-mtu": "1500" if link.mtu == "auto" else link.mtu,
               "running": "yes" if running else "no", "disabled": "yes" if disabled else "no",
               "slave": "yes" if link.slave else "no", "dynamic": "no", "link-downs": "0"}
        if link.default_name:
            row["default-name"] = link.default_name
        if link.l2mtu:
            row["l2mtu"] = link.l2mtu
        if link.mac:
            row["mac-address"] = link.mac
        rows.append(row)
    return rows


def interface_print(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    from pydriver.platforms.mikrotik_routeros.engine import console

    asked = console.print_args(args)
    chosen = console.select(interface_rows(interp), asked.conditions)
    if "count-only" in asked.words:
        return f"{len(chosen)}\n"
    if "detail" in asked.words:
        return _interface_detail(interp, {n for n, _ in chosen})
    if "terse" in asked.words:
        lines = []
        for index, row in chosen:
            flags = ("D" if row["dynamic"] == "yes" else " ") + (
                "X" if row["disabled"] == "yes" else "R" if row["running"] == "yes" else " ") + (
                "S" if row["slave"] == "yes" else " ")
            keys = ("name", "default-name", "type", "mtu", "actual-mtu", "l2mtu", "mac-address",
                    "link-downs")
            body = " ".join(f"{k}={row[k]}" for k in keys if k in row)
            lines.append(f"{index:>2} {flags} {body}")
        return "\n".join(lines) + ("\n" if lines else "")
    rows = []
    for index, row in chosen:
        flag = "X" if row["disabled"] == "yes" else ("R" if row["running"] == "yes" else "")
        rows.append([f"{index:<2} {flag}".rstrip(), row["name"], row["type"], "1500"])
    return grid(["#", "NAME", "TYPE", "ACTUAL-MTU"], rows, [None] * len(rows),
                "R - RUNNING; X - DISABLED")


def _interface_detail(interp: Interpreter, chosen: set[int] | None = None) -> str:
    """``/interface print detail``: a ``key=value`` line per interface, which inventory tools
    (Ansible's ``community.routeros.facts``) key every other table on, by ``name``."""
    links = _links(interp)
    lines = ["Flags: D - dynamic; X - disabled, R - running; S - slave; P - passthrough"]
    for index, (name, kind, running, disabled) in enumerate(_interfaces(interp)):
        if chosen is not None and index not in chosen:
            continue
        link = links.get(name, _Link("1476", None, None, None, False))
        flags = ("X" if disabled else "R" if running else "") + ("S" if link.slave else "")
        pairs = [("name", _quoted(name))]
        if link.default_name:
            pairs.append(("default-name", _quoted(link.default_name)))
        actual = "1500" if link.mtu == "auto" else link.mtu
        pairs += [("type", _quoted(kind)), ("mtu", link.mtu), ("actual-mtu", actual)]
        if link.l2mtu:
            pairs.append(("l2mtu", link.l2mtu))
        if link.mac:
            pairs.append(("mac-address", link.mac))
        pairs.append(("link-downs", "0"))
        body = " ".join(f"{k}={v}" for k, v in pairs)
        lines += [f"{index:>2} {flags:<2} {body}", ""]
    return "\n".join(lines) + "\n"


def _quoted(value: str) -> str:
    """Detail prints quote every string property, where export leaves safe ones bare."""
    text = quote(value)
    return text if text.startswith('"') else f'"{text}"'


def _link_local(mac: str) -> str:
    """The EUI-64 link-local address RouterOS derives from ``mac``."""
    octets = [int(part, 16) for part in mac.split(":")]
    octets[0] ^= 0x02
    eui = [*octets[:3], 0xFF, 0xFE, *octets[3:]]
    groups = [f"{eui[i] << 8 | eui[i + 1]:x}" for i in range(0, 8, 2)]
    return str(ipaddress.IPv6Address("fe80::" + ":".join(groups)))


def ipv6_address_print(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    """``/ipv6 address print``: IPv6 is on in RouterOS 7, so every enabled interface with a
    MAC that is not a bridge port has its dynamic link-local address (flags ``DL``)."""
    words = _words(args, ("detail", "terse", "without-paging", "where"))
    links = _links(interp)
    found: list[tuple[str, str]] = []
    for name, _kind, _running, disabled in _interfaces(interp):
        link = links.get(name)
        if link is not None and link.mac and not link.slave and not disabled:
            found.append((f"{_link_local(link.mac)}/64", name))
    legend = "D - DYNAMIC; G - GLOBAL, L - LINK-LOCAL"
    configured = interp.config.table(("ipv6", "address"))
    statics = [(configured.value(i, "address") or "", configured.value(i, "interface") or "",
                configured.value(i, "advertise") or "yes") for i in configured.items
               if not configured.disabled(i)]
    if "detail" in words or "terse" in words:
        lines = [] if "terse" in words else [f"Flags: {legend}"]
        for index, (address, name) in enumerate(found):
            lines.append(f"{index:>2} DL address={address} from-pool=\"\" interface={name} "
                         f"actual-interface={name} eui-64=no advertise=no no-dad=no")
            if "terse" not in words:
                lines.append("")
        for index, (address, name, advertise) in enumerate(statics, start=len(found)):
            lines.append(f"{index:>2}  G address={address} interface={name} "
                         f"actual-interface={name} advertise={advertise}")
            if "terse" not in words:
                lines.append("")
        return "\n".join(lines) + "\n"
    rows = [[f"{index} DL", address, "", name, "no"]
            for index, (address, name) in enumerate(found)]
    rows += [[f"{index}  G", address, "", name, advertise]
             for index, (address, name, advertise) in enumerate(statics, start=len(found))]
    return grid(["#", "ADDRESS", "FROM-POOL", "INTERFACE", "ADVERTISE"], rows,
                [None] * len(rows), legend)


def _interface_toggle(value: str) -> Handler:
    def run(interp: Interpreter, args: list[Token], ctx: Context) -> str:
        if not args:
            raise RosError("missing value(s) of argument(s) numbers")
        for name in args[0].value.split(","):
            for table in interp.config.tables.values():
                if table.menu.interface and (item := table.by_name(name)) is not None:
                    if not ctx.dry_run:
                        interp.update(table, item, {"disabled": value}, {"disabled"})
                    break
            else:
                raise RosError("no such item")
        return ""

    return run


# ---------------------------------------------------------------------------- system


def resource_print(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    return key_values(list(resource_values(interp).items()))


def resource_values(interp: Interpreter) -> dict[str, str]:
    """``/system resource``: what the router reports about itself."""
    engine = interp.engine
    return {
        "uptime": format_duration(max(0, int(engine.now() - engine.booted_at))),
        "version": f"{ROUTEROS_VERSION} (stable)",
        "build-time": "2024-11-18 10:00:00",
        "free-memory": "812.4MiB",
        "total-memory": "1024.0MiB",
        "cpu": "ARM64",
        "cpu-count": "4",
        "cpu-load": "1%",
        "free-hdd-space": "402.1MiB",
        "total-hdd-space": "512.0MiB",
        "architecture-name": "arm64",
        "board-name": engine.model,
        "platform": "MikroTik",
    }


def routerboard_print(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    engine = interp.engine
    return key_values([
        ("routerboard", "yes"),
        ("model", engine.model),
        ("serial-number", engine.serial),
        ("firmware-type", "al2"),
        ("factory-firmware", "7.5"),
        ("current-firmware", ROUTEROS_VERSION),
        ("upgrade-firmware", ROUTEROS_VERSION),
    ])


def package_print(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    return grid(["#", "NAME", "VERSION"], [["0", "routeros", ROUTEROS_VERSION]], [None], "")


def license_print(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    return key_values([("software-id", interp.engine.software_id), ("level", "6")])


def clock_print(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    engine = interp.engine
    local = engine.local_time()
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return key_values([
        ("time", local.strftime("%H:%M:%S")),
        ("date", local.strftime("%Y-%m-%d")),
        ("time-zone-autodetect", interp.config.setting(("system", "clock"),
                                                       "time-zone-autodetect") or "yes"),
        ("time-zone-name", interp.config.setting(("system", "clock"), "time-zone-name") or ""),
        ("gmt-offset", f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"),
        ("dst-active", "no"),
    ])


def reboot(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    from pydriver.platforms.mikrotik_routeros.engine.interp import Question

    for tok in args:
        raise end_of_command(tok.col)
    if ctx.dry_run:
        return ""
    engine = interp.engine
    if not ctx.interactive:
        engine.reboot()
        return ""

    def answer(text: str) -> str:
        if text.strip().lower().startswith("y"):
            engine.reboot()
            return "system will reboot shortly\n"
        return "\n"

    ctx.question = Question("Reboot, yes? [y/N]: ", answer)
    return ""


def script_run(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    from pydriver.platforms.mikrotik_routeros.engine.interp import Context as Ctx
    from pydriver.platforms.mikrotik_routeros.engine.interp import ScriptFailed

    table = interp.config.table(("system", "script"))
    target = next((t for t in args if not t.is_arg or t.name == "number"), None)
    if target is None:
        raise RosError("missing value(s) of argument(s) number")
    if target.is_arg:
        target = Token(target.value, target.col, None, target.value)
    items = interp.items(table, target, ctx)
    if ctx.dry_run:
        return ""
    out = []
    for item in items:
        source = table.value(item, "source") or ""
        try:
            out.append(interp.run_script(source, Ctx(user=ctx.user, depth=ctx.depth + 1)))
        except ScriptFailed as failed:
            out.append(failed.output + failed.error.console(failed.line) + "\n")
            break
    return "".join(out)


def _import(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    return interp.cmd_import(args, ctx)


def _nothing(interp: Interpreter, args: list[Token], ctx: Context) -> str:
    return ""


_HANDLERS: dict[tuple[tuple[str, ...], str], Handler] = {
    ((), "import"): _import,
    ((), "ping"): ping,
    (("tool",), "ping"): ping,
    ((), "redo"): _nothing,
    ((), "undo"): _nothing,
    (("ip", "route"), "print"): route_print,
    (("routing", "bgp", "session"), "print"): bgp_sessions,
    (("ip", "ipsec", "active-peers"), "print"): active_peers,
    (("ip", "ipsec", "installed-sa"), "print"): installed_sa,
    (("ip", "neighbor"), "print"): _nothing,
    (("ipv6", "address"), "print"): ipv6_address_print,
    (("interface",), "print"): interface_print,
    (("interface",), "enable"): _interface_toggle("no"),
    (("interface",), "disable"): _interface_toggle("yes"),
    (("interface",), "monitor-traffic"): _nothing,
    (("system",), "reboot"): reboot,
    (("system",), "shutdown"): reboot,
    (("system", "resource"), "print"): resource_print,
    (("system", "routerboard"), "print"): routerboard_print,
    (("system", "package"), "print"): package_print,
    (("system", "license"), "print"): license_print,
    (("system", "clock"), "print"): clock_print,
    (("system", "script"), "run"): script_run,
}
