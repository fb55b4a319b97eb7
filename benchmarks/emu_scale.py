"""How many emulated routers one process holds: memory per device and Netmiko connect time.

Usage: ``python benchmarks/emu_scale.py [devices] [workers]`` (default 300 devices, 20
workers). Starts that many RouterOS routers (factory default configuration) on one
emulator loop, then logs into every one with Netmiko's ``mikrotik_routeros`` driver from a
thread pool, runs ``/ip address print`` and disconnects. Not a test: it prints numbers.
"""

from __future__ import annotations

import logging
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from netmiko import ConnectHandler

from pydriver.lab.emu.server import EmulatorThread
from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def visit(port: int) -> tuple[float, float]:
    """(seconds to log in, seconds for the whole visit) for the router on ``port``."""
    start = time.monotonic()
    conn = ConnectHandler(device_type="mikrotik_routeros", host="127.0.0.1", port=port,
                          username="admin", password="admin")
    connected = time.monotonic()
    out = conn.send_command("/ip address print")
    if "192.168.88.1/24" not in str(out):
        raise RuntimeError(f"unexpected output on port {port}: {out!r}")
    conn.disconnect()
    return connected - start, time.monotonic() - start


def main(devices: int = 300, workers: int = 20) -> None:
    # clients hang up right after "quit"; the loop's notes about late writes are noise here
    logging.getLogger("asyncio").setLevel(logging.ERROR)
    with EmulatorThread() as emu:
        base = rss_kib()
        started = time.monotonic()
        ports = []
        for n in range(devices):
            engine = RouterOSEngine(f"r{n:04d}", scheduler=emu.scheduler)
            ports.append(emu.add_device(engine))
        build = time.monotonic() - started
        loaded = rss_kib()
        started = time.monotonic()
        with ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(visit, ports))
        wall = time.monotonic() - started
        after = rss_kib()
    logins = [r[0] for r in results]
    print(f"devices:               {devices} ({build:.1f} s to start)")
    print(f"memory per device:     {(loaded - base) / devices:.0f} KiB idle, "
          f"{(after - base) / devices:.0f} KiB after one session each (RSS delta / N)")
    print(f"login time:            mean {statistics.mean(logins) * 1000:.0f} ms, "
          f"max {max(logins) * 1000:.0f} ms ({workers} workers)")
    print(f"visit (login+print):   mean {statistics.mean(r[1] for r in results) * 1000:.0f} ms")
    print(f"all sessions:          {wall:.1f} s wall, {devices / wall:.1f} routers/s")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
