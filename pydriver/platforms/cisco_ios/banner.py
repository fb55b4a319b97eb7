"""IOS banners: delimiter mode in, ``^C`` out, and kept away from line-based parsers.

IOS reads ``banner login D`` and then takes every character up to the next ``D`` as the
text, newlines included; ``show running-config`` always shows the delimiter as ``^C``. So
the delimiter pydriver sends is one character the text does not contain (never ``^C``
typed out: IOS takes its ``^`` alone as the delimiter), and a banner read back is compared
in the ``^C`` form.

hier_config must never see a banner's text as lines: it ends a banner at any line that
starts with ``^`` or reads ``!``, ``%`` or ``EOF``, and would take the lines after it for
configuration commands. The driver folds each banner into one opaque line
(``pydriver-banner <kind> <hex>``) before hier_config parses, and unfolds the result.
"""

from __future__ import annotations

import re

SHOWN = "^C"  # how IOS shows any delimiter in running-config
#: delimiters tried in turn: the first that does not occur in the text is used
DELIMITERS = "^#%&~@|*+=$!/\\;:,.'\"-_<>()[]{}`"
FOLDED = "pydriver-banner"
_START = re.compile(r"^banner (\S+) ?(.*)$")


def delimiter(text: str) -> str:
    """A delimiter character that does not occur in ``text``."""
    for ch in DELIMITERS:
        if ch not in text:
            return ch
    raise ValueError("the banner uses every character IOS could take as its delimiter")


def safe_text(line: str) -> str:
    """One banner line as IOS can hold it: ``^C`` is how IOS shows the delimiter, so a
    text holding it could not be read back; it is written ``^ C``."""
    return line.replace(SHOWN, "^ C")


def _split_first(rest: str) -> tuple[str, str]:
    """(delimiter, text after it) of a ``banner <kind>`` line's remainder."""
    if rest.startswith(SHOWN):
        return SHOWN, rest[len(SHOWN):]
    if rest.startswith("\x03"):
        return "\x03", rest[1:]
    return rest[:1], rest[1:]


def blocks(lines: list[str]) -> list[tuple[str, str] | str]:
    """``lines`` with each banner collapsed to ``(kind, text)``; other lines as they are.

    The text is what IOS stores: from just after the opening delimiter to just before the
    closing one (newlines included), read exactly as the router reads it."""
    out: list[tuple[str, str] | str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        m = _START.match(line)
        if m is None or not m[2]:
            out.append(line)
            continue
        delim, after = _split_first(m[2])
        if delim in after:
            out.append((m[1], after[: after.index(delim)]))
            continue
        parts = [after]
        while i < len(lines):
            nxt = lines[i]
            i += 1
            if delim in nxt:
                parts.append(nxt[: nxt.index(delim)])
                break
            parts.append(nxt)
        out.append((m[1], "\n".join(parts)))
    return out


def shown(kind: str, text: str) -> list[str]:
    """The lines ``show running-config`` prints for a banner."""
    return f"banner {kind} {SHOWN}{text}{SHOWN}".split("\n")


def command(kind: str, text: str) -> str:
    """The banner as a command to send: delimiter mode, with a delimiter not in the text."""
    d = delimiter(text)
    return f"banner {kind} {d}{text}{d}"


def fold(text: str) -> str:
    """Each banner as one opaque line hier_config keeps as it is."""
    out: list[str] = []
    for item in blocks(text.split("\n")):
        if isinstance(item, tuple):
            out.append(f"{FOLDED} {item[0]} {item[1].encode().hex() or '-'}")
        else:
            out.append(item)
    return "\n".join(out)


def _unfolded(line: str, to_command: bool) -> str:
    negate = line.startswith("no ")
    body = line[3:] if negate else line
    if not body.startswith(FOLDED + " "):
        return line
    _, kind, data = body.split(" ", 2)
    if negate:
        return f"no banner {kind}"
    text = "" if data == "-" else bytes.fromhex(data).decode()
    return command(kind, text) if to_command else "\n".join(shown(kind, text))


def unfold_commands(commands: tuple[str, ...]) -> tuple[str, ...]:
    """hier_config's output back to commands IOS takes (a banner is one multi-line command;
    ``no banner <kind>`` takes no text)."""
    return tuple(_unfolded(c, to_command=True) for c in commands)


def unfold_config(lines: list[str]) -> list[str]:
    """hier_config's output back to running-config form."""
    return [_unfolded(line, to_command=False) for line in lines]


def canonical(lines: list[str]) -> list[str]:
    """Every banner in the form IOS shows it (``^C`` delimiters)."""
    out: list[str] = []
    for item in blocks(lines):
        out.extend(shown(*item) if isinstance(item, tuple) else [item])
    return out
