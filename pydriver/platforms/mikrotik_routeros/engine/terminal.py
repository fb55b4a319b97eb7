"""How a RouterOS console draws itself, per the options a client appends to its login name.

RouterOS reads terminal options from the login name (``admin+ct511w4098h``; see
"Console login options" in the RouterOS manual): ``c`` turns colours off, ``t`` turns
terminal auto-detection off, ``e`` turns on the "dumb" mode, ``<n>w``/``<n>h`` set the width
and height. Without ``t`` the router first asks the terminal to identify itself
(``ESC Z``) and waits for the answer; without ``c`` the prompt is coloured. Its line editor
always repaints: on Enter the line is drawn again after a carriage return, prompt and all,
and the prompt after a command's output is drawn twice, the second time after a carriage
return (with a cursor move first unless the terminal is dumb). Clients know this: Netmiko
strips the repainted echo and the doubled prompt, scrapli's RouterOS driver waits for two
prompts on one line. A client that forgets its options meets the escape codes and the
detection delay, as it would on a router.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPTION = re.compile(r"(\d*)([a-z])")
_COLOUR = "\x1b[1;36m"  # the prompt's colour when colours are on
_RESET = "\x1b[m"
_CURSOR_DOWN = "\x1b[9999B"


@dataclass(frozen=True, slots=True)
class LoginOptions:
    """The options of a login name; defaults are RouterOS's (everything on, sizes auto)."""

    colours: bool = True
    detect: bool = True
    dumb: bool = False
    width: int | None = None
    height: int | None = None

    @classmethod
    def parse(cls, login: str) -> LoginOptions:
        _, plus, options = login.partition("+")
        if not plus:
            return cls()
        found: dict[str, str] = {}
        for number, letter in _OPTION.findall(options):
            found[letter] = number
        return cls(
            colours="c" not in found,
            detect="t" not in found,
            dumb="e" in found,
            width=int(found["w"]) if found.get("w") else None,
            height=int(found["h"]) if found.get("h") else None,
        )


class RouterOSTerminal:
    """The byte-level drawing of one RouterOS console session (see the module docstring)."""

    #: How long the router waits for the terminal to answer its identification request.
    probe_wait = 1.0

    def __init__(self, options: LoginOptions) -> None:
        self.options = options
        self.dumb = options.dumb

    @property
    def probe(self) -> str:
        return "\x1bZ" if self.options.detect else ""

    def probe_answered(self, answered: bool) -> None:
        """A terminal that never answers is driven as a dumb one from then on."""
        if not answered:
            self.dumb = True

    def prompt(self, plain: str) -> str:
        if not self.options.colours or not plain.startswith("["):
            return plain
        head, _, tail = plain.partition("]")
        return f"{_COLOUR}{head}]{_RESET}{tail}"

    def enter(self, prompt: str, line: str) -> str:
        """What the router writes when Enter ends ``line`` (see the module docstring)."""
        return "\r\n"

    def after(self, prompt: str) -> str:
        """The prompt after a command: drawn, then drawn again over itself."""
        move = "" if self.dumb else _CURSOR_DOWN
        shown = self.prompt(prompt)
        return f"{shown}\r{move}{shown}"
