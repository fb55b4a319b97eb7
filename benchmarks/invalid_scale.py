"""A region with errors in it: does validate still list every one, as fast as a valid one?

For each N (default 3k; ``--nation`` adds 30k) the generated inventory is copied and one
site in every ``--every`` (default 100) is broken, four ways in turn:

    yaml       a line that is not YAML (the file cannot be read at all)
    type       ``id: not-a-number`` (the schema refuses the value)
    reference  a link to a hub that does not exist
    duplicate  the code of another site

Then load + validate runs on the valid copy and on the broken one, each in a fresh child
process with no user cache. Reported: CPU seconds of both (the load's forked workers
included) and their ratio, wall seconds, how many files were broken, how many problems
were listed, and how many broken files no problem names, at its location or in its
message (must be 0). Prints a table, writes ``benchmarks/results/invalid_scale.json``.
Not a test. Run:

    python benchmarks/invalid_scale.py [--sizes 3k] [--nation] [--every 100]
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    cpu_with_workers,
    inventory_for,
    parse_sizes,
    run_child,
    scale_options,
    table,
    write_results,
)

KINDS = ("yaml", "type", "reference", "duplicate")


def break_sites(inv: Path, every: int) -> dict[str, str]:
    """Break one site file in ``every``; file name -> how it was broken."""
    files = sorted((inv / "sites").glob("*.yml"))
    broken: dict[str, str] = {}
    for n, path in enumerate(files[::every]):
        kind = KINDS[n % len(KINDS)]
        text = path.read_text(encoding="utf-8")
        if kind == "yaml":
            text += "links: [unclosed\n"
        elif kind == "type":
            text = re.sub(r"(?m)^id: \d+$", "id: not-a-number", text, count=1)
        elif kind == "reference":
            text = re.sub(r"(?m)^  hub: \S+$", "  hub: hub-nowhere-01", text, count=1)
        else:
            other = files[(files.index(path) + 1) % len(files)].stem
            text = re.sub(r"(?m)^code: \S+$", f"code: {other}", text, count=1)
        path.write_text(text, encoding="utf-8")
        broken[path.name] = kind
    return broken


def child(inventory: Path) -> dict[str, Any]:
    from pydriver.errors import SourceError
    from pydriver.pipeline import Pipeline

    started, wall = cpu_with_workers(), time.perf_counter()
    try:
        # no user cache: both regions are parsed from their bytes, as in a CI job
        _ = Pipeline(inventory, cache=False).network
        problems: list[tuple[str, str]] = []
    except SourceError as exc:
        problems = [(p.location.file if p.location else "", p.message) for p in exc.problems]
    return {"seconds": round(cpu_with_workers() - started, 3),
            "wall": round(time.perf_counter() - wall, 3), "problems": problems}


def main() -> None:
    parser = scale_options(__doc__.splitlines()[0], "3k")
    parser.add_argument("--nation", action="store_true", help="add 30k")
    parser.add_argument("--every", type=int, default=100)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    sizes = parse_sizes(args.sizes) + ([30000] if args.nation else [])
    rows, results = [], {}
    for n in sizes:
        inv = inventory_for(n, args.workdir)
        work = Path(tempfile.mkdtemp(prefix="pd-invalid-"))
        bad = work / "inventory"
        shutil.copytree(inv, bad)
        broken = break_sites(bad, args.every)
        valid = run_child([__file__, "--child", str(inv)]).data
        invalid = run_child([__file__, "--child", str(bad)]).data
        shutil.rmtree(work)
        # a duplicate is told at the later file, naming the earlier one in its message
        named = {Path(f).name for f, _ in invalid["problems"]} | {
            name for name in broken if any(name in message for _, message in invalid["problems"])}
        unnamed = sorted(set(broken) - named)
        by_kind = {k: sum(1 for f, kind in broken.items() if kind == k and f in named)
                   for k in KINDS}
        ratio = invalid["seconds"] / valid["seconds"] if valid["seconds"] else None
        results[str(n)] = {"valid_seconds": valid["seconds"], "valid_wall": valid["wall"],
                           "invalid_wall": invalid["wall"], "valid_problems":
                           len(valid["problems"]), "invalid_seconds": invalid["seconds"],
                           "ratio": ratio, "broken_files": len(broken),
                           "problems": len(invalid["problems"]), "named_by_kind": by_kind,
                           "broken_files_not_named": unnamed}
        rows.append((n, valid["seconds"], invalid["seconds"],
                     f"{ratio:.2f}" if ratio else "-", valid["wall"], invalid["wall"],
                     len(broken), len(invalid["problems"]), len(unnamed)))
    print(table(("N", "valid cpu s", "broken cpu s", "ratio", "valid wall s",
                 "broken wall s", "files broken", "problems listed",
                 "broken files not named"), rows))
    print(f"wrote {write_results('invalid_scale', {'every': args.every, 'sizes': results})}")


if __name__ == "__main__":
    main()
