"""The record forms of a collaboration: what each shows filled in, and how each is saved.

One module per stage of the lifecycle (``approach``, ``planning``, ``pilot``) and
one for what any stage has (``decisions``); ``base`` holds what they share.
"""

from web.record_specs import approach, decisions, pilot, planning
from web.record_specs.base import ACTIVITY_KINDS, APPROVAL_KINDS, RecordForm
from web.record_specs.planning import plan_rows

FORMS = {
    form.name: form for form in (*approach.FORMS, *planning.FORMS, *pilot.FORMS, *decisions.FORMS)
}
"""Every record form by name, in the order the collaboration page offers them."""

__all__ = ["ACTIVITY_KINDS", "APPROVAL_KINDS", "FORMS", "RecordForm", "plan_rows"]
