"""The shared rules for typed dates, one-line text and links (core.validators, core.forms)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from core.dbtime import SAFE_FIRST_MOMENT, SAFE_LAST_MOMENT
from core.forms import BoundedDateField, LinkField, NetworkDateTimeField, SingleLineField
from core.validators import (
    DATE_RANGE_MESSAGE,
    LINK_MESSAGE,
    SINGLE_LINE_MESSAGE,
    absolute_link_validator,
    date_in_range,
    link_is_safe,
    single_line,
)

ZONE = ZoneInfo(settings.TIME_ZONE)
UTC = ZoneInfo("UTC")


@pytest.mark.parametrize(
    "value",
    [
        date(2000, 1, 1),
        date(2100, 12, 31),
        datetime(2000, 1, 1, 0, 0, tzinfo=ZONE),
        datetime(2100, 12, 31, 23, 59, tzinfo=ZONE),
        # The last minute of 2100 in the network's zone is already 2101 in UTC.
        datetime(2101, 1, 1, 7, 0, tzinfo=UTC),
    ],
)
def test_dates_inside_the_range_pass(value):
    date_in_range(value)


@pytest.mark.parametrize(
    "value",
    [
        date(1999, 12, 31),
        date(2101, 1, 1),
        date(9999, 12, 31),
        date(1, 1, 1),
        datetime(9999, 12, 31, 23, 0, tzinfo=ZONE),
        datetime(1, 1, 1, 0, 0, tzinfo=ZONE),
        datetime(1, 1, 1, 0, 0, tzinfo=UTC),
        datetime(2101, 1, 1, 0, 0, tzinfo=ZONE),
        # 23:59 on 31 December 1999 in the network's zone is 2000 in UTC: still refused.
        datetime(2000, 1, 1, 7, 59, tzinfo=UTC),
    ],
)
def test_dates_outside_the_range_are_refused_with_the_range_named(value):
    with pytest.raises(ValidationError) as error:
        date_in_range(value)
    assert error.value.messages == [DATE_RANGE_MESSAGE]
    assert "2000" in DATE_RANGE_MESSAGE and "2100" in DATE_RANGE_MESSAGE


def test_the_datetime_field_reads_network_time_and_refuses_the_far_future():
    field = NetworkDateTimeField()
    assert field.clean("2026-10-15T23:59") == datetime(2026, 10, 15, 23, 59, tzinfo=ZONE)
    for typed in ("9999-12-31T23:00", "0001-01-01T00:00", "1999-12-31T23:59"):
        with pytest.raises(ValidationError) as error:
            field.clean(typed)
        assert error.value.messages == [DATE_RANGE_MESSAGE]
    assert 'min="2000-01-01T00:00"' in field.widget.render("x", None)
    assert 'max="2100-12-31T23:59"' in field.widget.render("x", None)


def test_the_datetime_widget_shows_a_saturated_stored_moment():
    rendered = NetworkDateTimeField().widget.render("x", SAFE_FIRST_MOMENT)
    assert "0001-01-01" in rendered
    assert "9999-12-29" in NetworkDateTimeField().widget.render("x", SAFE_LAST_MOMENT)


def test_the_date_field_refuses_the_far_future_and_year_zero():
    field = BoundedDateField()
    assert field.clean("2030-06-01") == date(2030, 6, 1)
    with pytest.raises(ValidationError) as error:
        field.clean("9999-12-31")
    assert error.value.messages == [DATE_RANGE_MESSAGE]
    with pytest.raises(ValidationError) as error:
        field.clean("0000-00-00")
    assert DATE_RANGE_MESSAGE in error.value.messages[0]


@pytest.mark.parametrize(
    "value",
    ["Kick-off\nmeeting", "a\rb", "nul\x00", "tab\there", "esc\x1b[31m", "nel\x85x", "ls\u2028x"],
)
def test_single_line_text_refuses_breaks_and_control_characters(value):
    with pytest.raises(ValidationError) as error:
        single_line(value)
    assert error.value.messages == [SINGLE_LINE_MESSAGE]
    with pytest.raises(ValidationError):
        SingleLineField().clean(value)


def test_single_line_text_keeps_ordinary_text():
    text = "Steering group — “Año 2026” 👩🏽‍🔬 <b>"
    single_line(text)
    assert SingleLineField().clean(f"  {text} ") == text


@pytest.mark.parametrize(
    "value",
    [
        "/\\evil.example/",
        "/\\/evil.example/",
        "//evil.example/",
        "\\\\evil.example",
        "/\t/evil.example/",
        "/\n/evil.example/",
        " //evil.example",
        "/mou/\x00",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https:\\\\evil.example",
        "https://evil.example\\@portal.example/",
        "mou/3/",
        "ftp://example.org/",
        "http:/evil.example",
    ],
)
def test_unsafe_links_are_refused(value):
    assert not link_is_safe(value)
    with pytest.raises(ValidationError) as error:
        LinkField().clean(value)
    assert LINK_MESSAGE in error.value.messages


@pytest.mark.parametrize(
    "value", ["/mou/3/", "/meetings/items/4/?x=1#top", "https://example.org/a?b=c", "http://x.org"]
)
def test_safe_links_pass(value):
    assert link_is_safe(value)
    assert LinkField().clean(value) == value


def test_absolute_links_refuse_paths():
    absolute_link_validator("https://meet.example.org/room")
    with pytest.raises(ValidationError):
        absolute_link_validator("/meetings/")
