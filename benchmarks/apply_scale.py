"""Apply a change to N emulated routers with W workers; compare with the ideal.

Not a test: it prints figures. The ideal is waves x the time one router takes alone (the
canary), i.e. what perfect parallelism inside each wave would give. Run:

    .venv/bin/python benchmarks/apply_scale.py --sites 200 --workers 50
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydriver.lab import control, manage  # noqa: E402
from pydriver.lab.secrets import lab_environment  # noqa: E402


def make_inventory(dest: Path, sites: int) -> Path:
    inv = dest / "inventory"
    (inv / "sites").mkdir(parents=True)
    region = yaml.safe_load((ROOT / "inventory" / "region.yml").read_text())
    region["datacenters"] = [dc for dc in region["datacenters"] if dc["code"] == "pusdatin"]
    dc = region["datacenters"][0]
    dc["hubs"] = [h for h in dc["hubs"] if h["platform"] == "cisco_ios"]
    dc["uplinks"][0]["mbps"] = 10_000
    (inv / "region.yml").write_text(yaml.safe_dump(region, sort_keys=False))
    servers = yaml.safe_load((ROOT / "inventory" / "servers.yml").read_text())
    servers["servers"] = [s for s in servers["servers"] if s["datacenter"] == "pusdatin"]
    servers["servers"].append({"name": "ntp-02", "address": "10.10.10.12",
                               "datacenter": "pusdatin", "roles": ["ntp"]})
    servers["servers"].append({"name": "dns-02", "address": "10.10.10.54",
                               "datacenter": "pusdatin", "roles": ["dns"]})
    (inv / "servers.yml").write_text(yaml.safe_dump(servers, sort_keys=False))
    for n in range(1, sites + 1):
        a, b = divmod(n, 64)
        site = {
            "id": n, "code": f"kel-{n:03d}", "name": f"Kantor Lurah {n}", "kind": "kelurahan",
            "router": {"hostname": f"rtr-kel-{n:03d}", "platform": "cisco_ios",
                       "model": "ISR4331/K9"},
            "links": [{"name": "inet", "medium": "internet_vpn", "hub": "hub-pusdatin-01",
                       "capacity_mbps": 20, "interface": "GigabitEthernet0/0/0",
                       "address": f"198.18.{a}.{b * 4 + 2}/30",
                       "gateway": f"198.18.{a}.{b * 4 + 1}"}],
            "zones": [{"kind": "staff", "interface": "GigabitEthernet0/0/2.10"}],
            "bandwidth": {"uplink": "inet-telkom", "guaranteed_mbps": 2, "max_mbps": 20},
        }
        (inv / "sites" / f"kel-{n:03d}.yml").write_text(yaml.safe_dump(site, sort_keys=False))
    return inv


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--wave-size", default="50")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="pydriver-bench-"))
    inv = make_inventory(base, args.sites)
    state = base / ".pydriver"
    env = {**os.environ, **lab_environment(inv), "PYDRIVER_STATE": str(state)}
    os.environ["PYDRIVER_STATE"] = str(state)
    try:
        t = time.monotonic()
        routers = manage.up(inv, state, {"linux_frr", "mikrotik_routeros"}, minute_seconds=60)
        up_s = time.monotonic() - t
        cli = [sys.executable, "-m", "pydriver.cli.main"]
        t = time.monotonic()
        r = subprocess.run([*cli, "apply", "--inventory", str(inv), "--json", "--workers",
                            str(args.workers), "--wave-size", args.wave_size,
                            "--revert-after", "30"], env=env, capture_output=True, text=True,
                           check=False)
        wall = time.monotonic() - t
        outcomes = json.loads(r.stdout) if r.stdout.strip().startswith("[") else []
        statuses: dict[str, int] = {}
        for o in outcomes:
            statuses[o["status"]] = statuses.get(o["status"], 0) + 1
        waves = len({o["wave"] for o in outcomes if o["wave"]})
        sent = sum(control.request(manage.control_socket(state), "faults", name=x.name)[
            "commands_seen"] for x in routers)
        audit = [json.loads(line) for line in (state / "audit.jsonl").read_text().splitlines()]
        per = audit[-1]["routers"]
        canary = next(o for o in outcomes if o["wave"] == 2) if waves > 1 else outcomes[0]
        single = time_of(outcomes, canary["host"])
        print(f"routers: {len(routers)} ({args.sites} sites + hub), workers {args.workers}, "
              f"wave size {args.wave_size}")
        print(f"lab up: {up_s:.1f} s")
        print(f"apply wall time: {wall:.1f} s; waves: {waves}; outcomes: {statuses}")
        print(f"one site alone (the canary): {single:.1f} s; ideal = waves x that = "
              f"{waves * single:.1f} s; ratio wall/ideal = {wall / max(waves * single, 1e-9):.2f}")
        print(f"configuration commands received by the routers: {sent} "
              f"({sent / max(len(per), 1):.0f} per router)")
        t = time.monotonic()
        subprocess.run([*cli, "apply", "--inventory", str(inv), "--json", "--workers",
                        str(args.workers)], env=env, capture_output=True, text=True,
                       check=False)
        again = sum(control.request(manage.control_socket(state), "faults", name=x.name)[
            "commands_seen"] for x in routers) - sent
        print(f"second apply: {time.monotonic() - t:.1f} s, {again} configuration commands")
    finally:
        manage.down(state)
        shutil.rmtree(base, ignore_errors=True)


def time_of(outcomes: list[dict[str, object]], host: str) -> float:
    for o in outcomes:
        if o["host"] == host:
            return float(o.get("seconds", 0.0))  # type: ignore[arg-type]
    return 0.0


if __name__ == "__main__":
    main()
