"""What the scale benchmarks share: child processes with their peak memory, growth
exponents, tables and the JSON results file.

Each N is measured in a fresh child process so that one size's caches, interned strings
and heap do not flatter the next, and so the peak RSS reported (``ru_maxrss`` from
``wait4`` on the child) is that size's alone.
"""

from __future__ import annotations

import argparse
import compileall
import functools
import hashlib
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
#: Another folder for the results (a smoke run of the scripts, as the tests make, must not
#: overwrite the figures the README quotes).
RESULTS_ENV = "PYDRIVER_BENCH_RESULTS"


def scale_options(description: str, sizes: str) -> argparse.ArgumentParser:
    """What every scale benchmark takes: ``--sizes``, ``--workdir`` (where generated
    inventories are kept) and the hidden ``--child`` each size's run starts itself with."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", default=sizes)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) /
                        "pydriver-bench", help="where generated inventories are kept")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    return parser


@dataclass(frozen=True)
class ChildRun:
    """A finished child: what it printed as JSON, its peak RSS and its wall time."""

    data: dict[str, Any]
    peak_rss_mb: float
    wall_s: float


def run_child(args: Sequence[str], timeout: float | None = None) -> ChildRun:
    """Run ``python <args>`` with this checkout first on the path; the child writes one
    JSON object to stdout. Peak RSS comes from the kernel's accounting of that child."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *args], stdout=out, env=env, cwd=ROOT)
        deadline = None if timeout is None else started + timeout
        while True:  # reap it ourselves: wait4 is what gives the child's own rusage
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG if deadline else 0)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise TimeoutError(f"child {' '.join(args)} ran over {timeout} s")
            time.sleep(0.05)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"child {' '.join(args)} exited {proc.returncode}")
    return ChildRun(json.loads(text), usage.ru_maxrss / 1024, wall)


def cpu_with_workers() -> float:
    """CPU seconds of this process and of the workers it forked and waited for (a first load
    parses, a render renders and a plan diffs in forked workers: their CPU is the stage's)."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + workers.ru_utime + workers.ru_stime


def exponent(sizes: Sequence[float], values: Sequence[float]) -> float | None:
    """The growth exponent b of values ~ a * size^b, by least squares on log-log."""
    pairs = [(math.log(s), math.log(v)) for s, v in zip(sizes, values, strict=True)
             if s > 0 and v > 0]
    if len(pairs) < 2:
        return None
    mx = sum(x for x, _ in pairs) / len(pairs)
    my = sum(y for _, y in pairs) / len(pairs)
    sxx = sum((x - mx) ** 2 for x, _ in pairs)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in pairs) / sxx


def fmt(value: object, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table, right-aligned numbers, one header rule."""
    cells = [[fmt(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return {"python": platform.python_version(), "cpus": os.cpu_count(),
            "machine": platform.machine(), "commit": commit or "unknown",
            "load_average": os.getloadavg(),
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def write_results(name: str, payload: dict[str, Any]) -> Path:
    folder = Path(os.environ.get(RESULTS_ENV) or RESULTS)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **payload}, indent=2) + "\n")
    return path


def inventory_for(n: int, workdir: Path, seed: int = 52) -> Path:
    """A generated inventory of ``n`` sites under ``workdir`` (reused when already there).

    Generated in a child process: a forked child inherits its parent's RSS high-water
    mark, so a parent that had built 30,000 sites in memory would inflate every later
    child's peak figure."""
    from benchmarks import generate

    version = hashlib.sha256(Path(generate.__file__).read_bytes()).hexdigest()[:16]
    dest = workdir / f"inv-{n}-s{seed}"
    stamp = workdir / f"inv-{n}-s{seed}.complete"  # beside it: plan digests every file in it
    if not stamp.exists() or stamp.read_text().strip() != version:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
        subprocess.run([sys.executable, generate.__file__, str(n), str(dest), "--seed",
                        str(seed)], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        stamp.write_text(version + "\n")
    return dest


def parse_sizes(text: str) -> list[int]:
    """``100,1k,3k,10k`` -> [100, 1000, 3000, 10000]."""
    out = []
    for word in text.split(","):
        word = word.strip().lower()
        scale = 1000 if word.endswith("k") else 1
        out.append(int(float(word.rstrip("k")) * scale))
    return out


@functools.cache
def compiled(tree: Path) -> None:
    """The tree's modules compiled to bytecode beforehand, as an installed package has them
    (pip compiles at install time): without it a process run with
    ``PYTHONDONTWRITEBYTECODE`` compiles every module it imports, every run, and its start
    measures the compiler."""
    compileall.compile_dir(str(tree.resolve() / "pydriver"), quiet=1)


def pydriver_command(tree: Path, argv: Sequence[str], cache: Path) -> tuple[float, float]:
    """``pydriver ARGV`` from the source tree ``tree``, in a process of its own with the
    user cache ``cache``: wall seconds, and CPU seconds with its forked workers. Exits
    naming the command if it fails."""
    compiled(tree)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(tree.resolve())}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pydriver.cli.main", *argv], env=env,
                          cwd=tempfile.gettempdir(), capture_output=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: pydriver {' '.join(argv[:1])} failed: "
                         f"{done.stderr.decode()[-2000:]}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
