"""What the lab tells the rest of pydriver: where each lab router listens, and how to log in."""

from __future__ import annotations

from dataclasses import dataclass

from pydriver.platforms.registry import driver
from pydriver.sot.models import Platform

LAB_USER = "admin"
LAB_PASSWORD = "pydriver-lab"
LAB_SECRET = "pydriver-lab-enable"


@dataclass(frozen=True, slots=True)
class LabRouter:
    """One lab router as ``lab status --json`` prints it (lab credentials only)."""

    name: str
    platform: str
    device_type: str
    host: str
    port: int
    username: str
    password: str
    secret: str

    @classmethod
    def emulated(cls, name: str, platform: Platform, port: int) -> LabRouter:
        return cls(name, platform.value, driver(platform).device_type, "127.0.0.1", port,
                   LAB_USER, LAB_PASSWORD, LAB_SECRET if platform is Platform.CISCO_IOS else "")
