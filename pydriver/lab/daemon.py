"""The lab daemon: one background process hosting every emulated router of an inventory.

``pydriver lab up`` starts it detached; it builds a factory-default engine per RouterOS and
IOS-XE router, serves each on its own 127.0.0.1 port, attaches them all to one fabric (so
tunnels and BGP sessions come up only when both ends agree), writes ``lab.json`` when every
router listens (``--boot``: each twin first loads its router's backup, see
:mod:`pydriver.lab.from_backups`, and ``emulated.json`` says what each refused), answers
control requests (fault knobs, counters, console lines, questions to
the fabric, a twin for a router added to the inventory since) and exits cleanly on SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import signal
import socketserver
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pydriver.lab.emu.server import EmulatorThread
from pydriver.lab.from_backups import Filler, TwinBoot, boot
from pydriver.lab.model import LAB_PASSWORD, LAB_SECRET, LAB_USER, LabRouter
from pydriver.pipeline import Pipeline
from pydriver.platforms.emulation import DeviceEngine, FabricView
from pydriver.sot.models import Platform

EMULATED = (Platform.MIKROTIK_ROUTEROS, Platform.CISCO_IOS)
# questions a test may ask the fabric about one router (see FabricView)
FABRIC_QUERIES = frozenset({"ipsec_up", "tunnel_up", "bgp_established", "ping", "host_ping",
                            "bgp_learned_within"})


def _fabric() -> Any:
    try:
        from pydriver.lab.emu.fabric import Fabric
    except ImportError:  # a lab without a network model still serves consoles
        return None
    return Fabric()


def _engine(platform: Platform, name: str, model: str, scheduler: Any,
            fabric: FabricView | None, minute_seconds: float, factory: bool = True
            ) -> DeviceEngine:
    """A twin of ``model``; ``factory=False``: RouterOS without its default configuration
    (a backup about to be loaded carries whatever of it the router kept)."""
    if platform is Platform.CISCO_IOS:
        from pydriver.platforms.cisco_ios.engine.engine import IOSEngine

        return IOSEngine(name, model, scheduler=scheduler, fabric=fabric,
                         minute_seconds=minute_seconds)
    from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine

    engine: DeviceEngine = RouterOSEngine(name, model=model, scheduler=scheduler, fabric=fabric,
                                          defaults=factory)
    return engine


class _Control(socketserver.StreamRequestHandler):
    lab: EmulatorThread
    fabric: Any = None
    minute_seconds: float = 60.0

    def handle(self) -> None:
        try:
            req = json.loads(self.rfile.readline())
            result = self.dispatch(req)
            reply: dict[str, Any] = {"ok": True, "result": result}
        except Exception as exc:
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        self.wfile.write(json.dumps(reply).encode() + b"\n")

    def dispatch(self, req: dict[str, Any]) -> Any:
        lab = self.lab
        op = req["op"]
        if op == "ping":
            return "pong"
        name = req.get("name", "")
        if op == "faults":
            faults = lab.faults(name)
            for key, value in req.get("set", {}).items():
                if not hasattr(faults, key):
                    raise KeyError(f"no fault knob {key}")
                setattr(faults, key, value)
            data = asdict(faults)
            data["log"] = data["log"][-int(req.get("log_tail", 50)):]
            return data
        if op == "reset_counters":
            faults = lab.faults(name)
            faults.commands_seen = 0
            faults.sessions_opened = 0
            faults.log.clear()
            return None
        if op == "reboot":
            lab.reboot(name)
            return None
        if op == "add":
            return asdict(_host(lab, self.fabric, Platform(req["platform"]), name,
                                req["model"], self.minute_seconds)[0])
        if op == "fabric":
            # what the shared network model says, asked on the emulator's own thread
            query = req["query"]
            if query not in FABRIC_QUERIES or self.fabric is None:
                raise KeyError(f"no fabric query {query}")
            args = [str(a) for a in req.get("args", [])]
            return lab.call(lambda: bool(getattr(self.fabric, query)(name, *args)))
        if op == "run":
            # run console lines directly on the engine (tests read state without SSH)
            engine = lab.engine(name)

            def run_lines() -> list[str]:
                session = engine.open_session(LAB_USER)
                return [session.handle(line) for line in req["lines"]]

            return lab.call(run_lines)
        raise KeyError(f"unknown op {op}")


def _host(lab: EmulatorThread, fabric: Any, platform: Platform, name: str, model: str,
          minute_seconds: float, config: tuple[str, Filler] | None = None
          ) -> tuple[LabRouter, TwinBoot]:
    """A twin of one router, listening and on the fabric (at start-up, and later when
    ``lab up`` finds a router the running lab does not have yet): factory-default, or booted
    from ``config`` (a scrubbed backup and the lab values for its secrets)."""
    if platform not in EMULATED:
        raise ValueError(f"{name}: platform {platform.value} is not emulated")

    def build() -> tuple[DeviceEngine, TwinBoot]:
        engine = _engine(platform, name, model, lab.scheduler, fabric, minute_seconds,
                         factory=config is None)
        if config is None:
            return engine, TwinBoot(name, platform.value, "factory")
        text, filler = config
        return engine, boot(engine, name, platform.value, text, filler)  # type: ignore[arg-type]

    engine, booted = lab.call(build, timeout=300.0)
    port = lab.add_device(engine, username=LAB_USER, password=LAB_PASSWORD, secret=LAB_SECRET)
    if fabric is not None:
        lab.call(functools.partial(fabric.attach, engine))
    return LabRouter.emulated(name, platform, port), booted


def serve(inventory: Path, state: Path, minute_seconds: float, skip: set[str],
          boot_file: Path | None = None) -> None:
    pipe = Pipeline(inventory)
    intents = pipe.intents  # its own process: it reads the inventory once
    configs: dict[str, str] = {}
    notes: dict[str, str] = {}
    if boot_file is not None:
        booting = json.loads(boot_file.read_text(encoding="utf-8"))
        configs = dict(booting["configs"])
        notes = dict.fromkeys(booting["missing"], "no backup (--allow-missing)")
    filler = Filler.for_pipeline(pipe, list(configs.values())) if configs else None
    lab = EmulatorThread(host_key_path=state / "host_key").start()
    fabric = _fabric()
    hosted = [_host(lab, fabric, i.platform, name, i.model, minute_seconds,
                    (configs[name], filler) if name in configs and filler else None)
              for name, i in sorted(intents.items())
              if i.platform in EMULATED and i.platform.value not in skip]
    routers = [r for r, _ in hosted]
    boots = [b if b.name not in notes else TwinBoot(b.name, b.platform, b.source,
                                                    note=notes[b.name])
             for _, b in hosted]
    sock = state / "control.sock"
    with contextlib.suppress(FileNotFoundError):
        sock.unlink()
    _Control.lab = lab
    _Control.fabric = fabric
    _Control.minute_seconds = minute_seconds
    server = socketserver.ThreadingUnixStreamServer(str(sock), _Control)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    ready = state / "emulated.json"
    tmp = ready.with_suffix(".tmp")
    tmp.write_text(json.dumps({"pid": os.getpid(), "routers": [asdict(r) for r in routers],
                               "boot": [b.as_dict() for b in boots]}, indent=2))
    tmp.replace(ready)
    stop.wait()
    server.shutdown()
    server.server_close()
    lab.stop()
    with contextlib.suppress(FileNotFoundError):
        sock.unlink()
    with contextlib.suppress(FileNotFoundError):
        ready.unlink()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="pydriver-lab-daemon")
    parser.add_argument("--inventory", type=Path, required=True)
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--minute-seconds", type=float, default=60.0)
    parser.add_argument("--skip-platform", action="append", default=[])
    parser.add_argument("--boot", type=Path, default=None,
                        help="JSON of the backups the twins boot from (lab up --from backups)")
    args = parser.parse_args(argv)
    serve(args.inventory, args.state, args.minute_seconds, set(args.skip_platform), args.boot)


if __name__ == "__main__":
    main()
