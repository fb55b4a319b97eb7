"""Secret references: how the source of truth names a secret without containing it.

A reference is ``env:NAME`` (an environment variable), ``file:PATH`` (a file, e.g. on a
tmpfs or a mounted CI secret) or ``vault:FILE#KEY`` (a key of an Ansible-vault encrypted
YAML file, decrypted with the vault password of the environment). Rendered files carry only
a placeholder; the value is resolved at push time and nowhere else.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from pydriver.errors import SecretError

# A reference ends up in rendered placeholders, plans, the Ansible inventory and shell
# command lines, so its grammar is tight: environment names in capitals, paths of plain
# characters with no '..' component, vault keys of word characters. Anything with a quote,
# a space, '$', '{', '(' or the like is refused before it can be read as code anywhere.
_PATH = r"[A-Za-z0-9._/-]{1,255}"
_REF = re.compile(
    r"^(?:env:(?P<env>[A-Z_][A-Z0-9_]{0,127})"
    rf"|file:(?P<file>{_PATH})"
    rf"|vault:(?P<vault>{_PATH})#(?P<key>[A-Za-z0-9_.-]{{1,64}}))$"
)
PLACEHOLDER = re.compile(r"@@secret:(?P<ref>[^@\s]+)@@")
EXPECTED = ("expected env:NAME (capitals, digits, _), file:PATH or vault:FILE#KEY (paths of "
            "letters, digits and '._/-' without '..')")


def _dotted(path: str) -> bool:
    return ".." in path.split("/")


@dataclass(frozen=True, slots=True)
class SecretRef:
    """A parsed, well-formed secret reference."""

    text: str

    @property
    def scheme(self) -> str:
        return self.text.split(":", 1)[0]

    @property
    def placeholder(self) -> str:
        """What a rendered file carries instead of the value."""
        return f"@@secret:{self.text}@@"


def parse(text: str) -> SecretRef:
    """Parse a reference or raise SecretError saying what form is expected.

    The message never repeats the text: a secret pasted where its reference belongs would
    otherwise be printed in the CI log of the pull request.
    """
    m = _REF.match(text) if isinstance(text, str) else None
    if m is None or _dotted(m["file"] or m["vault"] or ""):
        raise SecretError(f"malformed secret reference: {EXPECTED}")
    return SecretRef(text)


def format_site_ref(template: str, site_code: str) -> str:
    """Expand the region's default per-site reference (``{SITE}`` is the site code)."""
    return template.replace("{SITE}", site_code.upper().replace("-", "_"))


class Resolver:
    """Resolves references to values, only at push time; values are cached per run.

    ``base`` is the directory relative file paths are resolved against (the inventory).
    """

    def __init__(self, base: Path, environ: dict[str, str] | None = None) -> None:
        self.base = base
        self.environ = dict(os.environ) if environ is None else environ
        self._cache: dict[str, str] = {}

    def resolve(self, ref: SecretRef | str) -> str:
        parsed = parse(ref) if isinstance(ref, str) else ref
        if parsed.text not in self._cache:
            self._cache[parsed.text] = self._lookup(parsed)
        return self._cache[parsed.text]

    def _lookup(self, ref: SecretRef) -> str:
        m = _REF.match(ref.text)
        assert m is not None
        if m["env"]:
            value = self.environ.get(m["env"])
            if not value:
                raise SecretError(f"secret {ref.text}: environment variable {m['env']} "
                                  "is not set or empty")
            return value
        if m["file"]:
            path = Path(m["file"])
            path = path if path.is_absolute() else self.base / path
            try:
                value = path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SecretError(f"secret {ref.text}: cannot read {path}: "
                                  f"{exc.strerror}") from None
            if not value:
                raise SecretError(f"secret {ref.text}: file {path} is empty")
            return value
        return self._vault(ref, m["vault"], m["key"])

    def _vault(self, ref: SecretRef, file: str, key: str) -> str:
        import yaml
        from ansible.constants import DEFAULT_VAULT_ID_MATCH
        from ansible.parsing.vault import VaultLib, VaultSecret

        password = self.environ.get("PYDRIVER_VAULT_PASSWORD")
        if not password:
            raise SecretError(f"secret {ref.text}: PYDRIVER_VAULT_PASSWORD is not set")
        path = Path(file) if Path(file).is_absolute() else self.base / file
        try:
            blob = path.read_bytes()
            vault = VaultLib([(DEFAULT_VAULT_ID_MATCH, VaultSecret(password.encode()))])
            data = yaml.safe_load(vault.decrypt(blob))
        except Exception as exc:  # ansible raises several unrelated types here
            raise SecretError(f"secret {ref.text}: cannot open vault {path}: "
                              f"{type(exc).__name__}") from None
        if not isinstance(data, dict) or key not in data:
            raise SecretError(f"secret {ref.text}: key '{key}' not in vault {path}")
        return str(data[key])


def substitute(text: str, resolver: Resolver) -> str:
    """Replace every placeholder in ``text`` with its value (push time only)."""
    return PLACEHOLDER.sub(lambda m: resolver.resolve(m["ref"]), text)


def scrub(text: str, values: dict[str, str]) -> str:
    """Replace known secret values by their placeholders (for logs, backups and audit)."""
    for ref, value in sorted(values.items(), key=lambda kv: -len(kv[1])):
        if value:
            text = text.replace(value, f"@@secret:{ref}@@")
    return text
