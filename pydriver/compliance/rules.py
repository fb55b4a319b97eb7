"""The rules, read from ``rules.yml`` beside this module and checked against the checks.

Rules are data so that a reviewer at the provincial CSIRT reads (and a region extends) the
list without reading Python: a rule names its check, and a rule whose check does not exist
is refused here, when the rules are read, not silently skipped at assessment time.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pydriver.compliance.checks import CONFIG_CHECKS, NETWORK_CHECKS
from pydriver.compliance.model import Rule, Severity
from pydriver.errors import PydriverError

RULES_FILE = Path(__file__).with_name("rules.yml")


def parse(data: Any, where: str) -> tuple[Rule, ...]:
    """Rules from parsed YAML; every problem names the rule and the file."""
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise PydriverError(f"{where}: expected a mapping with a 'rules' list")
    rules = []
    for n, item in enumerate(data["rules"]):
        if not isinstance(item, dict):
            raise PydriverError(f"{where}: rule {n + 1} is not a mapping")
        try:
            scope = str(item["scope"])
            checks = CONFIG_CHECKS if scope == "config" else NETWORK_CHECKS
            if scope not in ("config", "network") or item["check"] not in checks:
                raise PydriverError(f"{where}: rule {item.get('id')}: unknown {scope} check "
                                    f"{item['check']!r}")
            rules.append(Rule(
                id=str(item["id"]), title=str(item["title"]),
                severity=Severity(item["severity"]), scope=scope, check=str(item["check"]),
                citation=tuple(str(c) for c in item["citation"]),
                rationale=str(item["rationale"]), remediation=str(item["remediation"])))
        except (KeyError, ValueError, TypeError) as exc:
            raise PydriverError(f"{where}: rule {item.get('id', n + 1)}: {exc}") from None
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise PydriverError(f"{where}: rule ids must be unique")
    return tuple(sorted(rules, key=lambda r: r.id))


@cache
def rules() -> tuple[Rule, ...]:
    return parse(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")), str(RULES_FILE))


def ids() -> frozenset[str]:
    return frozenset(r.id for r in rules())
