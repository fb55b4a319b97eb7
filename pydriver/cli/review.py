"""`pydriver review --base REF`: what a pull request changes, as a comment; no device needed.

The base commit's inventory is read from git in one pass into a temporary directory; both
pipelines are built and compared. The comment fits the forge's limit; ``--out DIR`` keeps
the whole report beside it (review.md, review.json, one diff per router) for the CI job to
publish as an artifact the comment points at.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pydriver.cli.common import Inventory, fail
from pydriver.errors import PydriverError, SourceError
from pydriver.pipeline import DEFAULT_INVENTORY, Pipeline
from pydriver.report import GITHUB_LIMIT

# imported where used, not here: every command's start pays for the imports of all (see main)
if TYPE_CHECKING:
    from pydriver.review.model import Review



def _running(head: Pipeline, backup_dir: Path | None) -> tuple[dict[str, str] | None, str]:
    """The backups' running configs (when there is a repository) and how to name them."""
    from pydriver.deploy import backup as backups
    from pydriver.sot.git import commit_of

    explicit = backup_dir is not None
    folder = backup_dir if backup_dir is not None else Path("backups")
    if not folder.is_dir():
        if explicit:
            raise PydriverError(f"backups repository {folder} does not exist")
        return None, ""
    running = backups.read(folder, {h: i.platform.value for h, i in head.intents.items()})
    try:
        at = f" at {commit_of(folder, 'HEAD')[:12]}"
    except PydriverError:
        at = ""
    return running, f"backups {folder}{at} (routers not in it: the base commit's render)"


def write_full(review: Review, folder: Path, comment: str) -> None:
    """review.md (whole), review.json, comment.md (what was posted), diffs/<router>.diff."""
    from pydriver.report import review as review_report

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "review.md").write_text(review_report.markdown(review, max_chars=10**9),
                                      encoding="utf-8")
    (folder / "review.json").write_text(review_report.to_json(review), encoding="utf-8")
    (folder / "comment.md").write_text(comment, encoding="utf-8")
    diffs = folder / "diffs"
    diffs.mkdir(exist_ok=True)
    for r in review.routers:
        body = [*r.diff, "", f"# commands (against {r.against})",
                *[line for c in r.commands for line in c.split("\n")]]
        (diffs / f"{r.host}.diff").write_text("\n".join(body) + "\n", encoding="utf-8")


def register(app: typer.Typer) -> None:
    @app.command()
    def review(
        base: Annotated[str, typer.Option(
            "--base", help="The git ref the change is compared with (e.g. origin/main).")],
        inventory: Inventory = DEFAULT_INVENTORY,
        fmt: Annotated[str, typer.Option("--format", help="markdown or json")] = "markdown",
        out_dir: Annotated[Path | None, typer.Option(
            "--out", help="Also write the full report here: review.md, review.json, "
                          "comment.md, diffs/<router>.diff.")] = None,
        max_chars: Annotated[int, typer.Option(
            help="Markdown: the comment's size limit (GitHub 65,536; GitLab 1,000,000).",
            min=2000)] = GITHUB_LIMIT,
        backup_dir: Annotated[Path | None, typer.Option(
            "--backups", help="Backups repository to use as running configs [default: "
                              "backups/ when it exists, else the base commit's render].")
                              ] = None,
        full_report: Annotated[str | None, typer.Option(
            help="Where readers find the full report (a CI artifact URL) [default: the "
                 "--out directory].")] = None,
    ) -> None:
        """What a change does, from the source of truth alone: data diff, blast radius,
        risks, compliance delta, per-router diffs, a diagram. Exit 0 no change, 2 changes,
        1 an error."""
        from pydriver.report import review as review_report
        from pydriver.review.make import make_review
        from pydriver.sot.git import export

        if fmt not in ("markdown", "json"):
            fail(PydriverError(f"--format {fmt!r}: expected markdown or json"))
        head = Pipeline(inventory)
        try:
            with tempfile.TemporaryDirectory(prefix="pydriver-review-") as tmp:
                base_inv, commit = export(inventory, base, Path(tmp))
                old = Pipeline(base_inv, cache=False)
                try:
                    old.rendered  # noqa: B018 - validated and rendered while the copy exists
                except SourceError as exc:
                    raise PydriverError(f"the source of truth at {base} ({commit[:12]}) does "
                                        f"not validate, so it cannot be compared:\n{exc}"
                                        ) from None
                running, running_from = _running(head, backup_dir)
                result = make_review(old, head, base_ref=base, base_commit=commit,
                                     backups=running, running_from=running_from)
            where = full_report or (str(out_dir / "review.md") if out_dir else "")
            comment = review_report.markdown(result, max_chars, where)
            if out_dir is not None:
                write_full(result, out_dir, comment)
        except PydriverError as exc:
            fail(exc, "json" if fmt == "json" else "text")
        except OSError as exc:
            fail(PydriverError(f"cannot write {out_dir}: {exc.strerror}"))
        if fmt == "json":
            print(review_report.to_json(result), end="")
        else:
            print(comment, end="")
        raise typer.Exit(2 if result.changed else 0)
