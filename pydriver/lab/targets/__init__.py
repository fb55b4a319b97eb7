"""Real Debian targets for the Ansible roles: systemd-nspawn containers on one bridge.

One stage per module: ``image`` (debootstrap, customise, cache), ``network`` (the bridge),
``proxy`` (apt-cacher-ng, the targets' only way to the archive), ``machine`` (overlay copy,
identity, boot), ``lab`` (up, status, down from the journal), ``sot`` (servers of the source
of truth as targets).
"""

from pydriver.lab.targets.host import preflight
from pydriver.lab.targets.image import RECIPE, ImageRecipe, cache_dir
from pydriver.lab.targets.lab import TargetLab, teardown
from pydriver.lab.targets.model import (
    LabStatus,
    Target,
    TargetSpec,
    TargetStatus,
    UpTimings,
    plan,
)
from pydriver.lab.targets.sot import (
    admin_address,
    reserved_addresses,
    router_twins,
    target_specs,
)

__all__ = [
    "RECIPE",
    "ImageRecipe",
    "LabStatus",
    "Target",
    "TargetLab",
    "TargetSpec",
    "TargetStatus",
    "UpTimings",
    "admin_address",
    "cache_dir",
    "plan",
    "preflight",
    "reserved_addresses",
    "router_twins",
    "target_specs",
    "teardown",
]
