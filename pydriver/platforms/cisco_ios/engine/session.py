"""One SSH shell on an emulated IOS-XE router: exec modes, questions, configuration mode.

The session owns only what is per-login (privilege, terminal settings, the mode stack of an
open ``configure terminal``, a pending ``[confirm]`` question); everything else lives on the
engine so a second session sees the first one's changes at once, as on a real router.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from pydriver.platforms.cisco_ios.engine import files, show, show_routing, show_system
from pydriver.platforms.cisco_ios.engine.facts import iface_address
from pydriver.platforms.cisco_ios.engine.grammar import Grammar, tokenize
from pydriver.platforms.cisco_ios.engine.interp import ConfigInterpreter, error_text
from pydriver.platforms.cisco_ios.engine.render import render, render_lines
from pydriver.platforms.cisco_ios.engine.secrets import type9_verify
from pydriver.platforms.cisco_ios.engine.tcl import TclShell
from pydriver.platforms.emulation import LineGate

if TYPE_CHECKING:
    from pydriver.platforms.cisco_ios.engine.engine import IOSEngine

REPLACE_WARNING = (
    "This will apply all necessary additions and deletions\n"
    "to replace the current running configuration with the\n"
    "contents of the specified configuration file, which is\n"
    "assumed to be a complete configuration, not a partial\n"
    "configuration. Enter Y if you are sure you want to proceed. ? [no]: "
)
UNKNOWN = "% Unknown command or computer name, or unable to find computer address\n"

_COMMON = (
    ("exit", "exit"),
    ("logout", "exit"),
    ("quit", "exit"),
    ("terminal length <0-512>", "noop"),
    ("terminal width <0-512>", "noop"),
    ("terminal monitor", "noop"),
    ("terminal no monitor", "noop"),
    ("show version", "show_version"),
    ("show privilege", "show_privilege"),
    ("show clock", "show_clock"),
    ("show ip interface brief", "show_ip_interface_brief"),
    ("show ip interface [ <if> ]", "show_ip_interface"),
    ("show ipv6 interface [ ( brief | <if> ) ]", "show_ipv6_interface"),
    ("show inventory", "show_inventory"),
    ("show memory statistics", "show_memory_statistics"),
    ("show processes cpu [ sorted ]", "show_processes_cpu"),
    ("show hosts", "show_hosts"),
    ("show users [ all ]", "show_users"),
    ("show cdp", "show_cdp"),
    ("show cdp neighbors [ detail ]", "show_cdp_neighbors"),
    ("show lldp", "show_lldp"),
    ("show lldp neighbors [ detail ]", "show_lldp_neighbors"),
    (
        "ping [ ip ] <ip> [ { ( source ( <if> | <ip> ) | repeat <1-2147483647> | timeout <0-3600> "
        "| size <36-18024> | df-bit ) } ]",
        "ping",
    ),
)
USER_EXEC = (("enable", "enable"), *_COMMON)
PRIV_EXEC = (
    ("enable", "enable"),
    ("disable", "disable"),
    *_COMMON,
    ("configure terminal [ revert timer ( <1-120> | idle <1-120> ) ]", "configure_terminal"),
    (
        "configure replace <word> [ { ( force | list | nolock | ignorecase "
        "| revert trigger { ( error | timer <1-120> ) } | time <1-120> ) } ]",
        "configure_replace",
    ),
    ("configure confirm", "configure_confirm"),
    ("configure revert ( now | timer ( <1-120> | idle <1-120> ) )", "configure_revert"),
    ("show running-config [ all ]", "show_run"),
    ("show running-config interface <if>", "show_run_interface"),
    ("show startup-config", "show_startup"),
    ("show archive", "show_archive"),
    ("show interfaces [ <if> ]", "show_interfaces"),
    ("show ip route", "show_ip_route"),
    ("show ip route <ip> [ <mask> ]", "show_ip_route_detail"),
    ("show ip route vrf <word> [ <ip> [ <mask> ] ]", "show_ip_route_detail"),
    ("show ip protocols", "show_ip_protocols"),
    ("show vrf [ detail ]", "show_vrf"),
    ("show ip vrf", "show_ip_vrf"),
    ("show ( arp | ip arp ) [ vrf <word> ]", "show_arp"),
    ("show ip bgp summary", "show_bgp_summary"),
    ("show bgp ipv4 unicast summary", "show_bgp_summary"),
    ("show ( bgp all | ip bgp all ) summary", "show_bgp_all_summary"),
    ("show bgp ipv4 unicast neighbors [ <ip> ]", "show_bgp_neighbors"),
    ("show ip bgp neighbors [ <ip> ]", "show_bgp_neighbors"),
    ("show ip bgp ( <ip> | <prefix> )", "show_bgp_prefix"),
    ("show bgp ( ipv4 multicast | ipv6 ( unicast | multicast ) ) neighbors", "empty"),
    ("show bgp ( vpnv4 unicast | vpnv6 unicast | ipv4 mdt ) all neighbors", "empty"),
    ("show archive config differences [ <word> [ <word> ] ]", "show_archive_differences"),
    ("show archive config incremental-diffs <word> [ ignorecase ]", "show_incremental_diffs"),
    ("show archive config rollback timer", "show_rollback_timer"),
    ("show crypto ikev2 sa", "show_ikev2_sa"),
    ("show crypto session", "show_crypto_session"),
    ("show logging", "show_logging"),
    ("write [ memory ]", "write"),
    ("write erase", "write_erase"),
    ("erase ( startup-config | nvram: )", "write_erase"),
    ("write terminal", "show_run"),
    ("copy running-config startup-config", "copy_run_start"),
    ("copy startup-config running-config", "copy_start_run"),
    ("copy running-config <word>", "copy_run_file"),
    ("copy null: <word>", "copy_null"),
    ("copy <word> ( running-config | startup-config )", "copy_file"),
    ("verify /md5 <word> [ <word> ]", "verify_md5"),
    ("tclsh", "tclsh"),
    ("reload", "reload"),
    ("archive config", "archive_config"),
    ("dir [ <word> ]", "dir"),
    ("more <word>", "more"),
    ("delete [ /force ] <word>", "delete"),
    ("clear crypto session", "noop"),
    ("clear ip bgp *", "noop"),
)
_FILTERS = ("include", "exclude", "begin", "section", "count")


@cache
def _exec_grammar(privileged: bool) -> Grammar[str]:
    return Grammar(list(PRIV_EXEC if privileged else USER_EXEC))


@dataclass(frozen=True, slots=True)
class _Question:
    prompt: str
    answer: Callable[[str], str]
    echo: bool = True


def _filter(output: str, spec: str) -> str:
    """Apply an IOS output modifier (``| include X``, ``| section X``, ...)."""
    words = spec.split(None, 1)
    kind = [f for f in _FILTERS if f.startswith(words[0].lower())] if words else []
    if len(kind) != 1:
        return "                  ^\n% Invalid input detected at '^' marker.\n\n"
    pattern = re.compile(words[1].strip() if len(words) > 1 else "")
    lines = output.rstrip("\n").split("\n")
    if kind[0] == "include":
        kept = [line for line in lines if pattern.search(line)]
    elif kind[0] == "exclude":
        kept = [line for line in lines if not pattern.search(line)]
    elif kind[0] == "begin":
        start = next((i for i, line in enumerate(lines) if pattern.search(line)), len(lines))
        kept = lines[start:]
    elif kind[0] == "count":
        return (
            f"Number of lines which match regexp = {sum(1 for x in lines if pattern.search(x))}\n"
        )
    else:
        kept = []
        block: list[str] = []
        for line in [*lines, ""]:
            if line and line.startswith(" ") and block:
                block.append(line)
                continue
            if block and any(pattern.search(b) for b in block):
                kept += block
            block = [line] if line and not line.startswith("!") else []
    return "\n".join(kept) + "\n" if kept else ""


class IOSSession:
    """A logged-in shell (see :class:`pydriver.platforms.emulation.Session`)."""

    def __init__(self, engine: IOSEngine, username: str, vty: int = 0) -> None:
        self.engine = engine
        self.username = username
        self.vty = vty
        self.line_no = 2 + vty  # IOS-XE numbers vty lines after con 0 and aux 0
        self.peer = ""  # the client's address, when the server knows it
        self.last_input = engine.clock()
        self.tcl: TclShell | None = None
        self.boot_id = engine.boot_id
        self.privileged = self._lands_privileged()
        self.interp: ConfigInterpreter | None = None
        self.echo = True  # False while IOS is reading a password
        self.terminal_length = 24
        self.terminal_width = 80
        self._question: _Question | None = None
        self._closed = False
        # set by the SSH server: lines merged from a file meet its fault knobs too
        self.line_gate: LineGate | None = None

    def _lands_privileged(self) -> bool:
        """With AAA exec authorisation a privilege-15 user starts in ``#`` as on a real router."""
        running = self.engine.running
        if not running.has("aaa new-model") or not running.top("aaa authorization exec "):
            return False
        return any(
            n.text.startswith(f"username {self.username} privilege 15 ")
            for n in running.top("username ")
        )

    # ------------------------------------------------------------------ Session protocol

    @property
    def closed(self) -> bool:
        return self._closed or self.boot_id != self.engine.boot_id

    def banner(self) -> str:
        node = self.engine.running.root.find(("banner", "motd"))
        if node is None or node.body is None:
            return ""
        return node.body.lstrip("\n")

    def prompt(self) -> str:
        if self._question is not None:
            return self._question.prompt
        host = self.engine.hostname
        if self.tcl is not None:
            return "+>" if self.tcl.continuing else f"{host}(tcl)#"
        if self.interp is not None:
            if self.interp.in_banner:
                return ""
            return f"{host}({self.interp.prompt_mode})#"
        return f"{host}#" if self.privileged else f"{host}>"

    def handle(self, line: str) -> str:
        if self.closed:
            return ""
        if self._question is not None:
            question = self._question
            self._question = None
            self.echo = True
            return question.answer(line.strip())
        self.last_input = self.engine.clock()
        prompt_len = len(self.prompt())
        if self.tcl is not None:
            done = self.tcl.handle(line)
            if done is None:
                return self._exec(line, prompt_len)
            if not done[1]:
                self.tcl = None
            return done[0]
        if self.interp is not None:
            if self.interp.config is not self.engine.running or self._stale_interp():
                self.interp = ConfigInterpreter(self.engine.running, self.engine.ports)
            outcome = self.interp.feed(line, prompt_len)
            out = outcome.output
            if outcome.do is not None:
                out += self._exec(outcome.do, prompt_len + 3)
            if outcome.leave:
                self.interp = None
                self.engine._log(
                    f"%SYS-5-CONFIG_I: Configured from console by {self.username} on vty0"
                )
            return out
        return self._exec(line, prompt_len)

    def _stale_interp(self) -> bool:
        """A replace or rollback swapped the tree: sub-mode frames now point at dead nodes."""
        interp = self.interp
        return interp is not None and interp.stack[0].node is not self.engine.running.root

    # ------------------------------------------------------------------ exec

    def _exec(self, line: str, prompt_len: int) -> str:
        text = line.strip()
        if not text:
            return ""
        leading = len(line) - len(line.lstrip())
        command, _, pipe = text.partition(" | ")
        result = _exec_grammar(self.privileged).match(command)
        if result.complete:
            hit = result.complete[0]
            handler: Callable[[tuple[str, ...]], str] = getattr(self, "_x_" + hit.payload)
            out = handler(hit.words)
            return _filter(out, pipe) if pipe else out
        if result.error == "invalid" and result.depth == 0 and len(tokenize(command)) == 1:
            return UNKNOWN
        return error_text(result, command, prompt_len + leading)

    def _ask(self, prompt: str, answer: Callable[[str], str], echo: bool = True) -> str:
        self._question = _Question(prompt, answer, echo)
        self.echo = echo
        return ""

    def _quiet(self) -> bool:
        return self.engine.running.has("file prompt quiet")

    def _x_noop(self, words: tuple[str, ...]) -> str:
        if words[:2] == ("terminal", "length"):
            self.terminal_length = int(words[2])
        if words[:2] == ("terminal", "width"):
            self.terminal_width = int(words[2])
        return ""

    def _x_exit(self, words: tuple[str, ...]) -> str:
        self._closed = True
        return ""

    def _x_enable(self, words: tuple[str, ...]) -> str:
        if self.privileged:
            return ""

        def check(answer: str) -> str:
            stored = self.engine.running.value("enable secret")
            ok = answer == self.engine.enable_secret
            if stored and stored.startswith("9 "):
                ok = type9_verify(answer, stored[2:])
            if ok:
                self.privileged = True
                return ""
            return "% Access denied\n\n"

        return self._ask("Password: ", check, echo=False)

    def _x_disable(self, words: tuple[str, ...]) -> str:
        self.privileged = False
        return ""

    def _x_show_version(self, words: tuple[str, ...]) -> str:
        return show.show_version(self.engine)

    def _x_show_privilege(self, words: tuple[str, ...]) -> str:
        return f"Current privilege level is {15 if self.privileged else 1}\n"

    def _x_show_clock(self, words: tuple[str, ...]) -> str:
        tz, offset = self.engine._tz()
        now = self.engine.clock()
        ms = int((now % 1) * 1000)
        stamp = time.strftime("%H:%M:%S.{:03d} {} %a %b %d %Y", time.gmtime(now + offset))
        return "*" + stamp.format(ms, tz) + "\n"

    def _x_show_ip_interface_brief(self, words: tuple[str, ...]) -> str:
        return show.show_ip_interface_brief(self.engine)

    def _x_show_ip_interface(self, words: tuple[str, ...]) -> str:
        return show.show_ip_interfaces(self.engine, words[3] if len(words) > 3 else None)

    def _x_show_ipv6_interface(self, words: tuple[str, ...]) -> str:
        if words[-1] == "brief":
            return show.show_ipv6_interface_brief(self.engine)
        return ""  # IOS lists only IPv6-enabled interfaces: the lab's routers have none

    def _x_show_inventory(self, words: tuple[str, ...]) -> str:
        return show_system.show_inventory(self.engine)

    def _x_show_memory_statistics(self, words: tuple[str, ...]) -> str:
        return show_system.show_memory_statistics(self.engine)

    def _x_show_processes_cpu(self, words: tuple[str, ...]) -> str:
        return show_system.show_processes_cpu(self.engine)

    def _x_show_cdp(self, words: tuple[str, ...]) -> str:
        return show_system.show_cdp(self.engine)

    def _x_show_cdp_neighbors(self, words: tuple[str, ...]) -> str:
        return show_system.show_cdp_neighbors(self.engine, words[-1] == "detail")

    def _x_show_lldp(self, words: tuple[str, ...]) -> str:
        return show_system.show_lldp(self.engine)

    def _x_show_lldp_neighbors(self, words: tuple[str, ...]) -> str:
        return show_system.show_lldp_neighbors(self.engine, words[-1] == "detail")

    def _x_show_run(self, words: tuple[str, ...]) -> str:
        return show.running_header(self.engine, render(self.engine.running))

    def _x_show_run_interface(self, words: tuple[str, ...]) -> str:
        return show.show_run_interface(self.engine, words[-1])

    def _x_show_startup(self, words: tuple[str, ...]) -> str:
        body = self.engine.startup
        return f"Using {len(body.encode())} out of 33554432 bytes\n" + body

    def _x_show_archive(self, words: tuple[str, ...]) -> str:
        return show.show_archive(self.engine)

    def _x_show_interfaces(self, words: tuple[str, ...]) -> str:
        return show.show_interfaces(self.engine, words[2] if len(words) > 2 else None)

    def _x_show_ip_route(self, words: tuple[str, ...]) -> str:
        return show.show_ip_route(self.engine)

    def _x_show_bgp_summary(self, words: tuple[str, ...]) -> str:
        return show.show_bgp_summary(self.engine)

    def _x_show_bgp_all_summary(self, words: tuple[str, ...]) -> str:
        return show_routing.bgp_all_summary(self.engine)

    def _x_show_bgp_neighbors(self, words: tuple[str, ...]) -> str:
        address = words[-1] if words[-1][:1].isdigit() else None
        return show_routing.bgp_neighbors_detail(self.engine, address)

    def _x_show_bgp_prefix(self, words: tuple[str, ...]) -> str:
        return show_routing.bgp_prefix(self.engine, words[-1])

    def _x_empty(self, words: tuple[str, ...]) -> str:
        return ""

    def _x_show_ip_route_detail(self, words: tuple[str, ...]) -> str:
        rest = list(words[3:])
        vrf = ""
        if rest and rest[0] == "vrf":
            vrf, rest = rest[1], rest[2:]
            if not any(name == vrf for name, _rd, _af in show_routing.vrfs(self.engine)):
                return f"% IP routing table {vrf} does not exist\n"
            if not rest:
                return show.show_ip_route(self.engine) if not vrf else self._vrf_table(vrf)
        return show_routing.route_detail(
            self.engine, rest[0], rest[1] if len(rest) > 1 else None, vrf
        )

    def _vrf_table(self, vrf: str) -> str:
        routes = show.own_routes(self.engine, vrf)
        lines = [f"Routing Table: {vrf}", *show.ROUTE_CODES.rstrip("\n").split("\n"), ""]
        lines.append("Gateway of last resort is not set")
        lines.append("")
        for route in routes:
            via = (
                f"[1/0] via {route.gateway}"
                if route.gateway
                else f"is directly connected, {route.interface}"
            )
            code = "C" if route.protocol == "connected" else "S"
            lines.append(f"{code:<6}{route.prefix} {via}")
        return "\n".join(lines) + "\n"

    def _x_show_ip_protocols(self, words: tuple[str, ...]) -> str:
        return show_routing.show_ip_protocols(self.engine)

    def _x_show_vrf(self, words: tuple[str, ...]) -> str:
        return show_routing.show_vrf(self.engine)

    def _x_show_ip_vrf(self, words: tuple[str, ...]) -> str:
        return show_routing.show_ip_vrf(self.engine)

    def _x_show_arp(self, words: tuple[str, ...]) -> str:
        vrf = words[words.index("vrf") + 1] if "vrf" in words else ""
        return show_routing.show_arp(self.engine, vrf)

    def _x_show_hosts(self, words: tuple[str, ...]) -> str:
        return show_system.show_hosts(self.engine)

    def _x_show_users(self, words: tuple[str, ...]) -> str:
        return show_system.show_users(self.engine, self)

    def _x_show_ikev2_sa(self, words: tuple[str, ...]) -> str:
        return show.show_crypto_ikev2_sa(self.engine)

    def _x_show_crypto_session(self, words: tuple[str, ...]) -> str:
        return show.show_crypto_session(self.engine)

    def _x_show_logging(self, words: tuple[str, ...]) -> str:
        head = (
            "Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, "
            "0 overruns, xml disabled, filtering disabled)\n\n"
            f"    Buffer logging:  level debugging, {len(self.engine.log)} messages logged, "
            "xml disabled,\n"
            "                     filtering disabled\n\n"
            "Log Buffer (64000 bytes):\n\n"
        )
        return head + "".join(line + "\n" for line in self.engine.log)

    # ------------------------------------------------------------------ configuration

    def _x_configure_terminal(self, words: tuple[str, ...]) -> str:
        out = ""
        if "revert" in words:
            out = self.engine.arm_revert(int(words[-1]), self.username)
            if out.startswith("%"):
                return out
        self.interp = ConfigInterpreter(self.engine.running, self.engine.ports)
        return out + "Enter configuration commands, one per line.  End with CNTL/Z.\n"

    def _x_configure_replace(self, words: tuple[str, ...]) -> str:
        path = words[2]
        options = words[3:]
        minutes: int | None = None
        for i, word in enumerate(options):
            if word in ("timer", "time") and i + 1 < len(options):
                minutes = int(options[i + 1])
        listing = "list" in options
        if self.engine.read_file(path) is None:
            return f"%Error opening {path} (No such file or directory)\n"

        def proceed(answer: str = "y") -> str:
            if not answer.lower().startswith("y"):
                return ""
            return self.engine.replace(path, minutes, listing, self.username)

        if "force" in options:
            return proceed()
        return self._ask(REPLACE_WARNING, proceed)

    def _x_configure_confirm(self, words: tuple[str, ...]) -> str:
        return self.engine.confirm()

    def _x_configure_revert(self, words: tuple[str, ...]) -> str:
        if words[2] == "now":
            return self.engine.revert_now()
        return self.engine.reset_revert_timer(int(words[-1]))

    # ------------------------------------------------------------------ files

    def _x_write(self, words: tuple[str, ...]) -> str:
        return self.engine.save()

    def _x_write_erase(self, words: tuple[str, ...]) -> str:
        """The next reload starts from the factory configuration (IOS asks first)."""
        def erase(answer: str) -> str:
            if answer and not answer.lower().startswith("y"):
                return ""
            self.engine.erase_startup()
            return "[OK]\nErase of nvram: complete\n"

        if self._quiet():
            return erase("")
        return self._ask("Erasing the nvram filesystem will remove all configuration files! "
                         "Continue? [confirm]", erase)

    def _x_copy_run_start(self, words: tuple[str, ...]) -> str:
        if self._quiet():
            return self.engine.save()
        return self._ask("Destination filename [startup-config]? ", lambda _a: self.engine.save())

    def _copied(self, text: str) -> str:
        size = len(text.encode())
        return f"{size} bytes copied in 0.051 secs ({size * 20} bytes/sec)\n"

    def _x_copy_run_file(self, words: tuple[str, ...]) -> str:
        dest = words[2]
        if not dest.startswith(("bootflash:", "flash:")):
            return f"%Error opening {dest} (Permission denied)\n"
        name = self.engine.file_name(dest)
        body = "\n".join(render_lines(self.engine.running)) + "\n"

        def write(answer: str) -> str:
            self.engine.write_file(answer or name, body)
            return self._copied(body)

        if self._quiet():
            return write("")
        return self._ask(f"Destination filename [{name}]? ", write)

    def _x_copy_start_run(self, words: tuple[str, ...]) -> str:
        return self._ask(
            "Destination filename [running-config]? ", lambda _a: self._merge(self.engine.startup)
        )

    def _merge(self, text: str) -> str:
        """A file copied onto running-config: each line applied as if typed, each refused
        line reported with IOS's own error (NAPALM looks for ``Invalid input detected``)."""
        result = self.engine.load(text, base=self.engine.running, gate=self.line_gate)
        errors = "".join(f"{r.text}\n{r.error}\n" for r in result.report.refused)
        return errors + self._copied(text)

    def _x_copy_file(self, words: tuple[str, ...]) -> str:
        source, dest = words[1], words[2]
        text = self.engine.read_file(source)
        if text is None:
            return f"%Error opening {source} (No such file or directory)\n"
        if dest == "running-config":
            if self._quiet():
                return self._merge(text)
            return self._ask(
                "Destination filename [running-config]? ", lambda _a: self._merge(text)
            )

        def to_startup(_answer: str = "") -> str:
            self.engine.startup = text
            return self._copied(text)

        if self._quiet():
            return to_startup()
        return self._ask("Destination filename [startup-config]? ", to_startup)

    def _x_copy_null(self, words: tuple[str, ...]) -> str:
        """``copy null: <file>``: empty the file (how NAPALM discards a merge candidate)."""
        dest = words[2]
        if files.file_system_of(dest) is None:
            return f"%Error opening {dest} (Permission denied)\n"
        name = self.engine.file_name(dest)

        def empty(answer: str = "") -> str:
            self.engine.write_file(answer or name, "")
            return "0 bytes copied in 0.001 secs\n"

        if self._quiet():
            return empty()
        return self._ask(f"Destination filename [{name}]? ", empty)

    def _x_verify_md5(self, words: tuple[str, ...]) -> str:
        return files.verify_md5(self.engine, words[2])

    def _x_tclsh(self, words: tuple[str, ...]) -> str:
        self.tcl = TclShell(self.engine)
        return ""

    def _x_show_archive_differences(self, words: tuple[str, ...]) -> str:
        old = words[4] if len(words) > 4 else "nvram:startup-config"
        new = words[5] if len(words) > 5 else "system:running-config"
        return files.contextual_diff(self.engine, old, new)

    def _x_show_incremental_diffs(self, words: tuple[str, ...]) -> str:
        return files.incremental_diff(self.engine, words[4])

    def _x_show_rollback_timer(self, words: tuple[str, ...]) -> str:
        return self.engine.rollback_timer()

    def _x_reload(self, words: tuple[str, ...]) -> str:
        def confirm(answer: str) -> str:
            if answer and not answer.lower().startswith("y"):
                return ""
            self.engine.reboot()
            return ""

        def save_first(answer: str) -> str:
            low = answer.lower()
            if low.startswith("y"):
                self.engine.save()
            elif not low.startswith("n"):
                return "% Please answer 'yes' or 'no'.\n"
            return self._ask("Proceed with reload? [confirm]", confirm)

        if self.engine.unsaved():
            return self._ask("System configuration has been modified. Save? [yes/no]: ", save_first)
        return self._ask("Proceed with reload? [confirm]", confirm)

    def _x_archive_config(self, words: tuple[str, ...]) -> str:
        if self.engine.archive_config() is None:
            return "Archive feature not enabled\n"
        return ""

    def _x_dir(self, words: tuple[str, ...]) -> str:
        return files.dir_listing(self.engine, words[1] if len(words) > 1 else None)

    def _x_more(self, words: tuple[str, ...]) -> str:
        text = self.engine.read_file(words[1])
        if text is None:
            return f"%Error opening {words[1]} (No such file or directory)\n"
        return text if text.endswith("\n") else text + "\n"

    def _x_delete(self, words: tuple[str, ...]) -> str:
        name = self.engine.file_name(words[-1])

        def remove(answer: str = "") -> str:
            if answer and not answer.lower().startswith("y"):
                return ""
            if self.engine.bootflash.pop(name, None) is None:
                return f"%Error deleting bootflash:/{name} (No such file or directory)\n"
            return ""

        if "/force" in words or self._quiet():
            return remove()
        return self._ask(
            f"Delete filename [{name}]? ",
            lambda a: self._ask(f"Delete bootflash:/{a or name}? [confirm]", remove),
        )

    # ------------------------------------------------------------------ ping

    def _x_ping(self, words: tuple[str, ...]) -> str:
        if words[1] == "ip":  # the protocol keyword Ansible's ios_ping always sends
            words = words[:1] + words[2:]
        dest = words[1]
        count = int(words[words.index("repeat") + 1]) if "repeat" in words else 5
        size = int(words[words.index("size") + 1]) if "size" in words else 100
        source: str | None = None
        lines = ["Type escape sequence to abort."]
        timeout = words[words.index("timeout") + 1] if "timeout" in words else "2"
        lines.append(
            f"Sending {count}, {size}-byte ICMP Echos to {dest}, timeout is {timeout} seconds:"
        )
        own = {a.split("/")[0] for _, a in self.engine.facts().addresses}
        if "source" in words:
            given = words[words.index("source") + 1]
            if given[0].isdigit():
                if given not in own:
                    return "% Invalid source address- IP address not on any of our up interfaces\n"
                source = given
            else:
                addr = iface_address(self.engine.running, given)
                if addr is None or addr[0] not in own:
                    return "% Invalid source interface - IP not enabled or interface is down\n"
                source = addr[0]
            lines.append(f"Packet sent with a source address of {source} ")
        fabric = self.engine.fabric
        ok = fabric.ping(self.engine.name, dest, source) if fabric else dest in own
        if ok:
            lines.append("!" * count)
            lines.append(
                f"Success rate is 100 percent ({count}/{count}), round-trip min/avg/max = 1/1/2 ms"
            )
        else:
            lines.append("." * count)
            lines.append(f"Success rate is 0 percent (0/{count})")
        return "\n".join(lines) + "\n"
