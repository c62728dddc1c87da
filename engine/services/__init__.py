"""The use-cases that web/ and tasks/ call: each runs in one transaction of the store.

What happens when a card moves (``collaborations``), records are saved
(``records``), partners and networks change (``directory``), people log in
(``accounts``), reminders fall due (``reminders``, ``digests``, ``upkeep``) and
mail goes out (``delivery``). They reach the database only through
``engine.store``'s repositories and unit of work, never with SQL of their own.
"""

from engine.services.collaborations import CollaborationService, Moved
from engine.services.context import Context
from engine.services.delivery import DeliveryReport, DeliveryService
from engine.services.directory import DirectoryService
from engine.services.records import RecordService

__all__ = [
    "CollaborationService",
    "Context",
    "DeliveryReport",
    "DeliveryService",
    "DirectoryService",
    "Moved",
    "RecordService",
]
