"""What one run of the demo seeding did: the numbers and the lines the command prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from engine.domain.users import Role


@dataclass
class DemoReport:
    """What one run of ``seed_demo`` created, completed or left alone."""

    today: date
    networks: list[str] = field(default_factory=list)
    """Names of the networks created."""
    users: list[str] = field(default_factory=list)
    """E-mail addresses of the accounts created."""
    partners: list[str] = field(default_factory=list)
    """Names of the partner organisations created."""
    collaborations: Counter[str] = field(default_factory=Counter)
    """Collaborations created, by the state they were left in."""
    resumed: list[str] = field(default_factory=list)
    """Collaborations an interrupted run had started, completed now."""
    existing: int = 0
    """Collaborations already complete, left untouched."""
    left_as_is: list[str] = field(default_factory=list)
    """Collaborations that differ from their script (changed by hand), left untouched."""
    failed: list[str] = field(default_factory=list)
    """Collaborations whose script a service refused, with the reason."""
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    """(role, e-mail, password) of the demo accounts that can log in, created now or before."""
    steps: int = 0
    """Service calls made for collaborations."""
    seconds: float = 0.0

    @property
    def collaborations_created(self) -> int:
        """The number of collaborations created."""
        return sum(self.collaborations.values())

    @property
    def created(self) -> int:
        """Everything created or completed by this run."""
        return (
            len(self.networks)
            + len(self.users)
            + len(self.partners)
            + self.collaborations_created
            + len(self.resumed)
        )

    def counts(self) -> dict[str, int]:
        """The numbers of this run, by kind."""
        return {
            "networks": len(self.networks),
            "users": len(self.users),
            "partners": len(self.partners),
            "collaborations": self.collaborations_created,
            "resumed": len(self.resumed),
            "existing": self.existing,
            "left_as_is": len(self.left_as_is),
            "failed": len(self.failed),
        }

    def lines(self) -> list[str]:
        """Human-readable lines for the command line."""
        lines = [f"Demo data (fictional towns in 静岡県) as of {self.today.isoformat()}:"]
        if self.networks:
            lines.append(f"  networks created: {len(self.networks)} ({', '.join(self.networks)})")
        if self.users:
            lines.append(f"  users created: {len(self.users)} ({', '.join(self.users)})")
        if self.partners:
            lines.append(f"  partners created: {len(self.partners)}")
        if self.collaborations:
            by_state = ", ".join(f"{s} {n}" for s, n in self.collaborations.items())
            lines.append(f"  collaborations created: {self.collaborations_created} ({by_state})")
        if self.resumed:
            lines.append(f"  collaborations completed from an interrupted run: {len(self.resumed)}")
            lines.extend(f"    {label}" for label in self.resumed)
        if self.existing:
            lines.append(f"  collaborations already present: {self.existing}")
        if self.left_as_is:
            lines.append(
                f"  collaborations changed since seeding, left as is: {len(self.left_as_is)}"
            )
            lines.extend(f"    {label}" for label in self.left_as_is)
        if self.failed:
            lines.append(f"  collaborations that could not be completed: {len(self.failed)}")
            lines.extend(f"    {label}" for label in self.failed)
        if not self.created:
            lines.append("  nothing to create: the demo data is already there")
        lines.append(f"  ({self.steps} service calls in {self.seconds:.1f} s)")
        if self.logins:
            lines.append("Demo accounts (fictional; log in at /login):")
            width = max(len(email) for _, email, _ in self.logins)
            lines.extend(
                f"  {role:<12} {email:<{width}}  password: {password}"
                for role, email, password in sorted(self.logins, key=_by_role)
            )
        return lines


def _by_role(login: tuple[str, str, str]) -> int:
    return list(Role).index(Role(login[0]))
