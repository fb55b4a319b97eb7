"""An emulated Cisco IOS-XE router: configuration state, command language, archive/rollback."""

from pydriver.platforms.cisco_ios.engine.engine import LAB_ENABLE_SECRET, IOSEngine
from pydriver.platforms.cisco_ios.engine.secrets import (
    type7_decode,
    type7_encode,
    type9_hash,
    type9_verify,
)
from pydriver.platforms.cisco_ios.engine.session import IOSSession

__all__ = [
    "LAB_ENABLE_SECRET",
    "IOSEngine",
    "IOSSession",
    "type7_decode",
    "type7_encode",
    "type9_hash",
    "type9_verify",
]
