"""Outbox delivery throughput to a loopback SMTP server, in messages per second.

Queues M messages with Japanese subject and body in a migrated SQLite file
(through ``Outbox.add``, as the scan does) and times
``DeliveryService(ctx, SmtpTransport(...)).deliver(limit=M)`` until all are
sent, against sending the same prebuilt messages with ``aiosmtplib.send``
directly, one connection per message as our transport does, without the
database. The server is aiosmtpd in a child process on 127.0.0.1 that accepts
everything and counts; each repeat must arrive exactly M times.

Run: ``python -m bench.outbox_delivery [--quick] [--repeats N] [--profile]``.
"""
