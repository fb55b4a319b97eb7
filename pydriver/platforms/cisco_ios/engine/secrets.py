"""Password encodings IOS shows in running-config: type 7 (reversible) and type 9 (scrypt).

The emulator derives the salt from the clear text instead of drawing it at random, so the
same secret always renders the same line. That keeps ``show running-config`` byte-stable
across pushes and lets the plan stage recognise an unchanged secret by hashing the clear
text it already has (``type9_hash(clear) == stored``) rather than seeing a diff every run.
Both encodings are the real algorithms, so tools that decode type 7 or verify type 9 (for
example netutils) agree with what the emulator prints.
"""

from __future__ import annotations

import base64
import hashlib

_XLAT = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"
_STD_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_CISCO_B64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_TO_CISCO = str.maketrans(_STD_B64, _CISCO_B64)


def type7_encode(clear: str) -> str:
    """The ``7 <hex>`` form of ``clear`` with a salt index derived from the text itself."""
    salt = hashlib.sha256(clear.encode()).digest()[0] % 16
    out = [f"{salt:02d}"]
    for i, ch in enumerate(clear):
        out.append(f"{ord(ch) ^ ord(_XLAT[(salt + i) % len(_XLAT)]):02X}")
    return "".join(out)


def type7_decode(encoded: str) -> str:
    """Recover the clear text of a type 7 string (what ``service password-encryption`` hides)."""
    salt = int(encoded[:2])
    data = encoded[2:]
    chars = []
    for i in range(0, len(data), 2):
        chars.append(chr(int(data[i : i + 2], 16) ^ ord(_XLAT[(salt + i // 2) % len(_XLAT)])))
    return "".join(chars)


def is_type7(text: str) -> bool:
    """True when ``text`` is shaped like a type 7 string (decimal salt then hex pairs)."""
    if len(text) < 4 or len(text) % 2 or not text[:2].isdigit() or int(text[:2]) > 52:
        return False
    return all(c in "0123456789ABCDEFabcdef" for c in text[2:])


def _cisco_b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=").translate(_TO_CISCO)


def type9_hash(clear: str, salt: str | None = None) -> str:
    """The ``$9$salt$hash`` scrypt string IOS stores for ``secret`` (N=16384, r=1, p=1)."""
    if salt is None:
        salt = _cisco_b64(hashlib.sha256(b"ios-type9-salt:" + clear.encode()).digest())[:14]
    key = hashlib.scrypt(clear.encode(), salt=salt.encode(), n=16384, r=1, p=1, dklen=32)
    return f"$9${salt}${_cisco_b64(key)}"


def type9_verify(clear: str, stored: str) -> bool:
    """Does ``clear`` hash to ``stored`` (a ``$9$`` string as shown in running-config)?"""
    parts = stored.split("$")
    if len(parts) != 4 or parts[1] != "9":
        return False
    return type9_hash(clear, parts[2]) == stored
