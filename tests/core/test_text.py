"""Words the portal writes: lifetimes and counts read as a person says them."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (7 * 86400, "7 days"),
        (86400, "1 day"),
        (36 * 3600, "36 hours"),
        (3600, "1 hour"),
        (60, "1 hour"),
    ],
)
def test_a_lifetime_reads_as_a_person_says_it(seconds, words):
    from core.text import duration_words

    assert duration_words(seconds) == words


def test_people_are_counted_with_the_right_word():
    from core.text import people_count

    assert [people_count(n) for n in (0, 1, 2)] == ["0 people", "1 person", "2 people"]


def test_the_sign_in_e_mail_says_how_long_the_link_works_in_days(
    client, lead, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SIGNIN_LINK_MAX_AGE = 7 * 24 * 3600
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:link_request"), {"email": lead.email})
    (mail,) = mailoutbox
    for part in (mail.body, mail.alternatives[0][0]):
        assert "works for 7 days." in part and "168" not in part


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Partners", "Partners'"),
        ("Schools", "Schools'"),
        ("ST. JAMES", "ST. JAMES'"),
        ("Lincoln High", "Lincoln High's"),
        ("", ""),
    ],
)
def test_a_name_is_made_possessive_as_english_writes_it(name, expected):
    from core.text import possessive

    assert possessive(name) == expected


def test_the_possessive_filter_escapes_and_takes_the_pages_apostrophe():
    from django.template import Context, Template

    template = Template('{% load portal %}{{ a|possessive }} · {{ b|possessive:"’" }}')
    out = template.render(Context({"a": "<b>Partners</b>", "b": "Lincoln High"}))
    assert out == "&lt;b&gt;Partners&lt;/b&gt;&#x27;s · Lincoln High’s"


def test_a_moment_in_a_subject_shows_the_zones_abbreviation_only(settings):
    from datetime import UTC, datetime

    from core.text import moment_short

    settings.TIME_ZONE = "America/Los_Angeles"
    assert moment_short(datetime(2026, 10, 16, 0, 0, tzinfo=UTC)) == "Oct 15, 5:00 PM PDT"
    assert moment_short(datetime(2026, 12, 16, 1, 0, tzinfo=UTC)) == "Dec 15, 5:00 PM PST"
