"""Fixed-window rate limits kept in the cache (shared by every worker in production)."""

import hashlib

from django.core.cache import cache


def _key(scope: str, ident: str, window: int) -> str:
    digest = hashlib.sha256(ident.lower().encode()).hexdigest()[:32]
    return f"rl:{scope}:{window}:{digest}"


def ratelimit_hit(*, scope: str, ident: str, limit: int, window: int = 3600) -> bool:
    """Count one attempt; True while the count is within the limit."""
    if not ident:
        return True
    key = _key(scope, ident, window)
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit
