"""lab up / status / down: the lab's life cycle and the connection overrides it writes.

``up`` returns only once every lab router answers; the lab keeps running in the background
(a detached daemon for the emulated routers, network namespaces for linux_frr) until
``down``, which always leaves nothing behind, even after a crash: everything created is
recorded in the state directory first.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, get_type_hints

from pydantic import ConfigDict, TypeAdapter
from typing_extensions import TypedDict

from pydriver.deploy.inventory import load_overrides
from pydriver.deploy.statefile import checked, read_json
from pydriver.errors import LabError, PydriverError
from pydriver.intent.model import DeviceIntent
from pydriver.lab import control
from pydriver.lab.from_backups import BootPlan, TwinBoot, check
from pydriver.lab.model import LabRouter
from pydriver.pipeline import Pipeline
from pydriver.sot.models import Platform


def lab_dir(state: Path) -> Path:
    return state / "lab"


def _wait_listening(routers: list[LabRouter], deadline: float) -> None:
    for r in routers:
        while True:
            try:
                with socket.create_connection((r.host, r.port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise LabError(f"lab router {r.name} does not answer on "
                                   f"{r.host}:{r.port}") from None
                time.sleep(0.05)


def _daemon_pid(folder: Path) -> int | None:
    """The pid of this state directory's running lab daemon, or None.

    The pid file is only believed when that process really is the lab daemon of this very
    folder (its command line says so): a stale or edited file must never make ``down``
    signal some other process."""
    pid_file = folder / "daemon.pid"
    try:
        text = pid_file.read_text(encoding="ascii").strip() if pid_file.is_file() else ""
    except (OSError, UnicodeDecodeError):
        return None
    if not text.isdigit() or len(text) > 9 or int(text) <= 1:
        return None
    pid = int(text)
    try:
        # a daemon this process started (tests bring labs up in-process) stays a zombie,
        # which signal 0 still finds, until it is reaped
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return None
        os.kill(pid, 0)
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, OverflowError):
        return None
    state = str(folder.resolve()).encode()
    ours = b"pydriver.lab.daemon" in argv and any(
        a == b"--state" and b == state for a, b in itertools.pairwise(argv))
    return pid if ours else None


def _routers(path: Path) -> list[LabRouter]:
    """The lab routers recorded in ``path`` (lab.json, or the daemon's emulated.json)."""
    data = read_json(path, LabError, "the lab's router list")
    if isinstance(data, dict) and "routers" in data:
        data = data["routers"]
    records = checked(data, _ROUTERS, path, LabError, "the lab's router list")
    return [LabRouter(**r) for r in records]


# One router as lab.json records it, read strictly: a record typed from LabRouter's own fields
# (a stdlib dataclass cannot be validated from a dict in strict mode)
_Record = TypedDict("_Record", get_type_hints(LabRouter))  # type: ignore[misc]
_Record.__pydantic_config__ = ConfigDict(strict=True, extra="forbid")  # type: ignore[attr-defined]
_ROUTERS: TypeAdapter[list[Any]] = TypeAdapter(list[_Record])


def up(pipe: Pipeline, state: Path, skip_platforms: set[str] | None = None,
       minute_seconds: float = 60.0, timeout: float = 120.0, boot: BootPlan | None = None
       ) -> list[LabRouter]:
    """Bring up a lab twin of every router of ``inventory``; return where each listens.

    On a running lab, only the routers it has no twin for yet (a site added to the
    inventory since) get one; the others keep their state. With ``boot`` (see
    :mod:`pydriver.lab.from_backups`) every twin boots from its router's backup; when one
    refuses more lines than allowed, everything is taken down again and the error lists
    each such router's refused lines (:func:`boots` has the report of a lab that is up).
    """
    skip = set(skip_platforms or ())
    folder = lab_dir(state)
    inventory = pipe.inventory
    intents = pipe.intents
    if _daemon_pid(folder) is not None:
        if boot is not None:
            raise LabError(f"a lab is already running (state in {folder}); its twins would "
                           "keep their state: run 'pydriver lab down' first to boot every "
                           "twin from the backups")
        return _extend(intents, state, skip, time.monotonic() + timeout)
    wants_netns = any(i.platform is Platform.LINUX_FRR for i in intents.values()) and \
        Platform.LINUX_FRR.value not in skip
    if wants_netns and os.geteuid() != 0:
        netns = Platform.LINUX_FRR.value
        raise LabError(f"{netns} routers run as real FRR routers in network namespaces, "
                       f"which needs root; run as root, or pass --skip-platform {netns} to "
                       "bring up the rest")
    folder.mkdir(parents=True, exist_ok=True)
    for stale in ("emulated.json", "overrides.json", "lab.json", "boot.json", "boots.json"):
        with contextlib.suppress(FileNotFoundError):
            (folder / stale).unlink()
    log = (folder / "daemon.log").open("ab")
    cmd = [sys.executable, "-m", "pydriver.lab.daemon", "--inventory", str(inventory.resolve()),
           "--state", str(folder.resolve()), "--minute-seconds", str(minute_seconds)]
    for p in sorted(skip):
        cmd += ["--skip-platform", p]
    if boot is not None:
        # the scrubbed texts, as in the backups repository: the daemon fills in lab secrets
        booting = folder / "boot.json"
        booting.write_text(json.dumps({"configs": dict(boot.configs),
                                       "missing": list(boot.missing)}), encoding="utf-8")
        cmd += ["--boot", str(booting.resolve())]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                            start_new_session=True, close_fds=True)
    (folder / "daemon.pid").write_text(str(proc.pid))
    deadline = time.monotonic() + timeout
    ready = folder / "emulated.json"
    while not ready.is_file():
        if proc.poll() is not None:
            tail = (folder / "daemon.log").read_text(errors="replace")[-2000:]
            raise LabError(f"the lab daemon exited ({proc.returncode}):\n{tail}")
        if time.monotonic() > deadline:
            down(state)
            raise LabError("the lab daemon did not come up in time")
        time.sleep(0.05)
    emulated = read_json(ready, LabError, "the lab's router list")
    routers = _routers(ready)
    booted = [TwinBoot.from_dict(b) for b in
              (emulated.get("boot", ()) if isinstance(emulated, dict) else ())]
    try:
        if boot is not None:
            (folder / "boot.json").unlink()  # read by the daemon; the backups hold it
            check(booted, boot.max_refused)
            (folder / "boots.json").write_text(
                json.dumps([b.as_dict() for b in booted], indent=2), encoding="utf-8")
        _wait_listening(routers, deadline)
        if wants_netns:
            routers += _netns_up(pipe, folder)
    except Exception:
        down(state)
        raise
    skipped = {name: f"lab skips platform {i.platform.value}"
               for name, i in intents.items() if i.platform.value in skip}
    _write(folder, routers, skipped)
    return routers


