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

import os
from pathlib import Path
from typing import Annotated, Any

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
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from pydriver.deploy.statefile import checked, read_json
from pydriver.errors import PydriverError
from pydriver.pipeline import Pipeline


class Override(BaseModel):
    """Where and how to reach one router instead of its management address (the lab, or
    an out-of-band path); ``skip`` says why the router is left out."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    host: Annotated[str, StringConstraints(min_length=1, max_length=253,
                                           pattern=r"^[A-Za-z0-9_.:-]+$")] | None = None
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    username: Annotated[str, StringConstraints(max_length=256)] | None = None
    password: Annotated[str, StringConstraints(max_length=1024)] | None = None
    secret: Annotated[str, StringConstraints(max_length=1024)] | None = None
    skip: Annotated[str, StringConstraints(max_length=1024)] | None = None


_OVERRIDES: TypeAdapter[dict[str, Override]] = TypeAdapter(dict[str, Override])


def load_overrides(path: Path | None) -> dict[str, dict[str, Any]]:
    """Read a connection-override file: {hostname: {host, port, username, password, ...}}.

    No file is no override; a file that cannot be read or holds anything else is a clear
    error before any connection is made (its messages never show a password)."""
    if path is None or not os.path.lexists(path):
        return {}
    what = "connection overrides"
    data = read_json(path, PydriverError, what)
    parsed = checked(data, _OVERRIDES, path, PydriverError, what)
    return {host: o.model_dump(exclude_none=True) for host, o in parsed.items()}


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
            extras: dict[str, Any] = {**drv.connection_extras(o, os.environ),
                                      "fast_cli": drv.fast_cli}
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
