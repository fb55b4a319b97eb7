"""A region's end of an interconnect on its lab twin: the kabupaten's hubs (RouterOS and
IOS-XE) apply their end, the session to the province is reported (the province is not in
this lab), not failed, and a second plan has nothing left to do."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import pytest

from pydriver.lab import manage
from pydriver.lab.secrets import lab_environment, lab_value
from pydriver.pipeline import Pipeline
from tests.lab.conftest import ROOT, Lab, lab_env

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def kab_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    base = tmp_path_factory.mktemp("kablab")
    inv = base / "inventory"
    shutil.copytree(ROOT / "examples" / "kabupaten-lombok-barat" / "inventory", inv)
    state = base / ".pydriver"
    env = {**lab_env(inv, state), **lab_environment(Pipeline(inv))}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYDRIVER_STATE", str(state))
        try:
            manage.up(Pipeline(inv), state, {"linux_frr"}, minute_seconds=2.0)
            yield Lab(inv, state, env, base)
        finally:
            manage.down(state)

def test_the_kabupaten_hubs_apply_their_end(kab_lab: Lab) -> None:
    r = kab_lab.cli("apply", "--limit", "role:hub", "--json", "--revert-after", "30")
    assert r.returncode == 0, r.stdout + r.stderr
    outcomes = {o["host"]: o for o in json.loads(r.stdout)}
    assert {outcomes[h]["status"] for h in ("hub-lobar-01", "hub-lobar-02")} == {"applied"}
    # the province's hub is not in this lab: its session is reported, not failed
    assert outcomes["hub-lobar-01"]["checks_excused"] >= 1
    assert "JIP_PSK_IC_NTB_LOBAR" not in r.stdout
    assert lab_value("JIP_PSK_IC_NTB_LOBAR") not in r.stdout + r.stderr
    again = kab_lab.cli("plan", "--limit", "role:hub")
    assert again.returncode == 0, again.stdout + again.stderr
