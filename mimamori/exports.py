"""``mimamori export``: the partner list or the collaborations as CSV on standard output.

The same files as the web downloads (UTF-8 with a BOM, formula-safe cells),
streamed as they are read. The command runs as the system and sees every
network unless ``--network`` narrows it to one.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

import click

from engine.clock import SystemClock
from engine.csv_export import csv_chunks
from engine.domain.access import EVERYTHING, Scope
from engine.i18n import DEFAULT_LOCALE, LOCALES
from engine.services import Context, DirectoryService
from engine.services.exports import ExportService, Table
from engine.store.database import Database
from engine.store.read.pipeline import BoardFilter
from mimamori.runtime import BadInput, settings_from_env, with_db
from workflows.collaboration import COLLABORATION

NETWORK_HELP = "Only this network (its id or exact name); default: every network."
LANG_HELP = "The language of the column titles and labels."


@click.group()
def export() -> None:
    """CSV exports to standard output (UTF-8 with BOM, for Excel)."""


async def _scope(ctx: Context, network: str | None) -> Scope:
    if network is None:
        return EVERYTHING
    for found in await DirectoryService(ctx).networks():
        if network in (str(found.id), found.name):
            assert found.id is not None
            return Scope(network_ids=frozenset({found.id}))
    raise BadInput(f"--network: no network with the id or name {network!r}")


def _run(network: str | None, lang: str, table_of: Callable[[ExportService], Table]) -> None:
    settings = settings_from_env()
    out = click.get_binary_stream("stdout")

    async def work(db: Database) -> None:
        ctx = Context(db, COLLABORATION, SystemClock(), base_url=settings.base_url)
        service = ExportService(ctx, await _scope(ctx, network), lang)
        table = table_of(service)
        async for chunk in csv_chunks(table.header, table.rows):
            out.write(chunk)
        out.flush()

    # The reader stopped early (`| head`): not an error of ours.
    with suppress(BrokenPipeError):
        with_db(settings, work)


@export.command("partners")
@click.option("--network", help=NETWORK_HELP)
@click.option("--lang", type=click.Choice(LOCALES), default=DEFAULT_LOCALE, help=LANG_HELP)
def export_partners(network: str | None, lang: str) -> None:
    """The partner list with contacts and how many collaborations each has."""
    _run(network, lang, lambda service: service.partners())


@export.command("collaborations")
@click.option("--network", help=NETWORK_HELP)
@click.option("--lang", type=click.Choice(LOCALES), default=DEFAULT_LOCALE, help=LANG_HELP)
def export_collaborations(network: str | None, lang: str) -> None:
    """Every collaboration as the board's CSV shows it, stage by stage."""
    _run(network, lang, lambda service: service.board(BoardFilter()))
