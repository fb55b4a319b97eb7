"""IOS type 7: ``service password-encryption``'s reversible obfuscation, decoded.

A type-7 string is a decimal salt index and the clear text XORed with a fixed key, so it
hides nothing from anyone who reads it and changes whenever the secret is entered again.
Decoding it is what lets a known secret be recognised (and replaced by its placeholder)
and an unknown one be hidden by a digest of the secret itself, not of one of its encodings.
"""

from __future__ import annotations

import re

from netutils.password import decrypt_type7

# ``<keyword> 7 <hex>`` at the end of a line, for every keyword IOS prints a type-7 value
# after; and NTP's form, which puts the 7 last.
_TRAILING = re.compile(
    r"(?P<head>(?:^|\s)(?:password|key|key-string|server-key|authentication-key"
    r"|pre-shared-key(?: local| remote)?|md5|sha1|ascii)) 7 (?P<hex>\S+)(?P<tail>\s*)$")
_NTP = re.compile(r"^(?P<head>\s*(?:no )?ntp authentication-key \d+ md5) (?P<hex>\S+) 7"
                  r"(?P<tail>\s*)$")
_SHAPE = re.compile(r"(?:[0-4]\d|5[0-2])(?:[0-9A-Fa-f]{2})+")


def decode(encoded: str) -> str | None:
    """The clear text of ``encoded``, or None when it is not a type-7 string."""
    if not _SHAPE.fullmatch(encoded):
        return None
    try:
        clear = decrypt_type7(encoded)
    except Exception:  # netutils raises several types on malformed input
        return None
    if not clear or not clear.isprintable() or clear != clear.strip():
        return None  # IOS never stores such a value: not type 7 after all
    return str(clear)


def _decoded(m: re.Match[str]) -> str:
    clear = decode(m["hex"])
    return m.group(0) if clear is None else f"{m['head']} {clear}{m['tail']}"


def reveal_type7(text: str) -> str:
    """``text`` with every type-7 value replaced by its clear text (the ``7`` dropped, as
    IOS takes an unmarked value as clear text)."""
    out = []
    for line in text.split("\n"):
        line = _NTP.sub(_decoded, line)
        out.append(_TRAILING.sub(_decoded, line))
    return "\n".join(out)
