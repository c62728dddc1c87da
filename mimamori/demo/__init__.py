"""A fictional demo dataset, made by walking collaborations through the real services.

``seed_demo`` creates two watch networks of made-up towns in 静岡県, their
staff, about thirty partner organisations and a collaboration in every state of
the lifecycle. Every name is invented, and the e-mail domains (``*.example.jp``)
do not exist. Each collaboration is told as a story (``stories.STORIES``): the
events it went through and how long it has been in its final state. The story
is laid out backwards from the seeding day (``timeline``), turned into a script
of dated steps (``script``, with the steps of each stage in ``approach``,
``planning`` and ``pilot``: log a call, save the scorecard, fire an event...)
and played with a ``FixedClock`` that moves forward with the steps (``runner``,
``steps``), so every record, history entry, audit entry and due item looks as
if coordinators had done the work over months and years. Nothing is dated
after the day before ``today``, except consultation meetings that are
scheduled ahead on purpose.

Running it again creates nothing twice (``seed``): networks, users and partners
are found by name or e-mail (``directory``), and a collaboration that exists is
compared with its script through the audit log (one entry per step). A
collaboration left half-way by an interrupted run is completed from where it
stopped; one that was changed by hand is left as it is.
"""

from mimamori.demo.report import DemoReport
from mimamori.demo.seed import DEFAULT_SEED, seed_demo

__all__ = ["DEFAULT_SEED", "DemoReport", "seed_demo"]
