"""Guests on a meeting's list (people without an account) and the list by organization."""

import pytest
from django.urls import reverse

from core.actor import Actor
from core.models import Event
from meetings import selectors, services
from meetings.exceptions import MeetingConflict
from meetings.models import Attendance
from tests import factories

pytestmark = pytest.mark.django_db


def guest(meeting, coordinator, **kwargs):
    values = {
        "name": "Ana Ruiz",
        "email": "Ana.Ruiz@Museum.Example.org",
        "organization": "Gilbert House Children's Museum",
        **kwargs,
    }
    return services.attendance_add_guest(meeting=meeting, actor=Actor.of(coordinator), **values)


def test_a_guest_is_listed_by_name_address_and_organization(meeting, coordinator):
    row = guest(meeting, coordinator, status="attended")
    assert row.user is None and row.is_guest
    assert (row.name, row.email) == ("Ana Ruiz", "ana.ruiz@museum.example.org")
    assert row.organization == "Gilbert House Children's Museum"
    assert Event.objects.filter(action="meeting.attendance_add_guest").count() == 1


def test_a_guest_for_a_partner_is_counted_with_the_partner(meeting, coordinator, partner):
    row = guest(meeting, coordinator, organization="ignored", partner=partner)
    assert row.partner == partner and row.guest_organization == ""
    assert row.organization == partner.name


def test_the_same_guest_twice_is_refused_in_any_spelling(meeting, coordinator):
    guest(meeting, coordinator)
    with pytest.raises(MeetingConflict, match="already on the list"):
        guest(meeting, coordinator, email="ＡＮＡ.RUIZ@museum.example.org ")
    assert meeting.attendances.count() == 1


def test_a_guest_address_that_has_an_account_is_refused(meeting, coordinator, lead):
    with pytest.raises(MeetingConflict, match="has an account"):
        guest(meeting, coordinator, email=lead.email.upper())
    assert not meeting.attendances.exists()


def test_a_person_already_listed_as_a_guest_is_refused(meeting, coordinator):
    guest(meeting, coordinator, email="late@example.org")
    person = factories.UserFactory(email="late@example.org")
    with pytest.raises(MeetingConflict, match="as a guest"):
        services.attendance_add(meeting=meeting, user=person, actor=Actor.of(coordinator))


@pytest.mark.parametrize(
    "kwargs",
    [{"name": ""}, {"name": " \n "}, {"organization": ""}, {"email": "x"}],
)
def test_a_guest_needs_a_name_an_address_and_an_organization(meeting, coordinator, kwargs):
    with pytest.raises(Exception):  # noqa: B017 - a ValidationError from full_clean
        guest(meeting, coordinator, **kwargs)
    assert not meeting.attendances.exists()


