from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pydriver.errors import Location, Problem
from pydriver.sot import files
from pydriver.sot.loader import Limits, load, load_document

# problems name files relative to the working directory: run from the copy's parent
pytestmark = pytest.mark.usefixtures("in_tmp")


def test_marks_point_at_keys_and_items(tmp_path: Path) -> None:
    f = tmp_path / "x.yml"
    f.write_text("a:\n  b: 1\n  c:\n    - 10\n    - {d: 2}\n")
    doc, problems = load_document(f, tmp_path)
    assert problems == [] and doc is not None
    assert doc.data == {"a": {"b": 1, "c": [10, {"d": 2}]}}
    assert (doc.where(("a", "b")).line, doc.where(("a", "b")).column) == (2, 3)
    assert doc.where(("a", "c", 1, "d")).line == 5
    # an unknown path falls back to its nearest known ancestor
    assert doc.where(("a", "c", 1, "zzz")).line == 5


def test_duplicate_keys_are_problems_not_overwrites(tmp_path: Path) -> None:
    f = tmp_path / "x.yml"
    f.write_text("id: 1\ncode: a\nid: 2\n")
    doc, problems = load_document(f, tmp_path)
    assert doc is not None and doc.data["id"] == 1
    assert len(problems) == 1
    p = problems[0]
    assert p.location is not None and p.location.line == 3
    assert "duplicate key 'id'" in p.message and "line 1" in p.message


def test_malformed_yaml_is_located(tmp_path: Path) -> None:
    f = tmp_path / "x.yml"
    f.write_text("a: 1\nb: [1, 2\nc: 3\n")
    doc, problems = load_document(f, tmp_path)
    assert doc is None and len(problems) == 1
    assert problems[0].location is not None and problems[0].location.line >= 2
    assert problems[0].message.startswith("malformed YAML")


def test_load_collects_problems_of_every_file(inv: Path) -> None:
    (inv / "sites" / "zz-broken.yml").write_text("id: [1\n")
    (inv / "sites" / "zz-dup.yml").write_text("id: 1\nid: 2\n")
    source = load(inv)
    files = sorted({p.location.file for p in source.problems if p.location})
    assert files == ["inventory/sites/zz-broken.yml", "inventory/sites/zz-dup.yml"]
    assert source.region is not None and len(source.sites) >= 15


def test_missing_region_is_reported(tmp_path: Path) -> None:
    (tmp_path / "sites").mkdir()
    source = load(tmp_path)
    assert source.region is None
    assert any("region.yml is missing" in p.message for p in source.problems)


# -- hostile files ------------------------------------------------------------------------------
def only_problem(path: Path, root: Path, limits: Limits | None = None) -> Problem:
    doc, found = load_document(path, root, limits)
    assert doc is None and len(found) == 1, found
    return found[0]


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.yml")
    p = only_problem(tmp_path / "x.yml", tmp_path)
    assert "FIFO" in p.message and p.location == Location(f"{tmp_path.name}/x.yml", 1, 1)


def test_directory_named_yml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.yml").mkdir()
    assert "is a directory" in only_problem(tmp_path / "x.yml", tmp_path).message


