"""Real linux_frr routers (FRR, sshd, strongSwan with user-space ESP) in network namespaces.

See README.md in this directory for the routing/IPsec design the reference configs use.
"""

from pydriver.lab.netns.lab import NetnsLab, RouterStatus, preflight, teardown
from pydriver.lab.netns.model import (
    LabEndpoint,
    NetnsInterface,
    NetnsLink,
    NetnsRouter,
    NetnsSegment,
    NetnsTopology,
)

__all__ = [
    "LabEndpoint",
    "NetnsInterface",
    "NetnsLab",
    "NetnsLink",
    "NetnsRouter",
    "NetnsSegment",
    "NetnsTopology",
    "RouterStatus",
    "preflight",
    "teardown",
]
