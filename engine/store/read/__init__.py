"""Read models: the rows each screen or API resource shows, selected column by column.

One module per screen: ``pipeline`` (the board, with its SQL in ``pipeline_sql``),
``collaboration_page``, ``partner_pages``, ``portal``, ``audit_log``,
``admin_partners``, ``api_resources`` (the JSON API's collaborations,
partners and activities) and ``exports`` (the CSV downloads, streamed).
Every query limits itself to the viewer's scope.
They read; the use-cases in ``engine.services`` write.
"""
