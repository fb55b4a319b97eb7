"""Shared by the per-platform scrub tests: a secret-bearing line as a router prints it, and
the value strategies that say what a secret may hold in that position.

A :class:`Sample` is a line with ``{v}`` where the router prints the secret and the same
line as it must come out of the scrubber, with ``{r}`` where the stand-in goes. How the
secret is printed (RouterOS quoting, IOS type 7, strongSwan quoting) is the sample's kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

from pydriver.errors import PydriverError
from pydriver.platforms.cisco_ios.engine.secrets import type7_encode
from pydriver.platforms.mikrotik_routeros.schema import quote
from pydriver.platforms.registry import driver
from pydriver.platforms.scrub import MARKED, SecretForm, redact, scrub
from pydriver.sot.models import Platform

# characters secrets are made of: printable text of any script, and the ones that trip
# parsers: quotes, spaces, backslashes, '=', '@@', '$', brackets, '#', ';'
_SPECIAL = st.sampled_from(['"', "'", " ", "\\", "=", "@@", "$", "[", "]", "{", "}", "#",
                            ";", "?", "7 ", "key ", "secret=", "@@secret:", "\t"])
_PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
_ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E)


def _text(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(alphabet, min_size=1, max_size=24).map("".join)


def _plain(v: str) -> bool:
    """Not one of the engine's own stand-ins, and not led by an IOS-style type digit."""
    return not MARKED.fullmatch(v) and not re.match(r"\d\s", v) and "\n" not in v


def _line(v: str) -> bool:
    return _plain(v) and v == v.strip() and "\r" not in v and "\t" not in v


def _word(v: str) -> bool:
    return _plain(v) and not any(c.isspace() for c in v)


@dataclass(frozen=True)
class Kind:
    """How a secret is printed in a sample, and what values it may hold there."""

    name: str
    values: st.SearchStrategy[str]
    show: Callable[[str], str]  # the secret as printed
    quoted: Callable[[str], bool] = lambda _v: False  # is the stand-in printed quoted?
    decoded: bool = False  # the scrubber decodes what is printed (type 7) before matching


def _embedded(platform: str, value: str) -> str | None:
    """How pydriver writes ``value`` into a config of ``platform`` (None: it cannot)."""
    try:
        return driver(platform).embed_secret(value)
    except PydriverError:
        return None


def _swan(v: str) -> str:
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


# A secret printed the way pydriver itself writes one (the platform's embed_secret) stands
# behind a bare stand-in, as the placeholder stands bare in a rendered file; one quoted
# some other way keeps its quotes around the stand-in.
# RouterOS: anything, printed the way the console prints it (bare or quoted, escaped)
ROS = Kind("routeros", _text(st.one_of(_SPECIAL, _PRINTABLE, st.just("\n"))).filter(
    lambda v: not MARKED.fullmatch(v)), quote,
    lambda v: quote(v).startswith('"') and _embedded("mikrotik_routeros", v) != quote(v))
# IOS/FRR LINE: the rest of the line, inner spaces allowed
LINE = Kind("line", _text(st.one_of(_SPECIAL, _PRINTABLE)).filter(
    lambda v: _line(v) and v[0] not in "\"'"), str)
# a single word (other words may follow it)
WORD = Kind("word", _text(st.one_of(_SPECIAL, _PRINTABLE)).filter(
    lambda v: _word(v) and v[0] not in "\"'"), str)
# IOS type 7: printable ASCII (inner spaces allowed) shown as its type-7 encoding
T7 = Kind("type7", _text(_ASCII).filter(_line), type7_encode, decoded=True)
T7WORD = Kind("type7-word", _text(_ASCII).filter(_word), type7_encode, decoded=True)
# strongSwan: a quoted string with escapes, or a bare value to the end of the line
SWAN_QUOTED = Kind("swan-quoted", _text(st.one_of(_SPECIAL, _PRINTABLE)).filter(_plain),
                   _swan, lambda v: _embedded("linux_frr", v) != _swan(v))
SWAN_BARE = Kind("swan-bare", LINE.values, str)
# ipsec.secrets: double quotes, no escapes
IPSEC_QUOTED = Kind("ipsec-quoted", _text(st.one_of(_SPECIAL, _PRINTABLE)).filter(
    lambda v: _plain(v) and '"' not in v and "\\" not in v), lambda v: f'"{v}"',
    lambda v: _embedded("linux_frr", v) != f'"{v}"')


@dataclass(frozen=True)
class Sample:
    """One secret-bearing line: ``form`` is the :class:`SecretForm` it is an instance of."""

    form: str
    printed: str  # ``{v}``: the secret as printed
    scrubbed: str  # ``{r}``: the stand-in
    kind: Kind

    @property
    def id(self) -> str:
        return f"{self.form} | {self.printed.splitlines()[-1].strip()}"

    def line(self, secret: str) -> str:
        return self.printed.replace("{v}", self.kind.show(secret))

    def expected(self, stand_in: str) -> str:
        return self.scrubbed.replace("{r}", stand_in)

    def stand_in(self, secret: str, token: str) -> str:
        return f'"{token}"' if self.kind.quoted(secret) else token


def _count(text: str, part: str) -> int:
    return len(re.findall(f"(?={re.escape(part)})", text))


def check(sample: Sample, secret: str, platform: Platform) -> None:
    """The sample with ``secret`` comes out with its digest when the secret is unknown, and
    with its placeholder when it is known (where the secret is printed nowhere else on the
    line, since a known value is replaced wherever it appears)."""
    line = sample.line(secret)
    out = scrub(line, {}, platform)
    assert out == sample.expected(sample.stand_in(secret, redact(secret))), (secret, out)
    assert scrub(out, {}, platform) == out  # a stand-in is never hidden again
    shown = secret if sample.kind.decoded else sample.kind.show(secret)
    if _count(sample.printed.replace("{v}", shown), secret) == _count(shown, secret):
        known = scrub(line, {"env:JIP_TEST": secret}, platform)
        placeholder = sample.stand_in(secret, "@@secret:env:JIP_TEST@@")
        assert known == sample.expected(placeholder), (secret, known)


def form_matches(form: SecretForm, prop_pattern: str, text: str) -> bool:
    """Whether ``form``'s own pattern finds something in ``text`` (ignoring its sections)."""
    source = form.pattern or prop_pattern.replace("{prop}", f"(?:{form.prop})")
    return any(re.search(source, line) for line in text.split("\n"))
