"""Records and read rows to API bodies, with labels in the reader's language."""

from __future__ import annotations

import msgspec

from engine.domain.collaboration import HistoryEntry
from engine.domain.partner import BusySeason, Contact, Partner
from engine.i18n import translate
from engine.store.read.api_resources import ActivityRow, CollaborationRow
from engine.workflow import Option, Workflow
from web.api.schemas import (
    ActivityOut,
    BusySeasonBody,
    CollaborationDetail,
    CollaborationSummary,
    ContactBody,
    EventOut,
    HistoryOut,
    PartnerDetail,
    PartnerFields,
    PersonRef,
    Ref,
    Unmet,
)


def _owner(row: CollaborationRow) -> PersonRef | None:
    if row.owner_id is None:
        return None
    return PersonRef(row.owner_id, row.owner_name or "")


def collaboration_summary(
    row: CollaborationRow, workflow: Workflow, locale: str
) -> CollaborationSummary:
    """A collaboration row as the list shows it."""
    return CollaborationSummary(
        id=row.id,
        state=row.state,
        state_label=translate(workflow.label(row.state), locale),
        version=row.version,
        cycle=row.cycle,
        network=Ref(row.network_id, row.network_name),
        partner=Ref(row.partner_id, row.partner_name),
        owner=_owner(row),
        planner=row.planner,
        state_entered_at=row.state_entered_at,
        last_activity_on=row.last_activity_on,
    )


def collaboration_detail(
    row: CollaborationRow,
    history: list[HistoryEntry],
    options: tuple[Option, ...],
    workflow: Workflow,
    locale: str,
    internal: bool,
) -> CollaborationDetail:
    """A collaboration with its history and the events it offers now; who moved it
    and why only for ``internal`` readers (staff, not partner users)."""
    return CollaborationDetail(
        **msgspec.structs.asdict(collaboration_summary(row, workflow, locale)),
        created_at=row.created_at,
        history=[
            HistoryOut(
                at=h.at,
                actor=PersonRef(h.actor_id, h.actor_name) if internal else None,
                event=h.event,
                source=h.source,
                dest=h.dest,
                comment=h.comment if internal else None,
                version=h.version,
            )
            for h in history
        ],
        events=[
            EventOut(
                name=o.event.name,
                label=translate(o.event.label, locale),
                dest=o.event.dest,
                allowed=o.allowed,
                needs_comment=o.event.needs_comment,
                unmet=[Unmet(r.code, r.text(locale)) for r in o.unmet],
            )
            for o in options
        ],
    )


def partner_from(data: PartnerFields, partner_id: int | None = None, version: int = 1) -> Partner:
    """The partner a request body describes."""
    return Partner(
        id=partner_id,
        name=data.name,
        industry=data.industry,
        area=data.area,
        note=data.note,
        contacts=tuple(Contact(c.name, c.title, c.email, c.phone) for c in data.contacts),
        busy_seasons=tuple(
            BusySeason((s.start_month, s.start_day), (s.end_month, s.end_day), s.note)
            for s in data.busy_seasons
        ),
        version=version,
        kana=data.kana,
        address=data.address,
        phone=data.phone,
        website=data.website,
    )


def partner_detail(partner: Partner) -> PartnerDetail:
    """A partner record with its contacts and busy seasons."""
    assert partner.id is not None
    return PartnerDetail(
        id=partner.id,
        name=partner.name,
        kana=partner.kana,
        industry=str(partner.industry),
        area=partner.area,
        address=partner.address,
        phone=partner.phone,
        website=partner.website,
        note=partner.note,
        contacts=[
            ContactBody(name=c.name, title=c.title, email=c.email, phone=c.phone)
            for c in partner.contacts
        ],
        busy_seasons=[
            BusySeasonBody(
                start_month=s.start[0],
                start_day=s.start[1],
                end_month=s.end[0],
                end_day=s.end[1],
                note=s.note,
            )
            for s in partner.busy_seasons
        ],
        version=partner.version,
    )


def activity_out(row: ActivityRow) -> ActivityOut:
    """An activity row as the API shows it."""
    return ActivityOut(
        id=row.id,
        kind=row.kind,
        occurred_on=row.occurred_on,
        summary=row.summary,
        agenda=row.agenda,
        minutes=row.minutes,
        decisions=row.decisions,
        duration_minutes=row.duration_minutes,
        participants=row.participants,
        created_by=row.created_by,
        created_at=row.created_at,
    )
