"""Every partnership address × every kind of visitor → the status code they get."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests import factories

ROLES = ["anonymous", "nobody", "other_lead", "viewer", "editor", "lead", "coordinator"]
MEMBERS = {"other_lead", "viewer", "editor", "lead", "coordinator"}
OWN = {"viewer", "editor", "lead", "coordinator"}


@dataclass
class World:
    partner: object
    other_partner: object
    workgroup: object
    users: dict
    membership: object


@pytest.fixture
def world(coordinator, partner, other_partner, lead, editor, viewer, other_lead, nobody):
    workgroup = factories.WorkgroupFactory(name="Assessment")
    workgroup.members.add(lead)
    workgroup.partners.add(partner)
    target = factories.MembershipFactory(partner=partner, role="viewer")
    return World(
        partner=partner,
        other_partner=other_partner,
        workgroup=workgroup,
        membership=target,
        users={
            "anonymous": None,
            "nobody": nobody,
            "other_lead": other_lead,
            "viewer": viewer,
            "editor": editor,
            "lead": lead,
            "coordinator": coordinator,
        },
    )


# (name, method, url(world), POST data(world), who gets the page or action)
PAGES = [
    ("partner list", "get", lambda w: reverse("partnership:partner_list"), None, MEMBERS),
    ("partner new", "get", lambda w: reverse("partnership:partner_create"), None, {"coordinator"}),
    (
        "partner page",
        "get",
        lambda w: reverse("partnership:partner_detail", args=[w.partner.pk]),
        None,
        MEMBERS,
    ),
    (
        "partner edit",
        "get",
        lambda w: reverse("partnership:partner_edit", args=[w.partner.pk]),
        None,
        {"coordinator"},
    ),
    (
        "partner add person",
        "get",
        lambda w: reverse("partnership:partner_person_add", args=[w.partner.pk]),
        None,
        {"coordinator"},
    ),
    ("people", "get", lambda w: reverse("partnership:person_list"), None, {"coordinator"}),
    ("person new", "get", lambda w: reverse("partnership:person_create"), None, {"coordinator"}),
    (
        "person page",
        "get",
        lambda w: reverse("partnership:person_detail", args=[w.membership.user.pk]),
        None,
        {"coordinator"},
    ),
    ("workgroups", "get", lambda w: reverse("partnership:workgroup_list"), None, MEMBERS),
    (
        "workgroup new",
        "get",
        lambda w: reverse("partnership:workgroup_create"),
        None,
        {"coordinator"},
    ),
    (
        "workgroup page",
        "get",
        lambda w: reverse("partnership:workgroup_detail", args=[w.workgroup.pk]),
        None,
        MEMBERS,
    ),
    (
        "workgroup edit",
        "get",
        lambda w: reverse("partnership:workgroup_edit", args=[w.workgroup.pk]),
        None,
        {"coordinator"},
    ),
]

ACTIONS = [
    (
        "partner create",
        lambda w: reverse("partnership:partner_create"),
        lambda w: {"name": "Oregon State University", "kind": "college", "status": "active"},
    ),
    (
        "partner save",
        lambda w: reverse("partnership:partner_edit", args=[w.partner.pk]),
        lambda w: {"name": w.partner.name, "kind": "school_district", "region": "Salem"},
    ),
    (
        "partner status",
        lambda w: reverse("partnership:partner_status", args=[w.partner.pk]),
        lambda w: {"action": "deactivate"},
    ),
    (
        "partner add person",
        lambda w: reverse("partnership:partner_person_add", args=[w.partner.pk]),
        lambda w: {"email": "new.person@example.org", "full_name": "New Person", "role": "editor"},
    ),
    (
        "membership role",
        lambda w: reverse("partnership:membership_role", args=[w.partner.pk, w.membership.pk]),
        lambda w: {"role": "editor"},
    ),
    (
        "membership remove",
        lambda w: reverse("partnership:membership_remove", args=[w.partner.pk, w.membership.pk]),
        lambda w: {},
    ),
    (
        "person create",
        lambda w: reverse("partnership:person_create"),
        lambda w: {"full_name": "Ana Silva", "email": "ana@example.org", "role": "viewer"},
    ),
    (
        "person save",
        lambda w: reverse("partnership:person_detail", args=[w.membership.user.pk]),
        lambda w: {"full_name": "Renamed", "email": w.membership.user.email},
    ),
    (
        "person deactivate",
        lambda w: reverse("partnership:person_deactivate", args=[w.membership.user.pk]),
        lambda w: {},
    ),
    (
        "person reactivate",
        lambda w: reverse("partnership:person_reactivate", args=[w.membership.user.pk]),
        lambda w: {},
    ),
    (
        "person invite",
        lambda w: reverse("partnership:person_invite", args=[w.membership.user.pk]),
        lambda w: {"partner": w.partner.pk},
    ),
    (
        "workgroup create",
        lambda w: reverse("partnership:workgroup_create"),
        lambda w: {"name": "Policy"},
    ),
    (
        "workgroup save",
        lambda w: reverse("partnership:workgroup_edit", args=[w.workgroup.pk]),
        lambda w: {"name": "Assessment and metrics"},
    ),
    (
        "workgroup add member",
        lambda w: reverse("partnership:workgroup_member_add", args=[w.workgroup.pk]),
        lambda w: {"email": w.membership.user.email},
    ),
    (
        "workgroup remove member",
        lambda w: reverse(
            "partnership:workgroup_member_remove", args=[w.workgroup.pk, w.users["lead"].pk]
        ),
        lambda w: {},
    ),
    (
        "workgroup add partner",
        lambda w: reverse("partnership:workgroup_partner_add", args=[w.workgroup.pk]),
        lambda w: {"partner": w.other_partner.pk},
    ),
    (
        "workgroup remove partner",
        lambda w: reverse(
            "partnership:workgroup_partner_remove", args=[w.workgroup.pk, w.partner.pk]
        ),
        lambda w: {},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "url", "data", "allowed"), PAGES, ids=[p[0] for p in PAGES]
)
def test_page_permissions(world, client_for, role, name, method, url, data, allowed):
    response = client_for(world.users[role]).get(url(world))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == (200 if role in allowed else 403), name


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "data"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_action_permissions(
    world, client_for, django_capture_on_commit_callbacks, role, name, url, data
):
    from core.models import Event

    events_before = Event.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users[role]).post(url(world), data(world))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert Event.objects.count() == events_before
    elif role == "coordinator":
        assert response.status_code == 302, response.content.decode()[:2000]
        assert not response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 403
        assert Event.objects.count() == events_before, "a refused action changed something"


POST_ONLY = [
    a
    for a in ACTIONS
    if "create" not in a[0] and "save" not in a[0] and a[0] != "partner add person"
]


@pytest.mark.parametrize(("name", "url", "data"), POST_ONLY, ids=[a[0] for a in POST_ONLY])
def test_get_never_changes_anything(world, client_for, name, url, data):
    """Actions answer only POST: a mail scanner or a prefetch cannot trigger them."""
    from core.models import Event

    response = client_for(world.users["coordinator"]).get(url(world), data(world))
    assert response.status_code == 405
    assert not Event.objects.exists()


def test_other_partners_people_see_the_public_profile_only(world, client_for):
    url = reverse("partnership:partner_detail", args=[world.partner.pk])
    outsider = client_for(world.users["other_lead"]).get(url).content.decode()
    insider = client_for(world.users["viewer"]).get(url).content.decode()
    lead_email = world.users["lead"].email
    assert world.partner.name in outsider
    assert lead_email not in outsider
    assert "People" not in outsider
    assert lead_email in insider
    assert "Remove" not in insider  # managing people is the coordinator's job


@pytest.mark.parametrize("status", ["inactive", "prospective"])
def test_inactive_and_prospective_partners_are_hidden_from_members(world, client_for, status):
    world.other_partner.status = status
    world.other_partner.save()
    url = reverse("partnership:partner_detail", args=[world.other_partner.pk])
    assert client_for(world.users["lead"]).get(url).status_code == 403
    assert client_for(world.users["coordinator"]).get(url).status_code == 200
    listing = client_for(world.users["lead"]).get(reverse("partnership:partner_list"))
    assert world.other_partner.name not in listing.content.decode()
    listing = client_for(world.users["coordinator"]).get(reverse("partnership:partner_list"))
    assert world.other_partner.name in listing.content.decode()


def test_missing_objects_are_404_for_coordinators_and_403_for_outsiders(world, client_for):
    url = reverse("partnership:partner_detail", args=[999999])
    assert client_for(world.users["coordinator"]).get(url).status_code == 404
    assert client_for(world.users["nobody"]).get(url).status_code == 403
    url = reverse(
        "partnership:membership_remove", args=[world.other_partner.pk, world.membership.pk]
    )
    assert client_for(world.users["coordinator"]).post(url).status_code == 404
