"""Persistence: the only package that imports SQLAlchemy.

Tables, row mapping, repositories, the unit of work and the use-case services
that web/ and tasks/ call.
"""
