"""The reminder scan over 100k and 1M collaborations on a SQLite file database.

Builds a migrated SQLite file with N collaborations and their due items (two or
three each: pending occurrences spread over the next two years, notified,
acknowledged and cancelled history, and about 200 due today), inserted in bulk
with the standard library's sqlite3. Then times, on the same due rows each
repeat:

* ``ReminderService.scan()``: the due query, recipients, busy seasons, the
  rendered Japanese/English e-mails into the outbox, the items marked notified;
* the same due rows read by a raw SQL SELECT (joined like ``Reminders.due_now``)
  through the standard library's sqlite3 and through the same async engine;
* ``Reminders.due_now`` alone, through SQLAlchemy.

It prints the query plan of the due query and exits non-zero when it does not
search the partial index ``ix_due_items_pending_remind_on``. The 100k file is
extended to 1M, so both sizes face exactly the same due rows.

Run: ``python -m bench.reminder_scan [--quick] [--repeats N] [--profile] [--keep DIR]
[--postgres URL]``.
"""
