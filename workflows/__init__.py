"""Declarative lifecycles built on the engine's workflow spec."""
