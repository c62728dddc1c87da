"""Which events can each record take now, and why not the others.

Times ``COLLABORATION.options(state, snapshot, now)`` over in-memory
CollaborationFile snapshots in a realistic mix of states and completeness,
against the naive approach STYLE.md rule 2 forbids: one
``transitions.Machine`` per record, asked ``may_<trigger>()`` for every
trigger. Also measures the memory each approach leaves behind per record.

Run: ``python -m bench.allowed_events [--quick] [--repeats N]``.
"""
