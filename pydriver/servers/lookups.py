"""Secret references as Ansible lookups: the inventory names a secret, Ansible resolves it.

The generated inventory is printed, written to disk and read by plain ``ansible-playbook``;
carrying a lookup expression instead of the value keeps every one of those copies free of
secrets. Ansible resolves the expression at task time, inside tasks marked ``no_log``.

These expressions are the only templates the inventory holds (every other value is marked
unsafe, see ``inventory.ansible_data``), so they are built here from parsed references
only, and nothing a reference holds is ever written into one: Ansible's Jinja keeps the
backslashes of a string literal, so no escaping could make a path with a quote in it safe
there. A path and a vault key go into the inventory as data instead
(``jip_secret_sources``, unsafe like every other value), and the expression reads them
from there; an environment variable's name, checked to be letters, digits and ``_``, is
written in as it is.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pydriver.errors import SecretError
from pydriver.sot import secrets

SOURCES = "jip_secret_sources"
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Lookup(str):
    """A Jinja expression pydriver built from a validated reference: the one kind of value
    in the generated inventory that Ansible may template."""

    __slots__ = ()


class Lookups:
    """The lookups of one inventory and the paths and keys they read (``sources``).

    Relative ``file:`` and ``vault:`` paths are made absolute against ``base`` (the
    inventory directory), because Ansible resolves relative lookup paths against the
    playbook, not the source of truth.
    """

    def __init__(self, base: Path) -> None:
        self.base = base
        self.sources: dict[str, dict[str, str]] = {}

    def __call__(self, ref_text: str) -> Lookup:
        ref = secrets.parse(ref_text)
        scheme, rest = ref.text.split(":", 1)
        if scheme == "env":
            if not _ENV_NAME.fullmatch(rest):
                raise SecretError(f"{ref.text}: not an environment variable name")
            return Lookup("{{ lookup('ansible.builtin.env', '" + rest + "') }}")
        key = "s" + hashlib.sha256(ref.text.encode()).hexdigest()[:16]
        source = f"{SOURCES}.{key}"
        if scheme == "file":
            self.sources[key] = {"path": _absolute(rest, self.base)}
            return Lookup("{{ lookup('ansible.builtin.file', " + source + ".path) }}")
        path, vault_key = rest.split("#", 1)
        self.sources[key] = {"path": _absolute(path, self.base), "key": vault_key}
        return Lookup("{{ (lookup('ansible.builtin.unvault', " + source + ".path) "
                      "| from_yaml)[" + source + ".key] }}")


def _absolute(path: str, base: Path) -> str:
    p = Path(path)
    return str(p if p.is_absolute() else (base / p).resolve())
