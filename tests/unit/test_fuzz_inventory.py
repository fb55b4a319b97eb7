"""Fuzzing: hostile or broken inventories never crash, hang, inject or leak.

The source of truth arrives by pull request from many teams, so this mutates the example
inventory the way a careless or malicious contributor could (structural edits, YAML tags,
aliases and alias bombs, deep nesting, truncation, garbage bytes, other encodings, odd
values, symbolic links, FIFOs, directories, oversized files) and runs exactly what
``pydriver validate`` runs, in process: load, validate, and when that passes intent and
render. Every case must end with exit code 0 or 1, no traceback, every problem located at
``file:line:column`` (a whole-file problem at 1:1), nothing of a file outside the inventory
in the output, and within a bounded amount of work: values built per file are counted
against the loader's limits, and the CPU time of the case is measured as a backstop.

The seed is fixed (``derandomize``), so a failure reproduces on every machine. A few
hundred cases run with the fast tests; ``-m slow`` runs 10,000.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pydriver.cli.main import app
from pydriver.sot.files import Limits
from pydriver.sot.loader import load

EXAMPLE = Path(__file__).resolve().parents[2] / "inventory"
FILES = ["region.yml", "servers.yml",
         *sorted(f"sites/{p.name}" for p in (EXAMPLE / "sites").glob("*.yml"))]
SECRET_MARK = "OUTSIDE-FILE-CONTENT-7f3a"  # in a file outside the inventory: never shown
LOCATED = re.compile(r"^error (?P<file>.+?):(?P<line>\d+):(?P<column>\d+): ")
CPU_LIMIT = 1.0  # seconds per case

TAGS = ["!!python/object:os.system", "!!python/object/apply:os.system", "!foo", "!env",
        "!!timestamp", "!!float", "!!int", "!!binary", "!!set", "!!omap", "!!str", "!!bool",
        "!!null", "!", "!<tag:yaml.org,2002:str>", "!!map"]
ODD_VALUES = [
    "ether3.x", ".", "..", "ether3.", "ether3.0", "ether3.5000", "ether3 disabled=yes",
    '"10.0.0.1\\t/24"', '"10.250.10.11 "', "10.0.0.1/33", "999.1.1.1", "167772161",
    "'[/x]'", "'[blink]x'", "'[red]x[/red]'", "':warning:'", "2024-01-01",
    "2024-01-01T10:00:00Z", "1:30", "yes", "no", "on", "0x1F", "0o17", "017", "1e999",
    ".nan", "-.inf", "-1", "0", "1.5", "4294967296", "99999999999999999999999999999999",
    "999999999999999999999999999999999999999999", '"\\x1b[31mred"', '"line\\nbreak"',
    '"tab\\there"', '"\\u202eevil"', '"nul\\0byte"', "~", "null", "[]", "{}", "[[]]", "''",
    "'" + "A" * 300 + "'", "aes-256-gcm", "[aes-256-gcm]", "[des]", "[2]", "[]",
    "Mars/Olympus", "not an email", "csirt@", "\"x')+lookup('pipe','echo${IFS}INJECTED')+('\"",
    "\"file:x')+lookup('pipe','id')+('\"", "file:../../etc/shadow", "env:lower", "hunter2",
    "vault:a.yml#k", "Dinas Kesehatan Ñusa", "'ÿ'", "true", "false", "&anchor value",
    "*undefined", "<<", "'<<'", "=", "'{{ 7*7 }}'", "'%(x)s'", "'$(reboot)'", "'; reboot'",
]
FS_KINDS = ["devzero", "self", "outside", "fifo", "directory", "oversize", "empty",
            "missing", "inside-link", "loop-pair", "broken-link", "sites-outside"]
TEXT_KINDS = ["tag", "alias", "recursive-alias", "bomb", "deep", "truncate", "garbage",
              "encoding", "value", "dup-line", "merge", "multi-doc", "indent"]
DATA_KINDS = ["drop", "retype", "unknown", "dup-item"]


@dataclass(frozen=True)
class Mutation:
    kind: str
    file: str
    a: int  # a line, an offset, a depth: read modulo what it indexes
    b: int
    pick: str = ""
    raw: bytes = b""


def mutations() -> st.SearchStrategy[Mutation]:
    files = st.sampled_from(FILES)
    ints = st.integers(0, 10_000)
    return st.one_of(
        st.builds(Mutation, st.sampled_from(DATA_KINDS), files, ints, ints,
                  st.sampled_from(ODD_VALUES)),
        st.builds(Mutation, st.sampled_from(TEXT_KINDS), files, ints, ints,
                  st.sampled_from(TAGS + ODD_VALUES), st.binary(min_size=1, max_size=16)),
        st.builds(Mutation, st.sampled_from(FS_KINDS), files, ints, ints),
    )


# -- applying mutations ---------------------------------------------------------------------
def _paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, (*path, i))


def _parent(data: Any, path: tuple[Any, ...]) -> tuple[Any, Any]:
    for part in path[:-1]:
        data = data[part]
    return data, path[-1]


def _data_edit(text: str, m: Mutation) -> str:
    data = yaml.safe_load(text)  # the pristine example: trusted
    paths = [p for p in _paths(data) if p]
    if not paths:  # an earlier edit left nothing to edit
        return text
    path = paths[m.a % len(paths)]
    parent, last = _parent(data, path)
    odd = yaml.safe_load(m.pick) if m.pick not in ("&anchor value", "*undefined") else m.pick
    if m.kind == "drop":
        del parent[last]
    elif m.kind == "retype":
        parent[last] = odd
    elif m.kind == "unknown":
        target = parent if isinstance(parent, dict) else data
        target[f"zz_{m.b}"] = odd
    elif m.kind == "dup-item" and isinstance(parent, list):
        parent.append(parent[last])
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _line_edit(text: str, m: Mutation) -> str:
    lines = text.splitlines(keepends=True) or ["\n"]
    n = m.a % len(lines)
    line = lines[n]
    key, sep, value = line.partition(": ")
    if m.kind == "tag":
        lines[n] = f"{key}{sep}{m.pick} {value}" if sep else f"{m.pick} {line}"
    elif m.kind == "value" and sep:
        lines[n] = f"{key}{sep}{m.pick}\n"
    elif m.kind == "alias":
        other = m.b % len(lines)
        k2, s2, v2 = lines[other].partition(": ")
        if sep and s2 and other < n:
            lines[other] = f"{k2}{s2}&x{m.b} {v2}"
            lines[n] = f"{key}{sep}*x{m.b}\n"
        elif sep:
            lines[n] = f"{key}{sep}*x{m.b}\n"
    elif m.kind == "recursive-alias" and sep:
        lines[n] = f"{key}{sep}&a [*a]\n" if m.b % 2 else f"{key}{sep}&a {{k: *a}}\n"
    elif m.kind == "deep" and sep:
        depth = 10 + m.b % 1200
        nest = "[" * depth + "]" * depth if m.b % 2 else "{a: " * depth + "}" * depth
        lines[n] = f"{key}{sep}{nest}\n"
    elif m.kind == "dup-line":
        lines.insert(n, line)
    elif m.kind == "merge" and sep:
        lines[n] = line + " " * (len(key) - len(key.lstrip())) + "<<: {x: 1}\n"
    elif m.kind == "multi-doc":
        lines.insert(n, "---\n")
    elif m.kind == "indent":
        lines[n] = " " * (1 + m.b % 5) + line
    return "".join(lines)


def _bomb(levels: int) -> str:
    text = 'zz0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, levels + 1):
        text += f"zz{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 10) + "]\n"
    return text


def _bytes_edit(data: bytes, m: Mutation) -> bytes:
    if m.kind == "truncate":
        return data[: m.a % (len(data) + 1)]
    if m.kind == "garbage":
        at = m.a % (len(data) + 1)
        return data[:at] + m.raw + data[at:]
    if m.kind == "bomb":
        return data + b"\n" + _bomb(2 + m.b % 11).encode()
    if m.kind == "encoding":
        choice = m.b % 4
        if choice == 0:
            return b"\xef\xbb\xbf" + data
        if choice == 1:
            return data.decode("utf-8", "replace").encode("utf-16")
        if choice == 2:
            return b"\xff\xfe\x00\x00" + data
        return data.replace(b"a", b"\xe9", 1)  # Latin-1 where UTF-8 is expected
    return data


def _fs_edit(inv: Path, outside: Path, m: Mutation) -> None:
    path = inv / m.file
    if m.kind == "missing":
        path.unlink()
        return
    if m.kind == "sites-outside":
        shutil.rmtree(inv / "sites")
        (inv / "sites").symlink_to(outside.parent / "elsewhere")
        return
    path.unlink()
    if m.kind == "devzero":
        path.symlink_to("/dev/zero")
    elif m.kind == "self":
        path.symlink_to(path.name)
    elif m.kind == "outside":
        path.symlink_to(outside)
    elif m.kind == "fifo":
        os.mkfifo(path)
    elif m.kind == "directory":
        path.mkdir()
    elif m.kind == "oversize":
        with path.open("wb") as f:
            f.truncate(Limits().file_bytes + 1 + m.b)
    elif m.kind == "empty":
        path.write_bytes(b"")
    elif m.kind == "inside-link":
        path.symlink_to(inv / "region.yml")
    elif m.kind == "loop-pair":
        path.symlink_to(path.with_suffix(".yaml"))
        path.with_suffix(".yaml").symlink_to(path)
    elif m.kind == "broken-link":
        path.symlink_to(inv / "nowhere.yml")


def apply(inv: Path, outside: Path, plan: list[Mutation]) -> None:
    """Apply ``plan``: edits of the data first (on the pristine files), then of the text and
    bytes, then of the file system."""
    order = {**dict.fromkeys(DATA_KINDS, 0), **dict.fromkeys(TEXT_KINDS, 1),
             **dict.fromkeys(FS_KINDS, 2)}
    for m in sorted(plan, key=lambda m: order[m.kind]):
        path = inv / m.file
        if m.kind in FS_KINDS:
            if path.is_file() and not path.is_symlink() and (inv / "sites").is_dir() \
                    and not (inv / "sites").is_symlink():
                _fs_edit(inv, outside, m)
        elif not path.is_file() or path.is_symlink():
            continue
        elif m.kind in DATA_KINDS:
            text = path.read_text(encoding="utf-8")
            # an earlier edit may have made the data unusable for this one: then skip it
            with contextlib.suppress(yaml.YAMLError, KeyError, IndexError, TypeError):
                path.write_text(_data_edit(text, m), encoding="utf-8")
        elif m.kind in ("truncate", "garbage", "bomb", "encoding"):
            path.write_bytes(_bytes_edit(path.read_bytes(), m))
        else:
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            path.write_text(_line_edit(text, m), encoding="utf-8")


# -- running a case ---------------------------------------------------------------------------
@dataclass
class Tally:
    cases: int = 0
    passed: int = 0
    cpu_max: float = 0.0
    kinds: Counter[str] = field(default_factory=Counter)


TALLY = Tally()


def _kind(message: str) -> str:
    """A problem's message without its particulars: what kind of error it is."""
    text = re.sub(r"/\S+", "<file>", message)
    text = re.sub(r"'[^']*'|\"[^\"]*\"|0x[0-9a-f]+|\d[\d,.]*", "_", text)
    text = re.sub(r"^[\w.<>_-]+: ", "<path>: ", text)
    return text[:90]


