"""Plans made from running configs given as text (pure: no device)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from pydriver.errors import PlanError
from pydriver.pipeline import Pipeline
from pydriver.plan.make import make_plan, sot_ref
from pydriver.plan.model import PLAN_VERSION, Plan
from pydriver.platforms.linux_frr import driver as frr
from pydriver.report import plan as report


def test_converged_network_plans_nothing(example: Path) -> None:
    _pipe = Pipeline(example)
    intents, rendered = _pipe.intents, _pipe.rendered
    running = {h: c.main for h, c in rendered.items() if c.platform.value == "cisco_ios"}
    running |= {h: frr.join(dict(c.files)) for h, c in rendered.items()
                if c.platform.value == "linux_frr"}
    plan = make_plan(intents, rendered, running, sot_ref(example), "test")
    ios_and_frr = [r for r in plan.routers if r.platform != "mikrotik_routeros"]
    assert ios_and_frr and all(r.action == "noop" for r in ios_and_frr)
    assert all(r.action == "skip" for r in plan.routers if r.platform == "mikrotik_routeros")
    assert "No changes" in report.text(plan)


def test_a_bandwidth_change_is_a_hub_change_with_risks(example: Path) -> None:
    _pipe = Pipeline(example)
    intents, rendered = _pipe.intents, _pipe.rendered
    hub = "hub-pusdatin-01"
    old = rendered[hub].main.replace("shape average 200000000", "shape average 100000000")
    plan = make_plan(intents, rendered, {hub: old}, sot_ref(example), "test")
    r = plan.router(hub)
    assert r.action == "update" and r.added >= 1
    assert any("shape average 200000000" in c for c in r.commands)
    assert any("sites depend on this hub" in risk for risk in r.risks)
    text = report.text(plan)
    assert text.index("Risks:") < text.index("# hub-pusdatin-01")
    md = report.markdown(plan)
    assert "| hub-pusdatin-01 | hub |" in md


def test_plan_json_round_trips_and_is_versioned(example: Path, tmp_path: Path) -> None:
    _pipe = Pipeline(example)
    intents, rendered = _pipe.intents, _pipe.rendered
    plan = make_plan(intents, rendered, {"rtr-dinkes": "hostname Router\n"},
                     sot_ref(example), "test")
    path = tmp_path / "plan.json"
    path.write_text(plan.to_json())
    again = Plan.load(path)
    assert again == plan and again.digest == plan.digest
    data = json.loads(path.read_text())
    assert data["version"] == PLAN_VERSION == 3 and data["summary"]["to_change"] == 1
    data["version"] = 99
    path.write_text(json.dumps(data))
    with pytest.raises(PlanError, match="version 99"):
        Plan.load(path)
    path.write_text("{not json")
    with pytest.raises(PlanError, match="not a pydriver plan"):
        Plan.load(path)


def test_the_plan_file_holds_every_field_in_either_layout(example: Path, tmp_path: Path
                                                          ) -> None:
    """The plan is written field by field, not through ``asdict`` (too slow for a nation):
    it must still hold exactly the fields ``asdict`` gives, and read back the same whether
    indented for a reader or on one line for the cache."""
    pipe = Pipeline(example)
    plan = make_plan(pipe.intents, pipe.rendered, {"rtr-dinkes": "hostname Router\n",
                                                   "hub-drc-01": ""}, sot_ref(example), "test",
                     inputs=pipe.inputs)
    assert plan.code and len(plan.routers) > 2
    data = plan.to_dict()
    # a router's inputs are written only when known (a router left out has none), so that
    # a plan made before they were kept keeps its digest
    expected = asdict(plan)
    assert {r["host"] for r in expected["routers"] if r["inputs_hash"]} == \
        {"rtr-dinkes", "hub-drc-01"}
    for r in expected["routers"]:
        if not r["inputs_hash"]:
            del r["inputs_hash"]
    assert {k: v for k, v in data.items() if k != "summary"} == expected
    for indent in (2, None):
        path = tmp_path / f"plan-{indent}.json"
        path.write_text(plan.to_json(indent=indent))
        assert Plan.load(path) == plan
    assert len((tmp_path / "plan-None.json").read_text().splitlines()) == 1


def test_sot_digest_follows_content(inv: Path) -> None:
    before = sot_ref(inv)
    (inv / "sites" / "dinkes.yml").write_text((inv / "sites" / "dinkes.yml").read_text() + "#\n")
    assert sot_ref(inv).digest != before.digest


def _plan_for(example: Path, running: dict[str, str]) -> Plan:
    pipe = Pipeline(example)
    return make_plan(pipe.intents, pipe.rendered, running, sot_ref(example), "test")


def test_a_router_holding_nothing_of_pydrivers_is_created(example: Path) -> None:
    """RouterOS: no item tagged pydriver:; IOS: no JIP- object; Linux: no file of ours."""
    from pydriver.platforms.cisco_ios.engine.models import factory_config, hardware
    from pydriver.platforms.registry import driver

    pipe = Pipeline(example)
    rendered = pipe.rendered
    hosts = {"rtr-bpbd": "mikrotik_routeros", "rtr-dinkes": "cisco_ios",
             "rtr-pkm-tanjung": "linux_frr"}
    factory = {
        "rtr-bpbd": '/ip firewall filter\nadd action=accept chain=input comment="defconf: '
                    'accept ICMP" protocol=icmp\n/system identity\nset name=MikroTik\n',
        "rtr-dinkes": factory_config(hardware("ISR4331/K9"), "Router"),
        "rtr-pkm-tanjung": frr.join({"frr.conf": "frr version 8.4\nhostname debian\n"}),
    }
    plan = _plan_for(example, factory)
    assert {h: plan.router(h).action for h in hosts} == dict.fromkeys(hosts, "create")
    assert plan.router("hub-drc-01").action == "skip"
    # once pydriver's configuration is there, a difference is an update
    edits = {"rtr-bpbd": ("10.10.10.53", "10.10.10.54"),
             "rtr-dinkes": ("10.10.10.53", "10.10.10.54"),
             "rtr-pkm-tanjung": ("log syslog informational", "log syslog debugging")}
    touched = {h: driver(p).as_running(rendered[h]).replace(*edits[h])
               for h, p in hosts.items()}
    plan = _plan_for(example, touched)
    assert {h: plan.router(h).action for h in hosts} == dict.fromkeys(hosts, "update")
    for h in hosts:  # what the router has now, and the plan takes away
        assert any(edits[h][1] in line for line in plan.router(h).removed_lines), h
        assert plan.router(h).removed == len(plan.router(h).removed_lines), h
    assert report.text(plan).count("(update;") == 3
    assert summary_of(_plan_for(example, factory))["created"] == sorted(hosts)


def summary_of(plan: Plan) -> dict[str, object]:
    from pydriver.plan.model import summary

    return summary(plan)


def test_markdown_plan_shows_removed_lines_actions_and_no_changes(example: Path) -> None:
    pipe = Pipeline(example)
    hub = "hub-pusdatin-01"
    old = pipe.rendered[hub].main.replace("shape average 200000000", "shape average 100000000")
    plan = _plan_for(example, {hub: old, "rtr-dinkes": "hostname Router\n"})
    md = report.markdown(plan)
    assert "| hub-pusdatin-01 | hub |  | update |" in md
    assert "| rtr-dinkes | site | dinkes | create |" in md
    block = md[md.index("<summary>hub-pusdatin-01 (update)"):]
    assert "Removed or replaced (" in block and "-     shape average 100000000" in block
    converged = _plan_for(example, {hub: pipe.rendered[hub].main})
    assert "No changes. The routers match the source of truth." in report.markdown(converged)
    assert "| router |" in report.markdown(converged)  # the skipped ones are listed


def test_markdown_plan_fits_its_limit_and_keeps_the_summary(example: Path) -> None:
    pipe = Pipeline(example)
    running = {h: "" for h, c in pipe.rendered.items() if c.platform.value != "linux_frr"}
    plan = _plan_for(example, running)
    full = report.markdown(plan, max_chars=10**9)
    assert len(full) > 65_000
    short = report.markdown(plan, full_report="plan.json")
    assert len(short) <= 65_000
    head = full[:full.index("<details>")]
    assert short.startswith(head.rstrip("\n"))  # summary, table and risks, whole
    assert "left out to fit the comment limit (the whole plan: plan.json)" in short
    summary_only = report.markdown(plan, summary_only=True)
    assert "<details>" not in summary_only and "**Risks:**" in summary_only


def test_text_plan_puts_commands_last_or_leaves_them_out(example: Path) -> None:
    plan = _plan_for(example, {"rtr-dinkes": "hostname Router\n"})
    quiet = report.text(plan, show_commands=False, target="the LAB")
    assert "Target: the LAB." in quiet.splitlines()[0]
    assert "--verbose shows them" in quiet and "crypto ikev2" not in quiet
    loud = report.text(plan)
    assert loud.index("Risks:") < loud.index("# rtr-dinkes (create;") < loud.index("crypto ikev2")


def test_a_plan_made_before_plans_recorded_their_code_still_loads() -> None:
    """A plan reviewed and approved before an upgrade stays usable: it has no ``code``,
    and its digest is over what it held."""
    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "plans" / \
        "v3-without-code.json"
    assert '"code"' not in fixture.read_text()
    plan = Plan.load(fixture)
    assert plan.code == "" and plan.version == 3
    assert [r.host for r in plan.changes] == ["rtr-dinkes"]
    assert json.loads(fixture.read_text())["digest"] == plan.digest


def test_sot_digest_reads_the_tree_and_its_links_inside_only(tmp_path: Path) -> None:
    """Regular files count, and links to regular files inside the inventory; links out of
    it, to folders, broken links and FIFOs are left out (reading a FIFO would block). A
    folder nested deeper than the interpreter's recursion limit is walked too."""
    import os

    inv, outside = tmp_path / "inv", tmp_path / "outside.yml"
    (inv / "sites").mkdir(parents=True)
    (inv / "sites" / "a.yml").write_text("a: 1\n")
    outside.write_text("secret: 1\n")
    (inv / "in.yml").symlink_to(inv / "sites" / "a.yml")
    (inv / "out.yml").symlink_to(outside)
    (inv / "folder").symlink_to(inv / "sites")
    (inv / "broken.yml").symlink_to(inv / "nowhere.yml")
    os.mkfifo(inv / "fifo")
    deep = inv
    for _ in range(1100):  # one by one: ``mkdir(parents=True)`` itself recurses
        deep = deep / "d"
        deep.mkdir()
    (deep / "x.yml").write_text("x: 1\n")
    try:
        first = sot_ref(inv).digest
        outside.write_text("secret: 2\n")
        assert sot_ref(inv).digest == first  # a link out of the inventory is never read
        (inv / "out.yml").unlink()
        (inv / "broken.yml").unlink()
        (inv / "folder").unlink()
        (inv / "fifo").unlink()
        assert sot_ref(inv).digest == first  # nor are links to folders, broken links, FIFOs
        (deep / "x.yml").write_text("x: 2\n")
        assert sot_ref(inv).digest != first  # the deep file counts
        second = sot_ref(inv).digest
        (inv / "sites" / "a.yml").write_text("a: 2\n")
        third = sot_ref(inv).digest
        (inv / "in.yml").unlink()
        assert third != second and sot_ref(inv).digest not in (second, third)  # and the link
    finally:  # bottom up: ``shutil.rmtree``, which cleans up after the test, recurses too
        (deep / "x.yml").unlink()
        while deep != inv:
            deep.rmdir()
            deep = deep.parent


