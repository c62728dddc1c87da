"""Uploaded documents: where the bytes are kept, what they are, and what they may be called."""
