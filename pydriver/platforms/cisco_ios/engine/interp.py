"""Configuration mode: turns typed (or file) lines into changes of the config tree.

One interpreter serves an interactive ``configure terminal`` session and the loading of a
whole file (startup-config at boot, ``configure replace``, ``copy <file> running-config``),
so a file and a typed session can never disagree about what a line means. Like IOS, a line
that is not valid in the current sub-mode is tried in the enclosing modes and, if it matches
there, leaves the sub-mode.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

from pydriver.platforms.cisco_ios.engine.commands import MODES, ROUTER_AF, Cmd, Words, grammar
from pydriver.platforms.cisco_ios.engine.facts import iface_vrf
from pydriver.platforms.cisco_ios.engine.grammar import (
    VIRTUAL_TYPES,
    Hit,
    MatchResult,
    normalize_iface,
    tokenize,
)
from pydriver.platforms.cisco_ios.engine.secrets import type7_encode, type9_hash
from pydriver.platforms.cisco_ios.engine.tree import Config, Node

INCOMPLETE = "% Incomplete command.\n\n"
_AF_SYNTAXES = frozenset(c.syntax for c in ROUTER_AF.cmds)
_VIRTUAL = VIRTUAL_TYPES
HEX_PROMPT = (
    "Enter the certificate in hexidecimal representation....\n"
    'End with a line saying "quit" by itself\n'
)
_PORT_NAMES = {
    "tcp": {
        "21": "ftp",
        "22": "22",
        "23": "telnet",
        "25": "smtp",
        "49": "tacacs",
        "53": "domain",
        "80": "www",
        "179": "bgp",
        "443": "443",
    },
    "udp": {
        "53": "domain",
        "67": "bootps",
        "68": "bootpc",
        "69": "tftp",
        "123": "ntp",
        "161": "snmp",
        "162": "snmptrap",
        "500": "isakmp",
        "514": "syslog",
        "1812": "1812",
        "1813": "1813",
        "4500": "non500-isakmp",
    },
}
_PROTO_NAMES = {
    "1": "icmp",
    "6": "tcp",
    "17": "udp",
    "47": "gre",
    "50": "esp",
    "51": "ahp",
    "89": "ospf",
}


def interface_range(spec: str) -> list[str]:
    """``Ethernet 0/0 - 3 , Gi1/0/1`` -> the interface names it covers (empty if not one)."""
    names: list[str] = []
    for part in spec.split(","):
        first, dash, last = part.partition("-")
        start = normalize_iface(first.strip())
        if start is None:
            return []
        if not dash:
            names.append(start)
            continue
        head, _, number = start.rpartition("/") if "/" in start else ("", "", "")
        if not number:
            kind = start.rstrip("0123456789")
            head, number = kind, start[len(kind) :]
        end = last.strip()
        if not (number.isdigit() and end.isdigit() and int(number) <= int(end)):
            return []
        sep = "/" if "/" in start else ""
        names += [f"{head}{sep}{i}" for i in range(int(number), int(end) + 1)]
    return names


def _padded(action: str) -> str:
    """IOS prints ``deny`` in an ACL entry padded to the width of ``permit``."""
    return "deny  " if action == "deny" else action


def snmp_host_key(words: Words) -> Words:
    """What identifies ``snmp-server host <ip> [vrf V] [informs|traps] [version V [L]] <c>``."""
    rest = list(tokenize(" ".join(words[3:])))
    texts = [t.text for t in rest]
    key: list[str] = ["snmp-server", "host", words[2]]
    i = 0
    if texts[i : i + 1] == ["vrf"] and len(texts) > i + 1:
        key += ["vrf", texts[i + 1]]
        i += 2
    if texts[i : i + 1] in (["informs"], ["traps"]):
        i += 1
    if texts[i : i + 1] == ["version"]:
        i += 2
        if texts[i - 1 : i] == ["3"] and texts[i : i + 1] in (["auth"], ["noauth"], ["priv"]):
            i += 1
    if i < len(texts):
        key.append(texts[i])
    return tuple(key)


def invalid_input(column: int) -> str:
    """The IOS caret error, ``column`` counted from the start of the prompt."""
    return " " * column + "^\n% Invalid input detected at '^' marker.\n\n"


def ambiguous(line: str) -> str:
    return f'% Ambiguous command:  "{line}"\n'


def error_text(result: MatchResult[Any], line: str, column_base: int) -> str:
    if result.error == "incomplete":
        return INCOMPLETE
    if result.error == "ambiguous":
        return ambiguous(line.strip())
    return invalid_input(column_base + result.column)


@dataclass(slots=True)
class Frame:
    mode: str
    node: Node
    group: tuple[Node, ...] = ()  # ``interface range``: every interface a line applies to


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one configuration line did."""

    output: str = ""
    leave: bool = False  # back to privileged exec (``end``, ``exit`` from global, Ctrl-Z)
    do: str | None = None  # an exec command to run (``do show ...``)
    error: bool = False  # the line was rejected


