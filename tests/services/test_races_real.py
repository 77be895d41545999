"""Races between real sessions on PostgreSQL: creates that meet a unique constraint at the
same moment, and edits that must not undo a change saved while they ran.

Every request runs in its own thread, on its own connection, with ATOMIC_REQUESTS as in
production; ``race`` holds them all just before their insert so each has passed its own
checks first (the case a sequential check cannot see).
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.actor import Actor
from meetings import services as meeting_services
from meetings.models import ActionItem, Attendance, Meeting
from mou.models import MouVersion
from needs_matrix import services as matrix_services
from needs_matrix.models import Category, CategoryGroup, MatrixEntry
from partnership import services as partnership_services
from partnership.models import Membership, Partner, Workgroup
from tests import factories
from tests.concurrency import meanwhile, postgres, race, signed_in  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]

TZ = ZoneInfo("America/Los_Angeles")


def statuses(responses) -> list:
    return sorted(getattr(r, "status_code", repr(r)) for r in responses)


def form_errors(response) -> str:
    """The form's error texts as the page shows them: on fields and above the form."""
    body = response.content.decode()
    found = []
    for block in re.findall(
        r'class="(?:invalid-feedback|alert[^"]*)"[^>]*>(.*?)</div>', body, re.S
    ):
        found += re.findall(r"<(?:strong|li)>(.*?)</(?:strong|li)>", block)
    return " | ".join(found)


def both_post(user, url: str, data: dict, *, hold: type) -> list:
    clients = [signed_in(user), signed_in(user)]
    return race([lambda c=c: c.post(url, data) for c in clients], hold=hold)


def sequential_duplicate_error(user, url: str, data: dict, model: type) -> str:
    """The message a second, later submission of the same data gets (for comparison)."""
    response = signed_in(user).post(url, data)
    assert response.status_code == 400
    return form_errors(response)


# --- creates --------------------------------------------------------------------------


def test_six_mou_versions_created_at_once_all_succeed_with_their_own_numbers(coordinator):
    clients = [signed_in(coordinator) for _ in range(6)]
    deadline = (datetime.now(TZ) + timedelta(days=60)).strftime("%Y-%m-%dT%H:%M")
    responses = race(
        [
            lambda c=c, i=i: c.post(
                "/mou/new/", {"title": f"MOU {i}", "shared_text": "Text", "deadline": deadline}
            )
            for i, c in enumerate(clients)
        ],
        hold=MouVersion,
    )
    assert statuses(responses) == [302] * 6
    numbers = sorted(MouVersion.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]
    # Each version got its templates: nothing half-saved by a lost attempt.
    for version in MouVersion.objects.all():
        assert version.templates.count() == MouVersion.objects.first().templates.count() > 0


@pytest.mark.parametrize(
    ("url", "data", "model"),
    [
        ("/workgroups/new/", {"name": "Policy", "description": ""}, Workgroup),
        (
            "/partners/new/",
            {"name": "Marion ESD", "kind": "government", "status": "active"},
            Partner,
        ),
        (
            "/people/new/",
            {"full_name": "Ana Ruiz", "email": "ana@example.org", "role": "viewer"},
            None,
        ),
        ("/matrix/groups/new/", {"name": "Facilities"}, CategoryGroup),
    ],
    ids=["workgroup", "partner", "person", "category-group"],
)
def test_two_creates_of_one_name_at_once_one_wins_the_other_gets_the_duplicate_error(
    coordinator, url, data, model
):
    from core.models import User

    model = model or User
    before = model.objects.count()
    responses = both_post(coordinator, url, data, hold=model)
    assert statuses(responses) == [302, 400]
    assert model.objects.count() == before + 1
    loser = next(r for r in responses if r.status_code == 400)
    assert form_errors(loser)
    assert form_errors(loser) == sequential_duplicate_error(coordinator, url, data, model)


def test_two_categories_of_one_name_at_once(coordinator):
    group = CategoryGroup.objects.create(name="Race group")
    data = {"group": group.pk, "name": "Robotics kits", "description": ""}
    responses = both_post(coordinator, "/matrix/categories/new/", data, hold=Category)
    assert statuses(responses) == [302, 400]
    assert Category.objects.filter(name="Robotics kits").count() == 1
    loser = next(r for r in responses if r.status_code == 400)
    assert "A category with this name already exists." in form_errors(loser)
    assert form_errors(loser) == sequential_duplicate_error(
        coordinator, "/matrix/categories/new/", data, Category
    )