def test_the_guest_form_adds_the_guest_and_says_so(meeting, coordinator, client_for):
    client = client_for(coordinator)
    url = reverse("meetings:attendance_add_guest", args=[meeting.pk])
    data = {
        "guest_name": "  Ana   Ruiz ",
        "guest_email": "ANA@museum.example.org",
        "guest_organization": "Gilbert House",
        "guest_status": "attended",
    }
    response = client.post(url, data, follow=True)
    assert "Ana Ruiz, a guest, is on the list." in response.content.decode()
    row = Attendance.objects.get()
    assert row.guest_email == "ana@museum.example.org" and row.guest_name == "Ana Ruiz"

    again = client.post(url, data)
    assert again.status_code == 409
    assert "A guest with the address ana@museum.example.org is already on the list." in (
        again.content.decode()
    )
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"guest_organization": ""}, "Choose the partner the guest comes for, or type"),
        ({"guest_name": "   "}, "This field is required"),
        ({"guest_email": "not an address"}, "Enter a valid email address"),
        ({"guest_name": "x" * 20000}, "at most 200 characters"),
        ({"guest_status": "maybe"}, "Select a valid choice"),
    ],
)
def test_the_guest_form_refuses_bad_input_with_a_message(
    meeting, coordinator, client_for, change, message
):
    data = {
        "guest_name": "Ana Ruiz",
        "guest_email": "ana@museum.example.org",
        "guest_organization": "Gilbert House",
        "guest_status": "invited",
        **change,
    }
    response = client_for(coordinator).post(
        reverse("meetings:attendance_add_guest", args=[meeting.pk]), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attendance.objects.exists()


def test_hostile_guest_text_is_escaped(meeting, coordinator, client_for):
    guest(meeting, coordinator, name="<script>alert(1)</script>", organization="=HYPERLINK(1)")
    page = client_for(coordinator).get(meeting.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_summary_by_organization_says_which_partners_were_there(
    meeting, coordinator, partner, other_partner, lead, other_lead
):
    absent_partner = factories.PartnerFactory(name="Woodburn School District")
    absentee = factories.MembershipFactory(partner=absent_partner, role="lead").user
    uninvited = factories.PartnerFactory(name="Dallas School District")
    factories.PartnerFactory(name="Left Long Ago", status="inactive")
    actor = Actor.of(coordinator)
    services.attendance_add(meeting=meeting, user=lead, actor=actor, status="attended")
    services.attendance_add(meeting=meeting, user=other_lead, actor=actor)
    services.attendance_add(meeting=meeting, user=absentee, actor=actor, status="absent")
    guest(meeting, coordinator, status="attended")
    guest(meeting, coordinator, email="b@example.org", partner=partner, status="absent")

    summary = selectors.attendance_summary(meeting=meeting)
    assert [(o.name, o.attended, o.people) for o in summary.present] == [
        ("Gilbert House Children's Museum", 1, 1),
        (partner.name, 1, 2),
    ]
    assert [o.name for o in summary.absent] == ["Woodburn School District"]
    assert [o.name for o in summary.invited] == [other_partner.name]
    assert summary.not_invited == [uninvited.name]
    assert (summary.partners_present, summary.partners_active) == (1, 4)


def test_the_pages_show_the_summary_and_the_guests(meeting, coordinator, partner, lead, client_for):
    guest(meeting, coordinator, status="attended")
    services.attendance_add(meeting=meeting, user=lead, actor=Actor.of(coordinator))
    for user, url in (
        (lead, meeting.get_absolute_url()),
        (coordinator, reverse("meetings:attendance", args=[meeting.pk])),
    ):
        page = client_for(user).get(url).content.decode()
        assert "Ana Ruiz" in page and "Guest" in page
        assert "Not invited" in page and "Gilbert House Children&#x27;s Museum" in page
    assert "ana.ruiz@museum.example.org" in page  # the coordinator's page lists addresses


def test_the_attendance_page_runs_a_fixed_number_of_queries(
    meeting, coordinator, client_for, django_assert_num_queries
):
    client = client_for(coordinator)
    counts = []
    for n in (2, 8):
        for i in range(n):
            guest(meeting, coordinator, email=f"g{n}-{i}@example.org")
            factories.PartnerFactory()
        with django_assert_num_queries(10) as ctx:
            assert client.get(reverse("meetings:attendance", args=[meeting.pk])).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_a_guest_can_be_removed_and_marked(meeting, coordinator, client_for):
    row = guest(meeting, coordinator)
    services.attendance_set_statuses(
        meeting=meeting, statuses={row.pk: "attended"}, actor=Actor.of(coordinator)
    )
    row.refresh_from_db()
    assert row.status == "attended"
    response = client_for(coordinator).post(
        reverse("meetings:attendance_remove", args=[meeting.pk, row.pk]), follow=True
    )
    assert "Ana Ruiz is no longer on the list." in response.content.decode()
    assert not Attendance.objects.exists()


def test_notes_go_to_people_with_accounts_only(meeting, coordinator, lead):
    guest(meeting, coordinator)
    services.attendance_add(meeting=meeting, user=lead, actor=Actor.of(coordinator))
    services.meeting_notes_publish(meeting=meeting, actor=Actor.of(coordinator))
    assert services.meeting_notes_send(meeting=meeting, actor=Actor.of(coordinator)) == 1
