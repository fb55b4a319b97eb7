"""Read running configs from routers (Nornir + Netmiko), scrubbed before they leave memory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result, Task

from pydriver.platforms.registry import driver
from pydriver.platforms.scrub import scrub


def connection(task: Task) -> Any:
    return task.host.get_connection("netmiko", task.nornir.config)


def read_running(task: Task, secrets: Mapping[str, str]) -> Result:
    """Running config, secrets replaced by placeholders or redacted."""
    drv = driver(task.host.data["platform"])
    raw = drv.read_running(connection(task))
    return Result(host=task.host, result=scrub(raw, dict(secrets), drv.embed_secret))


def collect(nr: Nornir, secrets: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(host -> scrubbed running, host -> error) for every host of ``nr``."""
    results = nr.run(task=read_running, secrets=secrets)
    running: dict[str, str] = {}
    errors: dict[str, str] = {}
    for host, multi in results.items():
        if multi.failed:
            exc = multi[0].exception
            errors[host] = f"{type(exc).__name__}: {exc}".splitlines()[0] if exc else "failed"
        else:
            running[host] = str(multi[0].result)
    nr.close_connections()
    return running, errors
