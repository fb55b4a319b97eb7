"""Building the command lines the diff sends: one self-contained line per command.

Every line carries its full menu path (``/ip address add ...``), so a script can stop at
any line, be read back in a plan, or be sent line by line, and each line still means the
same thing. Items are always named by what they are (``[ find comment="pydriver:k" ]``),
never by number: numbers shift as soon as a line before them adds or removes an item.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydriver.platforms.mikrotik_routeros import schema
from pydriver.platforms.mikrotik_routeros.script import OWNER_PREFIX


def quoted(value: str) -> str:
    """``value`` always in double quotes (selectors read better that way)."""
    return f'"{schema.escape(value)}"'


def arg(name: str, value: str) -> str:
    return f"{name}={schema.quote(value)}"


def args(pairs: Iterable[tuple[str, str]]) -> str:
    return " ".join(arg(k, v) for k, v in pairs)


def owned(key: str) -> str:
    """The selector of the item pydriver owns under ``key``."""
    return f"[ find comment={quoted(OWNER_PREFIX + key)} ]"


def where(pairs: Iterable[tuple[str, str]]) -> str:
    """A selector matching every ``name=value`` given."""
    parts = [f"{k}={quoted(v) if k == 'comment' else schema.quote(v)}" for k, v in pairs]
    if len(parts) == 1:
        return f"[ find {parts[0]} ]"
    return "[ find where " + " and ".join(parts) + " ]"


def line(path: tuple[str, ...], verb: str, target: str | None = None,
         pairs: Iterable[tuple[str, str]] = (), tail: str = "") -> str:
    words = ["/" + " ".join(path), verb]
    if target is not None:
        words.append(target)
    rendered = args(pairs)
    if rendered:
        words.append(rendered)
    if tail:
        words.append(tail)
    return " ".join(words)


def unset(path: tuple[str, ...], target: str | None, name: str) -> str:
    """Back to "not set" (a property with no default: an export shows nothing then)."""
    return line(path, "unset", target, tail=f"value-name={name}")
