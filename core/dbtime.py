"""Stored dates and moments that Python cannot work with are read as the nearest it can.

Forms and models keep what people type between 2000 and 2100 (core.validators), but a row
written before that rule, by hand or by another program can hold 9999-12-31 23:00 in a zone
west of UTC, which PostgreSQL keeps as year 10000, or year 1 at midnight UTC, which no zone
west of UTC can show. Read as they are, the first breaks every query that loads the row
("year 10000 is out of range") and the second breaks every page that shows it in the
network's zone. So the database drivers hand such values over saturated: a moment at most
SAFE_LAST_MOMENT (a day inside Python's last day, so converting it into any time zone
works), at least SAFE_FIRST_MOMENT; a date at most date.max, at least date.min. Code that
adds days to a stored value still saturates or skips on its own (see core.validators).
"""

import sqlite3
from datetime import UTC, date, datetime

SAFE_FIRST_MOMENT = datetime(1, 1, 2, tzinfo=UTC)
SAFE_LAST_MOMENT = datetime(9999, 12, 30, tzinfo=UTC)


def _far(text: str) -> bool:
    """Whether a value the parser refused is a date outside years 1 to 9999."""
    text = text.strip().lower()
    year = text.lstrip("-").split("-", 1)[0]
    return text.endswith(" bc") or text.startswith("-") or (year.isdigit() and len(year) > 4)


def _beyond_the_end(text: str) -> bool:
    """For a value the parser refused: whether it lies after year 9999 (not before year 1)."""
    text = text.strip().lower()
    if text.endswith(" bc") or text.startswith("-"):
        return False
    year = text.split("-", 1)[0]
    return year.isdigit() and len(year) > 4


def moment_saturated(value: datetime) -> datetime:
    if value.tzinfo is None:
        first, last = SAFE_FIRST_MOMENT.replace(tzinfo=None), SAFE_LAST_MOMENT.replace(tzinfo=None)
    else:
        first, last = SAFE_FIRST_MOMENT, SAFE_LAST_MOMENT
    return min(max(value, first), last)


# --- PostgreSQL (psycopg2) ---------------------------------------------------------------


def _psycopg2_install() -> None:
    try:
        from psycopg2 import extensions
    except ImportError:  # pragma: no cover - the portal pins psycopg2
        return
    base_moment, base_date = extensions.PYDATETIMETZ, extensions.PYDATE

    def moment(value, cursor):
        if value is None:
            return None
        try:
            return moment_saturated(base_moment(value, cursor))
        except ValueError:
            return SAFE_LAST_MOMENT if _beyond_the_end(value) else SAFE_FIRST_MOMENT

    def day(value, cursor):
        if value is None:
            return None
        try:
            return base_date(value, cursor)
        except ValueError:
            return date.max if _beyond_the_end(value) else date.min

    extensions.register_type(extensions.new_type(base_moment.values, "PORTAL_TIMESTAMPTZ", moment))
    extensions.register_type(extensions.new_type(base_date.values, "PORTAL_DATE", day))


# --- SQLite ------------------------------------------------------------------------------


def _sqlite_install() -> None:
    # Django registers its converters when its SQLite backend is imported; ours replace
    # them, so that backend is imported first.
    import django.db.backends.sqlite3.base  # noqa: F401
    from django.utils.dateparse import parse_date, parse_datetime

    def moment(raw: bytes):
        text = raw.decode()
        try:
            value = parse_datetime(text)
        except ValueError:
            value = None
        if value is None:
            if not _far(text):
                return None
            far = SAFE_LAST_MOMENT if _beyond_the_end(text) else SAFE_FIRST_MOMENT
            return far.replace(tzinfo=None)
        return moment_saturated(value)

    def day(raw: bytes):
        text = raw.decode()
        try:
            value = parse_date(text)
        except ValueError:
            value = None
        if value is None and _far(text):
            return date.max if _beyond_the_end(text) else date.min
        return value

    sqlite3.register_converter("datetime", moment)
    sqlite3.register_converter("timestamp", moment)
    sqlite3.register_converter("date", day)


def install() -> None:
    _psycopg2_install()
    _sqlite_install()
