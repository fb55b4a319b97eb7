"""`pydriver check`: the JIP security rules on rendered or running configs.

Exit 0 when no finding fails at or above ``--fail-on``; 1 otherwise (or on an error).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from pydriver.cli.common import Inventory, State, err, fail, out
from pydriver.compliance.model import Report, Severity, Status
from pydriver.errors import PydriverError
from pydriver.pipeline import DEFAULT_INVENTORY, Pipeline

# imported where used, not here: every command's start pays for the imports of all (see main)

# pydriver.report.compliance's FORMATS, written out: --format's help needs them at
# registration (tests/unit/cli/test_startup.py keeps the two the same)
FORMATS = ("text", "html", "json", "junit", "markdown", "sarif")
STYLE = {Status.FAIL: "red", Status.WAIVED: "yellow", Status.NOT_ASSESSED: "magenta"}


def register(app: typer.Typer) -> None:
    @app.command()
    def check(
        inventory: Inventory = DEFAULT_INVENTORY,
        source: Annotated[str, typer.Option(
            "--from", help="Judge rendered configs, or running ones from backups, "
                           "git:<ref> of the backups, or device.")] = "rendered",
        fmt: Annotated[str, typer.Option("--format", help=", ".join(FORMATS))] = "text",
        out_file: Annotated[Path | None, typer.Option(
            "--out", help="Write the report here (the terminal gets the summary).")] = None,
        fail_on: Annotated[str, typer.Option(
            help="Exit 1 when a finding fails at this severity or above: low, medium, "
                 "high, critical.")] = "low",
        backup_dir: Annotated[Path, typer.Option("--backups", help="Backup git repository.")
                              ] = Path("backups"),
        rendered_dir: Annotated[str, typer.Option(
            "--rendered-dir", help="Where 'render --out' writes (evidence paths).")] = "build",
        workers: Annotated[int, typer.Option(help="Parallel connections.", min=1)] = 20,
        verbose: Annotated[bool, typer.Option("--verbose", "-v",
                                              help="Show passing checks too.")] = False,
        state: State = None,
    ) -> None:
        """The JIP security rules (BSSN 4/2021 Pasal 33) on every router and the network."""
        from pydriver.deploy.evidence import network_view, running_configs
        from pydriver.report import compliance as formats
        from pydriver.servers import provisioned

        if fmt not in FORMATS:
            fail(PydriverError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}"))
        try:
            threshold = Severity(fail_on)
        except ValueError:
            fail(PydriverError(f"--fail-on {fail_on!r}: expected low, medium, high or "
                               "critical"))
        pipe = Pipeline(inventory, state=state)
        try:
            if source == "rendered":
                firmware = None
                report = pipe.check(folder=rendered_dir,
                                    view=network_view(pipe, backup_dir, pipe.state),
                                    provisioned=provisioned.for_pipeline(pipe))
            else:
                running, firmware = running_configs(pipe, source, backup_dir, workers)
                report = pipe.check(running, source, view=network_view(
                    pipe, backup_dir, pipe.state, firmware))
            text = formats.render(report, fmt)
            if out_file is not None:
                out_file.write_text(text, encoding="utf-8")
        except PydriverError as exc:
            fail(exc, "json" if fmt == "json" else "text")
        except OSError as exc:
            fail(PydriverError(f"cannot write {out_file}: {exc.strerror}"))
        if out_file is None and fmt != "text":
            print(text, end="")
        else:
            _terminal(report, verbose)
        failed = report.failures(threshold)
        raise typer.Exit(1 if failed else 0)


def _terminal(report: Report, verbose: bool) -> None:
    for f in report.findings:
        if f.status is Status.PASS and not verbose:
            continue
        if f.status is Status.NOT_APPLICABLE and not verbose:
            continue
        where = f" {f.evidence.file}:{f.evidence.line}" if f.evidence else ""
        who = f.router or "network"
        style = STYLE.get(f.status, "green")
        line = f"[{style}]{f.status.value:14}[/] {f.rule} {escape(who)}{escape(where)}: " \
               f"{escape(f.message)}"
        if f.waiver:
            line += f" [dim](waived: {escape(f.waiver)})[/]"
        out.print(line, soft_wrap=True)
    counts = report.counts()
    err.print(f"check ({report.source}): " + ", ".join(f"{n} {s}" for s, n in counts.items()
                                                       if n), soft_wrap=True)
