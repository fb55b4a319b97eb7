"""One pass through the pure stages: inventory -> Source -> Network -> intents -> rendered.

A command builds one :class:`Pipeline` and asks it for what it needs; each stage is computed
once, on first use, from the previous stage's typed output and kept for the rest of the
command. Nothing downstream reads the inventory path again, so the Nornir inventory, the
plan, the apply and the Ansible inventory of one command all see exactly the same validated
network, and a large inventory is parsed once, not once per consumer.

The platforms are handed to the lower stages here (validation, intent and render each
declare the little they need of a platform as a Protocol): this is the one place where the
registry meets the stages.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from functools import cached_property
from pathlib import Path

import jinja2

from pydriver.bulk import heap_settled
from pydriver.codebase import code_digest, still_current
from pydriver.compliance.assess import assess, waiver_problems
from pydriver.compliance.checks import NetworkView
from pydriver.compliance.model import Report
from pydriver.errors import RenderError, SourceError
from pydriver.intent.build import build
from pydriver.intent.model import DeviceIntent
from pydriver.plan.make import make_plan, sot_ref
from pydriver.plan.model import Plan, SotRef
from pydriver.platforms.base import PlatformDriver
from pydriver.platforms.facts import ConfigFacts
from pydriver.platforms.registry import driver
from pydriver.render import check_cache, template_cache
from pydriver.render.environment import environment
from pydriver.render.render import (
    RenderedConfig,
    check,
    digest,
    executable,
    on_disk,
    render,
    render_one,
    write,
)
from pydriver.sot import parse_cache, peers, publish
from pydriver.sot.federation import Registry
from pydriver.sot.loader import Source, load
from pydriver.sot.models import Network, Platform
from pydriver.sot.secrets import Resolver
from pydriver.sot.validate import validate, where_host

__all__ = ["DEFAULT_INVENTORY", "STATE_ENV", "Pipeline", "default_state"]

DEFAULT_INVENTORY = Path("inventory")
STATE_ENV = "PYDRIVER_STATE"


def default_state(inventory: Path, state: Path | None = None) -> Path:
    """Where an inventory's lab, apply lock and audit log live: ``state`` when given, else
    ``PYDRIVER_STATE``, else ``.pydriver`` beside the inventory.

    Beside the inventory, not in the working directory: two inventories on one machine
    (a province and a kabupaten, two checkouts) must not share a lab or a lock, and one
    inventory must find its audit log whichever directory a command is run from."""
    if state is not None:
        return state
    env = os.environ.get(STATE_ENV)
    if env:
        return Path(env)
    return inventory.absolute().parent / ".pydriver"


class Pipeline:
    """The stages of one command, each computed lazily and once.

    ``environ`` is where secrets are resolved from (the process environment by default);
    ``state`` is where the inventory's lab, lock and audit log live (:func:`default_state`).
    ``cache``: files parsed before, and templates compiled before, are read from the
    user's cache (:mod:`parse_cache`, :mod:`template_cache`), and the cache is kept up to
    date; off for a throwaway copy (a review's base), whose cache would never be read
    again.
    """

    def __init__(self, inventory: Path = DEFAULT_INVENTORY, *, require_secrets: bool = False,
                 environ: Mapping[str, str] | None = None, state: Path | None = None,
                 cache: bool = True) -> None:
        self.inventory = inventory
        self.cache = cache
        self.state = default_state(inventory, state)
        self.require_secrets = require_secrets
        self.environ = environ
        # stages are computed on first use; Nornir worker threads may ask at once
        self._lock = threading.RLock()
        self._one: dict[str, RenderedConfig] = {}
        if cache:
            # the code's digest, which the caches' keys carry, taken as the command starts,
            # close to when the code was imported (see _remember)
            code_digest()

    @staticmethod
    def driver(platform: Platform | str) -> PlatformDriver:
        """The registered driver of ``platform`` (the only way stages reach a platform)."""
        return driver(str(platform))

    @cached_property
    def source(self) -> Source:
        with self._lock:
            kept = parse_cache.location(self.inventory) if self.cache else None
            return load(self.inventory, cache=kept)

    @cached_property
    def network(self) -> Network:
        with self._lock:
            net = validate(self.source, self.driver, require_secrets=self.require_secrets)
            problems = waiver_problems(net, self.source)
            if problems:
                raise SourceError(problems)
            return net

    @cached_property
    def registry(self) -> Registry | None:
        """The federation's registry (validated with the network), when there is one."""
        with self._lock:
            assert self.network is not None  # its problems are the network's
            doc = self.source.registry
            return None if doc is None else Registry.model_validate(doc.data)

    def _encapsulation(self, platform: Platform) -> str:
        return self.driver(platform).encapsulation

    def published(self) -> dict[str, str]:
        """What the region publishes for its neighbours, by file name (no secrets)."""
        return publish.export(self.network, self._encapsulation)

    def check_peers(self, peer_dir: Path) -> None:
        """Raise SourceError naming every disagreement with the peers' published files."""
        region = self.source.region
        assert region is not None  # a network was validated from it
        problems = peers.check(self.network, region, self.registry, peer_dir,
                               self._encapsulation)
        if problems:
            raise SourceError(sorted(problems, key=lambda p: (
                (p.location.file, p.location.line, p.location.column) if p.location else
                ("", 0, 0), p.message)))

    @cached_property
    def inputs(self) -> dict[str, str]:
        """Per router, a hash of everything its intent is built from. Equal inputs give an
        equal intent, which a one-site plan then need not hash (:func:`make_plan`).

        A site router's: its site file, the inventory's shared files (region.yml,
        servers.yml, waivers.yml, the registry) and the code. A hub's: the shared files,
        the code, and the files of the sites linked to it, in the network's order (a
        site that links to it or stops doing so changes its key). A router whose file
        cannot be told from its data has none, nor has a hub linked to such a site; they
        are hashed every time."""
        source, hosts = self.source, {s.router.hostname for s in self.network.sites}
        shared = hashlib.sha256(code_digest().encode())
        for doc in (source.region, source.servers, source.waivers, source.registry):
            shared.update(b"\0" + (doc.digest.encode() if doc is not None else b"-"))
        digests: dict[str, str] = {}
        twice: set[str] = set()
        for doc in source.sites:
            router = doc.data.get("router") if isinstance(doc.data, dict) else None
            host = router.get("hostname") if isinstance(router, dict) else None
            if not isinstance(host, str) or host not in hosts or not doc.digest:
                continue
            if host in digests:
                twice.add(host)
            digests[host] = doc.digest
        keys: dict[str, str] = {}
        for host, file_digest in digests.items():
            if host not in twice:
                key = shared.copy()
                key.update(b"\0" + file_digest.encode())
                keys[host] = key.hexdigest()
        hubs = {h.hostname: shared.copy() for h in self.network.hubs()}
        for hub, key in hubs.items():
            key.update(b"\0hub\0" + hub.encode())
        for site in self.network.sites:
            host = site.router.hostname
            for hub in dict.fromkeys(link.hub for link in site.links):
                behind = hubs.get(hub)
                if behind is None:
                    continue
                if host not in keys:
                    del hubs[hub]
                    continue
                behind.update(b"\0" + digests[host].encode())
        keys.update((hub, behind.hexdigest()) for hub, behind in hubs.items())
        return keys

    @cached_property
    def platforms(self) -> dict[str, Platform]:
        """Every router's platform by hostname, hubs first, as :attr:`intents` has them,
        from the network alone: a command that renders nothing new (every router's inputs
        known to render) builds no intent."""
        net = self.network
        return {**{h.hostname: h.platform for h in net.hubs()},
                **{s.router.hostname: s.router.platform for s in net.sites}}

    @cached_property
    def intents(self) -> dict[str, DeviceIntent]:
        with self._lock:
            return build(self.network, self.driver)

    @cached_property
    def rendered(self) -> dict[str, RenderedConfig]:
        with self._lock, self._located():
            return render(self.intents, self.driver, compiled=self._compiled)

    def check_rendering(self) -> None:
        """Raise the RenderError of the first router that cannot be rendered, keeping no
        config (validation's question, :func:`render.check`). Routers whose inputs key
        rendered at the last successful check are not rendered again (:mod:`check_cache`):
        a command run again after a one-site change renders that site and its hubs."""
        with self._lock, self._located():
            if "rendered" in self.__dict__:
                return
            kept, keys, known = self._known()
            stale = [h for h in self.platforms if keys.get(h) not in known]
            if known:
                _ = self._environment  # every platform's, as a full render has (filters)
            digests = check({h: self.intents[h] for h in stale}, self.driver,
                            compiled=self._compiled) if stale else {}
            self._remember(kept, keys, known, digests)

    def write_rendered(self, out: Path) -> list[Path]:
        """Every router's files written under ``out/<router>/`` (:func:`render.write`), in
        hostname order. A router whose inputs key rendered before, and whose folder holds
        exactly what it rendered to (:mod:`check_cache`), is not rendered again: ``render
        --out`` run again after a one-site change renders that site and its hubs."""
        with self._lock, self._located():
            kept, keys, known = self._known()
            routers = self.platforms
            names = {h: [name for name, _ in self.driver(p).files] for h, p in routers.items()}
            if "rendered" in self.__dict__:
                configs = self.rendered
            else:
                if known:
                    _ = self._environment  # every platform's, as a full render has
                stale = [h for h in routers if keys.get(h) not in known
                         or on_disk(out / h, names[h]) != known[keys[h]]]
                configs = render({h: self.intents[h] for h in stale}, self.driver,
                                 compiled=self._compiled) if stale else {}
            write(configs, out)
            executable(out / h / name for h in routers if h not in configs
                       for name in names[h])  # those written are already
            paths = [out / h / name for h in sorted(routers) for name in names[h]]
            self._remember(kept, keys, known,
                           {h: digest(c.files) for h, c in configs.items()})
            return paths

    def _known(self) -> tuple[Path | None, dict[str, str], dict[str, str]]:
        """Where the rendered keys are kept, each router's key, and the keys known to
        render (with their digest); nothing without a cache."""
        kept = check_cache.location(self.inventory) if self.cache else None
        if kept is None:
            return None, {}, {}
        return kept, self.inputs, check_cache.read(kept)

    def _remember(self, kept: Path | None, keys: Mapping[str, str], known: Mapping[str, str],
                  digests: Mapping[str, str]) -> None:
        """Keep the keys of every router now known to render: those just rendered (with
        their ``digests``) and those that were known; only today's keys. Nothing when the
        code changed during the command (a checkout, an edit): what rendered was then
        neither the code the keys name nor, perhaps, any one code."""
        if kept is not None and still_current():
            check_cache.write(kept, {key: digests.get(h) or known[key]
                                     for h in self.platforms if (key := keys.get(h))})

    @contextmanager
    def _located(self) -> Iterator[None]:
        """A render error with where its router is written in the source of truth."""
        try:
            yield
        except RenderError as exc:
            if exc.location is not None:
                raise
            # the template knows the host; the source knows where the host is written
            raise RenderError(exc.host, exc.message,
                              where_host(self.source, exc.host)) from exc

    @cached_property
    def _environment(self) -> jinja2.Environment:
        used = sorted(set(self.platforms.values()))
        return environment(tuple(self.driver(p) for p in used), self._compiled)

    @cached_property
    def _compiled(self) -> Path | None:
        """Where compiled templates are kept (none for a throwaway copy, as parsed files)."""
        return template_cache.location(self.inventory) if self.cache else None

    def render_host(self, host: str) -> RenderedConfig:
        """One router rendered (all of them are when ``rendered`` was asked for already):
        a plan that reuses most of an earlier one renders only what changed."""
        with self._lock:
            if "rendered" in self.__dict__:
                return self.rendered[host]
            if host not in self._one:
                intent = self.intents[host]
                self._one[host] = render_one(intent, self.driver(intent.platform),
                                             self._environment)
            return self._one[host]

    @cached_property
    def sot(self) -> SotRef:
        """Which source of truth this is: git commit and a digest of the inventory files."""
        with self._lock:
            return sot_ref(self.inventory)

    @cached_property
    def resolver(self) -> Resolver:
        environ = None if self.environ is None else dict(self.environ)
        return Resolver(self.inventory, environ)

    def check(self, running: Mapping[str, tuple[str, str]] | None = None,
              assessed_from: str = "rendered", folder: str = "build",
              view: NetworkView | None = None, today: date | None = None,
              why_missing: str = "no backup of this router",
              provisioned: Mapping[str, ConfigFacts] | None = None) -> Report:
        """The compliance report: on the rendered configs (as ``render --out folder``
        writes them), or on ``running`` (host -> (config text, file it was read from));
        a router missing from ``running`` is not assessed. ``provisioned`` adds, to the
        rendered configs, what another tool provisions on a router beside them (the Linux
        routers' host baseline); the rendered files win where both say something."""
        facts: dict[str, ConfigFacts | None]
        if running is None:
            extra = provisioned or {}
            facts = {h: _with(self.driver(r.platform).rendered_facts(r, f"{folder}/{h}"),
                              extra.get(h))
                     for h, r in self.rendered.items()}
        else:
            facts = {h: self.driver(i.platform).facts(h, *running[h]) if h in running
                     else None for h, i in self.intents.items()}
        return assess(self.network, self.source, self.intents, facts, assessed_from,
                      view or NetworkView(self.network, self.source, self.intents), today,
                      why_missing)

    @heap_settled()
    def plan(self, running: Mapping[str, str], source: str,
             skipped: Mapping[str, str] | None = None, hosts: set[str] | None = None,
             previous: Plan | None = None) -> Plan:
        """A plan of ``hosts`` (all by default) against ``running`` (scrubbed texts);
        routers unchanged since ``previous`` keep their part of it."""
        intents = self.intents if hosts is None else \
            {h: i for h, i in self.intents.items() if h in hosts}
        return make_plan(intents, self.render_host, running, self.sot, source, skipped,
                         network=self.intents, previous=previous, inputs=self.inputs)


def _with(rendered: ConfigFacts, provisioned: ConfigFacts | None) -> ConfigFacts:
    if provisioned is None:
        return rendered
    return ConfigFacts(rendered.host, rendered.platform,
                       {**provisioned.facts, **rendered.facts}, rendered.tunnels)
