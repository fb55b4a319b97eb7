"""A Nornir inventory plugin that builds hosts straight from the source of truth.

Registered under the entry point name ``pydriver.PydriverInventory`` so that
``InitNornir(inventory={"plugin": "pydriver.PydriverInventory", "options": {...}})`` works
from any Nornir script, not only from pydriver's own commands: the network team keeps one
inventory, not a YAML copy for Nornir that drifts from it.

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

from pydriver import pipeline
from pydriver.errors import PydriverError
from pydriver.sot.models import Platform

NETMIKO_DEVICE_TYPE: dict[Platform, str] = {
    Platform.MIKROTIK_ROUTEROS: "mikrotik_routeros",
    Platform.CISCO_IOS: "cisco_xe",
    Platform.LINUX_FRR: "linux",
}


def load_overrides(path: Path | None) -> dict[str, dict[str, Any]]:
    """Read a connection-override file: {hostname: {host, port, username, password, ...}}."""
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PydriverError(f"{path}: cannot read connection overrides: {exc}") from None
    if not isinstance(data, dict):
        raise PydriverError(f"{path}: connection overrides must be a JSON object")
    return {str(k): dict(v) for k, v in data.items()}


class PydriverInventory:
    """Nornir inventory plugin: one Host per router of the source of truth."""

    def __init__(self, inventory_dir: str = "inventory", overrides: str | None = None) -> None:
        self.inventory_dir = Path(inventory_dir)
        self.overrides = Path(overrides) if overrides else None

    def load(self) -> Inventory:
        intents = pipeline.intents(self.inventory_dir)
        overrides = load_overrides(self.overrides)
        groups = Groups()
        for name in ("hub", "site", *(p.value for p in Platform)):
            groups[name] = Group(name=name)
        hosts = Hosts()
        username = os.environ.get("PYDRIVER_SSH_USERNAME", "pydriver")
        password = os.environ.get("PYDRIVER_SSH_PASSWORD")
        for name, intent in intents.items():
            o = overrides.get(name, {})
            extras: dict[str, Any] = {}
            if intent.platform is Platform.CISCO_IOS:
                extras["secret"] = o.get("secret", os.environ.get("PYDRIVER_ENABLE_SECRET", ""))
            extras["fast_cli"] = False
            hosts[name] = Host(
                name=name,
                hostname=str(o.get("host", intent.management)),
                port=int(o.get("port", 22)),
                username=o.get("username", username),
                password=o.get("password", password),
                platform=NETMIKO_DEVICE_TYPE[intent.platform],
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
