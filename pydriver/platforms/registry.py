"""Platforms registered by name: the rest of pydriver asks here, never imports a driver."""

from __future__ import annotations

from pydriver.platforms.base import PlatformDriver
from pydriver.sot.models import Platform


def driver(platform: Platform | str) -> PlatformDriver:
    name = Platform(platform)
    if name is Platform.CISCO_IOS:
        from pydriver.platforms.cisco_ios.driver import IOSDriver

        return IOSDriver()
    if name is Platform.LINUX_FRR:
        from pydriver.platforms.linux_frr.driver import FRRDriver

        return FRRDriver()
    from pydriver.platforms.mikrotik_routeros.driver import RouterOSDriver

    return RouterOSDriver()
