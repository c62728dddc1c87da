"""Importing a network's partner list from a CSV file: a preview, then all or nothing.

Each row is new, matches a partner already in the network's list (same
normalised name: skipped, nothing about it changes, so importing a file twice
creates nothing the second time) or is an error. One error anywhere and
nothing is stored. The partners, their contacts and list entries are written
in bulk in one transaction, with a ``partner.create`` audit entry per partner
(its history starts like that of a partner registered by hand) and one
``partner.import`` entry on the network summarising the file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from engine.domain.network import Network
from engine.domain.users import Actor
from engine.errors import InvalidInput
from engine.i18n import N_
from engine.importing.partners_csv import PartnerFile, Row, parse
from engine.services.collaborations import CollaborationService
from engine.services.context import Context
from engine.store.uow import reading, writing

BATCH = 1_000
"""Partners per bulk insert: the progress bar moves once per batch."""
HAS_ERRORS = N_("Some lines have errors, so nothing was imported. Correct them and try again.")
OUTDATED = N_(
    "The network's partner list changed since the preview, so nothing was imported. "
    "Check the new preview."
)

Progress = Callable[[int], None]


class Status(StrEnum):
    """What the import does with a row."""

    NEW = "new"
    EXISTING = "existing"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """A row of the file and what the import does with it."""

    row: Row
    status: Status
    existing: tuple[int, str] | None = None
    """(id, name) of the partner in the list that a row matches."""


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What importing a file into a network's list would do, row by row."""

    network: Network
    file: PartnerFile
    rows: tuple[PlannedRow, ...]
    digest: str
    """SHA-256 of the file's bytes."""

    def having(self, status: Status) -> tuple[PlannedRow, ...]:
        """The rows with this status."""
        return tuple(r for r in self.rows if r.status is status)

    @property
    def new_lines(self) -> tuple[int, ...]:
        """The line numbers of the rows that would become partners."""
        return tuple(r.row.line for r in self.having(Status.NEW))

    @property
    def importable(self) -> bool:
        """True when no row has an error."""
        return not self.having(Status.ERROR)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import stored."""

    network: Network
    created: tuple[int, ...]
    existing: int
    candidates: int


class ImportRejected(InvalidInput):
    """Rows have errors: nothing was stored; ``plan`` lists them."""

    def __init__(self, plan: ImportPlan, message: str = HAS_ERRORS) -> None:
        super().__init__({"file": message})
        self.plan = plan


class PreviewOutdated(ImportRejected):
    """The rows that would be new differ from those previewed: nothing was stored."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(plan, OUTDATED)


class PartnerImportService:
    """Preview and import partner lists."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def preview(self, data: bytes, network_id: int) -> ImportPlan:
        """What importing ``data`` would do; FileRefused or NotFound (network) refuse it."""
        parsed = parse(data)
        async with reading(self.ctx.db) as uow:
            network = await uow.networks.get(network_id)
            existing = await uow.partners.keys_in(network_id)
        return _plan(network, parsed, existing, data)

    async def run(
        self,
        data: bytes,
        network_id: int,
        actor: Actor,
        *,
        file_name: str = "",
        open_candidates: bool = False,
        expect_new: tuple[int, ...] | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import the new rows of ``data`` into the network's list, or nothing at all.

        ``expect_new`` (the new lines of the preview the person confirmed) makes a
        list changed in between a PreviewOutdated instead of a different import.
        ``progress`` is told how many of ``work(plan)`` steps are done, as they are.
        """
        parsed = parse(data)
        now = self.ctx.clock.now()
        tick = progress or (lambda _: None)
        async with writing(self.ctx.db) as uow:
            network = await uow.networks.get(network_id)
            plan = _plan(network, parsed, await uow.partners.keys_in(network_id), data)
            if not plan.importable:
                raise ImportRejected(plan)
            if expect_new is not None and plan.new_lines != tuple(expect_new):
                raise PreviewOutdated(plan)
            fresh = [r.row.partner for r in plan.having(Status.NEW) if r.row.partner]
            ids: list[int] = []
            for start in range(0, len(fresh), BATCH):
                batch = fresh[start : start + BATCH]
                ids.extend(await uow.partners.add_many(batch, network_id))
                tick(len(batch))
            source = display_name(file_name)
            await uow.audit.record_many(
                now, actor, "partner.create", "partner", ids, network_id=network_id, file=source
            )
            opened = 0
            if open_candidates:
                collaborations = CollaborationService(self.ctx)
                for partner_id in ids:
                    await collaborations.open_candidate_in(uow, network_id, partner_id, actor)
                    opened += 1
                    tick(1)
            await uow.audit.record(
                now,
                actor,
                "partner.import",
                "network",
                network_id,
                file=source,
                sha256=plan.digest,
                rows=len(plan.rows),
                created=len(ids),
                existing=len(plan.having(Status.EXISTING)),
                candidates=opened,
            )
        return ImportReport(
            network, tuple(ids), len(plan.having(Status.EXISTING)), candidates=opened
        )


def work(plan: ImportPlan, open_candidates: bool) -> int:
    """The number of steps ``run`` reports to its progress callback for this plan."""
    new = len(plan.having(Status.NEW))
    return new * 2 if open_candidates else new


def display_name(file_name: str) -> str:
    """The file's name as the person's computer gave it, for the audit log and the page only.

    Never a path: the folders (``../`` and all) and control characters are dropped.
    """
    base = re.split(r"[/\\]", file_name)[-1]
    return re.sub(r"[\x00-\x1f\x7f]", "", base).strip()[:200]


def _plan(
    network: Network, parsed: PartnerFile, existing: dict[str, tuple[int, str]], data: bytes
) -> ImportPlan:
    planned = []
    for row in parsed.rows:
        if row.problems:
            planned.append(PlannedRow(row, Status.ERROR))
        elif (match := existing.get(row.key)) is not None:
            planned.append(PlannedRow(row, Status.EXISTING, match))
        else:
            planned.append(PlannedRow(row, Status.NEW))
    return ImportPlan(network, parsed, tuple(planned), hashlib.sha256(data).hexdigest())
