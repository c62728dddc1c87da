"""The first-run guide shown above the board and on the administration home.

The steps are ticked off from the data (engine.store.read.first_run); which of
them the viewer may do themselves decides whether a step links to its screen or
says whom to ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from engine.domain.access import Permission, Viewer
from engine.i18n import N_
from engine.store.database import Database
from engine.store.read.first_run import FirstRunFacts, first_run_facts

NETWORK_HINT = N_(
    "A network is one municipality's watch scheme: its staff, partners and reminders belong to it."
)
TIMING_HINT = N_(
    "See when reminders go out and to whom, change what your municipality does differently,"
    " and save."
)
PARTNERS_HINT = N_(
    "Add the companies the network works with or plans to approach, one by one or from a CSV file."
)
CANDIDATE_HINT = N_(
    "On the board, choose ＋ Add a candidate in the Candidate column and pick a partner"
    " to approach."
)


@dataclass(frozen=True, slots=True)
class Step:
    """One step: what to do, whether the data shows it done, and where to do it."""

    key: str
    title: str
    hint: str
    done: bool
    links: tuple[tuple[str, str], ...]
    """(label, address) pairs; empty when the viewer may not take the step."""
    ask: str
    """Whom to ask, shown instead of the links when the viewer may not take the step."""


@dataclass(frozen=True, slots=True)
class Guide:
    """The steps in order."""

    steps: tuple[Step, ...]

    @property
    def done(self) -> int:
        """How many steps are done."""
        return sum(step.done for step in self.steps)


def _step(
    viewer: Viewer,
    needs: Permission,
    key: str,
    title: str,
    hint: str,
    done: bool,
    links: tuple[tuple[str, str], ...],
    ask: str,
) -> Step:
    allowed = viewer.can(needs)
    return Step(key, title, hint, done, links if allowed else (), "" if allowed else ask)


def steps_for(viewer: Viewer, facts: FirstRunFacts) -> Guide:
    """The five steps as ``viewer`` sees them, given what the data holds."""
    network = (
        ((N_("Open the network's timing rules"), f"/admin/networks/{facts.network_id}"),)
        if facts.network_id is not None
        else ()
    )
    return Guide(
        (
            _step(
                viewer,
                Permission.ADMINISTER,
                "network",
                N_("Create the first watch network"),
                NETWORK_HINT,
                facts.has_network,
                ((N_("Create a network"), "/admin/networks/new"),),
                N_("Ask your administrator to create the watch network."),
            ),
            _step(
                viewer,
                Permission.ADMINISTER,
                "timing",
                N_("Check its timing rules"),
                TIMING_HINT,
                facts.timing_checked,
                network,
                N_("Ask your administrator to check the network's timing rules."),
            ),
            _step(
                viewer,
                Permission.ADMINISTER,
                "colleagues",
                N_("Invite colleagues"),
                N_("Give the network's managers and coordinators an account of their own."),
                facts.has_colleague,
                ((N_("Invite a colleague"), "/admin/users/invite"),),
                N_("Ask your administrator to invite your colleagues."),
            ),
            _step(
                viewer,
                Permission.EDIT_PARTNERS,
                "partners",
                N_("Register or import partners"),
                PARTNERS_HINT,
                facts.has_partner,
                (
                    (N_("Register a partner"), "/partners/new"),
                    (N_("Import from CSV"), "/partners/import"),
                ),
                N_("Ask your administrator to register the partners."),
            ),
            _step(
                viewer,
                Permission.EDIT,
                "candidate",
                N_("Open the first candidate"),
                CANDIDATE_HINT,
                facts.has_collaboration,
                ((N_("Add a candidate"), "/partners/pick"),),
                N_("The network's managers and coordinators open candidates from the board."),
            ),
        )
    )


_COMPLETE: WeakKeyDictionary[Database, set[tuple[int, str, frozenset[int]]]] = WeakKeyDictionary()
"""Per database, the viewers (with their role and networks) whose guide was found complete.

Nothing in the app deletes a network, a partner's place in a list or a collaboration, so
a finished guide stays finished: the board, on every full view, need not ask again.
"""
_REMEMBER_AT_MOST = 10_000


async def first_run_guide(db: Database, viewer: Viewer) -> Guide | None:
    """The guide for a staff viewer while a step is undone; None once all are done."""
    if not viewer.is_staff:
        return None
    key = (viewer.user_id, str(viewer.role), viewer.network_ids)
    complete = _COMPLETE.setdefault(db, set())
    if key in complete:
        return None
    facts = await first_run_facts(db, viewer.scope, viewer.user_id)
    if facts.all_done:
        if len(complete) >= _REMEMBER_AT_MOST:
            complete.clear()
        complete.add(key)
        return None
    return steps_for(viewer, facts)
