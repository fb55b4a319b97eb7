"""Files parsed before are read back from the user's cache, and give exactly what a fresh
parse gives: the same data (to the type), the same marks, the same problems at the same
lines. A cache that is not the user's alone, or that was made by other code, is not read."""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pydriver.errors import SourceError
from pydriver.pipeline import Pipeline
from pydriver.sot import loader, parse_cache
from pydriver.sot import parse as parser
from pydriver.sot.loader import Document, Limits, Source, load
from tests.conftest import Edit

pytestmark = pytest.mark.usefixtures("in_tmp")


def same(a: Any, b: Any) -> bool:
    """Equal to the type: ``1``, ``1.0`` and ``True`` differ; NaN equals NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return bool(a == b)


def documents(source: Source) -> list[Document]:
    return [d for d in (source.region, *source.sites, source.servers, source.waivers,
                        source.registry) if d is not None]


class Parses:
    """Counts the texts actually parsed: files not read from the cache, and marks parsed
    again on demand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = parser.parse

        def counting(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(loader, "parse", counting)
        monkeypatch.setattr(parser, "parse", counting)


def test_a_second_load_parses_nothing_and_gives_the_same_documents(
        inv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache" / "documents.jsonl"
    cold = load(inv)
    load(inv, cache=cache)
    parses = Parses(monkeypatch)
    warm = load(inv, cache=cache)
    assert parses.count == 0
    assert len(documents(warm)) == len(documents(cold)) > 3
    for a, b in zip(documents(cold), documents(warm), strict=True):
        assert a.file == b.file and a.nodes == b.nodes and same(a.data, b.data)
        # the marks are parsed again when asked for, and are a fresh parse's
        assert dict(b.marks) == dict(a.marks)
    assert parses.count == len(documents(warm))


def test_one_file_changed_is_the_one_parsed_again(
        inv: Path, edit: Edit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache" / "documents.jsonl"
    load(inv, cache=cache)
    edit("sites/dinkes.yml", "guaranteed_mbps: 80", "guaranteed_mbps: 85")
    parses = Parses(monkeypatch)
    changed = load(inv, cache=cache)
    assert parses.count == 1
    site = next(d for d in changed.sites if d.file.endswith("dinkes.yml"))
    assert site.data["bandwidth"]["guaranteed_mbps"] == 85
    # the cache now holds the new text and no longer the old one
    parses.count = 0
    load(inv, cache=cache)
    assert parses.count == 0
    assert len(cache.read_text().splitlines()) == 1 + len(documents(changed))


def test_errors_are_located_the_same_from_the_cache(
        inv: Path, edit: Edit, tmp_path: Path) -> None:
    """A schema error (valid YAML, a wrong value) in a cached file is found by validation,
    and its marks, parsed again on demand, put it at the same line and column."""
    edit("sites/dinkes.yml", "guaranteed_mbps: 80", "guaranteed_mbps: eighty")
    with pytest.raises(SourceError) as cold:
        Pipeline(inv, cache=False).network  # noqa: B018
    Pipeline(inv).source  # noqa: B018 - fills the cache
    kept = parse_cache.location(inv)
    assert kept is not None and kept.is_file()
    with pytest.raises(SourceError) as warm:
        Pipeline(inv).network  # noqa: B018
    assert [str(p) for p in warm.value.problems] == [str(p) for p in cold.value.problems]
    assert any(":" in str(p) and "dinkes.yml" in str(p) for p in warm.value.problems)


def test_files_with_a_problem_or_an_alias_are_parsed_every_time(
        inv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (inv / "sites" / "zz-dup.yml").write_text("id: 1\ncode: a\nid: 2\n")
    (inv / "sites" / "zz-alias.yml").write_text("a: &x [1, 2]\nb: *x\n")
    cache = tmp_path / "cache" / "documents.jsonl"
    first = load(inv, cache=cache)
    parses = Parses(monkeypatch)
    again = load(inv, cache=cache)
    assert parses.count == 2
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]
    assert any("duplicate key 'id'" in p.message for p in again.problems)


def forge(cache: Path, file: Path, data: Any) -> None:
    """Point the cache entry of ``file``'s bytes at other data (as anyone able to write
    the cache file could)."""
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    entry = json.dumps([data, 1], separators=(",", ":"))
    lines = [f"{digest} {entry}" if line.startswith(digest) else line
             for line in cache.read_text().split("\n")]
    cache.write_text("\n".join(lines))


@pytest.mark.parametrize("how", ["group writable", "another code", "garbled"])
def test_a_cache_in_doubt_is_not_read(how: str, inv: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "documents.jsonl"
    region = inv / "region.yml"
    load(inv, cache=cache)
    forge(cache, region, {"forged": True})
    # trusted, the forged entry is what is read: the cache is read from there
    assert load(inv, cache=cache).region.data == {"forged": True}  # type: ignore[union-attr]
    if how == "group writable":
        os.chmod(cache, 0o664)
    elif how == "another code":
        header, _, body = cache.read_text().partition("\n")
        cache.write_text(f"{header[:-4]}beef\n{body}")
    else:
        cache.write_text(cache.read_text().replace('{"forged":true}', '{"forged":'))
    data = load(inv, cache=cache).region.data  # type: ignore[union-attr]
    assert isinstance(data, dict) and "forged" not in data and "region" in data


@pytest.mark.parametrize("where", ["inside", "beside"])
def test_the_cache_is_never_in_the_checkout(where: str, inv: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside the inventory, or beside it (no git here to name the work tree: the folder
    holding ``inventory/`` is taken as the checkout)."""
    home = inv / ".cache" if where == "inside" else inv.parent / ".cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    assert parse_cache.location(inv) is None
    Pipeline(inv).source  # noqa: B018
    assert not list(inv.parent.rglob("documents.jsonl"))


def test_cache_folders_are_made_private_whatever_the_umask(
        inv: Path, own_cache: Path) -> None:
    """A ``mkdir -p`` under a umask of 002 would make the folders above the cache
    group-writable, and the cache would then never be trusted."""
    import os

    old = os.umask(0o002)
    try:
        Pipeline(inv).source  # noqa: B018
    finally:
        os.umask(old)
    kept = parse_cache.location(inv)
    assert kept is not None and kept.is_file()
    for folder in (kept.parent, kept.parent.parent, own_cache / "pydriver"):
        assert folder.stat().st_mode & 0o077 == 0, folder


# -- any YAML a file can hold ---------------------------------------------------------------

scalars = (st.none() | st.booleans() | st.integers(-(10 ** 30), 10 ** 30)
           | st.floats(allow_nan=True, allow_infinity=True)
           | st.text(st.characters(exclude_categories=["Cs"]), max_size=20))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                      max_leaves=25)


@settings(max_examples=60, deadline=None)
@given(values, st.text(st.characters(codec="utf-8"), max_size=30))
def test_any_document_reads_back_the_same(data: Any, raw: str) -> None:
    """Whatever a file holds, from a library's dump or as typed, the cache gives back what a
    fresh parse gives, to the type."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "inventory"
        (root / "sites").mkdir(parents=True)
        (root / "region.yml").write_text(yaml.safe_dump({"v": data}, allow_unicode=True),
                                         encoding="utf-8")
        (root / "sites" / "a.yml").write_text(raw, encoding="utf-8")
        cache = Path(tmp) / "cache" / "documents.jsonl"
        cold = load(root, Limits())
        load(root, cache=cache)
        warm = load(root, cache=cache)
        assert [str(p) for p in warm.problems] == [str(p) for p in cold.problems]
        for a, b in zip(documents(cold), documents(warm), strict=True):
            assert same(a.data, b.data) and a.nodes == b.nodes
            assert dict(a.marks) == dict(b.marks)