@contextlib.contextmanager
def inventory() -> Iterator[tuple[Path, Path]]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inv = root / "inventory"
        shutil.copytree(EXAMPLE, inv)
        (root / "elsewhere").mkdir()
        outside = root / "elsewhere" / "secret.yml"
        outside.write_text(f"{SECRET_MARK}: {SECRET_MARK}\npassword: {SECRET_MARK}\n")
        (root / "elsewhere" / "site.yml").write_text(f"id: 1\nname: {SECRET_MARK}\n")
        yield inv, outside


@functools.cache
def _warm() -> None:
    """Compile the templates once (a per-process cost, not a per-case one)."""
    assert CliRunner().invoke(app, ["validate", "--inventory", str(EXAMPLE)]).exit_code == 0


def run_case(plan: list[Mutation], as_json: bool) -> None:
    _warm()
    with inventory() as (inv, outside):
        apply(inv, outside, plan)
        args = ["validate", "--inventory", str(inv)] + (["--format", "json"] if as_json else [])
        start = time.process_time()
        result = CliRunner().invoke(app, args)
        cpu = time.process_time() - start
        if cpu >= CPU_LIMIT:
            # on a loaded machine CPU time has outliers; a case that is really too slow is
            # slow again, a spike is not
            start = time.process_time()
            CliRunner().invoke(app, args)
            cpu = min(cpu, time.process_time() - start)
        output = result.stdout + result.stderr
        assert result.exit_code in (0, 1), (plan, result.exit_code, output[-2000:])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            plan, repr(result.exception))
        assert "Traceback" not in output
        assert SECRET_MARK not in output, plan
        assert cpu < CPU_LIMIT, (plan, cpu)
        # the work is bounded by counting: no file is built past the loader's limits
        source = load(inv)
        for doc in (source.region, source.servers, *source.sites):
            assert doc is None or doc.nodes <= Limits().nodes
        problems = _problems(result.stdout, result.stderr, result.exit_code, as_json)
        for p in problems:
            # every problem names a file of the inventory (never a link's target)
            named = os.path.join(inv.parent, p["file"])  # named from the inventory's folder
            assert os.path.abspath(named).startswith(str(inv) + os.sep), p
            TALLY.kinds[_kind(p["message"])] += 1
    TALLY.cases += 1
    TALLY.passed += result.exit_code == 0
    TALLY.cpu_max = max(TALLY.cpu_max, cpu)


