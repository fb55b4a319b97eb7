"""What the chassis says about itself: inventory, memory, CPU and the discovery protocols.

Inventory and facts collectors (Ansible's ``ios_facts``, Nornir getters) run these on every
router and parse them with regular expressions, so the layout is IOS-XE's, line for line.
The figures are the model's own (memory from the hardware model) or quiet idle values: the
lab has no load to show. CDP is on unless ``no cdp run``; LLDP is off unless ``lldp run``,
the IOS-XE defaults for a router. No neighbour is ever seen: the lab has no cables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydriver.platforms.cisco_ios.engine.engine import IOSEngine
    from pydriver.platforms.cisco_ios.engine.session import IOSSession

CDP_OFF = "% CDP is not enabled\n"
LLDP_OFF = "% LLDP is not enabled\n"


def show_inventory(engine: IOSEngine) -> str:
    hw = engine.hardware
    model = hw.pid.split("/")[0]
    family = model.removesuffix("-X")
    builtin = sum(1 for p in hw.ports if p.startswith("GigabitEthernet0/0/"))
    nim = f"{model}-{builtin}x1GE"
    return (
        f'NAME: "Chassis", DESCR: "Cisco {family} Chassis"\n'
        f"PID: {hw.pid:<18}, VID: V04  , SN: {hw.serial}\n"
        "\n"
        f'NAME: "module 0", DESCR: "Cisco {family} Built-In NIM controller"\n'
        f"PID: {model:<18}, VID:      , SN:            \n"
        "\n"
        f'NAME: "NIM subslot 0/0", DESCR: "Front Panel {builtin} ports Gigabitethernet Module"\n'
        f"PID: {nim:<18}, VID: V01  , SN:            \n"
        "\n"
    )


def show_memory_statistics(engine: IOSEngine) -> str:
    total = engine.hardware.memory_kb // 4 * 1024  # the IOSd share of physical memory
    used = total * 3 // 20
    free = total - used
    return (
        "Tracekey : 1#5d8d2d8c6e4b0f7a2c9e1b3a4f6d8e0c\n"
        "\n"
        "                Head    Total(b)     Used(b)     Free(b)   Lowest(b)  Largest(b)\n"
        f"Processor  7F4B0F2010  {total:>10}  {used:>10}  {free:>10}  {free - 4_787_704:>10}"
        f"  {free - 16_854_948:>10}\n"
        " lsmpi_io  7F4B0E01A8     6295128     6294304         824         824         412\n"
    )


_PROCESSES = (
    (1, 13, 45, 288, "Chunk Manager"),
    (2, 2301, 86450, 26, "Load Meter"),
    (3, 0, 1, 0, "PKI Trustpool"),
    (4, 5, 12, 416, "Retransmission o"),
    (5, 0, 1, 0, "IPC ISSU Dispatch"),
)


def show_processes_cpu(engine: IOSEngine) -> str:
    lines = [
        "CPU utilization for five seconds: 1%/0%; one minute: 1%; five minutes: 1%",
        " PID Runtime(ms)     Invoked      uSecs   5Sec   1Min   5Min TTY Process ",
    ]
    for pid, runtime, invoked, usecs, name in _PROCESSES:
        lines.append(
            f"{pid:>4}{runtime:>12}{invoked:>12}{usecs:>11}  0.00%  0.00%  0.00%   0 {name:<16} "
        )
    return "\n".join(lines) + "\n"


def cdp_enabled(engine: IOSEngine) -> bool:
    return not engine.running.has("no cdp run")


def show_cdp(engine: IOSEngine) -> str:
    if not cdp_enabled(engine):
        return CDP_OFF
    return (
        "Global CDP information:\n"
        "\tSending CDP packets every 60 seconds\n"
        "\tSending a holdtime value of 180 seconds\n"
        "\tSending CDPv2 advertisements is  enabled\n"
    )


def show_cdp_neighbors(engine: IOSEngine, detail: bool) -> str:
    if not cdp_enabled(engine):
        return CDP_OFF
    if detail:
        return "\nTotal cdp entries displayed : 0\n"
    return (
        "Capability Codes: R - Router, T - Trans Bridge, B - Source Route Bridge\n"
        "                  S - Switch, H - Host, I - IGMP, r - Repeater, P - Phone, \n"
        "                  D - Remote, C - CVTA, M - Two-port Mac Relay \n"
        "\n"
        "Device ID        Local Intrfce     Holdtme    Capability  Platform  Port ID\n"
        "\n"
        "Total cdp entries displayed : 0\n"
    )


def lldp_enabled(engine: IOSEngine) -> bool:
    return engine.running.has("lldp run")


def show_lldp(engine: IOSEngine) -> str:
    if not lldp_enabled(engine):
        return LLDP_OFF
    return (
        "\n"
        "Global LLDP Information:\n"
        "    Status: ACTIVE\n"
        "    LLDP advertisements are sent every 30 seconds\n"
        "    LLDP hold time advertised is 120 seconds\n"
        "    LLDP interface reinitialisation delay is 2 seconds\n"
    )


def show_lldp_neighbors(engine: IOSEngine, detail: bool) -> str:
    if not lldp_enabled(engine):
        return LLDP_OFF
    if detail:
        return "\nTotal entries displayed: 0\n\n"
    return (
        "Capability codes:\n"
        "    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device\n"
        "    (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other\n"
        "\n"
        "Device ID           Local Intf     Hold-time  Capability      Port ID\n"
        "\n"
        "Total entries displayed: 0\n"
        "\n"
    )


def show_hosts(engine: IOSEngine) -> str:
    """``show hosts``: the DNS settings and static host table (NAPALM reads the domain)."""
    running = engine.running
    domain = running.value("ip domain name")
    servers = (running.value("ip name-server") or "").split()
    lookup = "static mappings" if running.has("no ip domain lookup") else "domain service"
    lines = [
        f"Default domain is {domain or 'not set'}",
        f"Name/address lookup uses {lookup}",
        f"Name servers are {', '.join(servers)}" if servers else "No name servers are configured",
        "",
        "Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate",
        "       temp - temporary, perm - permanent",
        "       NA - Not Applicable None - Not defined",
        "",
        "Host                      Port  Flags      Age Type   Address(es)",
    ]
    for node in running.top("ip host "):
        words = node.text.split()
        if len(words) >= 4 and words[2] != "vrf":
            lines.append(f"{words[2]:<25} None  (perm, OK)  0   IP    {' '.join(words[3:])}")
    return "\n".join(lines) + "\n"


def _idle(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def show_users(engine: IOSEngine, me: IOSSession) -> str:
    """``show users``: every open vty session, the asking one starred."""
    lines = ["    Line       User       Host(s)              Idle       Location"]
    now = engine.clock()
    for session in engine.live_sessions():
        star = "*" if session is me else " "
        line = f"{star}{session.line_no:>3} vty {session.vty}"
        idle = _idle(0 if session is me else now - session.last_input)
        lines.append(f"{line:<15} {session.username:<10} {'idle':<20} {idle} {session.peer}")
    lines += ["", "  Interface    User               Mode         Idle     Peer Address", ""]
    return "\n".join(lines) + "\n"
