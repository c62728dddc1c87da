"""Attachments: documents kept with a collaboration's records, as plain data.

The bytes live in a file store under their SHA-256; a row here says whose they
are, which record they belong to and who may see them. Removal is soft: the row
stays (with who removed it and when) for the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from engine.errors import InvalidInput
from engine.i18n import N_


class RecordKind(StrEnum):
    """The record an attachment belongs to; none means the collaboration as a whole."""

    MEMORANDUM = "memorandum"
    PLAN = "plan"
    ACTIVITY = "activity"


RECORD_LABELS = {
    RecordKind.MEMORANDUM: N_("Memorandum"),
    RecordKind.PLAN: N_("Plan"),
    RecordKind.ACTIVITY: N_("Activity"),
}
WHOLE_COLLABORATION = N_("The collaboration as a whole")


@dataclass(frozen=True, slots=True)
class RecordRef:
    """Which record of the collaboration: the memorandum, a plan or an activity, by id."""

    kind: RecordKind
    id: int


@dataclass(frozen=True, slots=True)
class Attachment:
    """One attached document: its display name, detected type, size and who may see it."""

    id: int
    collaboration_id: int
    record: RecordRef | None
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: int | None
    uploaded_by_name: str
    uploaded_at: datetime
    shared_with_partner: bool
    version: int
    removed_at: datetime | None = None


DOCUMENT_EVENTS = {
    "document_attached": N_("Document attached"),
    "document_removed": N_("Document removed"),
}
"""How a document's arrival and removal are named in a collaboration's history."""


@dataclass(frozen=True, slots=True)
class DocumentEvent:
    """A document attached to or removed from a collaboration, as its history lists it.

    Shaped like a state change's entry (no stages), so the two read as one history.
    """

    at: datetime
    actor_name: str
    event: str
    comment: str
    source: str = ""
    dest: str = ""


class UploadRefused(InvalidInput):
    """The uploaded file was not stored: wrong type, empty, or no file at all."""

    def __init__(self, message: str) -> None:
        super().__init__({"file": message})
        self.message = message


class WrongType(UploadRefused):
    """The file's content is not one of the accepted kinds of document."""


class TooLarge(UploadRefused):
    """The file is over the size limit; ``limit_mb`` says how large a file may be."""

    def __init__(self, limit_mb: int) -> None:
        super().__init__(N_("The file is larger than the limit of {limit} MB."))
        self.limit_mb = limit_mb


NO_FILE = N_("Choose a file to upload.")
EMPTY_FILE = N_("The file is empty.")
PROGRAM = N_("This file is a program, not a document, and cannot be attached.")
MACROS = N_(
    "This Office document contains macros, which are not accepted. "
    "Save it without macros (for example as .docx or .xlsx) or as PDF."
)
ARCHIVE = N_("Archives (ZIP and the like) are not accepted. Attach the documents themselves.")
UNKNOWN_TYPE = N_(
    "This kind of file is not accepted. Attach a PDF, an image (JPEG, PNG, TIFF, HEIC), "
    "a Word, Excel or PowerPoint document, or plain text."
)
UNKNOWN_RECORD = N_("Choose a record of this collaboration.")
