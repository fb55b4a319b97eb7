"""Jinja filters for the linux_frr templates: strongSwan's spelling of proposals, and how
each file's own language takes a value.

Four languages, four rules: vtysh (frr.conf) reads a line at a time and has no quoting,
so a description is made one line and a name must be one word; the tc script is shell,
so a value is one shell word (``shlex.quote``); nftables strings are double-quoted with no
escape for ``"``, so a value holding one is refused; swanctl section names are bare words
and its strings are double-quoted with backslash escapes.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from typing import Any

from pydriver.render.filters import LINE_BREAKING

SWAN_ENC = {"aes-256-gcm": "aes256gcm16", "aes-128-gcm": "aes128gcm16",
            "aes-256-cbc": "aes256", "aes-128-cbc": "aes128"}
SWAN_DH = {14: "modp2048", 15: "modp3072", 16: "modp4096", 17: "modp6144", 18: "modp8192",
           19: "ecp256", 20: "ecp384", 21: "ecp521"}
#: what strongSwan's settings lexer reads as one bare name (outside quotes)
_SWAN_NAME = re.compile(r'[^#{}="\s\\]+')


def swan_ike(profile: Any) -> str:
    """strongSwan IKE proposal: every cipher x integrity x group in one proposal."""
    enc = [SWAN_ENC[a] for a in profile.ike_encryption]
    integ = list(profile.ike_integrity)
    prf = [f"prf{a}" for a in profile.ike_integrity]
    dh = [SWAN_DH[g] for g in profile.dh_groups]
    return "-".join([*enc, *integ, *prf, *dh])


def swan_esp(profile: Any) -> str:
    """strongSwan ESP proposals, GCM and CBC kept apart, each with the PFS groups."""
    dh = [SWAN_DH[g] for g in profile.dh_groups] if profile.pfs else []
    out = []
    gcm = [SWAN_ENC[a] for a in profile.esp_encryption if a.endswith("-gcm")]
    cbc = [SWAN_ENC[a] for a in profile.esp_encryption if a.endswith("-cbc")]
    if gcm:
        out.append("-".join([*gcm, *dh]))
    if cbc:
        out.append("-".join([*cbc, *profile.esp_integrity, *dh]))
    return ",".join(out)


def swan_name(value: object) -> str:
    """A swanctl section name (a connection, a child, a secret): one bare word."""
    text = str(value)
    if not _SWAN_NAME.fullmatch(text):
        raise ValueError(f"{text!r} cannot name a swanctl section (no white space, quotes, "
                         "'#', '{', '}', '=' or '\\')")
    return text


def swan_string(value: object) -> str:
    """A swanctl value as a double-quoted string (backslash escapes, as its lexer reads)."""
    text = str(value)
    if LINE_BREAKING.search(text):
        raise ValueError(f"{text!r}: a swanctl value holds no control characters")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def frr_line(value: object, limit: int | None = None) -> str:
    """Free text vtysh takes as the rest of the line: one line, white space collapsed (as
    the plan's diff reads it), cut to ``limit`` characters where FRR has one; ``-`` when
    nothing is left."""
    text = " ".join(LINE_BREAKING.sub(" ", str(value)).split())
    text = text[:limit].rstrip() if limit is not None else text
    return text or "-"  # the command needs its text: a line left without it is refused


def frr_word(value: object) -> str:
    """A value vtysh takes as one word (a host or interface name): refused unless it is."""
    text = str(value)
    if not text or text.split() != [text] or LINE_BREAKING.search(text):
        raise ValueError(f"{text!r} cannot be written in frr.conf: it must be one word")
    return text


def sh(value: object) -> str:
    """One shell word, whatever the value holds (``shlex.quote``)."""
    return shlex.quote(str(value))


def nft_string(value: object) -> str:
    """An nftables double-quoted string (an interface name): nft has no escape for ``"``,
    so a value holding one, or a control character, is refused."""
    text = str(value)
    if '"' in text or LINE_BREAKING.search(text) or not text:
        raise ValueError(f"{text!r} cannot be an nftables string (no '\"' or control "
                         "characters)")
    return f'"{text}"'


FILTERS: dict[str, Callable[..., Any]] = {
    "swan_ike": swan_ike,
    "swan_esp": swan_esp,
    "swan_name": swan_name,
    "swan_string": swan_string,
    "frr_line": frr_line,
    "frr_word": frr_word,
    "sh": sh,
    "nft_string": nft_string,
}
