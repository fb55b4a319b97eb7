"""Ansible inventory plugin: the shared servers, read from pydriver's source of truth.

With it, plain ``ansible-playbook playbooks/site.yml`` (ansible.cfg points at
``inventory/ansible.yml``) sees exactly the inventory ``pydriver servers`` runs with, so
nobody is tempted to keep a second, hand-written hosts file that drifts from the routers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin

DOCUMENTATION = r"""
name: pydriver_servers
short_description: the JIP shared servers from pydriver's source of truth
description:
  - Loads and validates the pydriver inventory directory and generates the servers' groups,
    host variables and shared variables, with secrets as lookups only.
options:
  plugin:
    description: Marks this file as a pydriver_servers source.
    required: true
    choices: [pydriver_servers]
  source:
    description: The source-of-truth directory, relative to this file.
    type: str
    default: "."
"""


def _value(value: Any) -> Any:
    """Only the lookups pydriver built are trusted as templates; every other value (a
    site name, a banner, a path) came from the source of truth and stays data."""
    from ansible.template import trust_as_template

    from pydriver.servers.lookups import Lookup

    if isinstance(value, Lookup):
        return trust_as_template(str(value))
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return value


class InventoryModule(BaseInventoryPlugin):  # type: ignore[misc]
    NAME = "pydriver_servers"
    # nothing is trusted as a template by default: only the secret lookups are (``_value``)
    trusted_by_default = False

    def verify_file(self, path: str) -> bool:
        return bool(super().verify_file(path)) and path.endswith(("ansible.yml", "ansible.yaml"))

    def parse(self, inventory: Any, loader: Any, path: str, cache: bool = True) -> None:
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        from pydriver.errors import PydriverError
        from pydriver.pipeline import Pipeline
        from pydriver.servers.inventory import generate

        source = (Path(path).parent / str(self.get_option("source"))).resolve()
        try:
            pipe = Pipeline(source)
            generated = generate(pipe.network, pipe.intents, source)
        except PydriverError as exc:
            raise AnsibleParserError(f"pydriver source of truth {source}: {exc}") from None
        for key, value in generated.shared.items():
            self.inventory.set_variable("all", key, _value(value))
        for group, hosts in generated.groups.items():
            self.inventory.add_group(group)
            for host in hosts:
                self.inventory.add_host(host, group=group)
        for host, hostvars in generated.hostvars.items():
            self.inventory.add_host(host)
            for key, value in hostvars.items():
                self.inventory.set_variable(host, key, _value(value))
