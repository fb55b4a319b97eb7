"""ansible-runner over the generated inventory: one run, its events, a per-host summary.

ansible-runner is used instead of shelling out to ansible-playbook because it hands over a
structured event per task and host, which is what the progress display, the check-mode plan
(diffs per task) and the summary are made from, with no parsing of Ansible's text output.

Secrets never reach disk through the runner: the inventory carries only lookups, the
environment files of the artifact directory are suppressed, the private data directory is
a temporary one removed after the run, and every text taken from an event is scrubbed of
the resolved secret values before it is kept.
"""

from __future__ import annotations

import difflib
import json
import os
import shlex
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydriver.errors import ServersError
from pydriver.servers.inventory import ServerInventory

VAULT_PASSWORD_ENV = "PYDRIVER_VAULT_PASSWORD"


@dataclass(frozen=True, slots=True)
class Event:
    """What the progress display needs of one Ansible event."""

    kind: str  # "play" | "task" | "ok" | "changed" | "failed" | "unreachable" | "skipped"
    host: str | None
    task: str


@dataclass(frozen=True, slots=True)
class HostSummary:
    host: str
    ok: int = 0
    changed: int = 0
    failed: int = 0
    unreachable: int = 0
    skipped: int = 0

    @property
    def healthy(self) -> bool:
        return not self.failed and not self.unreachable


@dataclass(frozen=True, slots=True)
class TaskResult:
    """A task that changed (or would change, in check mode) or failed on one host."""

    host: str
    task: str
    status: str  # "changed" | "failed" | "unreachable"
    detail: str = ""  # unified diff (changed) or the error message (failed), scrubbed


