"""The JSON API's request and response bodies, as msgspec structs (they become the OpenAPI schemas).

Request bodies refuse unknown fields, so a typo or junk is a 422 rather than
silently ignored. Ids are bounded to the database's integer range and text
may not contain NUL characters, which PostgreSQL cannot store.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from msgspec import Meta

from engine.domain.collaboration import ActivityKind
from engine.domain.partner import Industry

Id = Annotated[int, Meta(ge=1, le=2**31 - 1)]
NO_NUL = r"^[^\x00]*$"
Text = Annotated[str, Meta(pattern=NO_NUL, max_length=10000)]
ShortText = Annotated[str, Meta(pattern=NO_NUL, max_length=500)]


class Input(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of request bodies: unknown fields are an error."""


# --- errors -----------------------------------------------------------------------------------


class Unmet(msgspec.Struct):
    """A requirement that still blocks an event: a stable code and words for people."""

    code: str
    message: str


class ApiError(msgspec.Struct, omit_defaults=True, kw_only=True):
    """Every error: a stable ``error`` code, a message in the reader's language, and details."""

    error: str
    message: str
    fields: dict[str, str] = msgspec.field(default_factory=dict)
    unmet: list[Unmet] = msgspec.field(default_factory=list)
    current_version: int | None = None
    allowed: list[str] = msgspec.field(default_factory=list)


# --- shared pieces ----------------------------------------------------------------------------


class Ref(msgspec.Struct):
    """Another record by id and name."""

    id: int
    name: str


class PersonRef(msgspec.Struct):
    """A person by id (none for the system) and name."""

    id: int | None
    name: str


# --- collaborations ---------------------------------------------------------------------------


class CollaborationSummary(msgspec.Struct):
    """A collaboration as a list shows it."""

    id: int
    state: str
    state_label: str
    version: int
    cycle: int
    network: Ref
    partner: Ref
    owner: PersonRef | None
    planner: str
    state_entered_at: datetime
    last_activity_on: date | None


class CollaborationPage(msgspec.Struct):
    """One page of collaborations and how many there are in all."""

    items: list[CollaborationSummary]
    total: int
    limit: int
    offset: int


class HistoryOut(msgspec.Struct):
    """One state change. ``actor`` and ``comment`` are the municipality's own notes:
    null for partner users, as in their portal."""

    at: datetime
    actor: PersonRef | None
    event: str
    source: str
    dest: str
    comment: str | None
    version: int


class EventOut(msgspec.Struct):
    """An event the current state offers; ``allowed`` when no requirement is unmet."""

    name: str
    label: str
    dest: str
    allowed: bool
    needs_comment: bool
    unmet: list[Unmet]


class CollaborationDetail(msgspec.Struct):
    """A collaboration with its history and the events it offers now."""

    id: int
    state: str
    state_label: str
    version: int
    cycle: int
    network: Ref
    partner: Ref
    owner: PersonRef | None
    planner: str
    state_entered_at: datetime
    created_at: datetime
    last_activity_on: date | None
    history: list[HistoryOut]
    events: list[EventOut]


class FireEvent(Input):
    """Fire an event on the version the caller read."""

    event: Annotated[str, Meta(min_length=1, max_length=40, pattern=NO_NUL)]
    version: Id
    comment: Text = ""


class Moved(msgspec.Struct):
    """The result of a fired event."""

    id: int
    event: str
    state: str
    state_label: str
    version: int


class NewCollaboration(Input):
    """Put a partner into one of the caller's networks' pipelines, as a candidate."""

    network_id: Id
    partner_id: Id
    owner_id: Id | None = None


# --- partners ---------------------------------------------------------------------------------


class PartnerSummary(msgspec.Struct):
    """A partner organisation as a list shows it."""

    id: int
    name: str
    industry: str
    area: str
    version: int


class PartnerPage(msgspec.Struct):
    """One page of partners and how many there are in all."""

    items: list[PartnerSummary]
    total: int
    limit: int
    offset: int


class ContactBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A person at the partner organisation."""

    name: ShortText
    title: ShortText = ""
    email: ShortText = ""
    phone: ShortText = ""


class BusySeasonBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A yearly busy period from one month/day to another (it may wrap the year end)."""

    start_month: Annotated[int, Meta(ge=1, le=12)]
    start_day: Annotated[int, Meta(ge=1, le=31)]
    end_month: Annotated[int, Meta(ge=1, le=12)]
    end_day: Annotated[int, Meta(ge=1, le=31)]
    note: ShortText = ""


class PartnerDetail(msgspec.Struct):
    """A partner organisation with its contacts and busy seasons."""

    id: int
    name: str
    kana: str
    industry: str
    area: str
    address: str
    phone: str
    website: str
    note: str
    contacts: list[ContactBody]
    busy_seasons: list[BusySeasonBody]
    version: int


class PartnerFields(Input, kw_only=True):
    """What a partner organisation is: its details, contacts and busy seasons.

    ``kana`` is the reading in hiragana or katakana; ``website`` starts with
    https:// (or http://). A contact list or season list replaces the stored one.
    """

    name: ShortText
    industry: Industry
    area: ShortText
    kana: ShortText = ""
    address: ShortText = ""
    phone: ShortText = ""
    website: ShortText = ""
    note: Text = ""
    contacts: Annotated[list[ContactBody], Meta(max_length=50)] = msgspec.field(
        default_factory=list
    )
    busy_seasons: Annotated[list[BusySeasonBody], Meta(max_length=12)] = msgspec.field(
        default_factory=list
    )


class NewPartner(PartnerFields):
    """A new partner organisation, put at once into one of the caller's networks as a candidate.

    A name like one already in that network's list (legal forms, width and spaces
    folded) is refused with 422, unless ``despite_similar`` says it is another one.
    """

    network_id: Id
    despite_similar: bool = False


class PartnerEdit(PartnerFields):
    """A partner's new details, with the version that was read (409 if it changed since)."""

    version: Id


class PartnerCreated(msgspec.Struct):
    """The new partner and the candidate collaboration opened with it."""

    partner: PartnerDetail
    collaboration: CollaborationSummary


# --- activities -------------------------------------------------------------------------------


class ActivityOut(msgspec.Struct):
    """A logged contact or meeting."""

    id: int
    kind: str
    occurred_on: date
    summary: str
    agenda: str
    minutes: str
    decisions: str
    duration_minutes: int | None
    participants: str
    created_by: int | None
    created_at: datetime


class NewActivity(Input):
    """A phone call, letter, visit, hearing or consultation meeting to log."""

    kind: ActivityKind
    occurred_on: date
    summary: ShortText
    agenda: Text = ""
    minutes: Text = ""
    decisions: Text = ""
    duration_minutes: int | None = None
    participants: Text = ""
