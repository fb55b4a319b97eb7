from __future__ import annotations

import json
from pathlib import Path

import pytest
from nornir import InitNornir

from pydriver.deploy.inventory import load_overrides
from pydriver.errors import PydriverError


def nornir(example: Path, overrides: Path | None = None):  # type: ignore[no-untyped-def]
    options = {"inventory_dir": str(example)}
    if overrides is not None:
        options["overrides"] = str(overrides)
    return InitNornir(runner={"plugin": "serial"}, logging={"enabled": False},
                      inventory={"plugin": "pydriver.PydriverInventory", "options": options})


def test_hosts_come_from_the_source_of_truth(example: Path) -> None:
    nr = nornir(example)
    hosts = nr.inventory.hosts
    assert len(hosts) == 19
    dinkes = hosts["rtr-dinkes"]
    assert (dinkes.hostname, dinkes.platform) == ("10.255.0.35", "cisco_xe")
    assert hosts["hub-pusdatin-02"].platform == "linux"
    assert hosts["rtr-bpbd"].platform == "mikrotik_routeros"
    assert sorted(nr.filter(role="hub").inventory.hosts) == [
        "hub-drc-01", "hub-pusdatin-01", "hub-pusdatin-02"]
    assert dinkes.data["site"] == "dinkes"


def test_overrides_retarget_connections(example: Path, tmp_path: Path) -> None:
    path = tmp_path / "overrides.json"
    path.write_text(json.dumps({"rtr-bpbd": {"host": "127.0.0.1", "port": 40022,
                                              "username": "admin", "password": "lab"}}))
    host = nornir(example, path).inventory.hosts["rtr-bpbd"]
    assert (host.hostname, host.port, host.username, host.password) == (
        "127.0.0.1", 40022, "admin", "lab")
    assert host.data["lab"] is True


def test_bad_override_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "o.json"
    path.write_text("[1, 2")
    with pytest.raises(PydriverError, match="cannot read connection overrides"):
        load_overrides(path)
