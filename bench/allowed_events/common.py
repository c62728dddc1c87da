"""What the parts of the allowed_events benchmark share."""

from __future__ import annotations

from workflows.collaboration import Stage

TARGET_US = 5.0
TARGET_BYTES = 0.0
NOISE_BYTES = 1.0
"""Per record: a few dozen bytes in total come and go between tracemalloc readings."""
SEED = 20260406

STATE_MIX = (
    (Stage.CANDIDATE, 25),
    (Stage.APPROACHED, 15),
    (Stage.MEMO_SIGNED, 10),
    (Stage.PLAN, 14),
    (Stage.PILOT, 10),
    (Stage.EVALUATED, 8),
    (Stage.RENEWED, 8),
    (Stage.WITHDRAWN, 10),
)
PIPELINE = [s for s, _ in STATE_MIX if s is not Stage.WITHDRAWN]
