"""Collaboration use cases: add a candidate, read its file and options, fire events."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from engine.clock import local_date
from engine.domain.access import EVERYTHING, Scope
from engine.domain.collaboration import Collaboration, CollaborationFile, HistoryEntry
from engine.domain.partner import Partner
from engine.domain.users import Actor
from engine.errors import InvalidInput
from engine.i18n import N_
from engine.services.context import Context, refresh_due_items
from engine.services.directory import register_partner
from engine.store.repositories.members import Members
from engine.store.uow import UnitOfWork, reading, writing
from engine.workflow import Firing, Option, fire

NOT_STAFF = N_("Choose an active coordinator or manager of this network.")


@dataclass(frozen=True, slots=True)
class Moved:
    """The result of a fired event: the new state and version, and what happened."""

    collaboration: Collaboration
    firing: Firing


class CollaborationService:
    """The lifecycle of collaborations."""

    def __init__(self, ctx: Context, scope: Scope = EVERYTHING) -> None:
        self.ctx = ctx
        self.scope = scope

    async def add_candidate(
        self, network_id: int, partner_id: int, actor: Actor, owner_id: int | None = None
    ) -> Collaboration:
        """Open a collaboration with a partner in a network, as a candidate."""
        async with writing(self.ctx.db) as uow:
            await uow.partners.get(partner_id)
            return await self._open(uow, network_id, partner_id, actor, owner_id)

    async def add_partner_as_candidate(
        self, network_id: int, partner: Partner, actor: Actor, *, despite_similar: bool = False
    ) -> tuple[Partner, Collaboration]:
        """Register a new partner and open its candidate collaboration, both or neither."""
        partner.validate()
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            saved = await register_partner(
                uow, partner, actor, now, network_id, despite_similar=despite_similar
            )
            assert saved.id is not None
            return saved, await self._open(uow, network_id, saved.id, actor, None)

    async def open_candidate_in(
        self, uow: UnitOfWork, network_id: int, partner_id: int, actor: Actor
    ) -> Collaboration:
        """Open a candidate within the caller's transaction (an import opens many, or none)."""
        return await self._open(uow, network_id, partner_id, actor, None)

    async def _open(
        self,
        uow: UnitOfWork,
        network_id: int,
        partner_id: int,
        actor: Actor,
        owner_id: int | None,
    ) -> Collaboration:
        now = self.ctx.clock.now()
        await uow.networks.get(network_id)
        if await uow.collaborations.find(network_id, partner_id) is not None:
            raise InvalidInput(
                {"partner_id": N_("This partner is already in this network's pipeline.")}
            )
        await uow.partners.link(network_id, partner_id)
        record = await uow.collaborations.add(
            Collaboration(
                id=None,
                network_id=network_id,
                partner_id=partner_id,
                state=self.ctx.workflow.initial,
                version=1,
                owner_id=owner_id,
                state_entered_at=now,
                created_at=now,
                last_activity_on=local_date(now),
            )
        )
        assert record.id is not None
        await uow.audit.record(
            now,
            actor,
            "collaboration.create",
            "collaboration",
            record.id,
            network_id=network_id,
            partner_id=partner_id,
        )
        await refresh_due_items(self.ctx, uow, await uow.records.load_file(record.id), now)
        return record

    async def file(self, collaboration_id: int) -> CollaborationFile:
        """The collaboration with every record the guards look at."""
        async with reading(self.ctx.db) as uow:
            return await uow.records.load_file(collaboration_id, scope=self.scope)

    async def options(self, collaboration_id: int) -> tuple[CollaborationFile, tuple[Option, ...]]:
        """The events offered now, each with its unmet requirements."""
        file = await self.file(collaboration_id)
        now = self.ctx.clock.now()
        return file, self.ctx.workflow.options(file.collaboration.state, file, now)

    async def staff(self, collaboration_id: int) -> list[tuple[int, str]]:
        """Who may own the collaboration: its network's active coordinators and managers."""
        async with reading(self.ctx.db) as uow:
            record = await uow.collaborations.get(collaboration_id, scope=self.scope)
            return await Members(uow.conn).staff_of(record.network_id)

    async def history(self, collaboration_id: int) -> list[HistoryEntry]:
        """Every state change, oldest first."""
        async with reading(self.ctx.db) as uow:
            await uow.collaborations.get(collaboration_id, scope=self.scope)
            return await uow.collaborations.history(collaboration_id)

    async def fire(
        self,
        collaboration_id: int,
        event: str,
        *,
        expected_version: int,
        actor: Actor,
        comment: str = "",
    ) -> Moved:
        """Fire an event if the version is current and every guard passes, in one transaction."""
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            file = await uow.records.load_file(collaboration_id, lock=True, scope=self.scope)
            record = file.collaboration
            firing = fire(
                self.ctx.workflow,
                record_id=collaboration_id,
                state=record.state,
                version=record.version,
                expected_version=expected_version,
                snapshot=file,
                event=event,
                now=now,
                actor_id=actor.id,
                comment=comment.strip(),
            )
            cycle = record.cycle
            if "new_cycle" in self.ctx.workflow.events[firing.event].effects:
                cycle += 1
                await _carry_plan_over(uow, file, cycle)
            await uow.collaborations.move(
                record, dest=firing.dest, version=firing.version, at=now, cycle=cycle
            )
            # The history entry is the audit record of a state change.
            await uow.collaborations.append_history(_history_entry(record, firing, actor))
            moved = replace(
                record, state=firing.dest, version=firing.version, state_entered_at=now, cycle=cycle
            )
            if cycle == record.cycle:
                after = replace(file, collaboration=moved)
            else:  # a new cycle starts from fresh records: read them back
                after = await uow.records.load_file(collaboration_id)
            await refresh_due_items(self.ctx, uow, after, now, before=file)
        return Moved(moved, firing)

    async def assign(
        self, collaboration_id: int, *, expected_version: int, actor: Actor, **fields: Any
    ) -> Collaboration:
        """Change the owner or the planner, checking the version."""
        unknown = set(fields) - {"owner_id", "planner"}
        if unknown:
            raise InvalidInput({name: N_("This field cannot be changed here.") for name in unknown})
        if "planner" in fields:
            fields["planner"] = (fields["planner"] or "").strip()
            if len(fields["planner"]) > 100:
                raise InvalidInput({"planner": N_("This text is too long.")})
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            record = await uow.collaborations.get(collaboration_id, lock=True, scope=self.scope)
            owner_id = fields.get("owner_id")
            if owner_id is not None:
                staff = await Members(uow.conn).staff_of(record.network_id)
                if owner_id not in {user_id for user_id, _ in staff}:
                    raise InvalidInput({"owner_id": NOT_STAFF})
            await uow.collaborations.update_fields(record, expected_version, **fields)
            await uow.audit.record(
                now, actor, "collaboration.assign", "collaboration", collaboration_id, **fields
            )
            return await uow.collaborations.get(collaboration_id)


def _history_entry(record: Collaboration, firing: Firing, actor: Actor) -> HistoryEntry:
    assert record.id is not None
    return HistoryEntry(
        collaboration_id=record.id,
        version=firing.version,
        at=firing.at,
        actor_id=actor.id,
        actor_name=actor.name,
        event=firing.event,
        source=firing.source,
        dest=firing.dest,
        comment=firing.comment,
        checks=tuple((c.guard, tuple(r.code for r in c.unmet)) for c in firing.checks),
    )


async def _carry_plan_over(uow: UnitOfWork, file: CollaborationFile, cycle: int) -> None:
    """Start the next cycle's plan from the last one: same text and KPIs, no dates yet."""
    assert file.collaboration.id is not None
    if file.plan is None:
        return
    fresh = replace(
        file.plan,
        cycle=cycle,
        starts_on=None,
        ends_on=None,
        checkpoints=(),
        id=None,
        version=0,
        kpis=tuple(replace(k, id=None) for k in file.plan.kpis),
    )
    await uow.records.save_plan(file.collaboration.id, fresh)
