"""Partner, people and workgroup pages through the test client: flows and bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.actor import Actor
from core.models import Event, OutboxMessage, User
from core.services.signin import signin_token_make
from partnership import services
from partnership.models import Membership, Partner, Workgroup
from partnership.services import partners as partners_services
from tests import factories


@pytest.fixture
def coord(client_for, coordinator):
    return client_for(coordinator)


def page_text(response) -> str:
    return response.content.decode()


# --- partners -------------------------------------------------------------------------


def test_coordinator_adds_a_partner(coord):
    response = coord.post(
        reverse("partnership:partner_create"),
        {
            "name": "Western Oregon University",
            "kind": "college",
            "status": "prospective",
            "region": "Monmouth",
            "website": "wou.edu",
            "description": "Teacher *education*",
        },
    )
    partner = Partner.objects.get(name="Western Oregon University")
    assert response.status_code == 302
    assert response["Location"] == reverse("partnership:partner_detail", args=[partner.pk])
    assert partner.status == "prospective"
    assert partner.website == "https://wou.edu"
    page = page_text(coord.get(response["Location"]))
    assert "<em>education</em>" in page
    assert "Prospective" in page


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"name": "", "kind": "college", "status": "active"}, "This field is required."),
        (
            {"name": "x" * 201, "kind": "college", "status": "active"},
            "Ensure this value has at most 200 characters",
        ),
        ({"name": "OK", "kind": "spaceship", "status": "active"}, "Select a valid choice"),
        (
            {"name": "OK", "kind": "college", "status": "active", "website": "not a site"},
            "Enter a valid URL.",
        ),
        (
            {"name": "OK", "kind": "college", "status": "active", "description": "d" * 5001},
            "Ensure this value has at most 5000 characters",
        ),
        ({"name": "OK", "kind": "college", "status": "inactive"}, "Select a valid choice"),
        (
            {"name": "salem-KEIZER school district", "kind": "college", "status": "active"},
            "A partner named “Salem-Keizer School District” already exists.",
        ),
    ],
    ids=[
        "empty name",
        "long name",
        "bad kind",
        "bad website",
        "long description",
        "new partners cannot start inactive",
        "duplicate name in another case",
    ],
)
def test_partner_create_bad_input(coord, partner, data, field_message):
    response = coord.post(reverse("partnership:partner_create"), data)
    assert response.status_code == 400
    assert field_message in page_text(response)
    assert Partner.objects.count() == 1
    assert not Event.objects.exists()


def test_partner_create_race_lost_at_the_database_is_a_form_error(coord, partner, monkeypatch):
    monkeypatch.setattr(partners_services, "_partner_name_check", lambda **kwargs: None)
    monkeypatch.setattr(Partner, "validate_constraints", lambda self, **kwargs: None)
    response = coord.post(
        reverse("partnership:partner_create"),
        {"name": "SALEM-KEIZER SCHOOL DISTRICT", "kind": "school_district", "status": "active"},
    )
    assert response.status_code == 400
    assert "already exists" in page_text(response)
    assert Partner.objects.count() == 1


def test_partner_edit(coord, partner, other_partner):
    url = reverse("partnership:partner_edit", args=[partner.pk])
    assert partner.name in page_text(coord.get(url))
    response = coord.post(url, {"name": "CHEMEKETA community college", "kind": "college"})
    assert response.status_code == 400
    assert "A partner named “Chemeketa Community College” already exists." in page_text(response)
    assert "Edit Salem-Keizer School District" in page_text(response)
    response = coord.post(
        url, {"name": "Salem-Keizer Public Schools", "kind": "school_district", "region": "Salem"}
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.name, partner.region) == ("Salem-Keizer Public Schools", "Salem")


def test_partner_status_deactivate_and_reactivate(coord, partner):
    url = reverse("partnership:partner_status", args=[partner.pk])
    coord.post(url, {"action": "deactivate"})
    partner.refresh_from_db()
    assert partner.status == "inactive"
    page = page_text(coord.get(reverse("partnership:partner_detail", args=[partner.pk])))
    assert "This partner is inactive." in page
    assert "Reactivate partner" in page
    coord.post(url, {"action": "activate"})
    partner.refresh_from_db()
    assert partner.status == "active"
    response = coord.post(url, {"action": "explode"})
    assert response.status_code == 400
    assert "Choose whether to deactivate or activate" in page_text(response)


def test_deactivated_partners_lead_opening_their_link_gets_a_clear_403(
    client, partner, lead, coordinator
):
    services.partner_deactivate(partner=partner, actor=Actor.of(coordinator))
    token = signin_token_make(
        user=lead, next_path=reverse("partnership:partner_detail", args=[partner.pk])
    )
    response = client.get(reverse("accounts:link", kwargs={"token": token}))
    assert response.status_code == 403
    assert "access is paused" in page_text(response)
    assert "_auth_user_id" not in client.session
    # And a session opened before the deactivation no longer reaches the partner page.
    response = client.get(reverse("partnership:partner_detail", args=[partner.pk]))
    assert response.status_code == 302


def test_signed_in_lead_loses_the_partner_page_when_it_is_deactivated(
    client_for, partner, lead, coordinator
):
    lead_client = client_for(lead)
    url = reverse("partnership:partner_detail", args=[partner.pk])
    assert lead_client.get(url).status_code == 200
    services.partner_deactivate(partner=partner, actor=Actor.of(coordinator))
    assert lead_client.get(url).status_code == 403


# --- adding people to a partner -------------------------------------------------------


def test_add_a_new_lead_with_an_invitation(
    coord, partner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coord.post(
            reverse("partnership:partner_person_add", args=[partner.pk]),
            {
                "email": "Maria.Alvarez@Example.org",
                "full_name": "Maria Alvarez",
                "title": "Director",
                "role": "lead",
                "send_invitation": "on",
            },
        )
    assert response.status_code == 302
    person = User.objects.get(email="maria.alvarez@example.org")
    assert Membership.objects.get(user=person, partner=partner).role == "lead"
    assert [m.to for m in mailoutbox] == [["maria.alvarez@example.org"]]
    assert OutboxMessage.objects.get().kind == "invitation"
    page = page_text(coord.get(response["Location"]))
    assert "An invitation is on its way to maria.alvarez@example.org" in page
    assert "Maria Alvarez" in page


def test_add_an_existing_person_by_email_in_another_case(coord, partner, other_lead):
    response = coord.post(
        reverse("partnership:partner_person_add", args=[partner.pk]),
        {
            "email": other_lead.email.upper(),
            "full_name": "",
            "role": "editor",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=other_lead.email).count() == 1
    assert Membership.objects.get(user=other_lead, partner=partner).role == "editor"
    assert not OutboxMessage.objects.exists()


def test_adding_someone_already_there_changes_their_role(coord, partner, viewer):
    coord.post(
        reverse("partnership:partner_person_add", args=[partner.pk]),
        {"email": viewer.email, "role": "lead"},
    )
    assert Membership.objects.get(user=viewer, partner=partner).role == "lead"
    assert Membership.objects.filter(user=viewer).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"email": "not-an-email", "full_name": "X", "role": "lead"},
            "Enter a valid email address.",
        ),
        ({"email": "", "full_name": "X", "role": "lead"}, "This field is required."),
        (
            {"email": "new@example.org", "full_name": "", "role": "lead"},
            "Enter the name of this new person.",
        ),
        (
            {"email": "new@example.org", "full_name": "N" * 201, "role": "lead"},
            "Ensure this value has at most 200 characters",
        ),
        (
            {"email": "new@example.org", "full_name": "New", "role": "owner"},
            "Select a valid choice",
        ),
    ],
    ids=["invalid email", "empty email", "new person without name", "long name", "bad role"],
)
def test_add_person_bad_input(coord, partner, data, message):
    users = User.objects.count()
    response = coord.post(reverse("partnership:partner_person_add", args=[partner.pk]), data)
    assert response.status_code == 400
    assert message in page_text(response)
    assert User.objects.count() == users
    assert not Event.objects.exists()


def test_add_person_to_a_prospective_partner_cannot_invite(coord, partner):
    partner.status = "prospective"
    partner.save()
    url = reverse("partnership:partner_person_add", args=[partner.pk])
    response = coord.post(
        url, {"email": "n@example.org", "full_name": "N", "role": "lead", "send_invitation": "on"}
    )
    assert response.status_code == 400
    assert "can be invited once it is active" in page_text(response)
    assert not User.objects.filter(email="n@example.org").exists()
    response = coord.post(url, {"email": "n@example.org", "full_name": "N", "role": "lead"})
    assert response.status_code == 302
    assert Membership.objects.filter(user__email="n@example.org", partner=partner).exists()


def test_add_a_deactivated_person_is_refused(coord, partner, other_lead, coordinator):
    services.person_deactivate(person=other_lead, actor=Actor.of(coordinator))
    response = coord.post(
        reverse("partnership:partner_person_add", args=[partner.pk]),
        {"email": other_lead.email, "role": "lead"},
    )
    assert response.status_code == 400
    assert "is deactivated" in page_text(response)
    assert not Membership.objects.filter(user=other_lead, partner=partner).exists()


def test_membership_role_change_and_removal(coord, partner, viewer):
    membership = Membership.objects.get(user=viewer)
    coord.post(
        reverse("partnership:membership_role", args=[partner.pk, membership.pk]), {"role": "editor"}
    )
    membership.refresh_from_db()
    assert membership.role == "editor"
    response = coord.post(
        reverse("partnership:membership_role", args=[partner.pk, membership.pk]), {"role": "boss"}
    )
    assert response.status_code == 400
    coord.post(reverse("partnership:membership_remove", args=[partner.pk, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_partner_page_lists_leads_first(client_for, partner, viewer, editor, lead):
    page = page_text(
        client_for(viewer).get(reverse("partnership:partner_detail", args=[partner.pk]))
    )
    assert page.index(lead.email) < page.index(editor.email) < page.index(viewer.email)


# --- people ---------------------------------------------------------------------------


def test_person_create_with_partner_and_invitation(
    coord, partner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coord.post(
            reverse("partnership:person_create"),
            {
                "full_name": "Ana Silva",
                "email": "ANA@example.org",
                "title": "",
                "phone": "",
                "partner": partner.pk,
                "role": "editor",
                "send_invitation": "on",
            },
        )
    person = User.objects.get(email="ana@example.org")
    assert response["Location"] == reverse("partnership:person_detail", args=[person.pk])
    assert Membership.objects.get(user=person).role == "editor"
    assert len(mailoutbox) == 1
    page = page_text(coord.get(response["Location"]))
    assert "Editor at" in page and "invitation" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"full_name": "A", "email": "bad@"}, "Enter a valid email address."),
        ({"full_name": "", "email": "a@example.org"}, "This field is required."),
        (
            {"full_name": "A", "email": "a@example.org", "phone": "1" * 41},
            "Ensure this value has at most 40 characters",
        ),
        (
            {"full_name": "A", "email": "a@example.org", "send_invitation": "on"},
            "Choose a partner to invite the person to.",
        ),
    ],
    ids=["invalid email", "empty name", "long phone", "invite without partner"],
)
def test_person_create_bad_input(coord, data, message):
    response = coord.post(reverse("partnership:person_create"), {"role": "viewer", **data})
    assert response.status_code == 400
    assert message in page_text(response)
    assert not User.objects.filter(email="a@example.org").exists()


def test_person_create_duplicate_email_in_another_case(coord, lead):
    response = coord.post(
        reverse("partnership:person_create"),
        {"full_name": "Twin", "email": lead.email.upper(), "role": "viewer"},
    )
    assert response.status_code == 400
    assert f"Someone with the e-mail address {lead.email} is already in the portal." in page_text(
        response
    )
    assert User.objects.filter(email__iexact=lead.email).count() == 1


def test_person_edit(coord, lead, editor):
    url = reverse("partnership:person_detail", args=[lead.pk])
    response = coord.post(url, {"full_name": "Maria A.", "email": editor.email.upper()})
    assert response.status_code == 400
    assert "already in the portal" in page_text(response)
    response = coord.post(url, {"full_name": "Maria A.", "email": lead.email, "title": "Dean"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.full_name, lead.title) == ("Maria A.", "Dean")


def test_person_deactivate_reactivate_and_invite(
    coord, coordinator, lead, partner, mailoutbox, django_capture_on_commit_callbacks
):
    coord.post(reverse("partnership:person_deactivate", args=[lead.pk]))
    lead.refresh_from_db()
    assert not lead.is_active
    response = coord.post(reverse("partnership:person_invite", args=[lead.pk]))
    assert response.status_code == 409
    assert "Reactivate them before inviting them" in page_text(response)
    coord.post(reverse("partnership:person_reactivate", args=[lead.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = coord.post(
            reverse("partnership:person_invite", args=[lead.pk]), {"partner": partner.pk}
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    response = coord.post(reverse("partnership:person_invite", args=[lead.pk]), {"partner": 999999})
    assert response.status_code == 400
    response = coord.post(reverse("partnership:person_deactivate", args=[coordinator.pk]))
    assert response.status_code == 409
    assert "You cannot deactivate yourself." in page_text(response)


def test_invite_someone_without_an_active_partner_is_a_clear_409(coord, nobody):
    response = coord.post(reverse("partnership:person_invite", args=[nobody.pk]))
    assert response.status_code == 409
    assert "has no role at an active partner" in page_text(response)
    assert not OutboxMessage.objects.exists()


def test_people_list_filters(coord, partner, other_partner, lead, viewer, other_lead, coordinator):
    url = reverse("partnership:person_list")
    page = page_text(coord.get(url, {"partner": partner.pk, "role": "lead"}))
    assert lead.email in page
    assert viewer.email not in page and other_lead.email not in page
    page = page_text(coord.get(url, {"q": other_lead.email[:8].upper()}))
    assert other_lead.email in page
    services.person_deactivate(person=viewer, actor=Actor.of(coordinator))
    page = page_text(coord.get(url, {"active": "no"}))
    assert viewer.email in page and lead.email not in page
    # Invalid filter values are ignored rather than failing the page.
    assert coord.get(url, {"partner": "abc", "role": "x"}).status_code == 200


def test_partner_list_filters(client_for, coordinator, partner, other_partner, lead):
    workgroup = factories.WorkgroupFactory(name="Policy")
    workgroup.partners.add(other_partner)
    factories.PartnerFactory(name="Dallas School District", status="prospective")
    coord = client_for(coordinator)
    url = reverse("partnership:partner_list")
    page = page_text(coord.get(url, {"kind": "college"}))
    assert other_partner.name in page and partner.name not in page
    page = page_text(coord.get(url, {"status": "prospective"}))
    assert "Dallas School District" in page and partner.name not in page
    page = page_text(coord.get(url, {"workgroup": workgroup.pk}))
    assert other_partner.name in page and partner.name not in page
    page = page_text(coord.get(url, {"q": "keizer"}))
    assert partner.name in page and other_partner.name not in page
    member_page = page_text(client_for(lead).get(url, {"status": "prospective"}))
    assert "Dallas School District" not in member_page
    assert "Add partner" not in member_page and 'name="status"' not in member_page
    assert "Add partner" in page_text(coord.get(url))


# --- workgroups -----------------------------------------------------------------------


def test_workgroup_create_edit_and_members(coord, partner, lead, client_for):
    response = coord.post(
        reverse("partnership:workgroup_create"),
        {"name": "Curriculum and instruction", "description": "CTE"},
    )
    workgroup = Workgroup.objects.get()
    assert response["Location"] == reverse("partnership:workgroup_detail", args=[workgroup.pk])
    response = coord.post(
        reverse("partnership:workgroup_create"), {"name": "CURRICULUM AND INSTRUCTION"}
    )
    assert response.status_code == 400
    assert "A workgroup named “Curriculum and instruction” already exists." in page_text(response)
    response = coord.post(reverse("partnership:workgroup_edit", args=[workgroup.pk]), {"name": ""})
    assert response.status_code == 400
    coord.post(
        reverse("partnership:workgroup_member_add", args=[workgroup.pk]),
        {"email": lead.email.upper()},
    )
    coord.post(
        reverse("partnership:workgroup_partner_add", args=[workgroup.pk]), {"partner": partner.pk}
    )
    response = coord.post(
        reverse("partnership:workgroup_member_add", args=[workgroup.pk]),
        {"email": "unknown@example.org"},
    )
    assert response.status_code == 400
    assert "Nobody with the e-mail address unknown@example.org" in page_text(response)
    response = coord.post(
        reverse("partnership:workgroup_partner_add", args=[workgroup.pk]), {"partner": partner.pk}
    )
    assert response.status_code == 400  # already in: no longer a choice
    page = page_text(
        client_for(lead).get(reverse("partnership:workgroup_detail", args=[workgroup.pk]))
    )
    assert lead.full_name in page and partner.name in page
    assert "Add member" not in page
    assert list(workgroup.members.all()) == [lead]


# --- query counts ---------------------------------------------------------------------


def _network(size: int):
    workgroup = factories.WorkgroupFactory()
    for _ in range(size):
        partner = factories.PartnerFactory()
        workgroup.partners.add(partner)
        for role in ("lead", "editor", "viewer"):
            membership = factories.MembershipFactory(partner=partner, role=role)
            workgroup.members.add(membership.user)
    return workgroup


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", [5, 30])
def test_partner_directory_query_count_is_constant(
    client_for, coordinator, size, django_assert_num_queries
):
    _network(size)
    lead = Membership.objects.filter(role="lead").first().user
    url = reverse("partnership:partner_list")
    coord, lead_client = client_for(coordinator), client_for(lead)
    # savepoint, session, user, workgroup options, count, page, release savepoint
    with django_assert_num_queries(7):
        assert coord.get(url + "?q=Partner").status_code == 200
    # the same, and the lead's memberships (the permission check)
    with django_assert_num_queries(8):
        assert lead_client.get(url).status_code == 200


@pytest.mark.parametrize("size", [5, 30])
def test_people_list_query_count_is_constant(
    client_for, coordinator, size, django_assert_num_queries
):
    _network(size)
    coord = client_for(coordinator)
    # savepoint, session, user, count, partner options, page, their memberships, release
    with django_assert_num_queries(8):
        assert coord.get(reverse("partnership:person_list")).status_code == 200


def test_detail_pages_query_counts_do_not_grow(client_for, coordinator):
    small = _network(2)
    pages = [
        reverse("partnership:partner_detail", args=[Partner.objects.first().pk]),
        reverse("partnership:workgroup_detail", args=[small.pk]),
        reverse("partnership:workgroup_list"),
    ]
    client = client_for(coordinator)
    before = [_queries(client, url) for url in pages]
    big = _network(20)
    for partner in Partner.objects.all()[:1]:
        for _ in range(10):
            factories.MembershipFactory(partner=partner, role="viewer")
    small.members.add(*big.members.all())
    small.partners.add(*big.partners.all())
    after = [_queries(client, url) for url in pages]
    assert before == after


def test_invite_from_the_partner_page_returns_there(
    coord, partner, lead, mailoutbox, django_capture_on_commit_callbacks
):
    partner_url = reverse("partnership:partner_detail", args=[partner.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = coord.post(
            reverse("partnership:person_invite", args=[lead.pk]),
            {"partner": partner.pk, "next": partner_url},
        )
    assert response["Location"] == partner_url
    assert len(mailoutbox) == 1
    # An address outside the portal is never followed.
    response = coord.post(
        reverse("partnership:person_invite", args=[lead.pk]),
        {"partner": partner.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("partnership:person_detail", args=[lead.pk])
