"""Nornir set-up from a command's pipeline, with the lab's connection overrides applied."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from nornir import InitNornir
from nornir.core import Nornir

from pydriver.pipeline import DEFAULT_INVENTORY, STATE_ENV, Pipeline, default_state

STATE_DIR_ENV = STATE_ENV


def state_dir(inventory: Path = DEFAULT_INVENTORY, state: Path | None = None) -> Path:
    """Where an inventory's lab, locks and audit log live (see ``default_state``)."""
    return default_state(inventory, state)


def overrides_path(state: Path) -> Path:
    return state / "lab" / "overrides.json"


def lab_hosts(state: Path) -> dict[str, bool]:
    """Routers a running lab stands in for: host -> True (a twin), False (left out)."""
    path = overrides_path(state)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {h: not o.get("skip") for h, o in data.items() if isinstance(o, dict)}


def _quiet_nornir() -> None:
    """Nornir logs a failed task's traceback through Python logging; that text can hold
    commands (and so secrets) and is not for the terminal: pydriver reports outcomes."""
    for name in ("nornir", "nornir.core", "nornir.core.task", "netmiko", "paramiko"):
        log = logging.getLogger(name)
        log.addHandler(logging.NullHandler())
        log.propagate = False


def init(pipe: Pipeline, workers: int = 20, overrides: Path | None = None,
         runner: dict[str, Any] | None = None) -> Nornir:
    """A Nornir over every router of the pipeline's network; lab overrides are picked up
    when a lab is running, so the same commands work against the lab and the real network.
    ``runner``: another Nornir runner (``{"plugin": ..., "options": ...}``) than threads."""
    _quiet_nornir()
    path = overrides if overrides is not None else overrides_path(pipe.state)
    options: dict[str, Any] = {"pipeline": pipe}
    if path.is_file():
        options["overrides"] = str(path)
    if runner is not None and runner["plugin"] == "pydriver.celery":
        from nornir.core.plugins.runners import RunnersPluginRegister

        from pydriver.deploy.celery_runner import CeleryRunner

        RunnersPluginRegister.register("pydriver.celery", CeleryRunner)
    return InitNornir(
        runner=runner or {"plugin": "threaded", "options": {"num_workers": workers}},
        inventory={"plugin": "pydriver.PydriverInventory", "options": options},
        logging={"enabled": False},
    )


def skipped_hosts(nr: Nornir) -> dict[str, str]:
    """Hosts the lab left out (e.g. linux_frr without root), with the reason."""
    return {name: str(h.data["skip"]) for name, h in nr.inventory.hosts.items()
            if h.data.get("skip")}
