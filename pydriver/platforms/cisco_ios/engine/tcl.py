"""``tclsh`` as file transfers use it: ``puts [open "<file>" w+] {<text>}`` then ``tclquit``.

Netmiko's inline transfer (and NAPALM with ``inline_transfer``) writes a file this way when
SCP is not available: it sends the text with carriage returns, which the terminal delivers as
separate lines, so a ``{`` opens a body that runs until a line ending in ``}``. Tcl's
``puts`` adds a newline at the end, which is why the MD5 Netmiko expects includes one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydriver.platforms.cisco_ios.engine.engine import IOSEngine

_PUTS = re.compile(r'^puts \[open "([^"]+)" (w\+?|a\+?)\] \{(.*)$')


@dataclass
class TclShell:
    """One ``tclsh`` session: a file body being collected, if any."""

    engine: IOSEngine
    _path: str | None = None
    _append: bool = False
    _parts: list[str] = field(default_factory=list)

    @property
    def continuing(self) -> bool:
        """Inside ``{ ... }``: Tcl prompts ``+>`` until the brace closes."""
        return self._path is not None

    def handle(self, line: str) -> tuple[str, bool] | None:
        """Output for ``line`` and whether the shell is still open; None when the line is
        not Tcl's, for IOS to run as an exec command (as tclsh passes it on)."""
        if self._path is not None:
            self._collect(line)
            return "", True
        text = line.strip()
        if text in ("tclquit", "exit"):
            return "", False
        if not text:
            return "", True
        found = _PUTS.match(text)
        if found is None:
            return None
        self._path, self._append = found.group(1), found.group(2).startswith("a")
        self._parts = []
        self._collect(found.group(3))
        return "", True

    def _collect(self, line: str) -> None:
        if line.endswith("}"):
            self._parts.append(line[:-1])
            self._write()
        else:
            self._parts.append(line)

    def _write(self) -> None:
        path = self._path
        assert path is not None
        body = "\n".join(self._parts) + "\n"
        if self._append:
            body = (self.engine.read_file(path) or "") + body
        self.engine.write_file(path, body)
        self._path = None
        self._parts = []
