"""A compliance report of the example region with waivers in force: one valid (PSK on
the Linux routers), one expired (a failure that stays a failure)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from pydriver.compliance.model import Report
from pydriver.pipeline import Pipeline
from pydriver.sot.models import Platform
from tests.conftest import EXAMPLE

TODAY = date(2026, 6, 1)
JUSTIFICATION = "Linux hubs and sites keep PSK until the regional CA issues router certificates"
EXPIRED = "Dinas Kesehatan keeps its PSK until the IOS-XE 17.9 upgrade brings IKEv2 certificates"


def waived_inventory(dest: Path) -> Path:
    shutil.copytree(EXAMPLE, dest)
    waivers = {"waivers": [
        {"rule": "JIP-12", "scope": {"platform": Platform.LINUX_FRR.value},
         "justification": JUSTIFICATION, "approved_by": "Kepala Bidang Persandian",
         "expires": "2027-12-31"},
        {"rule": "JIP-12", "scope": {"router": "rtr-dinkes"}, "justification": EXPIRED,
         "approved_by": "Kepala Bidang Persandian", "expires": "2026-01-31"},
    ]}
    (dest / "waivers.yml").write_text(yaml.safe_dump(waivers, sort_keys=False))
    return dest


@pytest.fixture(scope="module")
def waived_pipe(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    return Pipeline(waived_inventory(tmp_path_factory.mktemp("inv") / "inventory"))


@pytest.fixture(scope="module")
def waived_report(waived_pipe: Pipeline) -> Report:
    return waived_pipe.check(today=TODAY)
