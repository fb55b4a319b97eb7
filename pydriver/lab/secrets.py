"""Lab-only values for secret references the environment does not provide.

A rehearsal on a fresh machine has no production secrets (and must never use them): every
``env:`` reference of the inventory that is unset gets a value derived from its name, so
both ends of a tunnel agree and nothing real is needed.
"""

from __future__ import annotations

import hashlib
import os

from pydriver.pipeline import Pipeline
from pydriver.sot.secrets import PLACEHOLDER


def lab_environment(pipe: Pipeline) -> dict[str, str]:
    rendered = pipe.rendered
    refs = {m["ref"] for c in rendered.values() for _, text in c.files
            for m in PLACEHOLDER.finditer(text)}
    env: dict[str, str] = {}
    for ref in sorted(refs):
        if ref.startswith("env:"):
            name = ref[4:]
            if not os.environ.get(name):
                env[name] = "lab-" + hashlib.sha256(name.encode()).hexdigest()[:16]
    return env
