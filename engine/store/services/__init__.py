"""Use cases that web/ and tasks/ call; each runs in one transaction."""

from engine.store.services.collaborations import CollaborationService, Moved
from engine.store.services.context import Context
from engine.store.services.delivery import DeliveryReport, DeliveryService
from engine.store.services.directory import DirectoryService
from engine.store.services.records import RecordService

__all__ = [
    "CollaborationService",
    "Context",
    "DeliveryReport",
    "DeliveryService",
    "DirectoryService",
    "Moved",
    "RecordService",
]