@dataclass(slots=True)
class _Banner:
    kind: str
    delimiter: str
    parts: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Hex:
    """A certificate being read: hex lines until a line saying ``quit``."""

    node: Node
    lines: list[str] = field(default_factory=list)


class ConfigInterpreter:
    """The configuration-mode parser state of one session (or one file being loaded)."""

    def __init__(self, config: Config, ports: frozenset[str]) -> None:
        self.config = config
        self.ports = ports
        self.stack: list[Frame] = [Frame("config", config.root)]
        self._banner: _Banner | None = None
        self._hex: _Hex | None = None

    @property
    def mode(self) -> str:
        return self.stack[-1].mode

    @property
    def prompt_mode(self) -> str:
        """The mode as IOS names it in the prompt (``router ospf`` is ``config-router``)."""
        return MODES[self.mode].shown

    @property
    def in_banner(self) -> bool:
        """Reading text, not commands: a banner body or a certificate's hex lines."""
        return self._banner is not None or self._hex is not None

    def iface_ok(self, name: str) -> bool:
        """Does ``name`` exist on this chassis (or is it a virtual interface IOS creates)?"""
        base, _, sub = name.partition(".")
        if base.startswith("Null"):
            return base == "Null0" and not sub
        if base.startswith(_VIRTUAL):
            return "/" not in base or base.startswith("Port-channel")
        if base not in self.ports:
            return False
        return not sub or 1 <= int(sub.partition(":")[0]) <= 4294967295

    # ------------------------------------------------------------------ entry point

    def feed(self, raw: str, caret_offset: int = 0) -> Outcome:
        if self._banner is not None:
            return self._banner_line(raw)
        if self._hex is not None:
            return self._hex_line(raw)
        if "\x1a" in raw:
            del self.stack[1:]
            return Outcome(leave=True)
        line = raw.rstrip()
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if not stripped or stripped.startswith("!"):
            return Outcome()
        words = stripped.split()
        first = words[0].lower()
        if first == "end" and len(words) == 1:
            del self.stack[1:]
            return Outcome(leave=True)
        if first == "exit" and len(words) == 1:
            if len(self.stack) == 1:
                return Outcome(leave=True)
            self.stack.pop()
            return Outcome()
        if len(words) == 1:
            for depth in range(len(self.stack) - 1, 0, -1):
                if first in MODES[self.stack[depth].mode].exit_words:
                    del self.stack[depth:]
                    return Outcome()
        if first == "do" and len(words) > 1:
            return Outcome(do=stripped[2:].strip())
        negate = first == "no"
        body = stripped
        offset = indent
        if negate:
            if len(words) == 1:
                return Outcome(INCOMPLETE, error=True)
            rest = stripped[2:]
            body = rest.lstrip()
            offset = indent + 2 + (len(rest) - len(body))
        failures: list[MatchResult[Cmd]] = []
        for depth in range(len(self.stack) - 1, -1, -1):
            result = grammar(self.stack[depth].mode).match(body, self.iface_ok)
            hit = self._choose(result, negate)
            if hit is not None:
                del self.stack[depth + 1 :]
                if self.stack[-1].group and not hit.payload.enter:
                    return self._apply_to_range(hit, negate, caret_offset + offset)
                return self._apply(hit, negate, caret_offset + offset)
            failures.append(self._no_error(result) if negate else result)
        best = failures[0]
        for other in failures[1:]:
            if other.depth > best.depth:
                best = other
        return Outcome(error_text(best, body, caret_offset + offset), error=True)

    def _apply_to_range(self, hit: Hit[Cmd], negate: bool, column: int) -> Outcome:
        """A line typed under ``interface range`` is typed once per interface of the range."""
        frame = self.stack[-1]
        output = ""
        error = False
        for node in frame.group:
            self.stack[-1] = Frame("config-subif" if "." in node.text else "config-if", node)
            done = self._apply(hit, negate, column)
            output, error = output + done.output, error or done.error
        self.stack[-1] = frame
        return Outcome(output, error=error)

    @staticmethod
    def _choose(result: MatchResult[Cmd], negate: bool) -> Hit[Cmd] | None:
        if not negate:
            return result.complete[0] if result.complete else None
        for hit in result.complete:
            if hit.payload.no_syntax_ok:
                return hit
        for hit in result.partial:
            if hit.payload.no_syntax_ok and len(hit.words) >= hit.payload.min_no_words():
                return hit
        return None

    @staticmethod
    def _no_error(result: MatchResult[Cmd]) -> MatchResult[Cmd]:
        if result.partial or result.complete:
            return MatchResult((), (), "incomplete", result.column, result.depth)
        return result

    # ------------------------------------------------------------------ applying

    def _apply(self, hit: Hit[Cmd], negate: bool, column: int) -> Outcome:
        cmd = hit.payload
        words = cmd.canon(hit.words) if cmd.canon else hit.words
        frame = self.stack[-1]
        parent = frame.node
        if frame.mode == "config-router" and cmd.syntax in _AF_SYNTAXES:
            parent = self._af_node(frame.node)
        if cmd.only and not self._iface_allows(parent, cmd.only):
            return Outcome(invalid_input(column), error=True)
        if cmd.action:
            handler = getattr(self, "_act_" + cmd.action.replace("-", "_"))
            done: Outcome | Words = handler(cmd, words, negate, parent, column)
            if isinstance(done, Outcome):
                return done
            words = done
        if negate:
            if cmd.flavor == "raw":
                return self._negate_raw(cmd, words, parent)
            return self._negate(cmd, words, parent)
        return self._set(cmd, words, parent)

    def _set(self, cmd: Cmd, words: Words, parent: Node) -> Outcome:
        text = " ".join(words)
        key = cmd.key_of(words)
        cfg = self.config
        if cmd.flavor == "raw":
            # a positive line replaces its shown ``no`` form (``mop enabled`` after ``no mop``)
            cfg.remove(parent, lambda n: n.key[:1] == ("no",) and n.key[1 : 1 + len(key)] == key)
            if cmd.default is not None and text == cmd.default:
                cfg.remove_key(parent, key)
                return Outcome()
        if cmd.flavor in ("set", "both", "raw"):
            if cmd.enter:
                fresh = parent.find(key) is None
                node = cfg.upsert(parent, key, text, mode=cmd.enter)
                self.stack.append(Frame(cmd.enter, node))
                if fresh:
                    self._initial(cmd.enter, node)
            elif cmd.default and text == cmd.default:
                cfg.remove_key(parent, key)
            else:
                cfg.upsert(parent, key, text)
        elif cmd.flavor == "default_on":
            cfg.remove_key(parent, key)
        elif cmd.flavor == "accumulate":
            existing = parent.find(key)
            values = existing.text.split()[len(key) :] if existing else []
            for value in words[len(key) :]:
                if value not in values:
                    values.append(value)
            cfg.upsert(parent, key, " ".join((*key, *values)))
        elif cfg.hidden.get(key) != text:  # hidden: accepted, never shown
            cfg.hidden[key] = text
            cfg.changed()
        return Outcome()

    def _initial(self, mode: str, node: Node) -> None:
        """Lines IOS puts in a new block by itself (`` mode tunnel`` in a transform-set)."""
        for line in MODES[mode].initial:
            hit = grammar(mode).match(line).complete[0]
            self.config.upsert(node, hit.payload.key_of(hit.words), line)

    def _negate_raw(self, cmd: Cmd, words: Words, parent: Node) -> Outcome:
        """``no`` of a generic line: remove what it names; with nothing to remove, IOS shows
        the ``no`` form (a default turned off: ``no mop enabled``, ``no passive-interface``)."""
        cfg = self.config
        key = cmd.key_of(words)
        expected = (
            len(words) if cmd.key is None else cmd.key if isinstance(cmd.key, int) else len(cmd.key)
        )
        if cmd.key is None:
            removed = cfg.remove_key(parent, words, prefix=True)
        else:
            removed = cfg.remove_key(parent, key, prefix=len(key) < expected)
        if not removed and cmd.enter is None:
            cfg.upsert(parent, ("no", *words), "no " + " ".join(words))
        return Outcome()

    def _negate(self, cmd: Cmd, words: Words, parent: Node) -> Outcome:
        cfg = self.config
        key = cmd.key_of(words)
        expected = (
            len(words) if cmd.key is None else cmd.key if isinstance(cmd.key, int) else len(cmd.key)
        )
        full = len(key) >= expected
        if cmd.flavor in ("default_on", "both"):
            cfg.upsert(parent, key, "no " + " ".join(words))
        elif cmd.flavor == "accumulate":
            existing = parent.find(key)
            drop = set(words[len(key) :])
            if existing is not None:
                left = (
                    [v for v in existing.text.split()[len(key) :] if v not in drop] if drop else []
                )
                if left:
                    cfg.upsert(parent, key, " ".join((*key, *left)))
                else:
                    cfg.remove_key(parent, key)
        elif cmd.flavor == "hidden":
            if cfg.hidden.pop(key, None) is not None:
                cfg.changed()
        elif cmd.key is None:
            cfg.remove_key(parent, words, prefix=True)
        else:
            cfg.remove_key(parent, key, prefix=not full)
        return Outcome()

    # ------------------------------------------------------------------ helpers

    def _af_node(self, router: Node) -> Node:
        key = ("address-family", "ipv4")
        return self.config.upsert(router, key, "address-family ipv4", mode="config-router-af")

    def _router_node(self) -> Node | None:
        for frame in self.stack:
            if frame.mode == "config-router":
                return frame.node
        return None

    def _iface_allows(self, parent: Node, only: str) -> bool:
        if not parent.text.startswith("interface "):
            return False
        name = parent.text.split()[1]
        if only == "tunnel":
            return name.startswith("Tunnel")
        if only == "sub":
            return "." in name
        if only == "phys":  # an Ethernet port, or a bundle of them
            return name in self.ports or name.startswith("Port-channel")
        return not name.startswith(_VIRTUAL)

    def _password_encryption(self) -> bool:
        return self.config.has("service password-encryption")

    def _protect(self, kw: Words, given: Words) -> Words:
        """``key [0|7] S``: type 7 kept, clear text hidden when password encryption is on."""
        if len(given) == 2 and given[0] in ("6", "7"):
            return (*kw, given[0], given[1])
        secret = given[-1]
        if self._password_encryption():
            return (*kw, "7", type7_encode(secret))
        return (*kw, secret)

    # ------------------------------------------------------------------ actions

    def _act_noop(self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int) -> Outcome:
        """Accepted and done at once, nothing kept (``crypto key generate rsa``)."""
        return Outcome()

    def _act_interface_range(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome:
        """``interface range Gi0/0/0 - 2 , Loopback1``: the interfaces the next lines go to."""
        names = interface_range(words[2])
        if not names or not all(self.iface_ok(n) for n in names):
            return Outcome(invalid_input(column + len("interface range ")), error=True)
        root = self.config.root
        nodes = tuple(
            self.config.upsert(
                root,
                ("interface", n),
                f"interface {n}",
                mode="config-subif" if "." in n else "config-if",
            )
            for n in names
        )
        self.stack.append(Frame("config-if-range", nodes[0], nodes))
        return Outcome()

    def _act_interface(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome:
        name = words[1]
        root = self.config.root
        if negate:
            if name in self.ports:
                return Outcome(invalid_input(column), error=True)
            self.config.remove_key(root, ("interface", name))
            self.config.remove(root, lambda n: n.text.startswith(f"interface {name}."))
            return Outcome()
        mode = "config-subif" if "." in name else "config-if"
        node = self.config.upsert(root, ("interface", name), f"interface {name}", mode=mode)
        self.stack.append(Frame(mode, node))
        return Outcome()

    def _act_router_bgp(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome | Words:
        running = self.config.top("router bgp ")
        if running and running[0].text != " ".join(words):
            asn = running[0].text.split()[2]
            return Outcome(f"% BGP is already running; AS is {asn}\n\n", error=True)
        return words

    def _act_neighbor(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome | Words:
        router = self._router_node()
        if router is None:
            return words
        address = words[1]
        if negate:
            if len(words) == 2 or words[2] == "remote-as":
                prefix = ("neighbor", address)
                self.config.remove_key(router, prefix, prefix=True)
                for af in router.children:
                    if af.mode == "config-router-af":
                        self.config.remove_key(af, prefix, prefix=True)
                return Outcome()
            return words
        known = (
            router.find(("neighbor", address, "remote-as"))
            or router.find(("neighbor", address, "peer-group"))
            or parent.find(("neighbor", address, "remote-as"))  # a VRF's own neighbour
            or parent.find(("neighbor", address, "peer-group"))
        )
        if words[2] != "remote-as" and known is None:
            return Outcome("% Specify remote-as or peer-group commands first\n", error=True)
        return words

    def _act_neighbor_password(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome | Words:
        if not negate:
            words = self._protect(words[:3], words[3:])
        return self._act_neighbor(cmd, words, negate, parent, column)

    def _act_type7(self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int) -> Words:
        return words if negate else self._protect(words[:1], words[1:])

    def _act_psk(self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int) -> Words:
        return words

    def _act_secret(self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int) -> Words:
        if negate:
            return words
        for i, word in enumerate(words):
            if word in ("secret", "password") and i + 1 < len(words):
                head, given = words[:i], words[i + 1 :]
                break
        else:
            return words
        typ, value = (given[0], given[1]) if len(given) == 2 else ("0", given[0])
        if word == "secret":
            if typ in ("5", "8", "9"):
                return (*head, "secret", typ, value)
            return (*head, "secret", "9", type9_hash(value))
        if typ == "7":
            return (*head, "password", "7", value)
        if self._password_encryption():
            return (*head, "password", "7", type7_encode(value))
        return (*head, "password", "0", value)

    def _act_password_encryption(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Words:
        if negate:
            return words
        self.config.upsert(
            self.config.root, ("service", "password-encryption"), "service password-encryption"
        )
        for node in self.config.root.walk():
            self._encrypt_line(node)
        for node in self.config.root.children:
            self._encrypt_line(node)
        return words

    def _encrypt_line(self, node: Node) -> None:
        text = node.text
        patterns = (
            r"^(key) (?!7 )(\S+)$",
            r"^(neighbor \S+ password) (?!7 )(\S+)$",
            r"^(password) 0 (\S+)$",
            r"^(password) (?!7 )(\S+)$",
            r"^(username \S+ (?:privilege \d+ )?password) 0 (\S+)$",
        )
        for pattern in patterns:
            m = re.match(pattern, text)
            if m:
                self.config.set_text(node, f"{m.group(1)} 7 {type7_encode(m.group(2))}")
                return

    def _act_ip_address(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome | Words:
        if negate:
            return words
        address, mask = words[2], words[3]
        iface = ipaddress.IPv4Interface(f"{address}/{mask}")
        net = iface.network
        if net.prefixlen < 31 and iface.ip in (net.network_address, net.broadcast_address):
            return Outcome(f"Bad mask /{net.prefixlen} for address {address}\n", error=True)
        name = parent.text.split()[1]
        if "." in name and not any(c.text.startswith("encapsulation ") for c in parent.children):
            return Outcome(
                "% Configuring IP routing on a LAN subinterface is only allowed if that\n"
                "subinterface is already configured as part of an IEEE 802.10, IEEE 802.1Q,\n"
                "or ISL vLAN.\n\n",
                error=True,
            )
        vrf = iface_vrf(parent)
        for other in self.config.interfaces():
            if other is parent or iface_vrf(other) != vrf:
                continue  # each VRF is its own address space
            for child in other.children:
                parts = child.text.split()
                if parts[:2] == ["ip", "address"] and len(parts) >= 4 and parts[2][0].isdigit():
                    theirs = ipaddress.IPv4Interface(f"{parts[2]}/{parts[3]}").network
                    if theirs.overlaps(net):
                        return Outcome(
                            f"% {net.network_address} overlaps with {other.text.split()[1]}\n",
                            error=True,
                        )
        return words

    def _act_ip_route(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome | Words:
        if negate:
            return words
        at = 4 if words[2] == "vrf" else 2
        prefix = int(ipaddress.IPv4Address(words[at]))
        mask = int(ipaddress.IPv4Address(words[at + 1]))
        if prefix & ~mask & 0xFFFFFFFF:
            return Outcome("%Inconsistent address and mask\n", error=True)
        return words

    def _act_prefix_list(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome | Words:
        name = words[2]
        has_seq = len(words) > 4 and words[3] == "seq"
        entries = self.config.top(f"ip prefix-list {name} seq ")
        if negate:
            if has_seq or len(words) == 3:
                return words
            body = " ".join(words[3:])
            self.config.remove(
                self.config.root, lambda n: n in entries and " ".join(n.text.split()[5:]) == body
            )
            return Outcome()
        rest = words[5:] if has_seq else words[3:]
        prefix = ipaddress.IPv4Network(rest[1])
        ge = int(rest[rest.index("ge") + 1]) if "ge" in rest else None
        le = int(rest[rest.index("le") + 1]) if "le" in rest else None
        if (ge is not None and ge <= prefix.prefixlen) or (
            le is not None and (le < prefix.prefixlen or (ge is not None and le < ge))
        ):
            return Outcome(
                f"% Invalid prefix range for {prefix}, make sure: len < ge-value <= le-value\n",
                error=True,
            )
        body = " ".join(rest)
        for entry in entries:
            if " ".join(entry.text.split()[5:]) == body:
                return Outcome()  # IOS keeps one copy of an identical entry
        if has_seq:
            return words
        seqs = [int(n.text.split()[4]) for n in entries]
        seq = (max(seqs) // 5 + 1) * 5 if seqs else 5
        return ("ip", "prefix-list", name, "seq", str(seq), *rest)

    def _acl_entries(self, parent: Node) -> list[Node]:
        return [c for c in parent.children if c.key and c.key[0] != "remark"]

    def _next_seq(self, parent: Node) -> int:
        seqs = [int(c.key[0]) for c in self._acl_entries(parent)]
        return max(seqs) + 10 if seqs else 10

    def _acl_add(self, parent: Node, words: Words, body: str, negate: bool) -> Outcome:
        seq = int(words[0]) if words[0].isdigit() else None
        entries = self._acl_entries(parent)
        if negate:
            if seq is not None:
                self.config.remove_key(parent, (str(seq),))
            else:
                self.config.remove(
                    parent, lambda n: n in entries and n.text.split(" ", 1)[1] == body
                )
            return Outcome()
        for entry in entries:
            if entry.text.split(" ", 1)[1] == body:
                return Outcome()
        if seq is None:
            seq = self._next_seq(parent)
        elif parent.find((str(seq),)) is not None:
            return Outcome("% Duplicate sequence number\n", error=True)
        self.config.upsert(parent, (str(seq),), f"{seq} {body}")
        return Outcome()

    def _act_acl_std(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome:
        rest = list(words[1:] if words[0].isdigit() else words)
        action = rest.pop(0)
        log = bool(rest) and rest[-1] == "log"
        if log:
            rest.pop()
        if rest[0] == "any":
            addr = "any"
        elif rest[0] == "host":
            addr = rest[1]
        elif len(rest) == 1 or rest[1] == "0.0.0.0":
            addr = rest[0]
        else:
            wild = int(ipaddress.IPv4Address(rest[1]))
            base = int(ipaddress.IPv4Address(rest[0])) & ~wild & 0xFFFFFFFF
            addr = f"{ipaddress.IPv4Address(base)} {rest[1]}"
        body = f"{action:<6} {addr}" + (" log" if log else "")
        return self._acl_add(parent, words, body, negate)

    def _act_acl_ext(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome:
        rest = list(words[1:] if words[0].isdigit() else words)
        action, proto = rest[0], _PROTO_NAMES.get(rest[1], rest[1])
        out = [_padded(action), proto]
        i = 2
        ports = _PORT_NAMES.get(proto, {})
        while i < len(rest):
            word = rest[i]
            if word == "any":
                out.append("any")
                i += 1
            elif word == "host":
                out += ["host", rest[i + 1]]
                i += 2
            elif re.match(r"^\d+\.\d+\.\d+\.\d+$", word):
                wild = rest[i + 1]
                if wild == "0.0.0.0":
                    out += ["host", word]
                elif wild == "255.255.255.255":
                    out.append("any")
                else:
                    base = (
                        int(ipaddress.IPv4Address(word))
                        & ~int(ipaddress.IPv4Address(wild))
                        & 0xFFFFFFFF
                    )
                    out += [str(ipaddress.IPv4Address(base)), wild]
                i += 2
            elif word in ("eq", "neq", "gt", "lt"):
                out += [word, ports.get(rest[i + 1], rest[i + 1])]
                i += 2
            elif word == "range":
                out += [
                    word,
                    ports.get(rest[i + 1], rest[i + 1]),
                    ports.get(rest[i + 2], rest[i + 2]),
                ]
                i += 3
            else:
                out.append(word)
                i += 1
        return self._acl_add(parent, words, " ".join(out), negate)

    def _act_acl_remark(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome:
        text = " ".join(words)
        if negate:
            self.config.remove(parent, lambda n: n.key[:1] == ("remark",) and n.text == text)
            return Outcome()
        seq = str(self._next_seq(parent))
        self.config.upsert(parent, ("remark", seq, text), text)
        return Outcome()

    def _act_acl_seq_only(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome:
        if not negate:
            return Outcome(INCOMPLETE, error=True)
        self.config.remove_key(parent, (words[0],))
        return Outcome()

    def _act_banner(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome | Words:
        if negate:
            return words
        kind, rest = words[1], words[2]
        if rest.startswith("^C"):
            delimiter, shown = "^C", "^C"
        elif rest.startswith("\x03"):
            delimiter, shown = "\x03", "^C"
        else:
            delimiter, shown = rest[0], rest[0]
        after = rest[len(delimiter) :]
        if delimiter in after:
            self._store_banner(kind, after[: after.index(delimiter)])
            return Outcome()
        self._banner = _Banner(kind, delimiter, [after])
        return Outcome(f"Enter TEXT message.  End with the character '{shown}'.\n")

    def _banner_line(self, raw: str) -> Outcome:
        banner = self._banner
        assert banner is not None
        line = raw.rstrip("\r\n")
        if banner.delimiter in line:
            banner.parts.append(line[: line.index(banner.delimiter)])
            self._banner = None
            self._store_banner(banner.kind, "\n".join(banner.parts))
        else:
            banner.parts.append(line)
        return Outcome()

    def _store_banner(self, kind: str, text: str) -> None:
        self.config.upsert(self.config.root, ("banner", kind), f"banner {kind}", body=text)

    def _act_certificate(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome | Words:
        """``certificate [ca|self-signed] <serial>``: the hex lines that follow, up to ``quit``,
        are the certificate itself (IOS's one multi-line configuration command besides banners)."""
        if negate:
            return words
        node = self.config.upsert(parent, words, " ".join(words), mode="cert-hex", body="")
        self._hex = _Hex(node)
        return Outcome(HEX_PROMPT)

    def _hex_line(self, raw: str) -> Outcome:
        hexdata = self._hex
        assert hexdata is not None
        text = raw.strip()
        if text.lower() == "quit":
            self._hex = None
            self.config.set_body(hexdata.node, "\n".join(hexdata.lines))
            return Outcome()
        if text:
            if not re.fullmatch(r"[0-9A-Fa-f ]+", text):
                return Outcome(invalid_input(len(raw) - len(raw.lstrip())), error=True)
            hexdata.lines.append(" ".join(text.split()).upper())
        return Outcome()

    def _act_numbered_acl(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome | Words:
        """``access-list N permit|deny ...``: kept as typed, ``deny`` padded as IOS prints it."""
        if len(words) < 3:
            return words  # ``no access-list N``: the whole list
        rest = " ".join(words[3].split()) if len(words) > 3 else ""
        return (words[0], words[1], _padded(words[2]), *((rest,) if rest else ()))

    def _act_enable_password(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Words:
        return words if negate else self._protect(words[:2], words[2:])

    def _act_snmp_host(
        self, cmd: Cmd, words: Words, negate: bool, parent: Node, column: int
    ) -> Outcome:
        """A trap receiver is one line per (address, vrf, community or user): a second
        community to the same host is a second line, the same one again replaces it."""
        key = snmp_host_key(words)
        if negate:
            self.config.remove(parent, lambda n: n.key[:3] == key[:3] and n.key[: len(key)] == key)
            return Outcome()
        self.config.upsert(parent, key, " ".join(words))
        return Outcome()
