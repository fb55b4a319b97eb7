"""How long the load stage takes for N generated site files (YAML parse with marks).

Not a test: it prints figures. Each generated site is one of the example's site files with
its id, code and hostname renumbered, so the YAML has the shapes a real inventory has. Run:

    .venv/bin/python benchmarks/load_scale.py --sites 3000 [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydriver.sot.loader import load  # noqa: E402


def make_inventory(dest: Path, sites: int) -> Path:
    inv = dest / "inventory"
    (inv / "sites").mkdir(parents=True)
    for name in ("region.yml", "servers.yml"):
        shutil.copy(ROOT / "inventory" / name, inv / name)
    examples = sorted((ROOT / "inventory" / "sites").glob("*.yml"))
    texts = [p.read_text(encoding="utf-8") for p in examples]
    for n in range(1, sites + 1):
        text = texts[n % len(texts)]
        text = re.sub(r"(?m)^id: \d+$", f"id: {n}", text)
        text = re.sub(r"(?m)^code: \S+$", f"code: s{n:05d}", text)
        text = re.sub(r"(?m)^(\s+hostname:) \S+$", rf"\1 rtr-s{n:05d}", text)
        (inv / "sites" / f"s{n:05d}.yml").write_text(text, encoding="utf-8")
    return inv


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inv = make_inventory(Path(tmp), args.sites)
        size = sum(p.stat().st_size for p in inv.rglob("*.yml"))
        times = []
        for _ in range(args.repeat):
            start = time.process_time()
            source = load(inv)
            times.append(time.process_time() - start)
        assert len(source.sites) == args.sites and not source.problems, source.problems[:3]
        print(f"{args.sites} site files, {size / 1e6:.1f} MB: load CPU "
              f"median {statistics.median(times):.2f} s, min {min(times):.2f} s "
              f"({1e3 * min(times) / args.sites:.2f} ms per file)")


if __name__ == "__main__":
    main()