def test_device_inside_the_inventory_is_refused(tmp_path: Path) -> None:
    try:
        os.mknod(tmp_path / "x.yml", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero
    except PermissionError:
        pytest.skip("cannot create a device node here")
    assert "is a device" in only_problem(tmp_path / "x.yml", tmp_path).message


def test_links_inside_the_inventory_are_followed(tmp_path: Path) -> None:
    (tmp_path / "real.yml").write_text("a: 1\n")
    (tmp_path / "x.yml").symlink_to("real.yml")
    doc, found = load_document(tmp_path / "x.yml", tmp_path)
    assert doc is not None and doc.data == {"a": 1} and found == []
    assert doc.file == f"{tmp_path.name}/x.yml"  # the name the inventory uses, not the target's


@pytest.mark.parametrize(("target", "message"), [
    ("missing.yml", "does not exist"), ("/etc/passwd", "outside the inventory"),
    ("/dev/zero", "outside the inventory")])
def test_links_that_cannot_be_read(tmp_path: Path, target: str, message: str) -> None:
    (tmp_path / "x.yml").symlink_to(target)
    p = only_problem(tmp_path / "x.yml", tmp_path)
    assert message in p.message and target not in p.message


def test_link_loop_through_two_files(tmp_path: Path) -> None:
    (tmp_path / "a.yml").symlink_to("b.yml")
    (tmp_path / "b.yml").symlink_to("a.yml")
    assert "loop" in only_problem(tmp_path / "a.yml", tmp_path).message


def test_size_limit_per_file(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("a: " + "x" * 200 + "\n")
    p = only_problem(tmp_path / "x.yml", tmp_path, Limits(file_bytes=100))
    assert "the limit is 100 bytes per file" in p.message and p.code == "limit"


def test_size_limit_of_the_whole_inventory(inv: Path) -> None:
    total = sum(p.stat().st_size for p in inv.rglob("*.yml"))
    source = load(inv, Limits(total_bytes=total - 2000))
    over = [p for p in source.problems if "over" in p.message]
    assert over and "in total" in over[0].message
    assert all(p.code == "limit" for p in over) and len(source.sites) < 16


def test_limit_on_the_number_of_site_files(inv: Path) -> None:
    source = load(inv, Limits(site_files=10))
    (p,) = source.problems
    assert "more than 10 site files" in p.message and p.location is not None
    assert p.location.file == "inventory/sites" and not source.sites


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_bytes(codecs.BOM_UTF8 + b"a: 1\nb: 2\n")
    doc, found = load_document(tmp_path / "x.yml", tmp_path)
    assert doc is not None and doc.data == {"a": 1, "b": 2} and found == []
    assert doc.where(("b",)) == Location(f"{tmp_path.name}/x.yml", 2, 1)


@pytest.mark.parametrize(("data", "message"), [
    ("a: 1\n".encode("utf-16"), "the file is UTF-16; save it as UTF-8"),
    (codecs.BOM_UTF32_LE + b"a", "the file is UTF-32"),
    (b"a: 1\nb: caf\xe9\n", "invalid UTF-8 (byte 0xe9)"),
    (b"a: 1\nb: x\x00y\n", "a NUL byte is not allowed"),
    (b"a: 1\nb: x\x1b[31my\n", "control character U+001B is not allowed"),
])
def test_encodings_and_bytes_that_are_not_yaml(tmp_path: Path, data: bytes,
                                                message: str) -> None:
    (tmp_path / "x.yml").write_bytes(data)
    p = only_problem(tmp_path / "x.yml", tmp_path)
    assert message in p.message
    if b"b: " in data:
        assert p.location is not None and p.location.line == 2 and p.location.column > 3


def test_plain_values_follow_the_yaml_12_core_schema(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text(
        "a: yes\nb: no\nc: 1:30\nd: 2024-01-01\ne: 0x1F\nf: 0o17\ng: ~\nh: true\ni: 1.5\n"
        "j: .inf\nk: '12'\nl: !!str 12\nm: ! 12\nn: 017\no: =\n")
    doc, found = load_document(tmp_path / "x.yml", tmp_path)
    assert doc is not None and found == []
    assert doc.data == {"a": "yes", "b": "no", "c": "1:30", "d": "2024-01-01", "e": 31,
                        "f": 15, "g": None, "h": True, "i": 1.5, "j": float("inf"),
                        "k": "12", "l": "12", "m": "12", "n": 17, "o": "="}


def test_numbers_too_long_are_refused(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("a: " + "9" * 5000 + "\n")
    p = only_problem(tmp_path / "x.yml", tmp_path)
    assert "a number of 5000 characters" in p.message and p.location == Location(
        f"{tmp_path.name}/x.yml", 1, 4)


def test_aliases_are_expanded_with_marks(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("a: &x\n  b: 1\nc: *x\nd: [*x]\n")
    doc, found = load_document(tmp_path / "x.yml", tmp_path)
    assert doc is not None and found == []
    assert doc.data == {"a": {"b": 1}, "c": {"b": 1}, "d": [{"b": 1}]}
    # where the anchored value is
    assert doc.where(("c", "b")) == Location(f"{tmp_path.name}/x.yml", 2, 3)
    assert doc.where(("c",)) == Location(f"{tmp_path.name}/x.yml", 3, 1)
    # keys count too: {, a, {, b, 1 (5) + c + 3 for *x + d + [ + 3 for *x
    assert doc.nodes == 14


def test_alias_count_and_expansion_are_bounded(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("a: &x 1\nb: [" + ", ".join(["*x"] * 20) + "]\n")
    p = only_problem(tmp_path / "x.yml", tmp_path, Limits(aliases=10))
    assert "more than 10 aliases" in p.message
    p = only_problem(tmp_path / "x.yml", tmp_path, Limits(nodes=15))
    assert "more than 15 values" in p.message


def test_undefined_alias(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("a: *nowhere\n")
    p = only_problem(tmp_path / "x.yml", tmp_path)
    assert "has no anchor" in p.message


def test_nesting_limit(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("a: " + "[" * 5 + "]" * 5 + "\n")
    assert load_document(tmp_path / "x.yml", tmp_path, Limits(depth=6))[0] is not None
    p = only_problem(tmp_path / "x.yml", tmp_path, Limits(depth=5))
    assert "nested more than 5 deep" in p.message


def test_merge_keys_and_non_string_keys(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("a: &x {b: 1}\nc:\n  <<: *x\n  d: 2\n1: one\n[k]: v\n")
    doc, found = load_document(tmp_path / "x.yml", tmp_path)
    assert doc is not None and doc.data == {"a": {"b": 1}, "c": {"d": 2}}
    messages = [p.message for p in found]
    assert any("merge keys" in m for m in messages)
    assert "mapping key '1' must be a string" in messages
    assert "mapping key a collection must be a string" in messages


def test_one_document_per_file(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("a: 1\n---\nb: 2\n")
    p = only_problem(tmp_path / "x.yml", tmp_path)
    assert "one YAML document per file" in p.message and p.location is not None
    assert p.location.line == 2


def test_files_are_named_from_the_folder_holding_the_inventory(
        inv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same name from any working directory, and the one the repository uses."""
    (inv / "sites" / "zz.yml").write_text("id: [\n")
    expected = [f"{inv.name}/sites/zz.yml"]
    for where in (inv / "sites", Path("/"), inv.parent):
        monkeypatch.chdir(where)
        assert [p.location.file for p in load(inv).problems if p.location] == expected
    monkeypatch.chdir(inv.parent)
    relative = Path(inv.name)
    assert [p.location.file for p in load(relative).problems if p.location] == expected


@given(st.text(alphabet=".ymla_", min_size=1, max_size=8).filter(lambda n: n not in (".", "..")))
def test_a_site_file_is_named_as_a_path_suffix_reads_it(name: str) -> None:
    """Site files are told by name without a path object per file, exactly as
    ``Path.suffix`` tells them (``..yml`` is a site file; ``.yml`` is hidden, with none)."""
    assert files._site_file(name) == (Path(name).suffix in (".yml", ".yaml"))
