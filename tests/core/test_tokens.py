"""core.tokens: secret tokens are stored as their SHA-256."""

import hashlib
import secrets

from core.tokens import token_hash


def test_a_token_is_stored_as_its_sha256_in_hex():
    token = secrets.token_urlsafe(32)
    assert token_hash(token) == hashlib.sha256(token.encode()).hexdigest()
    assert token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert token_hash(token) != token_hash(token + "x")
