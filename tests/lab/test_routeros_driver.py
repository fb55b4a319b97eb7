"""The RouterOS driver end to end: Netmiko over SSH to emulated RouterOS 7 routers.

Each test starts from a factory-fresh router and drives it exactly as ``apply`` does: read
running, diff against the rendered site, arm the revert job, push, then confirm or roll
back, and checks the router's own export afterwards.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler

from pydriver.intent.model import DeviceIntent
from pydriver.lab.emu.fabric import Fabric
from pydriver.lab.emu.server import DEFAULT_PASSWORD, EmulatorThread
from pydriver.pipeline import Pipeline
from pydriver.platforms.base import Remediation
from pydriver.platforms.mikrotik_routeros.device import CHANGE_FILE, JOB, ROLLBACK_FILE
from pydriver.platforms.mikrotik_routeros.driver import RouterOSDriver
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine
from pydriver.platforms.registry import driver
from pydriver.platforms.scrub import scrub_known
from pydriver.render.render import RenderedConfig
from pydriver.sot.secrets import PLACEHOLDER, Resolver, substitute
from tests.conftest import wait_for

pytestmark = pytest.mark.lab

INVENTORY = Path(__file__).resolve().parents[2] / "inventory"
SITE = "rtr-kec-ampenan"


@pytest.fixture(scope="module")
def emu() -> Iterator[EmulatorThread]:
    with EmulatorThread() as thread:
        yield thread


@pytest.fixture(scope="module")
def rendered() -> dict[str, RenderedConfig]:
    return Pipeline(INVENTORY).rendered


@pytest.fixture(scope="module")
def intents() -> dict[str, DeviceIntent]:
    return Pipeline(INVENTORY).intents


@pytest.fixture(scope="module")
def secrets(rendered: dict[str, RenderedConfig]) -> dict[str, str]:
    """Fixed test values for every secret the rendered configs name."""
    refs = sorted({m["ref"] for r in rendered.values() for m in PLACEHOLDER.finditer(r.main)})
    environ = {ref.split(":", 1)[1]: f"Test-{n:02d}-value" for n, ref in enumerate(refs)}
    resolver = Resolver(INVENTORY, environ=environ)
    return {ref: substitute(f"@@secret:{ref}@@", resolver) for ref in refs}


def add_router(emu: EmulatorThread, name: str, model: str = "RB750Gr3",
               fabric: Fabric | None = None) -> tuple[RouterOSEngine, Any]:
    engine = RouterOSEngine(name, model, scheduler=emu.scheduler, fabric=fabric)
    if fabric is not None:
        fabric.attach(engine)
    port = emu.add_device(engine)
    conn = ConnectHandler(device_type="mikrotik_routeros", host="127.0.0.1", port=port,
                          username="admin", password=DEFAULT_PASSWORD, fast_cli=False)
    return engine, conn


def real(rem: Remediation, secrets: dict[str, str]) -> Remediation:
    """The remediation with placeholders replaced by values, as apply sends it."""
    def fill(lines: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(PLACEHOLDER.sub(lambda m: secrets[m["ref"]], line) for line in lines)

    return dataclasses.replace(rem, commands=fill(rem.commands), rollback=fill(rem.rollback))


def owned(text: str, drv: RouterOSDriver) -> set[str]:
    out, menu = set(), ""
    for line in drv.normalise(text).splitlines():
        if line.startswith("/"):
            menu = line
        elif "comment=pydriver:" in line:
            out.add(f"{menu} {line.split(' password=')[0]}")
    return out


def state(emu: EmulatorThread, engine: RouterOSEngine) -> tuple[list[str], str]:
    """The router's files and scheduler jobs, read on the emulator's own thread."""
    return emu.call(lambda: (engine.list_files(), engine.run("/system scheduler print terse")))


def test_push_converges_confirm_cleans_up_and_a_second_push_sends_nothing(
        emu: EmulatorThread, rendered: dict[str, RenderedConfig],
        secrets: dict[str, str]) -> None:
    drv = driver("mikrotik_routeros")
    assert isinstance(drv, RouterOSDriver)
    engine, conn = add_router(emu, SITE)
    intended = rendered[SITE]
    running = scrub_known(drv.read_running(conn), secrets, drv.name)
    assert "comment=defconf" in running and "pydriver:" not in running
    rem = drv.remediation(drv.normalise(running), intended)
    live = real(rem, secrets)
    drv.arm_revert(conn, live, 5)
    files, jobs = state(emu, engine)
    assert ROLLBACK_FILE in files and f"name={JOB}" in jobs
    pushed = drv.push(conn, live)
    assert pushed.rejected is None and pushed.commands_sent == len(rem.commands)
    assert "Test-" not in pushed.output  # the verbose import echo holds no secret value
    assert conn.base_prompt == f"[admin@{SITE}]"  # identity changed mid-push
    after = scrub_known(drv.read_running(conn), secrets, drv.name)
    assert owned(after, drv) == owned(intended.main, drv)
    drv.confirm(conn)
    files, jobs = state(emu, engine)
    assert CHANGE_FILE not in files and ROLLBACK_FILE not in files and JOB not in jobs
    faults = emu.faults(SITE)
    again = drv.remediation(drv.normalise(scrub_known(drv.read_running(conn), secrets, drv.name)),
                            intended)
    assert again.empty
    seen = faults.commands_seen
    assert drv.push(conn, real(again, secrets)).commands_sent == 0
    assert faults.commands_seen == seen
    conn.disconnect()


def test_a_refused_line_is_reported_and_rollback_restores_the_exact_export(
        emu: EmulatorThread, rendered: dict[str, RenderedConfig],
        secrets: dict[str, str]) -> None:
    drv = RouterOSDriver(use_sftp=False)  # line by line: the fault knob sees each command
    name = "rtr-refuse"
    engine, conn = add_router(emu, name)
    pre = drv.normalise(scrub_known(drv.read_running(conn), secrets, drv.name))
    rem = real(drv.remediation(pre, rendered[SITE]), secrets)
    bad = next(i for i, c in enumerate(rem.commands) if "pydriver:in/mgmt" in c)
    drv.arm_revert(conn, rem, 5)
    emu.faults(name).reject_pattern = r"pydriver:in/mgmt"
    try:
        pushed = drv.push(conn, rem)
    finally:
        emu.faults(name).reject_pattern = None
    assert pushed.rejected == rem.commands[bad]
    assert pushed.commands_sent == bad + 1
    assert "bad command name" in pushed.extra["error"]
    half = drv.normalise(scrub_known(drv.read_running(conn), secrets, drv.name))
    assert half != pre and "pydriver:in/ike" in half and "pydriver:in/mgmt" not in half
    drv.rollback(conn, rem)
    assert drv.normalise(scrub_known(drv.read_running(conn), secrets, drv.name)) == pre
    files, jobs = state(emu, engine)
    assert ROLLBACK_FILE not in files and JOB not in jobs
    conn.disconnect()


def test_a_line_the_router_refuses_inside_the_uploaded_script(
        emu: EmulatorThread, rendered: dict[str, RenderedConfig],
        secrets: dict[str, str]) -> None:
    drv = RouterOSDriver()
    name = "rtr-clash"
    engine, conn = add_router(emu, name)
    # a site's own VLAN already holds the name of a bridge the intent adds
    out = conn.send_command("/interface vlan add name=br-cctv vlan-id=30 interface=ether5")
    assert out.strip() == ""
    pre = drv.normalise(scrub_known(drv.read_running(conn), secrets, drv.name))
    rem = real(drv.remediation(pre, rendered[SITE]), secrets)
    bad = next(i for i, c in enumerate(rem.commands) if "name=br-cctv" in c)
    assert bad > 0
    drv.arm_revert(conn, rem, 5)
    pushed = drv.push(conn, rem)
    assert pushed.rejected == rem.commands[bad]
    assert pushed.extra["line"] == bad + 1
    assert "already have interface with such name" in pushed.extra["error"]
    assert CHANGE_FILE not in state(emu, engine)[0]
    drv.rollback(conn, rem)
    assert drv.normalise(scrub_known(drv.read_running(conn), secrets, drv.name)) == pre
    conn.disconnect()


def test_an_unconfirmed_change_reverts_by_itself(
        emu: EmulatorThread, rendered: dict[str, RenderedConfig],
        secrets: dict[str, str]) -> None:
    drv = RouterOSDriver()
    name = "rtr-revert"
    engine, conn = add_router(emu, name)
    pre = drv.normalise(scrub_known(drv.read_running(conn), secrets, drv.name))
    rem = real(drv.remediation(pre, rendered[SITE]), secrets)
    drv.arm_revert(conn, rem, 2 / 60)  # a 2-second job
    assert drv.push(conn, rem).rejected is None
    assert drv.normalise(scrub_known(drv.read_running(conn), secrets, drv.name)) != pre

    def reverted() -> bool:
        return drv.normalise(scrub_known(drv.read_running(conn), secrets, drv.name)) == pre

    wait_for(reverted, timeout=20, interval=0.2)
    files, jobs = state(emu, engine)
    assert ROLLBACK_FILE not in files and JOB not in jobs
    conn.disconnect()


def test_checks_read_tunnels_sessions_routes_and_pings(
        emu: EmulatorThread, rendered: dict[str, RenderedConfig],
        intents: dict[str, DeviceIntent], secrets: dict[str, str]) -> None:
    drv = RouterOSDriver()
    fabric = Fabric()
    conns: dict[str, Any] = {}
    for host, model in (("hub-drc-01", "CCR2004-16G-2S+"), ("rtr-kec-gunungsari", "RB750Gr3")):
        _, conn = add_router(emu, host, model, fabric)
        running = drv.normalise(scrub_known(drv.read_running(conn), secrets, drv.name))
        rem = real(drv.remediation(running, rendered[host]), secrets)
        assert drv.push(conn, rem).rejected is None
        conns[host] = conn
    site = {r.name: r.ok for r in drv.checks(conns["rtr-kec-gunungsari"],
                                             intents["rtr-kec-gunungsari"])}
    assert site == {  # the DRC hub is in the lab, hub-pusdatin-01 (IOS-XE) is not
        "ipsec gre-inet-drc to 198.51.100.130": True,
        "ipsec gre-inet-pusdatin to 203.0.113.10": False,
        "bgp 10.254.0.161 (hub-drc-01)": True,
        "bgp 10.254.0.165 (hub-pusdatin-01)": False,
        "default route from the hub": True,
        "ping 10.254.0.161 over gre-inet-drc": True,
        "ping 10.254.0.165 over gre-inet-pusdatin": False,
    }
    hub = {r.name: r.ok for r in drv.checks(conns["hub-drc-01"], intents["hub-drc-01"])}
    assert hub["routes of kec-gunungsari inet-drc"] is True
    assert hub["routes of bpbd metro-drc"] is False
    assert hub["bgp 10.254.0.162 (kec-gunungsari inet-drc)"] is True
    assert hub["ping 10.254.0.162 over gre-kec-gunungsari-0"] is True
    for conn in conns.values():
        conn.disconnect()
