"""Keep secrets out of everything pydriver writes: plans, backups, logs and audit records.

Each platform prints its secrets in its own ways (``key 7 <hex>`` on IOS, ``secret="..."``
on RouterOS, ``secret = ...`` in swanctl.conf), so each platform describes them as data: a
list of :class:`SecretForm` in ``platforms/<platform>/scrub.py``, with the few functions that
read its syntax gathered in a :class:`Dialect`. This module is the engine that applies them.

Known values (resolved from the source of truth's references) become their
``@@secret:<ref>@@`` placeholders wherever they are printed (in a secret form, compared
after unquoting and decoding; anywhere else, as text), so a running config compares equal
to the intent when the secret is the one intended. Any other value in a secret form (a
rotated-away key, a local password someone set by hand, a line pydriver does not own)
becomes ``@@redacted:<hash>@@``: a digest of the value, so the same secret always gives the
same text (an unchanged router makes no backup commit) and a changed one shows as a
change, but never readable.

The engine errs towards hiding: a form that matches more than the secret hides more than
the secret, and overlapping secrets are hidden as one. What must stay readable (a key
chain's key number, a WireGuard public key) is declared by the platform as a *keep* form:
a secret found wholly inside its text is left alone.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from pydriver.errors import PlanError, PydriverError
from pydriver.sot.models import Platform
from pydriver.sot.secrets import PLACEHOLDER, Resolver, parse

#: What the engine writes in place of a secret; never redacted again.
MARKED = re.compile(rf"{PLACEHOLDER.pattern}|@@redacted:[0-9a-f]+@@")


@dataclass(frozen=True, slots=True)
class SecretForm:
    """One way a platform prints a secret (or, with ``keep``, a look-alike that is not one).

    Either ``pattern``, a regular expression over one line whose groups named ``value``,
    ``value2``... are the secrets as printed, or ``prop``, the name (a regular expression) of
    a ``name=value`` property, written with the dialect's ``prop_pattern``. ``within`` is a
    regular expression one of the line's sections must match in full (an IOS parent line,
    a RouterOS menu such as ``/snmp community``); ``unless`` rules a line out when found in
    it. A ``keep`` form marks text that only looks like a secret: a secret found wholly
    inside it is left as it is.
    """

    what: str
    pattern: str = ""
    prop: str = ""
    within: str = ""
    unless: str = ""
    keep: bool = False

    def __post_init__(self) -> None:
        if bool(self.pattern) == bool(self.prop):
            raise ValueError(f"secret form {self.what!r}: give a pattern or a prop, not both")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _identity(text: str) -> str:
    return text


def by_indentation(lines: list[str]) -> list[tuple[str, ...]]:
    """Each line's enclosing sections, outermost first, read from indentation (IOS, FRR,
    swanctl.conf): the lines above it that are indented less."""
    stack: list[tuple[int, str]] = []
    out: list[tuple[str, ...]] = []
    for line in lines:
        body = line.strip()
        if not body:
            out.append(tuple(s for _, s in stack))
            continue
        indent = len(line) - len(line.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        out.append(tuple(s for _, s in stack))
        stack.append((indent, body))
    return out


@dataclass(frozen=True, slots=True)
class Dialect:
    """A platform's secret forms and how to read its text.

    ``lines`` splits a text into logical lines (RouterOS joins its wrapped lines) that the
    engine joins back with newlines; ``sections`` gives each line the sections it sits in;
    ``prop_pattern`` is the regular expression of a ``name=value`` property with ``{prop}``
    where the name goes and a group ``value``; ``unquote`` turns a printed value into the
    secret itself (so quoting never changes its digest); ``reveal`` decodes reversible
    encodings (IOS type 7) so that a known secret can be recognised and a digest is of the
    secret, not of one of its encodings.
    """

    forms: tuple[SecretForm, ...]
    lines: Callable[[str], list[str]] = _lines
    sections: Callable[[list[str]], list[tuple[str, ...]]] = by_indentation
    prop_pattern: str = ""
    unquote: Callable[[str], str] = _identity
    reveal: Callable[[str], str] = _identity


@dataclass(frozen=True, slots=True)
class _Compiled:
    form: SecretForm
    rx: re.Pattern[str]
    within: re.Pattern[str] | None
    unless: re.Pattern[str] | None


@functools.cache
def _compiled(dialect: Dialect) -> tuple[_Compiled, ...]:
    out = []
    for form in dialect.forms:
        source = form.pattern or dialect.prop_pattern.replace("{prop}", f"(?:{form.prop})")
        if not source:
            raise ValueError(f"secret form {form.what!r}: the dialect has no prop_pattern")
        out.append(_Compiled(form, re.compile(source),
                             re.compile(form.within) if form.within else None,
                             re.compile(form.unless) if form.unless else None))
    return tuple(out)


def dialect(platform: Platform | str) -> Dialect:
    """The secret forms of ``platform``, as its driver declares them."""
    from pydriver.platforms.registry import driver

    try:
        return driver(str(platform)).secret_forms
    except PydriverError as exc:
        raise PlanError(f"no secret forms for platform {platform!r}: {exc}") from None


def known_values(texts: list[str], resolver: Resolver) -> dict[str, str]:
    """Resolve every placeholder that appears in ``texts``; unresolvable ones are skipped
    (validate --require-secrets is where a missing secret is an error)."""
    refs = {m["ref"] for text in texts for m in PLACEHOLDER.finditer(text)}
    values: dict[str, str] = {}
    for ref in sorted(refs):
        try:
            values[ref] = resolver.resolve(parse(ref))
        except Exception:
            continue
    return values


def redact(value: str) -> str:
    """The stable stand-in of a secret pydriver does not know."""
    digest = hashlib.sha256(value.encode()).hexdigest()[:10]
    return f"@@redacted:{digest}@@"


def _replace_known(text: str, values: dict[str, str],
                   embed: Callable[[str], str] | None = None) -> str:
    """Known values printed outside any secret form (a log line, a nested script) to their
    placeholders, leaving the stand-ins already written alone. A value is looked for first
    as the platform writes it in (``embed``: quoted and escaped), then bare."""
    forms: list[tuple[str, str]] = []
    for ref, value in values.items():
        if not value:
            continue
        shown = _embedded(value, embed)
        if shown is not None and shown != value:
            forms.append((shown, ref))
        forms.append((value, ref))
    ordered = sorted(forms, key=lambda f: -len(f[0]))
    if not ordered:
        return text

    def plain(chunk: str) -> str:
        for value, ref in ordered:
            chunk = chunk.replace(value, f"@@secret:{ref}@@")
        return chunk

    out: list[str] = []
    pos = 0
    for m in MARKED.finditer(text):
        out += [plain(text[pos:m.start()]), m.group(0)]
        pos = m.end()
    out.append(plain(text[pos:]))
    return "".join(out)


def _within(forms: tuple[_Compiled, ...], sections: tuple[str, ...]) -> tuple[_Compiled, ...]:
    """The forms that apply in ``sections``."""
    return tuple(c for c in forms
                 if c.within is None or any(c.within.fullmatch(s) for s in sections))


def _secrets(line: str, forms: tuple[_Compiled, ...]) -> list[tuple[int, int]]:
    """Spans of the secrets printed on ``line``, left to right.

    Where two forms' secrets overlap (a key word inside a LINE secret, a ``name=`` inside a
    quoted value) the union is hidden, so no form can leave part of another's secret in
    clear. A secret that lies wholly inside a keep form's text is no secret.
    """
    kept: list[tuple[int, int]] = []
    found: list[tuple[int, int]] = []
    for c in forms:
        if c.unless is not None and c.unless.search(line):
            continue
        for m in c.rx.finditer(line):
            if c.form.keep:
                kept.append(m.span())
                continue
            found.extend(m.span(name) for name, printed in m.groupdict().items()
                         if name.startswith("value") and printed)
    spans: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if any(s <= start and end <= e for s, e in kept):
            continue
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _embedded(value: str, embed: Callable[[str], str] | None) -> str | None:
    if embed is None:
        return None
    try:
        return embed(value)
    except PydriverError:  # a value the platform cannot carry: it was not written by us
        return None


def _stand_in(printed: str, d: Dialect, by_value: dict[str, str],
              unknown: Callable[[str], str] | None,
              embed: Callable[[str], str] | None = None) -> str | None:
    try:
        value = d.unquote(printed)
    except Exception:  # a value the dialect cannot read is still hidden, as printed
        value = printed
    if not value or MARKED.fullmatch(value):
        return None
    if value in by_value:
        token = f"@@secret:{by_value[value]}@@"
    elif unknown is None:
        return None
    else:
        token = unknown(value)
    # written the way the platform embeds a secret (quotes and all): the placeholder stands
    # for all of it, as it does in a rendered file, and apply embeds the value again
    if printed == _embedded(value, embed):
        return token
    quoted = value != printed and len(printed) > 1 and printed[0] == printed[-1] in "\"'"
    return f"{printed[0]}{token}{printed[0]}" if quoted else token


def _run(text: str, values: dict[str, str], platform: Platform | str,
         unknown: Callable[[str], str] | None) -> str:
    from pydriver.platforms.registry import driver

    d = dialect(platform)
    embed = driver(str(platform)).embed_secret
    by_value = {v: ref for ref, v in values.items() if v}
    forms = _compiled(d)
    lines = d.lines(d.reveal(text))
    applicable: dict[tuple[str, ...], tuple[_Compiled, ...]] = {}
    out = []
    for line, sections in zip(lines, d.sections(lines), strict=True):
        if sections not in applicable:
            applicable[sections] = _within(forms, sections)
        pieces: list[str] = []
        pos = 0
        for start, end in _secrets(line, applicable[sections]):
            new = _stand_in(line[start:end], d, by_value, unknown, embed)
            pieces += [_replace_known(line[pos:start], values, embed),
                       line[start:end] if new is None else new]
            pos = end
        pieces.append(_replace_known(line[pos:], values, embed))
        out.append("".join(pieces))
    return "\n".join(out)


def scrub_known(text: str, values: dict[str, str], platform: Platform | str) -> str:
    """Reversible encodings decoded and known values turned into their placeholders; every
    other secret is left as it is (what a rollback must be able to put back)."""
    return _run(text, values, platform, None)


def scrub(text: str, values: dict[str, str], platform: Platform | str) -> str:
    """Known values to placeholders, then every other secret of the platform's forms
    redacted: the only form of a running config that may leave memory."""
    return _run(text, values, platform, redact)


def redactions(text: str, values: dict[str, str], platform: Platform | str) -> dict[str, str]:
    """``@@redacted:<hash>@@`` -> the value it hides, for every secret of ``text``.

    Apply uses it on the running config it has just read (whose scrubbed hash equals the
    plan's): a rollback that must put back a secret the plan only shows redacted (a key
    being rotated away) gets the router's own value back, never one from a file."""
    found: dict[str, str] = {}

    def record(value: str) -> str:
        token = redact(value)
        found[token] = value
        return token

    _run(text, values, platform, record)
    return found
