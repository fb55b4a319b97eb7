"""What the evidence pack is made from, gathered the way ``pydriver check`` gathers it:
the compliance report on the rendered configs or on the running ones in the backups, the
firmware the routers reported (``assets.json`` of the backups), and the network-level
evidence (backup dates, audit log)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydriver.deploy import backup as backups
from pydriver.deploy.evidence import network_view, running_configs
from pydriver.errors import PydriverError
from pydriver.pipeline import Pipeline
from pydriver.report.bssn.pack import SOURCES, PackInput
from pydriver.servers import provisioned


def gather(pipe: Pipeline, source: str, backup_dir: Path, state: Path, generated: date,
           rendered_dir: str = "build") -> PackInput:
    """The pack's inputs; ``generated`` also decides which waivers have expired."""
    if source not in SOURCES:
        raise PydriverError(f"--from {source!r}: expected {' or '.join(SOURCES)}")
    firmware = backups.read_assets(backup_dir) if backup_dir.is_dir() else {}
    if source == "rendered":
        report = pipe.check(folder=rendered_dir, today=generated,
                            view=network_view(pipe, backup_dir, state, firmware),
                            provisioned=provisioned.for_pipeline(pipe))
    else:
        running, firmware = running_configs(pipe, source, backup_dir, workers=1)
        report = pipe.check(running, source, today=generated,
                            view=network_view(pipe, backup_dir, state, firmware))
    return PackInput(pipe.network, pipe.intents, report, firmware, pipe.sot, generated)
