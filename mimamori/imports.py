"""``mimamori import partners``: a network's partner list from a CSV file.

The same checks as the web form's preview. A refused file, or a file with bad
lines, stores nothing: each bad line is named on stderr by its line number in
the file, and the command exits with code 2. ``--dry-run`` only reports.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from engine.clock import SystemClock
from engine.errors import NotFound
from engine.i18n import LOCALES, N_, translate
from engine.importing.partners_csv import FileRefused
from engine.services import Context, DirectoryService
from engine.services.partner_import import (
    ImportPlan,
    ImportRejected,
    PartnerImportService,
    Status,
    work,
)
from engine.store.database import Database
from mimamori.accounts import COMMAND_LINE
from mimamori.runtime import BadInput, settings_from_env, with_db
from workflows.collaboration import COLLABORATION

LINE = N_("line {line}: {problem}")
SUMMARY = N_("{new} new, {existing} already in the list, {errors} with errors")
REFUSED = N_("{count} lines have errors: nothing was imported")
IMPORTED = N_("imported {created} partners into {network}; {existing} were already in its list")
OPENED = N_("opened {count} candidate collaborations")
WOULD = N_("dry run: nothing was stored")
UNKNOWN_COLUMNS = N_("columns not imported: {columns}")


@click.group("import")
def import_() -> None:
    """Bring data in from files."""


@import_.command("partners")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--network", required=True, help="The network (id or exact name).")
@click.option("--dry-run", is_flag=True, help="Check the file and report; store nothing.")
@click.option("--open-candidates", is_flag=True, help="Open a candidate for each new partner.")
@click.option(
    "--lang", type=click.Choice(LOCALES), default="ja", show_default=True, help="Message language."
)
def import_partners(
    file: Path, network: str, dry_run: bool, open_candidates: bool, lang: str
) -> None:
    """Import a partner list (CSV from Excel or kintone) into a network's list."""
    settings = settings_from_env()
    data = file.read_bytes()

    async def run(db: Database) -> None:
        ctx = Context(db=db, workflow=COLLABORATION, clock=SystemClock())
        network_id = await _network_id(ctx, network)
        service = PartnerImportService(ctx)
        try:
            plan = await service.preview(data, network_id)
            _report(plan, lang)
            if dry_run or not plan.importable:
                _refuse_bad_lines(plan, lang)
                click.echo(translate(WOULD, lang))
                return
            with click.progressbar(
                length=work(plan, open_candidates), label=file.name, file=sys.stderr
            ) as bar:
                report = await service.run(
                    data,
                    network_id,
                    COMMAND_LINE,
                    file_name=file.name,
                    open_candidates=open_candidates,
                    progress=bar.update,
                )
        except FileRefused as exc:
            raise BadInput(exc.problem.describe(lang)) from exc
        except ImportRejected as exc:  # the list changed since the preview: say so
            _refuse_bad_lines(exc.plan, lang)
            raise BadInput(translate(exc.errors["file"], lang)) from exc
        except NotFound as exc:
            raise BadInput(f"no such {exc.kind}: {exc.key}") from exc
        click.echo(
            translate(
                IMPORTED,
                lang,
                created=len(report.created),
                network=report.network.name,
                existing=report.existing,
            )
        )
        if open_candidates:
            click.echo(translate(OPENED, lang, count=report.candidates))

    with_db(settings, run)


def _report(plan: ImportPlan, lang: str) -> None:
    click.echo(
        translate(
            SUMMARY,
            lang,
            new=len(plan.having(Status.NEW)),
            existing=len(plan.having(Status.EXISTING)),
            errors=len(plan.having(Status.ERROR)),
        )
    )
    if plan.file.unknown_columns:
        columns = ", ".join(plan.file.unknown_columns)
        click.echo(translate(UNKNOWN_COLUMNS, lang, columns=columns))


def _refuse_bad_lines(plan: ImportPlan, lang: str) -> None:
    """Name every bad line on stderr, then refuse (exit code 2) if there is one."""
    bad = plan.having(Status.ERROR)
    if not bad:
        return
    for planned in bad:
        for problem in planned.row.problems:
            line = translate(LINE, lang, line=planned.row.line, problem=problem.describe(lang))
            click.echo(line, err=True)
    raise BadInput(translate(REFUSED, lang, count=len(bad)))


async def _network_id(ctx: Context, wanted: str) -> int:
    for found in await DirectoryService(ctx).networks():
        if wanted in (str(found.id), found.name):
            assert found.id is not None
            return found.id
    raise BadInput(f"--network: no network with the id or name {wanted!r}")
