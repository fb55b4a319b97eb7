"""Golden files: one hub and one site per platform, rendered from the example inventory.

A template change shows up as a diff of these files in the pull request, which is where a
reviewer should see it. Regenerate deliberately with ``PYDRIVER_UPDATE_GOLDEN=1 pytest
tests/golden``.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from pydriver.pipeline import Pipeline

HERE = Path(__file__).parent
CASES = {
    "mikrotik_routeros": ("hub-drc-01", "rtr-bpbd"),
    "cisco_ios": ("hub-pusdatin-01", "rtr-dinkes"),
    "linux_frr": ("hub-pusdatin-02", "rtr-pkm-tanjung"),
}
PARAMS = [(platform, host) for platform, hosts in CASES.items() for host in hosts]


@pytest.fixture(scope="module")
def rendered(example: Path):  # type: ignore[no-untyped-def]
    return Pipeline(example).rendered


@pytest.fixture(scope="module")
def example() -> Path:
    return HERE.parent.parent / "inventory"


@pytest.mark.parametrize(("platform", "host"), PARAMS)
def test_golden(rendered, platform: str, host: str) -> None:  # type: ignore[no-untyped-def]
    config = rendered[host]
    assert config.platform.value == platform
    for name, text in config.files:
        path = HERE / platform / host / name
        if os.environ.get("PYDRIVER_UPDATE_GOLDEN"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        assert path.is_file(), f"missing golden file {path}; run with PYDRIVER_UPDATE_GOLDEN=1"
        expected = path.read_text()
        if text != expected:
            diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                                str(path), "rendered"))
            pytest.fail(f"rendered {host}/{name} differs from its golden file:\n{diff}")