def join(pipe: Pipeline, state: Path, skip_platforms: set[str] | None = None,
         timeout: float = 120.0) -> list[LabRouter]:
    """Twins for another inventory's routers (another region's) on the running lab of
    ``state``, beside the ones it has: both regions on one lab and one fabric."""
    if _daemon_pid(lab_dir(state)) is None:
        raise LabError(f"no lab is running (state in {lab_dir(state)})")
    return _extend(pipe.intents, state, set(skip_platforms or ()), time.monotonic() + timeout)


def _extend(intents: dict[str, DeviceIntent], state: Path, skip: set[str],
            deadline: float) -> list[LabRouter]:
    """Twins for the routers a running lab does not have yet, added to the running daemon,
    so adding a site to the inventory needs no lab restart (which would lose every other
    router's state)."""
    folder = lab_dir(state)
    try:
        routers = _routers(folder / "lab.json")
        overrides = load_overrides(folder / "overrides.json")
    except PydriverError as exc:
        raise LabError(f"a lab is running (state in {folder}) but its state cannot be read "
                       f"({exc}); run 'pydriver lab down' first") from None
    skipped = {name: str(o["skip"]) for name, o in overrides.items() if o.get("skip")}
    known = {r.name for r in routers} | set(skipped)
    new = {n: i for n, i in sorted(intents.items()) if n not in known}
    for name, intent in new.items():
        if intent.platform is Platform.LINUX_FRR and intent.platform.value not in skip:
            raise LabError(f"{name}: a {intent.platform.value} twin cannot join a running "
                           "lab; run 'pydriver lab down' and 'lab up' again, or pass "
                           f"--skip-platform {intent.platform.value}")
    skipped |= {name: f"lab skips platform {i.platform.value}" for name, i in new.items()
                if i.platform.value in skip}
    added = [LabRouter(**control.request(control_socket(state), "add", name=name,
                                         platform=i.platform.value, model=i.model))
             for name, i in new.items() if i.platform.value not in skip]
    _wait_listening(added, deadline)
    routers += added
    _write(folder, routers, skipped)
    return routers


def _netns_up(pipe: Pipeline, folder: Path) -> list[LabRouter]:
    from pydriver.lab.netns_twin import up as netns_up

    routers: list[LabRouter] = netns_up(pipe, (folder / "netns").resolve())
    return routers


def _write(folder: Path, routers: list[LabRouter], skipped: dict[str, str]) -> None:
    overrides: dict[str, dict[str, Any]] = {
        r.name: {"host": r.host, "port": r.port, "username": r.username,
                 "password": r.password, "secret": r.secret} for r in routers}
    for name, why in skipped.items():
        overrides[name] = {"skip": why}
    (folder / "lab.json").write_text(json.dumps([asdict(r) for r in routers], indent=2))
    (folder / "overrides.json").write_text(json.dumps(overrides, indent=2, sort_keys=True))


def boots(state: Path) -> list[TwinBoot]:
    """How each twin of the running lab booted (empty for a factory-default lab)."""
    path = lab_dir(state) / "boots.json"
    if not path.is_file() or _daemon_pid(lab_dir(state)) is None:
        return []
    return [TwinBoot.from_dict(b) for b in json.loads(path.read_text(encoding="utf-8"))]


def status(state: Path) -> list[LabRouter]:
    folder = lab_dir(state)
    path = folder / "lab.json"
    if not path.is_file() or _daemon_pid(folder) is None:
        return []
    return _routers(path)


def down(state: Path, timeout: float = 20.0) -> None:
    """Stop everything the lab started; safe to call any number of times."""
    folder = lab_dir(state)
    pid = _daemon_pid(folder)
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _daemon_pid(folder) is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        if _daemon_pid(folder) is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
    if (folder / "netns").exists():
        from pydriver.lab.netns_twin import down as netns_down

        netns_down((folder / "netns").resolve())
    for name in ("daemon.pid", "lab.json", "overrides.json", "emulated.json", "control.sock",
                 "boot.json", "boots.json"):
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()


def control_socket(state: Path) -> Path:
    return lab_dir(state) / "control.sock"


def faults(state: Path, name: str, **knobs: Any) -> dict[str, Any]:
    """Set (and read) an emulated router's fault knobs while the lab runs."""
    result: dict[str, Any] = control.request(control_socket(state), "faults", name=name,
                                             set=knobs)
    return result
