"""A Nornir inventory plugin that builds hosts straight from the source of truth.

Registered under the entry point name ``pydriver.PydriverInventory`` so that
``InitNornir(inventory={"plugin": "pydriver.PydriverInventory", "options": {...}})`` works
from any Nornir script, not only from pydriver's own commands: the network team keeps one
inventory, not a YAML copy for Nornir that drifts from it. pydriver's commands hand it
their :class:`~pydriver.pipeline.Pipeline` (option ``pipeline``), so the hosts come from
the very network the command already validated, without reading the inventory again.

Connection targets come from the source of truth (management addresses); a connection
override file (written by ``pydriver lab up``, or by hand for an out-of-band path) replaces
host, port and credentials per router without touching the source of truth.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from nornir.core.inventory import (
    ConnectionOptions,
    Defaults,
    Group,
    Groups,
    Host,
    Hosts,
    Inventory,
    ParentGroups,
)

from pydriver.errors import PydriverError
from pydriver.pipeline import Pipeline


def load_overrides(path: Path | None) -> dict[str, dict[str, Any]]:
    """Read a connection-override file: {hostname: {host, port, username, password, ...}}."""
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PydriverError(f"{path}: cannot read connection overrides: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise PydriverError(f"{path}: connection overrides must be a JSON object of objects")
    return {str(k): dict(v) for k, v in data.items()}


class PydriverInventory:
    """Nornir inventory plugin: one Host per router of the source of truth."""

    def __init__(self, inventory_dir: str = "inventory", overrides: str | None = None,
                 pipeline: Pipeline | None = None) -> None:
        self.pipeline = pipeline if pipeline is not None else Pipeline(Path(inventory_dir))
        self.overrides = Path(overrides) if overrides else None

    def load(self) -> Inventory:
        pipe = self.pipeline
        intents = pipe.intents
        overrides = load_overrides(self.overrides)
        groups = Groups()
        for name in ("hub", "site", *sorted({i.platform.value for i in intents.values()})):
            groups[name] = Group(name=name)
        hosts = Hosts()
        username = os.environ.get("PYDRIVER_SSH_USERNAME", "pydriver")
        password = os.environ.get("PYDRIVER_SSH_PASSWORD")
        for name, intent in intents.items():
            o = overrides.get(name, {})
            drv = pipe.driver(intent.platform)
            extras: dict[str, Any] = {**drv.connection_extras(o, os.environ), "fast_cli": False}
            hosts[name] = Host(
                name=name,
                hostname=str(o.get("host", intent.management)),
                port=int(o.get("port", 22)),
                username=o.get("username", username),
                password=o.get("password", password),
                platform=drv.device_type,
                groups=ParentGroups([groups[intent.role], groups[intent.platform.value]]),
                data={
                    "role": intent.role,
                    "platform": intent.platform.value,
                    "site": intent.site_code,
                    "model": intent.model,
                    "lab": bool(o),
                    "skip": o.get("skip"),
                },
                connection_options={
                    "netmiko": ConnectionOptions(extras=extras),
                },
            )
        return Inventory(hosts=hosts, groups=groups, defaults=Defaults())
