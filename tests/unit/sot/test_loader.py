from __future__ import annotations

from pathlib import Path

from pydriver.sot.loader import load, load_document


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
