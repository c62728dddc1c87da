"""The pipeline board over 5,000 cards on SQLite, through the whole app.

Times ``GET /board`` as server time, inside the ASGI call (session lookup,
role guard, the card query with due rules and busy seasons, the counts, the
filter choices, badges, the Jinja render with gettext and the move controls),
against a baseline measured in the same run, alternating with it: the same
cards fetched through the standard library's sqlite3 with the same SQL plan
(each stage's first 25 cards as one index range, joined by UNION ALL) and
rendered with a plain Jinja template of the same markup.

The app keeps each rendered card (web/cards.py). "Repeat view" is the board
viewed again, as it is all day; "no card in the card cache" empties that cache
before each request, as on the first view after a start. Also times one
column's next page and one card as htmx fragments, and ``/account`` as the
app's floor per request.

Run: ``python -m bench.board_page [--quick] [--repeats N]``.
"""
