"""The exec commands that work on bootflash files and archived configurations.

NAPALM's IOS config workflow and Netmiko's file transfer are built on these: ``dir <file>``
proves a file exists (and gives its size), ``verify /md5`` proves an upload arrived intact,
``show archive config differences`` is the diff of a replace, ``show archive config
incremental-diffs`` the commands a merge would send. Their output is IOS-XE's, because those
clients find what they need in it with regular expressions.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydriver.platforms.cisco_ios.engine.interp import ConfigInterpreter
from pydriver.platforms.cisco_ios.engine.render import render

if TYPE_CHECKING:
    from pydriver.platforms.cisco_ios.engine.engine import IOSEngine

FILE_SYSTEMS = ("bootflash:", "flash:")
_IMAGE_INDEX = 11


def _stamp(t: float) -> str:
    return time.strftime("%b %d %Y %H:%M:%S +00:00", time.gmtime(t))


def _footer(used: int) -> str:
    total = 7_341_807_616
    return f"\n{total} bytes total ({total - used} bytes free)\n"


def file_system_of(path: str) -> str | None:
    """``bootflash:`` for ``bootflash:/x``; None for a path on no known file system."""
    if ":" not in path:
        return "bootflash:"
    fs = path[: path.index(":") + 1]
    return "bootflash:" if fs in FILE_SYSTEMS else None


def dir_listing(engine: IOSEngine, path: str | None) -> str:
    """``dir [fs:][/file]``: the whole file system, or one file (as NAPALM checks it)."""
    from pydriver.platforms.cisco_ios.engine.show import image_name  # one image name

    image = image_name(engine)
    entries = [(image, 734_003_200, engine.booted_at)]
    entries += [(n, len(f.content.encode()), f.mtime) for n, f in sorted(engine.bootflash.items())]
    used = sum(size for _n, size, _t in entries)
    arg = path or "bootflash:/"
    fs = file_system_of(arg)
    if fs is None:
        return f"%Error opening {arg} (No such device)\n"
    name = engine.file_name(arg)
    shown = [
        (index, n, size, t)
        for index, (n, size, t) in enumerate(entries, start=_IMAGE_INDEX)
        if not name or n == name
    ]
    if name and not shown:
        return f"%Error opening {arg} (No such file or directory)\n"
    header = f"Directory of {arg if name else fs + '/'}\n\n"
    lines = [f"{index:>5}  -rw-  {size:>15}  {_stamp(t)}  {n}" for index, n, size, t in shown]
    return header + "\n".join(lines) + "\n" + _footer(used)


def verify_md5(engine: IOSEngine, path: str) -> str:
    """``verify /md5 <file>``: the digest Netmiko compares with the local file's."""
    content = engine.read_file(path)
    if content is None:
        return f"%Error opening {path} (No such file or directory)\n"
    digest = hashlib.md5(content.encode(), usedforsecurity=False).hexdigest()
    return f"{'.' * 24}Done!\nverify /md5 ({path}) = {digest}\n"


# ---------------------------------------------------------------- archive diffs


@dataclass
class _Block:
    text: str
    children: list[_Block] = field(default_factory=list)


def _blocks(text: str) -> list[_Block]:
    """Rendered config text as a tree by indentation (``!`` and ``end`` are not lines)."""
    root = _Block("")
    stack: list[tuple[int, _Block]] = [(-1, root)]
    for line in text.splitlines():
        if not line.strip() or line.strip() in ("!", "end") or line.strip().startswith("exit-"):
            continue  # a block's closing line belongs to the block, it is not a setting
        depth = len(line) - len(line.lstrip(" "))
        while stack[-1][0] >= depth:
            stack.pop()
        block = _Block(line.strip())
        stack[-1][1].children.append(block)
        stack.append((depth, block))
    return root.children


def _all(block: _Block, sign: str, depth: int, out: list[str]) -> None:
    out.append(" " * depth + sign + block.text)
    for child in block.children:
        _all(child, sign, depth + 1, out)


def _diff(old: list[_Block], new: list[_Block], depth: int, out: list[str]) -> None:
    theirs = {b.text: b for b in new}
    ours = {b.text: b for b in old}
    for block in old:
        if block.text not in theirs:
            _all(block, "-", depth, out)
    for block in new:
        before = ours.get(block.text)
        if before is None:
            _all(block, "+", depth, out)
            continue
        inner: list[str] = []
        _diff(before.children, block.children, depth + 1, inner)
        if inner:
            out.append(" " * depth + block.text)
            out.extend(inner)


def _parsed(engine: IOSEngine, text: str) -> str:
    return render(engine.load(text).config)


def contextual_diff(engine: IOSEngine, old: str, new: str) -> str:
    """``show archive config differences``: what changes from one configuration to the
    other, each changed line under the lines that give it context (IOS's own format)."""
    texts: list[str] = []
    for given in (old, new):
        path = given.replace(":/", ":")
        if path in ("system:running-config", "running-config"):
            texts.append(engine.running_text())
        elif path in ("nvram:startup-config", "startup-config"):
            texts.append(_parsed(engine, engine.startup))
        else:
            content = engine.read_file(given)
            if content is None:
                return f"%Error opening {given} (No such file or directory)\n"
            texts.append(_parsed(engine, content))
    out: list[str] = []
    _diff(_blocks(texts[0]), _blocks(texts[1]), 0, out)
    body = "\n".join(out) + "\n" if out else "!No changes were found\n"
    return "!Contextual Config Diffs:\n" + body


def incremental_diff(engine: IOSEngine, path: str) -> str:
    """``show archive config incremental-diffs <file>``: the file's lines that would change
    the running configuration if merged, each under the sub-mode lines that lead to it."""
    content = engine.read_file(path)
    if content is None:
        return f"%Error opening {path} (No such file or directory)\n"
    trial = engine.running.copy()
    changes = [0]

    def bump() -> None:
        changes[0] += 1

    trial.on_change = bump
    interp = ConfigInterpreter(trial, engine.ports)
    out: list[str] = []
    context: list[str] = []  # context[i]: the line that opened stack frame i + 1
    shown: list[str] = []  # the context path last printed
    for raw in content.splitlines():
        line = raw.rstrip()
        if not interp.in_banner and line.strip() == "end":
            break
        before, frames = changes[0], [id(f.node) for f in interp.stack]
        outcome = interp.feed(raw)
        depth = len(interp.stack)
        opened = depth > 1 and id(interp.stack[-1].node) not in frames
        parents = context[: depth - 2] if opened else context[: depth - 1]
        context = [*parents, line] if opened else parents
        if outcome.error or changes[0] == before:
            continue
        common = 0
        while common < min(len(parents), len(shown)) and parents[common] == shown[common]:
            common += 1
        out += parents[common:]
        out.append(line)
        shown = context
    if not out:
        return "!List of Commands:\nend\n!No changes were found\n"
    return "!List of Commands:\n" + "\n".join(out) + "\nend\n"
