"""`pydriver report bssn`: the BSSN evidence pack of the example region (19 routers,
7 servers), with waivers and firmware from a backups repository: deterministic, no secret,
the inventory, diagram and bandwidth tables agreeing with the source of truth, in both
languages."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from pydriver.cli import report as report_cli
from pydriver.compliance.model import Status
from pydriver.deploy import backup as backups
from pydriver.pipeline import Pipeline
from pydriver.report.bssn.inputs import gather
from pydriver.report.bssn.pack import PackInput, build_pack
from pydriver.sot.models import Platform
from pydriver.sot.secrets import PLACEHOLDER
from tests.unit.report.conftest import JUSTIFICATION, TODAY, waived_inventory

FIRMWARE = {"hub-drc-01": "RouterOS 7.16.2 (stable)", "rtr-dinkes": "IOS-XE 17.9.4a"}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def backup_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backups folder that knows two routers' firmware (assets.json), no configs."""
    repo = tmp_path_factory.mktemp("backups")
    (repo / backups.ASSETS).write_text(json.dumps(FIRMWARE))
    return repo


@pytest.fixture(scope="module")
def inputs(waived_pipe: Pipeline, backup_dir: Path,
           tmp_path_factory: pytest.TempPathFactory) -> PackInput:
    return gather(waived_pipe, "rendered", backup_dir, tmp_path_factory.mktemp("state"), TODAY)


@pytest.fixture(scope="module")
def pack_id(inputs: PackInput) -> dict[str, bytes]:
    return build_pack(inputs, "id")


@pytest.fixture(scope="module")
def pack_en(inputs: PackInput) -> dict[str, bytes]:
    return build_pack(inputs, "en")


def _text(pack: dict[str, bytes], name: str) -> str:
    return pack[name].decode("utf-8-sig")


def test_the_pack_has_every_document(pack_id: dict[str, bytes]) -> None:
    assert set(pack_id) == {
        "index.md", "index.html", "architecture.md", "architecture.html", "topology.dot",
        "topology.svg", "assets.csv", "assets.xlsx", "bandwidth.md", "bandwidth.html",
        "bandwidth.csv", "compliance.md", "compliance.html", "dashboard.html",
        "findings.json"}


def test_same_inputs_same_bytes_dates_excepted(inputs: PackInput, pack_id: dict[str, bytes]
                                               ) -> None:
    again = build_pack(inputs, "id")
    assert again == pack_id
    later = build_pack(PackInput(inputs.network, inputs.intents, inputs.report,
                                 inputs.firmware, inputs.sot, date(2026, 6, 2)), "id")
    changed = {name for name in pack_id if later[name] != pack_id[name]}
    assert changed  # the date is printed
    for name in changed - {"assets.xlsx"}:
        assert _text(later, name) == _text(pack_id, name).replace("2026-06-01", "2026-06-02")
    props = openpyxl.load_workbook(io.BytesIO(later["assets.xlsx"])).properties
    assert props.created == datetime(2026, 6, 2)


def test_no_secret_and_no_placeholder(inputs: PackInput, pack_id: dict[str, bytes],
                                      pack_en: dict[str, bytes]) -> None:
    b = inputs.network.baseline
    refs = {b.radius_secret, b.snmp.auth_secret, b.snmp.priv_secret,
            *(a.secret for a in b.admins)}
    psk = {m.group("ref") for i in inputs.intents.values() for tun in i.tunnels
           for m in PLACEHOLDER.finditer(tun.psk)}
    assert psk and refs
    # the compliance evidence does quote lines with placeholders; the pack masks them
    assert any(f.evidence and PLACEHOLDER.search(f.evidence.text)
               for f in inputs.report.findings)
    for pack in (pack_id, pack_en):
        for name, data in pack.items():
            text = data.decode("utf-8", errors="replace")
            if name.endswith(".xlsx"):
                book = openpyxl.load_workbook(io.BytesIO(data))
                text = "\n".join(str(c.value) for ws in book for row in ws.iter_rows()
                                 for c in row)
            assert "@@secret" not in text, name
            assert "env:JIP_" not in text, name
            assert not [r for r in refs | psk if r in text], name
    findings = json.loads(pack_id["findings.json"])["findings"]
    assert any("[rahasia]" in (f["evidence"] or {}).get("text", "") for f in findings)


def _csv(pack: dict[str, bytes], name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_text(pack, name))))