def test_sot_digest_leaves_out_a_folder_that_can_be_listed_but_not_entered(
        tmp_path: Path) -> None:
    """A folder with read but no search permission lists its files, which cannot be
    opened: they are left out, as files that cannot be reached, not failed on. Run in a
    process without root's override of file permissions (``setpriv``), as a CI job runs."""
    import os
    import shutil
    import subprocess
    import sys

    inv = tmp_path / "inv"
    (inv / "nox").mkdir(parents=True)
    (inv / "a.yml").write_text("a: 1\n")
    (inv / "nox" / "f.yml").write_text("f: 1\n")
    for path in (tmp_path, inv):
        path.chmod(0o755)
    (inv / "a.yml").chmod(0o644)
    (inv / "nox").chmod(0o644)  # read, no search
    code = ("import sys; from pathlib import Path; from pydriver.plan.make import sot_ref; "
            "print(sot_ref(Path(sys.argv[1])).digest)")
    command = [sys.executable, "-c", code, str(inv)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("setpriv (util-linux) is needed to drop root's file override")
        command = [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,"
                   "-dac_read_search", *command]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60,
                              check=False)
    finally:
        (inv / "nox").chmod(0o755)
    assert done.returncode == 0, done.stderr
    (inv / "nox" / "f.yml").unlink()
    (inv / "nox").rmdir()
    assert done.stdout.strip() == sot_ref(inv).digest  # as if the folder were not there
