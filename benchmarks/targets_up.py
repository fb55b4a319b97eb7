"""Time and memory of the Debian targets lab: image build or unpack, boot to sshd, teardown.

Not a test: it prints figures. Needs root and the packages of .ci/servers-deps.sh; only one
targets lab can run on a machine. Run:

    .venv/bin/python benchmarks/targets_up.py                 # every server of inventory/
    .venv/bin/python benchmarks/targets_up.py ntp-01 dns-01   # some of them
    .venv/bin/python benchmarks/targets_up.py --cold          # build the image first

``--cold`` builds into an empty cache directory (the normal cache is left alone).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydriver.lab.targets import TargetLab, reserved_addresses, target_specs  # noqa: E402
from pydriver.pipeline import Pipeline  # noqa: E402


def mem_available_kib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1])
    return 0


def rss_kib(lab: TargetLab, name: str) -> int:
    """Resident set of the target's processes (shared libraries counted in each)."""
    out = lab.run(name, "ps -e -o rss=", check=True).stdout
    return sum(int(x) for x in out.split())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("servers", nargs="*")
    parser.add_argument("--cold", action="store_true")
    args = parser.parse_args()
    network = Pipeline(ROOT / "inventory").network
    specs = target_specs(network, args.servers or None)
    with tempfile.TemporaryDirectory(prefix="pd-targets-") as tmp:
        cache = Path(tmp) / "cache" if args.cold else None
        lab = TargetLab(Path(tmp) / "state", cache)
        before = mem_available_kib()
        lab.up(specs, reserved_addresses(network))
        timings = lab.timings
        assert timings is not None
        # let every target finish booting (timers, late units) before memory is read
        for t in lab.targets:
            lab.run(t.name, "systemctl is-system-running --wait", timeout=120)
        status = lab.status()
        used = before - mem_available_kib()
        ok = sum(subprocess.run(t.ssh_argv("true"), capture_output=True).returncode == 0
                 for t in lab.targets)
        rss = {t.name: rss_kib(lab, t.name) for t in lab.targets}
        started = time.monotonic()
        lab.down()
        down = time.monotonic() - started
    print(f"targets:          {len(specs)} (ssh ok: {ok})")
    how = "built" if timings.image_built else "cached"
    print(f"image:            {timings.image:.1f} s ({how})")
    print(f"unpack:           {timings.unpack:.2f} s")
    print(f"bridge + proxy:   {timings.network:.2f} s")
    for name, secs in timings.boot.items():
        seen = next(s for s in status.targets if s.name == name)
        print(f"  {name:<12} boot-to-ssh {secs:.2f} s   PSS {seen.memory_kib / 1024:.0f} MiB   "
              f"RSS {rss[name] / 1024:.0f} MiB")
    print(f"up total:         {timings.total:.1f} s")
    print(f"host memory used: {used / 1024:.0f} MiB (image on tmpfs, targets, proxy)")
    print(f"teardown:         {down:.2f} s")
    print(f"cores: {os.cpu_count()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
