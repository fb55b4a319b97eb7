"""The Celery runner's preflight, with no broker at all: the error names the broker, never
its password, and comes before anything else is tried."""

from __future__ import annotations

import socket

import pytest

from pydriver.deploy import run as apply_run
from pydriver.deploy.celery_app import check_broker, shown
from pydriver.errors import ApplyError


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(("url", "expected"), [
    ("redis://:pw@10.0.0.1:6379/0", "redis://:***@10.0.0.1:6379/0"),
    ("redis://ops:pw@broker/2", "redis://ops:***@broker/2"),
    ("redis://broker:6379/0", "redis://broker:6379/0"),
    ("rediss://:p%40ss@broker:6380/0?ssl_cert_reqs=required",
     "rediss://:***@broker:6380/0?ssl_cert_reqs=required"),
])
def test_the_broker_is_shown_without_its_password(url: str, expected: str) -> None:
    assert shown(url) == expected


def test_an_unreachable_broker_is_named_without_its_password() -> None:
    url = f"redis://:hunter2@127.0.0.1:{_closed_port()}/0"
    with pytest.raises(ApplyError) as caught:
        check_broker(url)
    text = str(caught.value)
    assert "redis://:***@127.0.0.1:" in text and "hunter2" not in text
    assert "no router was touched" in text


def test_an_unknown_runner_is_refused() -> None:
    with pytest.raises(ApplyError, match="expected threaded or celery"):
        apply_run.check_runner(apply_run.Runner("dask"))
    apply_run.check_runner(apply_run.Runner())  # threads need nothing
