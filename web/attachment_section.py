"""The 「添付ファイル」 section of the collaboration page: its list, its limit and its messages."""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal
from litestar import Request

from engine.domain.access import Permission, Viewer
from engine.domain.attachments import RECORD_LABELS, WHOLE_COLLABORATION, Attachment
from engine.i18n import N_
from engine.services import Context
from engine.services.attachments import AttachmentService
from web.i18n import current_locale

NOTICES = {
    "added": N_("The file was attached."),
    "removed": N_("The attachment was removed."),
    "shared": N_("The partner's users can now download this attachment in their portal."),
    "unshared": N_("The attachment is no longer shown to the partner."),
}
PROBLEMS = {
    "conflict": N_(
        "Someone else changed this attachment in the meantime, so nothing was saved. "
        "Check the list and try again."
    ),
}


def size_label(size: int) -> str:
    """A file size as people read it: 820 KB, 3.4 MB."""
    locale = current_locale.get()
    if size < 1024 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)), locale=locale)} KB"
    return f"{format_decimal(round(size / 2**20, 1), locale=locale)} MB"


@dataclass(frozen=True, slots=True)
class AttachmentSection:
    """What the section shows: the attachments, the upload limit, and a notice or a problem."""

    items: list[Attachment]
    limit_mb: int
    can_edit: bool
    notice: str
    problem: str
    record_labels: dict[str, str]
    whole: str = WHOLE_COLLABORATION

    @staticmethod
    def size(size: int) -> str:
        """The size of a file, for the list."""
        return size_label(size)


async def attachment_section(
    ctx: Context, viewer: Viewer, collaboration_id: int, request: Request
) -> AttachmentSection:
    """The section's content for this viewer (404 outside their networks, as the page)."""
    service = AttachmentService(ctx, viewer.scope)
    outcome = request.query_params.get("attachment", "")
    return AttachmentSection(
        items=await service.list(collaboration_id),
        limit_mb=service.limit_mb,
        can_edit=viewer.can(Permission.EDIT),
        notice=NOTICES.get(outcome, ""),
        problem=PROBLEMS.get(outcome, ""),
        record_labels={str(k): v for k, v in RECORD_LABELS.items()},
    )
