"""Firing an event with its history write, on a SQLite file database.

Times ``CollaborationService.fire`` (snapshot load under the write lock, guards,
version check, state update, history, audit, due-item refresh) alternating
``withdraw`` and ``reopen`` on N collaborations, against the minimal writes
the same move needs, done in raw SQL through the same async engine and through
the standard library's sqlite3. All three write into the same migrated file.

Run: ``python -m bench.fire_event [--quick] [--repeats N] [--profile]``.
"""
