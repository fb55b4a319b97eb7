"""Running commands against a running config with no router: the emulated RouterOS engine.

Round-trip tests (remediation then rollback, or a script cut short) are only worth
something if the commands are run by something that refuses what RouterOS refuses. The
lab's RouterOS engine is that: it is built blank (``no-defaults``), the running export is
imported into it, the commands run line by line as ``/import`` would run them, and the
result is exported again, with the same ``/user`` section a device read would add.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydriver.errors import PlanError
from pydriver.platforms.mikrotik_routeros import users

SUPERSET_MODEL = "CCR2004-16G-2S+"  # has every port name the other models have
_MODEL = re.compile(r"^# model = (\S+)", re.M)


class OfflineRouter:
    """A blank emulated router loaded with ``running``; raises PlanError on refusal."""

    def __init__(self, running: str) -> None:
        from pydriver.platforms.emulation import NoTimers
        from pydriver.platforms.mikrotik_routeros.engine.engine import RouterOSEngine

        found = _MODEL.search(running)
        model = found.group(1) if found else SUPERSET_MODEL
        self.engine = RouterOSEngine("offline", model, scheduler=NoTimers(), defaults=False)
        self.run(running, "the running config")

    def run(self, script: str, what: str) -> None:
        """Run ``script`` as ``/import`` would: stop at the first refused line."""
        from pydriver.platforms.mikrotik_routeros.engine.interp import Context, ScriptFailed

        try:
            self.engine.interp.run_script(script, Context(user="admin"))
        except ScriptFailed as failed:
            line = script.replace("\r", "").split("\n")[failed.line - 1] \
                if failed.line - 1 < len(script.split("\n")) else ""
            raise PlanError(f"{what}, line {failed.line}: {failed.error.message}: "
                            f"{line.strip()}") from None

    def export(self) -> str:
        body = self.engine.export("show-sensitive")
        return users.with_users(body, self.engine.run(users.PRINT))


def apply_text(running: str, commands: Sequence[str]) -> str:
    """The export (show-sensitive, with ``/user``) after ``commands`` run on ``running``."""
    router = OfflineRouter(running)
    if commands:
        router.run("\n".join(commands) + "\n", "command")
    return router.export()
