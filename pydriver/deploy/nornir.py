"""Nornir set-up from a command's pipeline, with the lab's connection overrides applied."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from nornir import InitNornir
from nornir.core import Nornir

from pydriver.pipeline import Pipeline

STATE_DIR_ENV = "PYDRIVER_STATE"


def state_dir() -> Path:
    """Where the lab, locks and the audit log live (``.pydriver/`` unless overridden)."""
    return Path(os.environ.get(STATE_DIR_ENV, ".pydriver"))


def overrides_path() -> Path:
    return state_dir() / "lab" / "overrides.json"


def _quiet_nornir() -> None:
    """Nornir logs a failed task's traceback through Python logging; that text can hold
    commands (and so secrets) and is not for the terminal: pydriver reports outcomes."""
    for name in ("nornir", "nornir.core", "nornir.core.task", "netmiko", "paramiko"):
        log = logging.getLogger(name)
        log.addHandler(logging.NullHandler())
        log.propagate = False


def init(pipe: Pipeline, workers: int = 20, overrides: Path | None = None) -> Nornir:
    """A Nornir over every router of the pipeline's network; lab overrides are picked up
    when a lab is running, so the same commands work against the lab and the real network."""
    _quiet_nornir()
    path = overrides if overrides is not None else overrides_path()
    options: dict[str, Any] = {"pipeline": pipe}
    if path.is_file():
        options["overrides"] = str(path)
    return InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": workers}},
        inventory={"plugin": "pydriver.PydriverInventory", "options": options},
        logging={"enabled": False},
    )


def skipped_hosts(nr: Nornir) -> dict[str, str]:
    """Hosts the lab left out (e.g. linux_frr without root), with the reason."""
    return {name: str(h.data["skip"]) for name, h in nr.inventory.hosts.items()
            if h.data.get("skip")}
