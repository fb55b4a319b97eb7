"""One console session on an emulated RouterOS router (see base.Session).

A session only owns where the user is (the current menu, shown in the prompt) and a
pending yes/no question; the configuration belongs to the engine, shared by all sessions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydriver.platforms.mikrotik_routeros.engine.factory import BANNER
from pydriver.platforms.mikrotik_routeros.engine.interp import Context
from pydriver.platforms.mikrotik_routeros.engine.lexer import unclosed
from pydriver.platforms.mikrotik_routeros.engine.terminal import LoginOptions, RouterOSTerminal
from pydriver.platforms.mikrotik_routeros.schema import ROUTEROS_VERSION

if TYPE_CHECKING:
    from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine


class RouterOSSession:
    """``[admin@Identity] /ip/address>`` and everything typed at it."""

    def __init__(self, engine: RouterOSEngine, username: str) -> None:
        self.engine = engine
        self.username = username
        self.boot_id = engine.boot_id
        self.ctx = Context(user=username, interactive=True)
        self.pending = ""  # a line continued on the next one (``\`` at the end, open block)
        self.connected = False
        self.address = ""
        self.via = "local"
        self.since = engine.now()

    def attach(self, address: str, via: str = "ssh") -> None:
        """A client logged in from ``address``: listed by ``/user active``, logged."""
        self.connected, self.address, self.via = True, address, via
        self.engine.log_event("system,info,account",
                              f"user {self.username} logged in from {address} via {via}")

    def terminal(self, login: str) -> RouterOSTerminal:
        """How this session draws on the terminal of a client that logged in as ``login``."""
        return RouterOSTerminal(LoginOptions.parse(login))

    def detach(self) -> None:
        if self.connected:
            self.connected = False
            self.engine.log_event("system,info,account",
                                  f"user {self.username} logged out from {self.address} "
                                  f"via {self.via}")

    @property
    def closed(self) -> bool:
        return self.ctx.closed or self.boot_id != self.engine.boot_id

    @property
    def path(self) -> tuple[str, ...]:
        return self.ctx.path

    def banner(self) -> str:
        text = BANNER.format(version=ROUTEROS_VERSION)
        config = self.engine.config
        note = config.setting(("system", "note"), "note") or ""
        if note and config.setting(("system", "note"), "show-at-login") == "yes":
            text += note.rstrip("\n") + "\n\n"
        return text

    def prompt(self) -> str:
        if self.ctx.question is not None:
            return self.ctx.question.prompt
        where = "/" + "/".join(self.ctx.path) if self.ctx.path else ""
        return f"[{self.username}@{self.engine.identity}] {where}> "

    def handle(self, line: str) -> str:
        if self.closed:
            return ""
        question = self.ctx.question
        if question is not None:
            self.ctx.question = None
            return question.answer(line)
        self.ctx.line = 1
        backslash = bool(self.pending) and not self.pending.endswith("\n")
        text = self.pending + (line.lstrip(" \t") if backslash else line)
        trailing = len(text) - len(text.rstrip("\\"))
        if trailing % 2 == 1:  # continued: the backslash and the next line's indent go
            self.pending = text[:-1]
            return ""
        if unclosed(text):  # an open quote or block goes on, its line break kept
            self.pending = text + "\n"
            return ""
        self.pending = ""
        return self.engine.interp.run(text, self.ctx)
