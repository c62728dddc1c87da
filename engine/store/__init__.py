"""Persistence: the only package that imports SQLAlchemy.

Tables (``tables``) and the schema's migrations (``migrations``, ``migrate``),
the drivers (``database``, ``sqlite_driver``), repositories that map rows to the
engine's records (``repositories``), the unit of work over one transaction
(``uow``), the session stores (``sessions``), and the read models the screens
and the API show (``read``). The use-cases that change things live in
``engine.services``, above this package.
"""
