"""Build pydriver's RouterOS v7 menu catalog from ``/console/inspect`` dumps.

The inputs are the public-domain ``inspect.json`` trees published by the tikoci/restraml
project (one per RouterOS version, ``docs/<version>/extra/inspect.json``, all packages
installed). The output keeps, per menu path, the commands it has and the argument names of
``add``, ``set`` and of every command that is not one of the standard list commands, unioned
over the versions given: a configuration written on any of those versions reads. Usage::

    python -m pydriver.platforms.mikrotik_routeros.catalog_build OUT.json.gz V=inspect.json ...
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

#: Commands whose arguments are the same everywhere (the console adds them to every menu).
STANDARD = frozenset({"print", "export", "find", "get", "edit", "comment", "enable", "disable",
                      "remove", "move", "unset", "reset"})
SKIP_ARGS = frozenset({"numbers", "copy-from", "place-before", "value-name", "number"})


def walk(node: dict[str, Any], path: tuple[str, ...], out: dict[str, dict[str, set[str]]]) -> None:
    for key, value in node.items():
        if not isinstance(value, dict):
            continue
        kind = value.get("_type")
        if kind in ("dir", "path"):
            here = (*path, key)
            out.setdefault(" ".join(here), {})
            walk(value, here, out)
        elif kind == "cmd":
            menu = out.setdefault(" ".join(path), {})
            args = menu.setdefault(key, set())
            if key in STANDARD and key != "set":
                continue  # the console gives every menu the same arguments for these
            args.update(k for k, v in value.items()
                        if isinstance(v, dict) and v.get("_type") == "arg")


def main(argv: list[str]) -> int:
    target = Path(argv[0])
    merged: dict[str, dict[str, set[str]]] = {}
    versions = []
    for spec in argv[1:]:
        version, _, source = spec.partition("=")
        versions.append(version)
        walk(json.loads(Path(source).read_text()), (), merged)
    menus = {path: {cmd: sorted(args) for cmd, args in sorted(cmds.items())}
             for path, cmds in sorted(merged.items())}
    document = {"source": "RouterOS /console/inspect (tikoci/restraml, public domain)",
                "versions": versions, "menus": menus}
    with gzip.open(target, "wt", encoding="utf-8") as handle:
        json.dump(document, handle, separators=(",", ":"), sort_keys=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