def test_two_renames_to_one_name_at_once(coordinator):
    first, second = factories.WorkgroupFactory(), factories.WorkgroupFactory()
    a, b = signed_in(coordinator), signed_in(coordinator)
    data = {"name": "Assessment", "description": ""}
    responses = race(
        [
            lambda: a.post(f"/workgroups/{first.pk}/edit/", data),
            lambda: b.post(f"/workgroups/{second.pk}/edit/", data),
        ],
        hold=Workgroup,
    )
    assert statuses(responses) == [302, 400]
    assert Workgroup.objects.filter(name="Assessment").count() == 1
    assert "already exists" in form_errors(next(r for r in responses if r.status_code == 400))


def test_one_person_added_to_a_partner_twice_at_once_gets_one_role(coordinator, partner):
    person = factories.UserFactory(email="kim@example.org")
    data = {"email": person.email, "role": "editor", "send_invitation": ""}
    url = f"/partners/{partner.pk}/people/add/"
    responses = both_post(coordinator, url, data, hold=Membership)
    assert statuses(responses) == [302, 302]
    assert Membership.objects.get(user=person, partner=partner).role == "editor"


def test_one_person_put_on_a_meeting_list_twice_at_once(coordinator, lead):
    start = datetime(2026, 9, 10, 15, 0, tzinfo=TZ)
    meeting = meeting_services.meeting_create(
        actor=Actor.of(coordinator),
        title="M",
        kind="network",
        starts_at=start,
        ends_at=start + timedelta(1),
    )
    data = {"email": lead.email, "status": "invited"}
    url = f"/meetings/{meeting.pk}/attendance/add/"
    responses = both_post(coordinator, url, data, hold=Attendance)
    assert statuses(responses) == [302, 409]
    assert meeting.attendances.count() == 1
    assert (
        "is already on the list"
        in next(r for r in responses if r.status_code == 409).content.decode()
    )


def test_a_first_stance_set_from_two_sessions_at_once_makes_one_entry(coordinator, partner, lead):
    category = Category.objects.current().first()
    a, b = signed_in(lead), signed_in(coordinator)
    field = f"stance_{category.pk}"
    responses = race(
        [
            lambda: a.post(f"/matrix/partners/{partner.pk}/", {field: "contribute"}),
            lambda: b.post(
                f"/matrix/partners/{partner.pk}/",
                {field: "need", f"priority_{category.pk}": "high"},
            ),
        ],
        hold=MatrixEntry,
    )
    assert statuses(responses) == [302, 302]
    assert MatrixEntry.objects.filter(partner=partner, category=category).count() == 1


def test_entry_set_twice_at_once_through_the_service(coordinator, partner):
    category = Category.objects.current().first()
    calls = [
        lambda stance=stance: matrix_services.entry_set(
            partner=partner,
            category=category,
            stance=stance,
            priority="low",
            actor=Actor.of(coordinator),
        )
        for stance in ("need", "both")
    ]
    results = race(calls, hold=MatrixEntry)
    assert not [r for r in results if isinstance(r, Exception)]
    assert MatrixEntry.objects.filter(partner=partner, category=category).count() == 1


# --- edits that must not undo another person's change ---------------------------------


def test_coordinator_edits_an_item_while_the_partner_ticks_it_both_changes_survive(
    coordinator, partner, lead
):
    item = meeting_services.action_item_create(
        actor=Actor.of(coordinator), description="Send the roster", owner_kind="partner",
        owner_partner=partner,
    )  # fmt: skip
    coordinator_client, lead_client = signed_in(coordinator), signed_in(lead)
    tick = lambda: lead_client.post(f"/meetings/items/{item.pk}/done/")  # noqa: E731
    with meanwhile(meeting_services, "action_item_update", tick) as partner_tick:
        response = coordinator_client.post(
            f"/meetings/items/{item.pk}/edit/",
            {
                "description": "Send the roster and the calendar",
                "owner_kind": "partner",
                "owner_partner": partner.pk,
                "status": "open",
                "subject_label": "",
                "subject_url": "",
            },
        )
    assert partner_tick["result"].status_code == 302
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.description == "Send the roster and the calendar"
    assert item.status == ActionItem.Status.DONE
    assert item.completed_by == lead and item.completed_at is not None


def test_editing_a_partner_while_another_coordinator_deactivates_it(coordinator, partner):
    other = factories.UserFactory(is_coordinator=True)
    editing, deactivating = signed_in(coordinator), signed_in(other)
    deactivate = lambda: deactivating.post(  # noqa: E731
        f"/partners/{partner.pk}/status/", {"action": "deactivate"}
    )
    with meanwhile(partnership_services, "partner_update", deactivate) as done:
        response = editing.post(
            f"/partners/{partner.pk}/edit/",
            {"name": partner.name, "kind": partner.kind, "region": "Marion County"},
        )
    assert done["result"].status_code == 302 and response.status_code == 302
    partner.refresh_from_db()
    assert partner.region == "Marion County"
    assert partner.status == Partner.Status.INACTIVE


