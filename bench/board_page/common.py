"""What the parts of the board_page benchmark share."""

from __future__ import annotations

from workflows.collaboration import Stage

TARGET_RATIO = 1.6
PASSWORD = "Kusunoki-2026!"
EMAIL = "bench@midori.example.jp"
HTMX = {"HX-Request": "true"}
STATES = [s.value for s in Stage]
INDUSTRIES = ["bank", "coop", "post", "delivery", "pharmacy", "transport", "newspaper"]
AREAS = ["中央地区", "北地区", "南地区", "東地区", "西地区"]

# The same SQL plan as the app: each stage's first 25 cards are one short range of
# the (network, stage, entered) index, joined by UNION ALL, then the card columns.
FIRST_CARDS = " UNION ALL ".join(
    "SELECT id FROM (SELECT id FROM collaborations WHERE network_id IN (1) "
    f"AND state = '{state}' ORDER BY state_entered_at, id LIMIT 25)"
    for state in STATES
)
RAW_SQL = f"""
SELECT c.id, c.version, c.state, n.name AS network_name, p.name AS partner_name,
       p.industry, p.area, u.name AS owner_name, c.state_entered_at, c.last_activity_on,
       (SELECT min(d.due_on) FROM due_items d
         WHERE d.collaboration_id = c.id AND d.status = 'pending') AS next_due_on,
       (SELECT count(*) FROM outbox o
         WHERE o.collaboration_id = c.id AND o.status = 'failed') AS failed_mails
FROM ({FIRST_CARDS}) AS r
JOIN collaborations c ON c.id = r.id
JOIN networks n ON n.id = c.network_id
JOIN partners p ON p.id = c.partner_id
LEFT JOIN users u ON u.id = c.owner_id
ORDER BY c.state, c.state_entered_at, c.id
"""

# The same page as the app renders (columns, cards with their move form), with the words
# written in: what a hand-made page would cost without framework, i18n or badges.
COUNT_SQL = "SELECT state, count(*) FROM collaborations WHERE network_id IN (1) GROUP BY state"

PLAIN_TEMPLATE = """<!doctype html><html lang="ja"><head><title>ボード</title></head><body>
<main><div id="board"><div class="board">
{% for state in states %}<section class="column"><h2><span>{{ state }}</span>
<span class="count">{{ counts[state] }}</span></h2><div class="cards" data-stage="{{ state }}">
{% for c in cards if c.state == state %}
<article class="card" id="card-{{ c.id }}" data-id="{{ c.id }}" data-version="{{ c.version }}"
 data-state="{{ c.state }}" data-moves="approached withdrawn">
<div class="card-head"><span class="handle" title="ドラッグして移動">⠿</span>
<h3 class="name"><a href="/collaborations/{{ c.id }}">{{ c.partner_name }}</a></h3></div>
<p class="meta">{{ c.industry }} · {{ c.area }}</p>
<p class="meta">{{ c.network_name }} · {{ c.owner_name or "担当職員なし" }}</p>
<p class="meta">{{ c.state_entered_at }}{% if c.next_due_on %} · {{ c.next_due_on }}{% endif %}</p>
{% if c.failed_mails %}<p class="meta alert">{{ c.failed_mails }}</p>{% endif %}
<details class="move-to"><summary>移動先…</summary>
<form method="post" action="/collaborations/{{ c.id }}/move"
 hx-post="/collaborations/{{ c.id }}/move" hx-target="#card-{{ c.id }}" hx-swap="outerHTML"
 hx-include="#board-filters"><input type="hidden" name="_csrf" value="{{ csrf }}">
<input type="hidden" name="version" value="{{ c.version }}">
<label for="move-{{ c.id }}">段階</label><select id="move-{{ c.id }}" name="event">
<option value="approach" data-dest="approached">打診中 (打診を開始)</option>
<option value="withdraw" data-dest="withdrawn">取り下げ (取り下げる)</option></select>
<label for="comment-{{ c.id }}">コメント</label>
<input id="comment-{{ c.id }}" name="comment" maxlength="2000">
<button type="submit">移動</button></form></details></article>
{% endfor %}</div></section>{% endfor %}</div></div></main></body></html>"""
