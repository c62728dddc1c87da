"""Writing a story's script: the steps taken during each visit to a state, in order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from engine.workflow import Workflow
from mimamori.demo import approach, pilot, planning
from mimamori.demo.networks import NetworkSpec
from mimamori.demo.partners import PartnerSpec
from mimamori.demo.script import Script
from mimamori.demo.stories import Story
from mimamori.demo.timeline import Visit

STEPS_IN: dict[str, Callable[[Script, int, Visit], None]] = {
    "candidate": approach.candidate,
    "approached": approach.approached,
    "memo_signed": planning.memo_signed,
    "plan": planning.plan,
    "pilot": pilot.pilot,
    "evaluated": pilot.evaluated,
    "renewed": pilot.renewed,
    "withdrawn": approach.withdrawn,
}
"""The steps taken during a visit to each state."""


def write_script(
    story: Story,
    network: NetworkSpec,
    partner: PartnerSpec,
    workflow: Workflow,
    today: date,
    seed: int,
) -> Script:
    """The story's dated steps; pure, so every run with the same seed and day plans the same."""
    script = Script(story, network, partner, workflow, today, seed)
    for i, visit in enumerate(script.visits):
        STEPS_IN[visit.state](script, i, visit)
    script.put_in_order()
    return script
