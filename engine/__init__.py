"""Mimamori's workflow and CRM engine.

The pure core (``workflow``, ``domain``, ``calendar``, ``clock``, ``events``,
``errors``, ``i18n``, ``config``, ``mail``) imports no framework or database;
``services`` holds the use-cases and ``store`` the persistence beneath them.
"""