def test_asset_inventory_lists_every_router_and_server(inputs: PackInput,
                                                       pack_id: dict[str, bytes]) -> None:
    rows = _csv(pack_id, "assets.csv")
    head, body = rows[0], rows[1:]
    assert head[:2] == ["Jenis", "Nama"] and "Firmware" in head
    net = inputs.network
    routers = {h.hostname for h in net.hubs()} | {s.router.hostname for s in net.sites}
    servers = {s.name for s in net.servers}
    assert len(routers) == 19 and len(servers) == 7
    assert sorted(r[1] for r in body if r[0] == "router") == sorted(routers)
    assert sorted(r[1] for r in body if r[0] == "server") == sorted(servers)
    by_name = {r[1]: dict(zip(head, r, strict=True)) for r in body}
    assert by_name["hub-drc-01"]["Firmware"] == FIRMWARE["hub-drc-01"]
    assert by_name["rtr-dinkes"]["Firmware"] == FIRMWARE["rtr-dinkes"]
    assert by_name["rtr-bappeda"]["Firmware"] == "tidak diketahui"
    dinkes = next(s for s in net.sites if s.code == "dinkes")
    assert by_name["rtr-dinkes"]["OPD / pemilik"] == dinkes.name
    assert by_name["rtr-dinkes"]["Lokasi"] == dinkes.address
    assert by_name["rtr-dinkes"]["Alamat manajemen"] == \
        str(inputs.intents["rtr-dinkes"].management)
    assert by_name["hub-pusdatin-01"]["Alamat manajemen"] == \
        str(net.hub("hub-pusdatin-01").management)
    # the workbook holds the same table
    sheet = openpyxl.load_workbook(io.BytesIO(pack_id["assets.xlsx"])).active
    assert sheet is not None
    cells = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == rows


def test_topology_has_a_node_per_router(inputs: PackInput, pack_id: dict[str, bytes]) -> None:
    svg = ET.fromstring(pack_id["topology.svg"])
    nodes = {g.findtext(f"{SVG}title") for g in svg.iter(f"{SVG}g")
             if g.get("class") == "node"}
    net = inputs.network
    routers = {h.hostname for h in net.hubs()} | {s.router.hostname for s in net.sites}
    assert nodes == routers | {"internet"}
    edges = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "edge"]
    links = sum(len(s.links) for s in net.sites)
    hubs = len(net.hubs())
    assert len(edges) == links + hubs + hubs * (hubs - 1) // 2
    # the media are drawn differently: fibre solid and bold, metro dashed, VPN dotted
    dashes = {p.get("stroke-dasharray") for g in edges for p in g.iter(f"{SVG}path")}
    assert {"5,2", "1,5"} <= dashes
    # the HTML architecture document embeds the same drawing, inline
    html = _text(pack_id, "architecture.html")
    drawing = _text(pack_id, "topology.svg")
    assert html.count("<svg") == 1 and drawing[drawing.index("<svg"):] in html


def _md_rows(text: str, first: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith(f"| {first}")]


def test_bandwidth_sums_match_the_source_of_truth(inputs: PackInput,
                                                  pack_id: dict[str, bytes]) -> None:
    net = inputs.network
    over = net.region.overbooking
    md = _text(pack_id, "bandwidth.md")
    for dc in net.datacenters:
        for up in dc.uplinks:
            sites = [s for s in net.sites if s.bandwidth.uplink == up.name]
            guaranteed = sum(s.bandwidth.guaranteed_mbps for s in sites)
            maximum = sum(s.bandwidth.max_mbps for s in sites)
            (row,) = _md_rows(md, up.name)
            assert row[4:8] == [str(up.mbps), f"{up.mbps * over:g}", str(guaranteed),
                                str(maximum)]
            assert row[9] == ("melebihi anggaran" if guaranteed > up.mbps * over
                              else "sesuai")
            csv_rows = [r for r in _csv(pack_id, "bandwidth.csv")[1:] if r[0] == up.name]
            assert sorted(r[5] for r in csv_rows) == sorted(s.code for s in sites)
            assert sum(int(r[7]) for r in csv_rows) == guaranteed
    totals = _md_rows(md, "Jumlah")
    assert [int(r[3]) for r in totals] == [
        sum(s.bandwidth.guaranteed_mbps for s in net.sites if s.bandwidth.uplink == u.name)
        for dc in net.datacenters for u in dc.uplinks]


def test_compliance_per_opd_with_the_waivers(inputs: PackInput,
                                             pack_id: dict[str, bytes]) -> None:
    md = _text(pack_id, "compliance.md")
    assert JUSTIFICATION in md and "2027-12-31" in md
    assert f"platform {Platform.LINUX_FRR.value}" in md
    counts = inputs.report.counts()
    rows = [r for r in _md_rows(md, "") if len(r) == 8 and r[3].isdigit()]
    # the per-OPD summary adds up to the report: pass .. fail columns
    order = ("pass", "not-applicable", "waived", "not-assessed", "fail")
    for i, status in enumerate(order):
        assert sum(int(r[3 + i]) for r in rows) == counts[status]
    assert counts[Status.WAIVED.value] > 0


