"""What every typed value must be, in one place: forms use these through the fields in
core.forms, models list them in ``validators=`` so a service's ``full_clean()`` refuses the
same values, and templates re-check stored links with ``link_is_safe``."""

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

# --- dates ----------------------------------------------------------------------------------

# Wide enough for any deadline, meeting or history a network has; narrow enough that
# adding a few years, or moving into any time zone, never leaves what Python and the
# databases can hold (year 1 to 9999).
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
DATE_RANGE_MESSAGE = "Choose a date between 1 January 2000 and 31 December 2100."


def network_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _bounds() -> tuple[datetime, datetime]:
    zone = network_zone()
    return (
        datetime.combine(EARLIEST_DAY, time.min, tzinfo=zone),
        datetime.combine(LATEST_DAY + timedelta(days=1), time.min, tzinfo=zone),
    )


def date_in_range(value: date | datetime | None) -> None:
    """A date, or a moment whose day in the network's time zone, from 2000 to 2100.

    Aware moments are compared, never converted: converting 9999-12-31 23:00 in a zone
    west of UTC is what overflows."""
    if value is None:
        return
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = value.replace(tzinfo=network_zone())
        earliest, after_latest = _bounds()
        inside = earliest <= value < after_latest
    else:
        inside = EARLIEST_DAY <= value <= LATEST_DAY
    if not inside:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_out_of_range")


# --- single-line text -----------------------------------------------------------------------

SINGLE_LINE_MESSAGE = (
    "Keep this on one line: line breaks, tabs and other control characters are not allowed."
)


def _is_control(ch: str) -> bool:
    # Cc: C0/C1 controls (CR, LF, NUL, ESC, DEL, NEL); Zl/Zp: the Unicode line and
    # paragraph separators, which calendars and e-mail clients treat as line breaks.
    return unicodedata.category(ch) in {"Cc", "Zl", "Zp"}


def single_line(value: str | None) -> None:
    """Names, titles and subjects: one line, no control characters (a line break in a
    title breaks calendar files and e-mail subjects; NUL breaks PostgreSQL)."""
    if value and any(_is_control(ch) for ch in value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="not_single_line")


# --- links ----------------------------------------------------------------------------------

LINK_MESSAGE = (
    "Enter a valid URL: a full web address that starts with http:// or https://, or a "
    "portal address that starts with a single /."
)
_http_url = URLValidator(schemes=["http", "https"])
# Browsers turn "\" into "/" and drop tabs and line breaks from URLs: "/\evil.example" and
# "/\t/evil.example" open another site. Any of these anywhere refuses the link.
_UNSAFE_IN_LINK = re.compile(r"[\\\s\x00-\x1f\x7f]")


def link_is_safe(value: str | None) -> bool:
    """An absolute http(s) address, or a path on this site: one "/" then not "/" or "\\"."""
    if not value or _UNSAFE_IN_LINK.search(value) or any(_is_control(ch) for ch in value):
        return False
    if value.startswith("/"):
        return not value.startswith("//")
    try:
        _http_url(value)
    except ValidationError:
        return False
    # URLValidator accepts what urlsplit reads as another scheme or host in rare cases;
    # the scheme must be the one the browser will use.
    return urlsplit(value).scheme.lower() in {"http", "https"}


def link_validator(value: str | None) -> None:
    if value and not link_is_safe(value):
        raise ValidationError(LINK_MESSAGE, code="unsafe_link")


def absolute_link_validator(value: str | None) -> None:
    """For addresses that must be on the web (a partner's website, a video link)."""
    if value and (value.startswith("/") or not link_is_safe(value)):
        raise ValidationError(
            "Enter a web address that starts with http:// or https://.", code="unsafe_link"
        )