def test_editing_a_person_while_another_coordinator_deactivates_them(coordinator, lead):
    other = factories.UserFactory(is_coordinator=True)
    editing, deactivating = signed_in(coordinator), signed_in(other)
    deactivate = lambda: deactivating.post(f"/people/{lead.pk}/deactivate/")  # noqa: E731
    with meanwhile(partnership_services, "person_update", deactivate) as done:
        response = editing.post(
            f"/people/{lead.pk}/",
            {"full_name": "New Name", "email": lead.email, "title": lead.title, "phone": ""},
        )
    assert done["result"].status_code == 302 and response.status_code == 302
    lead.refresh_from_db()
    assert lead.full_name == "New Name"
    assert not lead.is_active  # the deactivation is not undone by the edit


def test_editing_a_meeting_while_its_notes_are_published(coordinator):
    start = datetime(2026, 9, 10, 15, 0, tzinfo=TZ)
    meeting = meeting_services.meeting_create(
        actor=Actor.of(coordinator), title="Kick-off", kind="network", starts_at=start,
        ends_at=start + timedelta(hours=2), notes="We met.",
    )  # fmt: skip
    other = factories.UserFactory(is_coordinator=True)
    editing, publishing = signed_in(coordinator), signed_in(other)
    publish = lambda: publishing.post(f"/meetings/{meeting.pk}/publish/")  # noqa: E731
    with meanwhile(meeting_services, "meeting_update", publish) as done:
        response = editing.post(
            f"/meetings/{meeting.pk}/edit/",
            {
                "title": "Kick-off meeting",
                "kind": "network",
                "starts_at": "2026-09-10T15:00",
                "ends_at": "2026-09-10T17:00",
                "notes": "We met.",
            },
        )
    assert done["result"].status_code == 302 and response.status_code == 302
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.title == "Kick-off meeting"
    assert meeting.notes_published_at is not None


def test_editing_a_category_while_another_coordinator_retires_it(coordinator):
    category = Category.objects.current().first()
    other = factories.UserFactory(is_coordinator=True)
    editing, retiring = signed_in(coordinator), signed_in(other)
    retire = lambda: retiring.post(f"/matrix/categories/{category.pk}/retire/")  # noqa: E731
    with meanwhile(matrix_services, "category_update", retire) as done:
        response = editing.post(
            f"/matrix/categories/{category.pk}/edit/",
            {"group": category.group_id, "name": category.name, "description": "Renamed note"},
        )
    assert done["result"].status_code == 302 and response.status_code == 302
    category.refresh_from_db()
    assert category.description == "Renamed note"
    assert category.retired_at is not None


# --- one form sent twice at once (a double click) -------------------------------------


def _token(client, url: str) -> str:
    page = client.get(url)
    return re.search(r'name="form_token" value="([0-9a-f]{32})"', page.content.decode())[1]


def test_a_double_clicked_record_meeting_makes_one_meeting_and_both_redirect_to_it(coordinator):
    from core.models import FormSubmission

    first, second = signed_in(coordinator), signed_in(coordinator)
    data = {
        "title": "Kick-off",
        "kind": "network",
        "starts_at": "2026-09-10T15:00",
        "ends_at": "2026-09-10T17:00",
        "form_token": _token(first, "/meetings/new/"),
    }
    responses = race(
        [lambda: first.post("/meetings/new/", data), lambda: second.post("/meetings/new/", data)],
        hold=FormSubmission,
    )
    assert statuses(responses) == [302, 302]
    meeting = Meeting.objects.get()
    assert {r["Location"] for r in responses} == {meeting.get_absolute_url()}


def test_a_double_clicked_invitation_sends_one_e_mail(coordinator, lead):
    from core.models import FormSubmission, OutboxMessage

    first, second = signed_in(coordinator), signed_in(coordinator)
    data = {"form_token": _token(first, f"/people/{lead.pk}/")}
    url = f"/people/{lead.pk}/invite/"
    responses = race(
        [lambda: first.post(url, data), lambda: second.post(url, data)], hold=FormSubmission
    )
    assert statuses(responses) == [302, 302]
    assert OutboxMessage.objects.filter(kind="invitation", to_user=lead).count() == 1


def test_a_double_clicked_action_item_makes_one_item(coordinator, partner):
    from core.models import FormSubmission

    first, second = signed_in(coordinator), signed_in(coordinator)
    data = {
        "description": "Send the roster",
        "owner_kind": "partner",
        "owner_partner": partner.pk,
        "subject_label": "",
        "subject_url": "",
        "form_token": _token(first, "/meetings/items/new/"),
    }
    url = "/meetings/items/new/"
    responses = race(
        [lambda: first.post(url, data), lambda: second.post(url, data)], hold=FormSubmission
    )
    assert statuses(responses) == [302, 302]
    item = ActionItem.objects.get()
    assert {r["Location"] for r in responses} == {item.get_absolute_url()}
