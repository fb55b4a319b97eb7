"""The Celery application both sides share: the broker, the queue and the task's name.

Why Celery: a national operator or a large province outgrows one machine's SSH sessions;
a wave's routers then go to workers on several machines. Redis is the broker and keeps the
results. Messages carry no secret and no credential: a worker resolves the secrets and the
connection details from its own environment and its own copy of the inventory, and refuses
a router whose inventory differs from the plan's. A message is acknowledged when a worker
takes it, so the broker never hands a router to a second worker: a worker lost mid-apply
leaves its router to that router's own revert timer, and the run reports it so.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydriver.errors import ApplyError

BROKER_ENV = "PYDRIVER_CELERY_BROKER"
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
QUEUE = "pydriver-apply"
TASK = "pydriver.apply_router"
BEAT = "pydriver:beat:"  # + task id: the worker's heartbeat while it holds a router
BEAT_SECONDS = 1.0
BEAT_TTL_MS = 4000


def broker_url(given: str | None = None) -> str:
    return given or os.environ.get(BROKER_ENV) or DEFAULT_BROKER


def shown(url: str) -> str:
    """The broker URL as messages show it: never its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


def make_app(url: str) -> Any:
    """A Celery app on ``url`` (broker and result backend): tasks are acknowledged when a
    worker takes them, one at a time per worker thread, and report when they start."""
    from celery import Celery

    app = Celery("pydriver", broker=url, backend=url)
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"],
        task_acks_late=False, worker_prefetch_multiplier=1, task_track_started=True,
        task_default_queue=QUEUE, result_expires=24 * 3600,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False, worker_redirect_stdouts=False,
    )
    return app


def redis_client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=10)


def check_broker(url: str, wait: float = 3.0) -> Any:
    """The broker answers and at least one worker listens, or an ``ApplyError`` naming the
    broker (without its password) before any router is touched. Returns the app."""
    import redis

    try:
        redis_client(url).ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        raise ApplyError(f"the Celery broker {shown(url)} cannot be reached "
                         f"({type(exc).__name__}); no router was touched") from None
    app = make_app(url)
    answers = app.control.ping(timeout=wait, limit=1)
    if not answers:
        raise ApplyError(f"no Celery worker answers on the broker {shown(url)} (start "
                         "them with: celery -A pydriver.deploy.celery_worker worker); no "
                         "router was touched")
    return app
