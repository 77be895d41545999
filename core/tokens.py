"""Secret tokens that are stored only as their hash (a signing link's, a calendar feed's):
the database never holds what would let someone in."""

import hashlib


def token_hash(token: str) -> str:
    """The SHA-256, in hex, under which a secret token is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()
