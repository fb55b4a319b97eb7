"""Read running configs from routers (Nornir + Netmiko), scrubbed before they leave memory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result, Task

from pydriver.platforms.registry import driver
from pydriver.platforms.scrub import scrub


def connection(task: Task) -> Any:
    return task.host.get_connection("netmiko", task.nornir.config)


@dataclass
class Readings:
    """What reading the routers gave: scrubbed running configs, the firmware each router
    reported (before normalising drops the header that says it), and the failures."""

    running: dict[str, str] = field(default_factory=dict)
    firmware: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def read_running(task: Task, secrets: Mapping[str, str]) -> Result:
    """Running config, secrets replaced by placeholders or redacted, and the firmware."""
    drv = driver(task.host.data["platform"])
    raw = drv.read_running(connection(task))
    return Result(host=task.host, result=(scrub(raw, dict(secrets), drv.name),
                                          drv.firmware(raw)))


def collect(nr: Nornir, secrets: Mapping[str, str]) -> Readings:
    """Every host of ``nr`` read once."""
    results = nr.run(task=read_running, secrets=secrets)
    out = Readings()
    for host, multi in results.items():
        if multi.failed:
            exc = multi[0].exception
            out.errors[host] = f"{type(exc).__name__}: {exc}".splitlines()[0] if exc \
                else "failed"
        else:
            text, firmware = multi[0].result
            out.running[host] = str(text)
            if firmware:
                out.firmware[host] = str(firmware)
    nr.close_connections()
    return out
