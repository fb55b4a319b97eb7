"""The render stage: DeviceIntent -> RenderedConfig (the files one router is configured from).

Each platform names its files and templates (its driver, handed in by the pipeline as a
``TemplateSet``); everything else is in the templates and their shared macros. Output is
byte-deterministic (sorted inputs, no clocks, no hostnames of the machine) so a rendered
tree can be diffed in review and committed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2

from pydriver import fanout
from pydriver.bulk import stage
from pydriver.errors import RenderError
from pydriver.intent.model import DeviceIntent
from pydriver.render.environment import TemplateSet, environment
from pydriver.sot.models import Platform

Platforms = Callable[[Platform], TemplateSet]


@dataclass(frozen=True, slots=True)
class RenderedConfig:
    """One router's rendered files: (name, text) in a fixed order."""

    hostname: str
    platform: Platform
    files: tuple[tuple[str, str], ...]

    def file(self, name: str) -> str:
        return dict(self.files)[name]

    @property
    def main(self) -> str:
        return self.files[0][1]


def render_one(intent: DeviceIntent, platform: TemplateSet, env: jinja2.Environment
               ) -> RenderedConfig:
    files = []
    for name, pattern in platform.files:
        template = f"{platform.name}/{pattern.format(role=intent.role)}"
        try:
            text = env.get_template(template).render(d=intent)
        except (jinja2.TemplateError, ValueError, KeyError, StopIteration) as exc:
            raise RenderError(intent.hostname, f"{template}: {type(exc).__name__}: {exc}") from exc
        files.append((name, _tidy(text, keep_blank=platform.keep_blank_lines)))
    return RenderedConfig(intent.hostname, intent.platform, tuple(files))


def _tidy(text: str, keep_blank: bool) -> str:
    """Drop blank lines left by skipped blocks (router consoles have none; config files
    keep single ones for readability); strip trailing spaces; end with one newline.

    Lines end at ``\n`` only: a value may legitimately hold another character Python
    counts as a line break (inside a quoted string), and splitting there would turn part
    of a value into a line of its own."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip(" \t\r")
        if not line and (not keep_blank or not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


#: Routers (a hub counts one more per 8 tunnels) below which rendering them in forked
#: workers costs more than it saves.
WORTH_FORKING = 400


def _job(intents: Mapping[str, DeviceIntent], platforms: Platforms, compiled: Path | None
         ) -> tuple[list[str], list[int], Callable[[str], RenderedConfig]]:
    """The routers in hostname order, their weights (a hub counts one more per 8 tunnels)
    and what renders one."""
    used = {i.platform: platforms(i.platform) for i in intents.values()}
    env = environment(tuple(used[p] for p in sorted(used)), compiled)
    hosts = sorted(intents)

    def one(host: str) -> RenderedConfig:
        return render_one(intents[host], used[intents[host].platform], env)

    return hosts, [1 + len(intents[h].tunnels) // 8 for h in hosts], one


@stage
def render(intents: Mapping[str, DeviceIntent], platforms: Platforms,
           processes: int | None = None, compiled: Path | None = None
           ) -> dict[str, RenderedConfig]:
    """Render every router, in hostname order; side by side in ``processes`` workers
    (:mod:`pydriver.fanout`; None: one per CPU when there are enough routers).
    ``compiled``: where compiled templates are kept between processes (None: nowhere)."""
    hosts, weights, one = _job(intents, platforms, compiled)
    return dict(zip(hosts, fanout.run(one, hosts, weights, WORTH_FORKING, processes),
                    strict=True))


@stage
def check(intents: Mapping[str, DeviceIntent], platforms: Platforms,
          processes: int | None = None, compiled: Path | None = None) -> dict[str, str]:
    """Render every router as :func:`render` does, keeping only each one's :func:`digest`:
    what validation needs (a template that cannot render a router is a problem in the
    source of truth) without the workers sending every config back (about 13 KB a router,
    380 MB at 30,000 sites) only to be dropped. Raises the first router's RenderError, in
    hostname order."""
    hosts, weights, one = _job(intents, platforms, compiled)

    def digested(host: str) -> str:
        return digest(one(host).files)

    return dict(zip(hosts, fanout.run(digested, hosts, weights, WORTH_FORKING, processes),
                    strict=True))


def digest(files: Iterable[tuple[str, str | bytes]]) -> str:
    """One router's files, names and bytes as :func:`write` writes them, in one hash: a
    folder written earlier can be told to hold exactly what a render would write."""
    h = hashlib.sha256()
    for name, text in files:
        data = text.encode("utf-8") if isinstance(text, str) else text
        h.update(b"%s\0%d\0" % (name.encode("utf-8"), len(data)))
        h.update(data)
    return h.hexdigest()


def on_disk(folder: Path, names: Iterable[str]) -> str | None:
    """The :func:`digest` of the files ``names`` in ``folder``; None if one is missing or
    is not a plain file."""
    files = []
    for name in names:
        path = folder / name
        if path.is_symlink() or not path.is_file():
            return None
        try:
            files.append((name, path.read_bytes()))
        except OSError:
            return None
    return digest(files)


def write(configs: Mapping[str, RenderedConfig], out: Path) -> list[Path]:
    """Write one directory per router; files are rewritten only when their bytes change."""
    written = []
    for host in sorted(configs):
        folder = out / host
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in configs[host].files:
            path = folder / name
            data = text.encode("utf-8")
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)
            written.append(path)
    executable(written)
    return written


def executable(paths: Iterable[Path]) -> None:
    """Scripts (``.sh``) are written runnable, whoever wrote them last."""
    for path in paths:
        if path.name.endswith(".sh"):
            path.chmod(0o755)
