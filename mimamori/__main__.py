"""Allow ``python -m mimamori``."""

from mimamori.cli import main

main()
