"""What every part of the reminder-scan benchmark shares: the day, the sizes, the raw query."""

from __future__ import annotations

from bench._stats import NOW
from engine.clock import local_date

TODAY = local_date(NOW)
DUE = 200
"""Due items planted in the first (smallest) size; larger sizes add none."""
LIMIT = 500
"""The scan's batch size (ReminderService.scan's default), also the raw query's LIMIT."""
INDEX = "ix_due_items_pending_remind_on"
GROWTH_TARGET = 1.5
"""due_now at the largest N over due_now at the smallest: an index-bound query stays flat."""

RAW_SQL = """
SELECT d.id, d.collaboration_id, d.rule, d.anchor_on, d.due_on, d.remind_on, d.kind,
       d.recipients, c.owner_id, c.network_id, c.state, p.id AS partner_id,
       p.name AS partner_name, n.name AS network_name
FROM due_items AS d {hint}
JOIN collaborations AS c ON c.id = d.collaboration_id
JOIN partners AS p ON p.id = c.partner_id
JOIN networks AS n ON n.id = c.network_id
WHERE d.status = 'pending' AND d.remind_on <= {param}
ORDER BY d.remind_on, d.id
LIMIT {limit}
"""