def test_languages_differ_in_every_heading(pack_id: dict[str, bytes],
                                           pack_en: dict[str, bytes]) -> None:
    for name in ("architecture.md", "bandwidth.md", "compliance.md", "index.md"):
        ids = [line for line in _text(pack_id, name).splitlines()
               if re.match(r"#{1,2} ", line)]
        ens = [line for line in _text(pack_en, name).splitlines()
               if re.match(r"#{1,2} ", line)]
        assert len(ids) == len(ens) > 1
        assert all(a != b for a, b in zip(ids, ens, strict=True)), name
    assert _csv(pack_en, "assets.csv")[0][:2] == ["Type", "Name"]
    assert "unknown" in _text(pack_en, "assets.csv")
    assert '<html lang="en">' in _text(pack_en, "architecture.html")
    assert '<html lang="id">' in _text(pack_id, "architecture.html")


def _app() -> typer.Typer:
    app = typer.Typer()
    report_cli.register(app)

    @app.callback()
    def _root() -> None:
        """A group, so `report` keeps its name."""

    return app


def test_cli_from_backups(tmp_path: Path, waived_pipe: Pipeline) -> None:
    """--from backups: the routers with a stored running config are judged on it, the
    others are not assessed; firmware comes from the same repository."""
    inv = waived_inventory(tmp_path / "inventory")
    pipe = Pipeline(inv)
    stored = {h: r.main for h, r in pipe.rendered.items()
              if r.platform is not Platform.LINUX_FRR}
    platforms = {h: i.platform.value for h, i in pipe.intents.items()}
    repo = tmp_path / "backups"
    backups.store(repo, stored, platforms, FIRMWARE)
    out = tmp_path / "evidence"
    r = CliRunner().invoke(_app(), ["report", "bssn", "--inventory", str(inv), "--out",
                                    str(out), "--from", "backups", "--backups", str(repo),
                                    "--lang", "en", "--date", TODAY.isoformat()])
    assert r.exit_code == 0, r.output
    assert str(out / "index.html") in r.output
    findings = json.loads((out / "findings.json").read_text())
    assert findings["source"] == "backups"
    config_rules = {r["id"] for r in findings["rules"] if r["scope"] == "config"}
    judged = {f["router"] for f in findings["findings"] if f["rule"] in config_rules
              and f["status"] in ("pass", "fail", "waived")}
    unread = {f["router"] for f in findings["findings"] if f["rule"] in config_rules
              and f["status"] == "not-assessed"}
    assert judged == set(stored)
    assert set(platforms) - set(stored) <= unread
    assert "running configurations from the backups repository" in \
        (out / "compliance.md").read_text()
    assert FIRMWARE["rtr-dinkes"] in (out / "assets.csv").read_text(encoding="utf-8-sig")


def test_cli_refuses_an_unknown_language(tmp_path: Path) -> None:
    r = CliRunner().invoke(_app(), ["report", "bssn", "--out", str(tmp_path / "x"),
                                    "--lang", "fr"])
    assert r.exit_code == 1
    assert "--lang 'fr'" in r.output
    assert not (tmp_path / "x").exists()


def test_the_architecture_shows_the_tiers(pack_en: dict[str, bytes],
                                          pack_id: dict[str, bytes]) -> None:
    md = _text(pack_en, "architecture.md")
    section = md[md.index("## Interconnects with the other tiers"):]
    section = section[:section.index("\n## ", 5)]
    # the federation, top down: the pusat above this province, the kabupaten below
    tiers = [line.split()[0] for line in section.splitlines()
             if line.startswith(("pusat ", "provinsi ", "kabupaten "))]
    assert tiers == ["pusat", "provinsi", "kabupaten"]
    assert "hub-pusdatin-01 <-> hub-lobar-01: isp_metro 200 Mbps, 10.253.1.0/30" in section
    rows = [line for line in section.splitlines() if line.startswith("| kab-lombok-barat ")]
    assert len(rows) == 1 and "172.21.128.0/18" in rows[0] and "| 50 |" in rows[0]
    assert "env:" not in section and "PSK" not in section
    assert "## Interkoneksi antar tingkat" in _text(pack_id, "architecture.md")
    assert 'class="interconnects"' in _text(pack_en, "architecture.html")