def _problems(stdout: str, stderr: str, code: int, as_json: bool) -> list[dict[str, Any]]:
    """The problems printed, each checked to be located at file:line:column (1:1 for a
    problem with a whole file)."""
    problems: list[dict[str, Any]] = []
    if as_json:
        report = json.loads(stdout)
        assert report["ok"] is (code == 0)
        problems = report.get("problems", [])
        for p in problems:
            assert p["file"] and p["line"] >= 1 and p["column"] >= 1, p
    elif code == 1:
        lines = [line for line in stderr.splitlines() if line.startswith("error ")]
        assert lines, stderr
        for line in lines:
            found = LOCATED.match(line)
            assert found, line
            problems.append({"file": found["file"], "message": line[found.end():]})
    return problems


PLANS = st.lists(mutations(), min_size=1, max_size=3)
COMMON = settings(deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


#: cases in the slow run; the soak that backs the figures in the notes is
#: ``PYDRIVER_FUZZ_CASES=10000 pytest -m slow tests/unit/test_fuzz_inventory.py -s``
MANY = int(os.environ.get("PYDRIVER_FUZZ_CASES", "300"))


@settings(COMMON, max_examples=25)
@given(PLANS, st.booleans())
def test_fuzzed_inventories_fail_cleanly(plan: list[Mutation], as_json: bool) -> None:
    run_case(plan, as_json)


@settings(COMMON, max_examples=MANY)
@given(PLANS, st.booleans())
def _fuzz_many(plan: list[Mutation], as_json: bool) -> None:
    run_case(plan, as_json)


@pytest.mark.slow
def test_many_fuzzed_inventories_fail_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    before = TALLY.cases
    wall = time.monotonic()
    _fuzz_many()
    seconds = time.monotonic() - wall
    with capsys.disabled():
        print(f"\nfuzz: {TALLY.cases - before} cases in {seconds:.0f} s, "
              f"{TALLY.passed} accepted, max CPU per case {TALLY.cpu_max:.3f} s; "
              f"{len(TALLY.kinds)} distinct problems:")
        for kind, n in TALLY.kinds.most_common():
            print(f"{n:7} {kind}")
    assert TALLY.cases - before >= MANY
