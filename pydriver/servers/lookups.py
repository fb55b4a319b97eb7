"""Secret references as Ansible lookups: the inventory names a secret, Ansible resolves it.

The generated inventory is printed, written to disk and read by plain ``ansible-playbook``;
carrying a lookup expression instead of the value keeps every one of those copies free of
secrets. Ansible resolves the expression at task time, inside tasks marked ``no_log``.
"""

from __future__ import annotations

from pathlib import Path

from pydriver.sot import secrets


def lookup(ref_text: str, base: Path) -> str:
    """The Jinja expression that yields the secret ``ref_text`` names.

    Relative ``file:`` and ``vault:`` paths are made absolute against ``base`` (the
    inventory directory), because Ansible resolves relative lookup paths against the
    playbook, not the source of truth.
    """
    ref = secrets.parse(ref_text)
    scheme, rest = ref.text.split(":", 1)
    if scheme == "env":
        return _expr(f"lookup('ansible.builtin.env', '{rest}')")
    if scheme == "file":
        return _expr(f"lookup('ansible.builtin.file', '{_absolute(rest, base)}')")
    path, key = rest.split("#", 1)
    return _expr(f"(lookup('ansible.builtin.unvault', '{_absolute(path, base)}') "
                 f"| from_yaml)['{key}']")


def _expr(body: str) -> str:
    return "{{ " + body + " }}"


def _absolute(path: str, base: Path) -> str:
    p = Path(path)
    return str(p if p.is_absolute() else (base / p).resolve())
