"""Repositories: one per aggregate, each working on a connection in a transaction."""
