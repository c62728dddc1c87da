"""Reading files people bring from other software: pure parsing, no database."""
