"""The federation: each region publishes its side, and checks its peers' against its own.

The examples are three separately owned repositories: the province (``inventory/``), a
kabupaten and the pusat. Here they exchange their published files exactly as their teams
would (``interconnect export``, copy into ``peers/``, ``validate --peers``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pydriver.cli.main import app
from pydriver.errors import Problem, SourceError
from pydriver.pipeline import Pipeline
from pydriver.sot.federation import Published

ROOT = Path(__file__).resolve().parents[3]
REGIONS = {"52": ROOT / "inventory",
           "52.01": ROOT / "examples" / "kabupaten-lombok-barat" / "inventory",
           "00": ROOT / "examples" / "pusat" / "inventory"}

pytestmark = pytest.mark.usefixtures("in_tmp")


@pytest.fixture
def federation(tmp_path: Path) -> dict[str, Path]:
    """A private copy of each region's inventory, as three checkouts side by side."""
    out = {}
    for code, src in REGIONS.items():
        dest = tmp_path / code / "inventory"
        shutil.copytree(src, dest)
        out[code] = dest
    return out


def exchange(regions: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """Every region exports; each region's peers/ gets the files published for it."""
    runner = CliRunner()
    peers = {}
    for code, inv in regions.items():
        result = runner.invoke(app, ["interconnect", "export", "--inventory", str(inv),
                                     "--out", str(inv.parent / "published")])
        assert result.exit_code == 0, result.output
        peers[code] = inv.parent / "peers"
        peers[code].mkdir()
    for inv in regions.values():
        for path in sorted((inv.parent / "published").iterdir()):
            to = Published.model_validate(yaml.safe_load(path.read_text())).to
            shutil.copy(path, peers[to] / path.name)
    return peers


def problems(inv: Path, peers: Path) -> list[Problem]:
    with pytest.raises(SourceError) as info:
        Pipeline(inv).check_peers(peers)
    return list(info.value.problems)


def line_of(path: Path, text: str, after: str = "") -> int:
    lines = path.read_text().splitlines()
    start = next(n for n, line in enumerate(lines) if after in line) if after else 0
    return next(n for n, line in enumerate(lines[start:], start + 1) if text in line)


def test_the_three_regions_agree(federation: dict[str, Path], tmp_path: Path) -> None:
    peers = exchange(federation, tmp_path)
    assert sorted(p.name for p in peers["52"].iterdir()) == ["00_to_52.yml",
                                                             "52.01_to_52.yml"]
    runner = CliRunner()
    for code, inv in federation.items():
        result = runner.invoke(app, ["validate", "--inventory", str(inv), "--peers",
                                     str(peers[code])])
        assert result.exit_code == 0, result.output
        assert "interconnects agreed with" in result.output


def test_published_files_hold_no_secret_and_no_internal_detail(
        federation: dict[str, Path], tmp_path: Path) -> None:
    exchange(federation, tmp_path)
    text = (federation["52"].parent / "published" / "52_to_52.01.yml").read_text()
    data = yaml.safe_load(text)
    assert "env:" not in text and "psk" not in text.lower() and "@@" not in text
    assert "JIP_PSK" not in text
    # only this interconnect: nothing of the pusat link, no site, no other hub
    assert "hub-pusdatin-02" not in text and "rtr-" not in text and "10.64." not in text
    assert data["interconnect"]["local"] == {"hub": "hub-pusdatin-01",
                                             "underlay": "100.64.10.1",
                                             "exports": ["10.10.10.0/24"]}
    again = Pipeline(federation["52"]).published()
    assert again["52_to_52.01.yml"] == text  # byte-deterministic


def test_capacity_changed_on_one_side_is_named_on_both(federation: dict[str, Path],
                                                       tmp_path: Path) -> None:
    kab = federation["52.01"] / "region.yml"
    kab.write_text(kab.read_text().replace("    capacity_mbps: 200\n",
                                           "    capacity_mbps: 300\n"))
    peers = exchange(federation, tmp_path)
    kab_line = line_of(kab, "capacity_mbps: 300")
    prov = federation["52"] / "region.yml"
    prov_line = line_of(prov, "capacity_mbps: 200", after="interconnects:")
    published_kab = peers["52"] / "52.01_to_52.yml"
    published_prov = peers["52.01"] / "52_to_52.01.yml"
    # the province's view: its region.yml and the kabupaten's published file, each
    # naming the other
    found = problems(federation["52"], peers["52"])
    assert len(found) == 2, found
    by_file = {p.location.file: p for p in found if p.location}
    ours = by_file["inventory/region.yml"]
    theirs = by_file["peers/52.01_to_52.yml"]
    assert ours.location is not None and ours.location.line == prov_line
    assert theirs.location is not None and theirs.location.line == line_of(
        published_kab, "capacity_mbps: 300")
    assert f"capacity_mbps 200 here, but peers/52.01_to_52.yml:{theirs.location.line}:" \
        in ours.message and ours.message.endswith("says 300")
    assert f"capacity_mbps 300 here, but inventory/region.yml:{prov_line}:" in theirs.message
    # the kabupaten's view: the same mismatch, from its side
    found = problems(federation["52.01"], peers["52.01"])
    lines = sorted((p.location.file, p.location.line) for p in found if p.location)
    assert lines == sorted([("inventory/region.yml", kab_line),
                            ("peers/52_to_52.01.yml",
                             line_of(published_prov, "capacity_mbps: 200"))])
    # the pusat is not involved
    Pipeline(federation["00"]).check_peers(peers["00"])


def test_every_field_is_compared(federation: dict[str, Path], tmp_path: Path) -> None:
    peers = exchange(federation, tmp_path)
    path = peers["52"] / "52.01_to_52.yml"
    data = yaml.safe_load(path.read_text())
    ic = data["interconnect"]
    ic["medium"] = "internet_vpn"
    ic["transit"] = "10.253.9.0/30"
    ic["local"]["hub"] = "hub-lobar-09"
    ic["peer"]["asn"] = 65053
    ic["crypto"]["dh_groups"] = [14]
    ic["local"]["exports"] = ["172.21.10.0/24", "172.22.0.0/24"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    messages = [p.message for p in problems(federation["52"], peers["52"])
                if p.location and p.location.file.endswith("region.yml")]
    for what in ("medium isp_metro here", "transit 10.253.1.0/30 here",
                 "the peer's hub hub-lobar-01 here", "this region's ASN 65052 here",
                 "crypto profile", "the peer's exports"):
        assert any(what in m for m in messages), (what, messages)
    outside = [p for p in problems(federation["52"], peers["52"])
               if "outside its allocation" in p.message]
    assert outside and outside[0].location is not None
    assert outside[0].location.file == "peers/52.01_to_52.yml"


def test_missing_and_hostile_peer_files(federation: dict[str, Path], tmp_path: Path) -> None:
    peers = exchange(federation, tmp_path)
    (peers["52"] / "00_to_52.yml").unlink()
    bad = peers["52"] / "52.01_to_52.yml"
    bad.write_text(bad.read_text().replace("hub: hub-lobar-01", 'hub: "x\\n/system reset"'))
    found = problems(federation["52"], peers["52"])
    missing = [p for p in found if "no published file from region 00" in p.message]
    assert missing and missing[0].location is not None
    assert missing[0].location.file == "inventory/region.yml"
    hostile = [p for p in found if "expected a hostname" in p.message]
    assert hostile and hostile[0].location is not None
    assert hostile[0].location.file == "peers/52.01_to_52.yml"
    assert all("\n" not in p.message for p in found)
