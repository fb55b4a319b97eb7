"""Keep secrets out of everything pydriver writes: plans, backups, logs and audit records.

Two passes. Known values (resolved from the source of truth's references) become their
``@@secret:<ref>@@`` placeholders, so a running config compares equal to the intent when the
secret is the one intended. Any other value in a field that holds a secret (a rotated-away
key, a local password someone set by hand) becomes ``@@redacted:<hash>@@``: still distinct
from the intended placeholder, so the change shows in the plan, but never readable.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from pydriver.errors import SecretError
from pydriver.sot.secrets import PLACEHOLDER, Resolver, parse

_FIELDS = re.compile(
    r"""(?P<key>(?:^|\s)(?:(?:secret|password|key)(?:\s+\d)?
        |authentication-password|encryption-password
        |pre-shared-key(?:\s+(?:local|remote))?(?:\s+\d)?)(?:\s*=\s*|\s+))
        (?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>[^\s"=]\S*))""",
    re.X | re.M,
)


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


def scrub_known(text: str, values: dict[str, str],
                embed: Callable[[str], str] | None = None) -> str:
    """Known values to their placeholders. A router shows a value the way it was written
    in (``embed``: the platform's ``embed_secret``, e.g. quoted and escaped); that form,
    quotes included, is what the placeholder stands for in a rendered file, so it goes
    first, then the value wherever else it appears bare."""
    forms: list[tuple[str, str]] = []
    for ref, value in values.items():
        if not value:
            continue
        if embed is not None:
            try:
                shown = embed(value)
            except SecretError:
                shown = value
            if shown != value:
                forms.append((shown, ref))
        forms.append((value, ref))
    for shown, ref in sorted(forms, key=lambda f: -len(f[0])):
        text = text.replace(shown, f"@@secret:{ref}@@")
    return text


def redact(value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:10]
    return f"@@redacted:{digest}@@"


_TYPE7 = re.compile(r"^(\s*(?:key|pre-shared-key(?: local| remote)?|password)) 7 (\S+)\s*$",
                    re.M)


def reveal_type7(text: str) -> str:
    """IOS type-7 'encryption' is reversible obfuscation: decode it so a key can be matched
    against the intended one (and then replaced by its placeholder)."""
    from netutils.password import decrypt_type7

    def decode(m: re.Match[str]) -> str:
        try:
            return f"{m[1]} {decrypt_type7(m[2])}"
        except Exception:  # not type-7 after all: keep the text
            return m.group(0)

    return _TYPE7.sub(decode, text)


def scrub(text: str, values: dict[str, str],
          embed: Callable[[str], str] | None = None) -> str:
    """Known values to placeholders (as ``embed`` writes them, see ``scrub_known``), then
    every other secret field value redacted."""
    text = scrub_known(reveal_type7(text), values, embed)

    def field(m: re.Match[str]) -> str:
        quoted = m["quoted"]
        value = quoted if quoted is not None else m["bare"]
        if value.startswith("@@"):
            return m.group(0)
        shown = f'"{redact(value)}"' if quoted is not None else redact(value)
        return f"{m['key']}{shown}"

    return _FIELDS.sub(field, text)


def redactions(text: str, values: dict[str, str],
               embed: Callable[[str], str] | None = None) -> dict[str, str]:
    """``@@redacted:<hash>@@`` -> the value it hides, for every secret field of ``text``.

    Apply uses it on the running config it has just read (whose scrubbed hash equals the
    plan's): a rollback that must put back a secret the plan only shows redacted (a key
    being rotated away) gets the router's own value back, never one from a file."""
    found: dict[str, str] = {}
    for m in _FIELDS.finditer(scrub_known(reveal_type7(text), values, embed)):
        value = m["quoted"] if m["quoted"] is not None else m["bare"]
        if not value.startswith("@@"):
            found[redact(value)] = value
    return found