@dataclass(frozen=True, slots=True)
class RunResult:
    playbook: str
    check: bool
    rc: int
    hosts: tuple[HostSummary, ...]
    results: tuple[TaskResult, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return self.rc == 0 and all(h.healthy for h in self.hosts)

    @property
    def changed(self) -> int:
        return sum(h.changed for h in self.hosts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "playbook": self.playbook, "check": self.check, "ok": self.ok, "rc": self.rc,
            "seconds": round(self.seconds, 1),
            "hosts": {h.host: {"ok": h.ok, "changed": h.changed, "failed": h.failed,
                               "unreachable": h.unreachable, "skipped": h.skipped}
                      for h in self.hosts},
            "results": [{"host": r.host, "task": r.task, "status": r.status,
                         "detail": r.detail} for r in self.results],
        }


@dataclass
class _Collector:
    """Turns runner events into Event callbacks and TaskResults (scrubbed)."""

    scrub: Callable[[str], str]
    on_event: Callable[[Event], None]
    results: list[TaskResult] = field(default_factory=list)
    stats: dict[str, dict[str, int]] = field(default_factory=dict)

    def __call__(self, raw: dict[str, Any]) -> bool:
        kind = raw.get("event", "")
        data = raw.get("event_data") or {}
        task = str(data.get("task") or data.get("play") or "")
        host = str(data.get("host") or "")
        if kind == "playbook_on_play_start":
            self.on_event(Event("play", None, str(data.get("play", ""))))
        elif kind == "playbook_on_task_start":
            self.on_event(Event("task", None, task))
        elif kind == "runner_on_ok":
            res = data.get("res") or {}
            status = "changed" if res.get("changed") else "ok"
            if status == "changed":
                self.results.append(TaskResult(host, task, "changed", self._diff(res)))
            self.on_event(Event(status, host, task))
        elif kind in ("runner_on_failed", "runner_on_unreachable"):
            if kind == "runner_on_failed" and data.get("ignore_errors"):
                return True
            status = "failed" if kind == "runner_on_failed" else "unreachable"
            res = data.get("res") or {}
            self.results.append(TaskResult(host, task, status, self._message(res)))
            self.on_event(Event(status, host, task))
        elif kind == "runner_on_skipped":
            self.on_event(Event("skipped", host, task))
        elif kind == "playbook_on_stats":
            for key in ("ok", "changed", "failures", "dark", "skipped"):
                for h, n in (data.get(key) or {}).items():
                    self.stats.setdefault(h, {})[key] = int(n)
        return True  # keep ansible-runner's own (temporary) artifacts consistent

    def _diff(self, res: Mapping[str, Any]) -> str:
        diffs = res.get("diff") or []
        if isinstance(diffs, dict):
            diffs = [diffs]
        parts: list[str] = []
        for d in diffs:
            if not isinstance(d, dict):
                continue
            if "prepared" in d:
                parts.append(str(d["prepared"]))
                continue
            before, after = d.get("before", ""), d.get("after", "")
            if isinstance(before, dict) or isinstance(after, dict):
                before = json.dumps(before, indent=1, sort_keys=True)
                after = json.dumps(after, indent=1, sort_keys=True)
            parts.extend(difflib.unified_diff(
                str(before).splitlines(), str(after).splitlines(),
                str(d.get("before_header", "before")), str(d.get("after_header", "after")),
                lineterm=""))
        return self.scrub("\n".join(parts))

    def _message(self, res: Mapping[str, Any]) -> str:
        if res.get("censored"):
            return str(res["censored"])
        msg = str(res.get("msg") or res.get("stderr") or res.get("reason") or "failed")
        return self.scrub(msg.strip())


def run(project: Path, inventory: ServerInventory, playbook: str, *, check: bool = False,
        limit: str | None = None, tags: Sequence[str] = (), extra_vars: Sequence[str] = (),
        secret_values: Sequence[str] = (), on_event: Callable[[Event], None] | None = None,
        ) -> RunResult:
    """Run ``playbooks/<playbook>`` over the inventory; check mode adds ``--diff``.

    ``secret_values`` are the resolved secrets, used only to scrub what is kept.
    """
    import ansible_runner

    book = (project / "playbooks" / playbook).resolve()
    if not book.is_file():
        raise ServersError(f"no playbook {book}: expected playbooks/{playbook} under the "
                           f"project {project.resolve()}")
    secrets = sorted({v for v in secret_values if v}, key=len, reverse=True)

    def scrub(text: str) -> str:
        for value in secrets:
            text = text.replace(value, "@@redacted@@")
        return text

    collect = _Collector(scrub=scrub, on_event=on_event or (lambda _e: None))
    cmdline = ["--diff", "--check"] if check else []
    if tags:
        cmdline += ["--tags", ",".join(tags)]
    for extra in extra_vars:
        cmdline += ["-e", extra]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pydriver-ansible-") as tmp:
        private = Path(tmp)
        (private / "inventory").mkdir()
        inv_file = private / "inventory" / "hosts.json"
        inv_file.write_text(json.dumps(inventory.ansible_file(), indent=1, sort_keys=True))
        if os.environ.get(VAULT_PASSWORD_ENV):
            script = private / "vault-password"
            script.write_text(f'#!/bin/sh\nprintf "%s" "${VAULT_PASSWORD_ENV}"\n')
            script.chmod(0o700)
            cmdline += ["--vault-password-file", str(script)]
        bindir = str(Path(sys.executable).parent)
        envvars = {
            "ANSIBLE_CONFIG": str((project / "ansible.cfg").resolve()),
            "PATH": os.pathsep.join([bindir, os.environ.get("PATH", "")]),
            "ANSIBLE_NOCOLOR": "1",
        }
        try:
            runner = ansible_runner.run(
                private_data_dir=str(private), project_dir=str(project.resolve()),
                playbook=str(book), inventory=str(inv_file), envvars=envvars,
                cmdline=shlex.join(cmdline) or None, limit=limit, quiet=True,
                event_handler=collect, suppress_env_files=True, rotate_artifacts=1)
        except Exception as exc:  # ansible-runner raises bare exceptions for setup failures
            raise ServersError(f"ansible-runner could not start {playbook}: "
                               f"{scrub(str(exc))}") from None
        rc = int(runner.rc if runner.rc is not None else 1)
        if runner.status in ("error", "timeout") and not collect.stats:
            tail = scrub((runner.stdout.read() if runner.stdout else "")[-2000:])
            raise ServersError(f"ansible-playbook {playbook} did not run ({runner.status}, "
                               f"rc {rc}):\n{tail.strip()}")
    hosts = tuple(
        HostSummary(h, ok=s.get("ok", 0), changed=s.get("changed", 0),
                    failed=s.get("failures", 0), unreachable=s.get("dark", 0),
                    skipped=s.get("skipped", 0))
        for h, s in sorted(collect.stats.items()))
    return RunResult(playbook=playbook, check=check, rc=rc, hosts=hosts,
                     results=tuple(collect.results), seconds=time.monotonic() - started)
