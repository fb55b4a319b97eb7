"""``plan --from git:<ref>``: the ref is a revision, never an option git would obey.

``git:--output=/some/file`` once reached git as ``--output=...``: git wrote the file. The
ref is now checked (``check_ref``) and git is called with ``--end-of-options`` as well;
these tests run the real git and the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pydriver.deploy import backup
from pydriver.errors import PydriverError
from tests.conftest import ROOT

OPTIONS = ("--output=OUT", "-oOUT", "--exec=touch OUT", "HEAD:../x", "main..evil", "a b",
           "line\nbreak", "")


def _repo(path: Path) -> Path:
    backup.ensure_repo(path)
    (path / "rtr-dishub.cfg").write_text("hostname rtr-dishub\n")
    subprocess.run(["git", "-C", str(path), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(path), "commit", "-qm", "first"], check=True)
    return path


@pytest.mark.parametrize("ref", OPTIONS)
def test_a_ref_that_is_not_a_revision_is_refused_and_git_writes_nothing(
        tmp_path: Path, ref: str) -> None:
    repo = _repo(tmp_path / "backups")
    out = tmp_path / "written"
    with pytest.raises(PydriverError, match="is not a git ref"):
        backup.read(repo, {"rtr-dishub": "cisco_ios"}, ref=ref.replace("OUT", str(out)))
    assert not out.exists()


def test_a_plain_ref_still_reads(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "backups")
    assert backup.read(repo, {"rtr-dishub": "cisco_ios"}, ref="HEAD") == \
        {"rtr-dishub": "hostname rtr-dishub\n"}


def test_plan_from_an_option_ref_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "backups")
    out = tmp_path / "written"
    proc = subprocess.run(
        [sys.executable, "-m", "pydriver.cli.main", "plan", "--from", f"git:--output={out}",
         "--backups", str(repo), "--inventory", str(ROOT / "inventory")],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYDRIVER_STATE": str(tmp_path / "state")})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "is not a git ref" in proc.stderr
    assert not out.exists()


def test_git_itself_never_reads_the_ref_as_an_option(tmp_path: Path) -> None:
    """Behind the check, git is told where its options end: an option-shaped ref that got
    past the check is an unknown revision to git, not an instruction."""
    repo = _repo(tmp_path / "backups")
    out = tmp_path / "written"
    with pytest.raises(PydriverError, match="is not a commit of the backups repository"):
        backup._read_ref(repo, f"--output={out}", {"rtr-dishub.cfg": "rtr-dishub"})
    assert not out.exists()
