"""``pydriver validate`` (or ``render --out``) as a command, from two source trees in turn:
before and after.

Each tree (a checkout or ``git worktree`` of any commit) runs ``python -m pydriver.cli.main
validate -i INVENTORY`` (``--command render``: ``render -i INVENTORY --out DIR``, into a
folder of its own that the runs of one round share, as an engineer's ``build/``) in a
process of its own, with a user cache of its own: first with the cache empty (nothing
parsed or compiled before: a CI job), then again (an engineer's second run), then after one
site's file changed (a line added to the first site file, taken out again after the run:
the site and its hubs are read, built and rendered anew, as after an edit). The trees
alternate, round after round, so that the machine's other work falls on both alike. Wall
and CPU seconds (forked workers included) of every run; prints a table and writes
``benchmarks/results/validate_before_after.json`` (``render_before_after.json``). Not a
test. Run:

    git worktree add /tmp/before <commit>
    python benchmarks/validate_before_after.py /tmp/before . [--sizes 3k,30k] [--rounds 3]
        [--command render]
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    inventory_for,
    parse_sizes,
    pydriver_command,
    table,
    write_results,
)


def _commit(tree: Path) -> str:
    done = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=False)
    return done.stdout.strip() or str(tree)


RUNS = ("first", "again", "changed")


@contextlib.contextmanager
def _changed(site: Path, change: bool) -> Iterator[None]:
    """``site`` with one more line for the run (a comment: the file's bytes, hence its
    router's and its hubs' inputs, change), put back as it was afterwards."""
    if not change:
        yield
        return
    text = site.read_bytes()
    site.write_bytes(text + b"# changed for the benchmark\n")
    try:
        yield
    finally:
        site.write_bytes(text)


def _run(tree: Path, inventory: Path, cache: Path, command: str) -> tuple[float, float]:
    argv = ["validate", "-i", str(inventory)] if command == "validate" else \
        ["render", "-i", str(inventory), "--out", str(cache / "build")]
    return pydriver_command(tree, argv, cache)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--sizes", default="3k")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--command", choices=("validate", "render"), default="validate")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "pydriver-bench")
    args = parser.parse_args()
    trees = {"before": args.before, "after": args.after}
    results: dict[str, Any] = {"commits": {k: _commit(t) for k, t in trees.items()},
                               "command": args.command, "rounds": args.rounds, "sizes": {}}
    rows = []
    for n in parse_sizes(args.sizes):
        inv = inventory_for(n, args.workdir)
        runs: dict[str, dict[str, list[float]]] = {
            k: {f"{run}_{what}": [] for run in RUNS for what in ("wall", "cpu")} for k in trees}
        site = min((inv / "sites").glob("*.yml"))
        for _ in range(args.rounds):
            for name, tree in trees.items():
                cache = Path(tempfile.mkdtemp(prefix="pd-before-after-"))
                try:
                    for run in RUNS:
                        with _changed(site, run == "changed"):
                            wall, cpu = _run(tree, inv, cache, args.command)
                        runs[name][f"{run}_wall"].append(round(wall, 3))
                        runs[name][f"{run}_cpu"].append(round(cpu, 3))
                finally:
                    shutil.rmtree(cache, ignore_errors=True)
        results["sizes"][str(n)] = runs
        for name in trees:
            med = {k: statistics.median(v) for k, v in runs[name].items()}
            rows.append((n, f"{name} ({results['commits'][name]})",
                         f"{med['first_cpu']:.2f} / {med['first_wall']:.2f}",
                         f"{med['again_cpu']:.2f} / {med['again_wall']:.2f}",
                         f"{med['changed_cpu']:.2f} / {med['changed_wall']:.2f}"))
    shown = "validate" if args.command == "validate" else "render --out"
    print(f"`pydriver {shown}`, seconds CPU / wall, medians of {args.rounds} rounds")
    print(table(("N", "tree", "first, no cache", "again", "one site changed"), rows))
    print(f"wrote {write_results(f'{args.command}_before_after', results)}")


if __name__ == "__main__":
    main()
