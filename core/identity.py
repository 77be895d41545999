"""The one spelling of an e-mail address that sign-in, limits and uniqueness compare."""

import unicodedata


def email_identity(email: str) -> str:
    """NFKC, then lower case: "ＣＯＯＲＤ@Example.org" and "coord@example.org" are one person.

    Django's sign-in form applies NFKC to what is typed before it looks the user up; the
    user lookup, every rate limit keyed on an address and the duplicate check all use this
    function, so no spelling of an address reaches an account that another spelling's
    limit does not count.
    """
    return unicodedata.normalize("NFKC", email or "").strip().lower()
