"""Alembic environment: runs on a connection handed over by engine.store.migrate."""

from __future__ import annotations

from alembic import context

from engine.store.tables import metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `mimamori db upgrade`, which supplies a connection")
_run(connection)
