"""Each input that once crashed or hung validation, kept as a named regression test.

Before the loader treated files as hostile, a fuzzer over the example inventory crashed
validation in about 8% of cases and hung it past 10 s in 3%. Each reproducer of that table
is here: every one must now be one located problem, found in milliseconds.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pydriver.errors import Problem, SourceError
from pydriver.pipeline import Pipeline
from pydriver.sot import files
from pydriver.sot.loader import load
from tests.conftest import Edit

pytestmark = pytest.mark.usefixtures("in_tmp")

SITE = "sites/bappeda.yml"
NAME = "name: Badan Perencanaan Pembangunan Daerah"
ADDRESS = 'address: "Jl. Pejanggik No. 12, Mataram"'


def problems(inv: Path) -> list[Problem]:
    start = time.process_time()
    with pytest.raises(SourceError) as info:
        assert Pipeline(inv).rendered
    assert time.process_time() - start < 1.0
    return list(info.value.problems)


def one(inv: Path, file: str = SITE) -> Problem:
    """The one problem, located in ``file`` of the copy."""
    (p,) = problems(inv)
    assert p.location is not None and p.location.file == f"inventory/{file}", p
    return p


# -- MemoryError ------------------------------------------------------------------------------
def test_site_file_linked_to_dev_zero(inv: Path) -> None:
    (inv / SITE).unlink()
    (inv / SITE).symlink_to("/dev/zero")
    p = one(inv)
    assert "outside the inventory" in p.message and p.location is not None
    assert (p.location.line, p.location.column) == (1, 1)  # a problem with the whole file


def test_billion_laughs_alias_bomb(inv: Path) -> None:
    bomb = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    bomb += "".join(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]\n"
                    for i in range(1, 13))
    (inv / SITE).write_text(bomb)
    p = one(inv)
    assert "values in one file" in p.message and "alias" in p.message


# -- hang, RecursionError ---------------------------------------------------------------------
@pytest.mark.parametrize("nest", ["[" * 1000 + "]" * 1000, "[" * 500 + "]" * 500,
                                  "{a: " * 800 + "}" * 800])
def test_deep_nesting(inv: Path, edit: Edit, nest: str) -> None:
    edit(SITE, ADDRESS, f"address: {nest}")
    p = one(inv)
    assert "nested more than" in p.message or "nesting depth" in p.message


@pytest.mark.parametrize("alias", ["&a [*a]", "&a {k: *a}", "&a [1, [2, *a]]"])
def test_recursive_alias(inv: Path, edit: Edit, alias: str) -> None:
    edit(SITE, ADDRESS, f"address: {alias}")
    assert "recursive alias" in one(inv).message


# -- RuntimeError -----------------------------------------------------------------------------
def test_site_file_linked_to_itself(inv: Path) -> None:
    (inv / SITE).unlink()
    (inv / SITE).symlink_to("bappeda.yml")
    assert "symbolic link loop" in one(inv).message


# -- ConstructorError -------------------------------------------------------------------------
@pytest.mark.parametrize("tag", ["!!python/object:os.system", "!!python/object/apply:os.system",
                                 "!foo", "!env", "!!binary", "!!set"])
def test_unknown_tags_are_located_and_named(inv: Path, edit: Edit, tag: str) -> None:
    edit(SITE, NAME, f"name: {tag} Badan")
    p = one(inv)
    assert p.location is not None and (p.location.line, p.location.column) == (4, 7)
    assert f"YAML tag '{tag}' is not accepted" in p.message


# -- AttributeError ---------------------------------------------------------------------------
def test_timestamp_where_a_string_is_expected(inv: Path, edit: Edit) -> None:
    edit(SITE, NAME, "name: !!timestamp 2024-01-01")
    assert "'!!timestamp' is not accepted" in one(inv).message


def test_plain_date_is_text_and_a_number_is_not(inv: Path, edit: Edit) -> None:
    edit(SITE, NAME, "name: 2024")
    p = one(inv)
    assert p.message == "name: expected text; quote the value to make it a string (got 2024)"


@pytest.mark.parametrize("address", ['"10.250.10.11\\t/24"', '"10.250.10.11/24 "',
                                     '" 10.250.10.11/24"'])
def test_whitespace_in_an_address(inv: Path, edit: Edit, address: str) -> None:
    edit("region.yml", "address: 10.250.10.11/24", f"address: {address}")
    p = one(inv, "region.yml")
    assert "without spaces or tabs" in p.message and "mgmt.address" in p.message


# -- ValueError -------------------------------------------------------------------------------
@pytest.mark.parametrize("tag", ["!!float", "!!int"])
def test_number_tag_on_a_string(inv: Path, edit: Edit, tag: str) -> None:
    edit(SITE, NAME, f"name: {tag} Badan")
    assert f"'{tag}' is not accepted" in one(inv).message


@pytest.mark.parametrize(("name", "why"), [
    ("ether3.x", "VLAN id 1-4094"), (".", "not a valid name"), ("ether3.5000", "VLAN id 1-4094"),
    ("ether3.0", "VLAN id 1-4094"), ("ether3.", "VLAN id 1-4094"),
    ("'ether3 disabled=yes'", "no spaces")])
def test_zone_interface_the_platform_cannot_take(inv: Path, edit: Edit, name: str,
                                                 why: str) -> None:
    edit(SITE, "interface: ether3", f"interface: {name}")
    p = one(inv)
    assert why in p.message and p.location is not None and p.location.line == 21


def test_file_outside_the_inventory_is_never_read(inv: Path, tmp_path: Path) -> None:
    secret = tmp_path / "outside.yml"
    secret.write_text("id: 1\nroot_password: s3cr3t-outside\n")
    (inv / SITE).unlink()
    (inv / SITE).symlink_to(secret)
    p = one(inv)
    assert "outside the inventory" in p.message
    assert "s3cr3t" not in p.message and "root_password" not in p.message
    assert str(tmp_path) not in p.message and "outside.yml" not in p.message


def test_a_file_swapped_for_a_link_after_the_listing_is_not_followed(
        inv: Path, tmp_path: Path) -> None:
    """A site file listed as a regular file is read through the open sites folder by its
    name, never through a link: one made in its place after the listing (a race) is
    refused, and what it points at is not read."""
    secret = tmp_path / "outside.yml"
    secret.write_text("root_password: s3cr3t-outside\n")
    root_real = os.path.realpath(inv)
    with files.sites_folder(inv, root_real, inv.parent, files.Limits()) as (listed, found):
        assert found == [] and all(f.folder_fd is not None for f in listed)
        site = next(f for f in listed if f.name == "bappeda.yml")
        (inv / SITE).unlink()
        (inv / SITE).symlink_to(secret)
        read = files.read_bytes(site.name, root_real, site.shown,
                                files.Budget(files.Limits()), site.folder_fd)
    assert isinstance(read, Problem) and read.location is not None
    assert read.location.file == f"inventory/{SITE}"
    assert "s3cr3t" not in read.message
    with files.sites_folder(inv, root_real, inv.parent, files.Limits()) as (listed, _):
        assert next(f for f in listed if f.name == "bappeda.yml").folder_fd is None  # a link


def test_a_sites_folder_swapped_for_a_link_after_the_listing_is_not_followed(
        inv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sites folder is read through the descriptor of the folder that was checked: one
    moved away and replaced by a link to a folder outside, between the listing and the
    reads, leaks nothing of the outside folder (the files read are the checked folder's)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in os.listdir(inv / "sites"):
        (outside / name).write_text("leaked: TOP-SECRET-OUTSIDE\n")
    real_folder = files.sites_folder

    @contextlib.contextmanager
    def swapped(*args: Any) -> Iterator[tuple[list[files.Listed], list[Problem]]]:
        with real_folder(*args) as listing:
            os.rename(inv / "sites", tmp_path / "moved-sites")
            (inv / "sites").symlink_to(outside)
            yield listing

    monkeypatch.setattr(files, "sites_folder", swapped)
    source = load(inv)
    assert len(source.sites) > 10 and not source.problems
    assert all("leaked" not in doc.data for doc in source.sites)


def test_sites_folder_linked_outside(inv: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.yml").write_text("id: 1\n")
    os.rename(inv / "sites", tmp_path / "old-sites")
    (inv / "sites").symlink_to(tmp_path / "elsewhere")
    p = one(inv, "sites")
    assert "outside the inventory" in p.message


# -- found by the fuzz test -------------------------------------------------------------------
def test_isp_metro_link_to_a_metro_interface_without_address(inv: Path, edit: Edit) -> None:
    edit("region.yml", "metro: {name: GigabitEthernet0/0/1, address: 100.64.10.1/24}",
         "metro: {name: GigabitEthernet0/0/1}")
    # the sites' links and the interconnect that end on it: each named where it is written
    found = problems(inv)
    assert {p.location.file for p in found if p.location} == {"inventory/region.yml"}
    assert [p for p in found if "the metro interface needs an address" in p.message]
    assert [p for p in found if "no metro interface with an address for an isp_metro "
            "interconnect" in p.message]
    assert len(found) == 2
