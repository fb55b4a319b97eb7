"""Lab-only values for secret references the environment does not provide.

A rehearsal on a fresh machine has no production secrets (and must never use them): every
``env:`` reference of the inventory that is unset gets a value derived from its name, so
both ends of a tunnel agree and nothing real is needed. A twin booted from a backup gets
the same values for the references its backup holds (``lab_secrets``), so a plan made
with the rehearsal's environment finds the twin's secrets to be the intended ones; a
secret the backup shows only redacted gets a value derived from its digest.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping

from pydriver.pipeline import Pipeline
from pydriver.sot.secrets import PLACEHOLDER, Resolver


def lab_value(name: str) -> str:
    """The lab's value for the secret called ``name`` (an environment variable name, or a
    whole reference), the same on every machine."""
    return "lab-" + hashlib.sha256(name.encode()).hexdigest()[:16]


def lab_environment(pipe: Pipeline, environ: Mapping[str, str] | None = None
                    ) -> dict[str, str]:
    """A lab value for every ``env:`` reference of the rendered configs that ``environ``
    (the process environment by default) leaves unset or empty."""
    environ = os.environ if environ is None else environ
    rendered = pipe.rendered
    refs = {m["ref"] for c in rendered.values() for _, text in c.files
            for m in PLACEHOLDER.finditer(text)}
    env: dict[str, str] = {}
    for ref in sorted(refs):
        if ref.startswith("env:"):
            name = ref[4:]
            if not environ.get(name):
                env[name] = lab_value(name)
    return env


def lab_secrets(pipe: Pipeline, refs: Iterable[str],
                environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """A value for each reference: resolved as a lab rehearsal resolves it (the process
    environment, then :func:`lab_environment`), else the lab's own value for it."""
    environ = os.environ if environ is None else environ
    env = {**environ, **lab_environment(pipe, environ)}
    resolver = Resolver(pipe.inventory, dict(env))
    values: dict[str, str] = {}
    for ref in sorted(set(refs)):
        try:
            value = resolver.resolve(ref)
        except Exception:  # unset, unreadable or malformed: the lab makes one up
            value = ""
        if not value or "\n" in value:
            value = lab_value(ref[4:] if ref.startswith("env:") else ref)
        values[ref] = value
    return values


def lab_redacted(digest: str) -> str:
    """The lab's stand-in for a secret a backup shows only as ``@@redacted:<digest>@@``."""
    return "lab-" + hashlib.sha256(f"redacted:{digest}".encode()).hexdigest()[:16]
