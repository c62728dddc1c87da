"""Mimamori's workflow and CRM engine: the pure core."""
