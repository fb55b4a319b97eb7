"""What the routers and the backups say, for the compliance rules that need more than a
config: when each router was last backed up and changed, and the firmware it runs.

The running configs themselves come from where ``--from`` says: the backups repository
(the work tree or a git ref of it) or the routers (read once, as plan reads them).
"""

from __future__ import annotations

from pathlib import Path

from pydriver.compliance.checks import NetworkView
from pydriver.deploy import audit
from pydriver.deploy import backup as backups
from pydriver.deploy.sources import read_devices
from pydriver.errors import PydriverError
from pydriver.pipeline import Pipeline


def running_configs(pipe: Pipeline, source: str, backup_dir: Path, workers: int
                    ) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Host -> (scrubbed running config, where it was read from), and host -> firmware."""
    platforms = {h: i.platform.value for h, i in pipe.intents.items()}
    if source == "device":
        readings, _ = read_devices(pipe, set(platforms), workers)
        return ({h: (text, f"device:{h}") for h, text in readings.running.items()},
                readings.firmware)
    if source == "backups" or source.startswith("git:"):
        ref = source[4:] if source.startswith("git:") else None
        texts = backups.read(backup_dir, platforms, ref=ref)
        return ({h: (text, str(backup_dir / backups.file_name(h, platforms[h])))
                 for h, text in texts.items()}, backups.read_assets(backup_dir))
    raise PydriverError(f"--from {source!r}: expected rendered, backups, device or git:<ref>")


def network_view(pipe: Pipeline, backup_dir: Path, state: Path,
                 firmware: dict[str, str] | None = None) -> NetworkView:
    """The network-level evidence: backups' dates, the audit log's changes, firmware."""
    platforms = {h: i.platform.value for h, i in pipe.intents.items()}
    has_backups = (backup_dir / ".git").exists()
    return NetworkView(
        pipe.network, pipe.source, pipe.intents,
        backed_up=backups.backup_times(backup_dir, platforms) if has_backups else None,
        changed=audit.last_changes(state, pipe.inventory),
        firmware=firmware if firmware is not None else
        (backups.read_assets(backup_dir) if has_backups else {}))
