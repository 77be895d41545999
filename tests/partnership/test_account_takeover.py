"""Only a superuser changes staff, superuser and coordinator accounts; a changed address
voids links and sessions and tells the old address.

The attack this closes: a coordinator without admin rights changed the superuser's
address to one they read, then asked for a sign-in link there.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from core.actor import Actor
from core.models import Event, OutboxMessage
from core.services.signin import signin_token_make
from partnership import services
from partnership.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return factories.UserFactory(
        is_coordinator=True, is_staff=True, is_superuser=True, full_name="Sam Superuser"
    )


@pytest.fixture
def staff(db):
    return factories.UserFactory(is_staff=True, full_name="Stacy Staff")


@pytest.fixture
def other_coordinator(db):
    return factories.UserFactory(is_coordinator=True, full_name="Olga Coordinator")


@pytest.fixture(params=["superuser", "staff", "other_coordinator"])
def privileged(request):
    return request.getfixturevalue(request.param)


def _signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _details(person, **changes) -> dict:
    data = {
        "full_name": person.full_name,
        "email": person.email,
        "title": person.title,
        "phone": person.phone,
    }
    return {**data, **changes}


def test_a_coordinator_cannot_change_the_superusers_address_and_take_over(
    coordinator, superuser, django_capture_on_commit_callbacks, mailoutbox
):
    attacker = _signed_in(coordinator)
    url = reverse("partnership:person_detail", args=[superuser.pk])
    response = attacker.post(url, _details(superuser, email="attacker@evil.example"))
    assert response.status_code == 403
    assert "Only a superuser can change" in response.content.decode()
    superuser.refresh_from_db()
    assert superuser.email != "attacker@evil.example"
    # And the link the attacker asks for next goes nowhere they can read.
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("accounts:link_request"), {"email": "attacker@evil.example"})
    assert mailoutbox == []


@pytest.mark.parametrize(
    "change",
    [
        {"email": "new@example.org"},
        {"full_name": "Someone Else"},
        {"title": "Intern"},
    ],
)
def test_no_field_of_a_privileged_account_changes_for_a_coordinator(
    coordinator, privileged, change
):
    before = (privileged.email, privileged.full_name, privileged.title)
    response = _signed_in(coordinator).post(
        reverse("partnership:person_detail", args=[privileged.pk]), _details(privileged, **change)
    )
    assert response.status_code == 403
    privileged.refresh_from_db()
    assert (privileged.email, privileged.full_name, privileged.title) == before


def test_the_service_refuses_too_whatever_view_calls_it(coordinator, privileged, partner):
    with pytest.raises(PermissionDenied):
        services.person_update(
            person=privileged, data={"full_name": "X"}, actor=Actor.of(coordinator)
        )
    with pytest.raises(PermissionDenied):
        services.person_deactivate(person=privileged, actor=Actor.of(coordinator))
    privileged.is_active = False
    privileged.save()
    with pytest.raises(PermissionDenied):
        services.person_reactivate(person=privileged, actor=Actor.of(coordinator))
    privileged.is_active = True
    privileged.save()
    with pytest.raises(PermissionDenied):
        services.membership_set(
            user=privileged, partner=partner, role="lead", actor=Actor.of(coordinator)
        )
    membership = factories.MembershipFactory(user=privileged, partner=partner)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=membership, actor=Actor.of(coordinator))
    assert Membership.objects.filter(pk=membership.pk, role="lead").exists()


def test_deactivate_and_reactivate_of_a_privileged_account_is_a_403_page(coordinator, privileged):
    client = _signed_in(coordinator)
    response = client.post(reverse("partnership:person_deactivate", args=[privileged.pk]))
    assert response.status_code == 403
    assert "Only a superuser can change" in response.content.decode()
    privileged.refresh_from_db()
    assert privileged.is_active
    privileged.is_active = False
    privileged.save()
    response = client.post(reverse("partnership:person_reactivate", args=[privileged.pk]))
    assert response.status_code == 403
    privileged.refresh_from_db()
    assert not privileged.is_active


def test_roles_of_a_privileged_account_at_partners_are_locked_from_the_partner_page(
    coordinator, privileged, partner
):
    client = _signed_in(coordinator)
    membership = factories.MembershipFactory(user=privileged, partner=partner, role="viewer")
    base = reverse("partnership:partner_detail", args=[partner.pk])
    response = client.post(f"{base}people/{membership.pk}/role/", {"role": "lead"})
    assert response.status_code == 403
    assert "Only a superuser can change" in response.content.decode()
    response = client.post(f"{base}people/{membership.pk}/remove/")
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == "viewer"
    membership.delete()
    response = client.post(
        reverse("partnership:partner_person_add", args=[partner.pk]),
        {"email": privileged.email.upper(), "role": "lead"},
    )
    assert response.status_code == 403
    assert "Only a superuser can change" in response.content.decode()
    assert not Membership.objects.filter(user=privileged).exists()


def test_the_detail_page_shows_a_privileged_account_read_only_to_a_coordinator(
    coordinator, superuser
):
    page = _signed_in(coordinator).get(reverse("partnership:person_detail", args=[superuser.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Only a superuser can change this account" in text
    assert reverse("partnership:person_deactivate", args=[superuser.pk]) not in text
    assert 'name="email"' not in text


def test_a_superuser_may_change_a_coordinator(superuser, other_coordinator):
    response = _signed_in(superuser).post(
        reverse("partnership:person_detail", args=[other_coordinator.pk]),
        _details(other_coordinator, full_name="Olga C. Renamed"),
    )
    assert response.status_code == 302
    other_coordinator.refresh_from_db()
    assert other_coordinator.full_name == "Olga C. Renamed"


def test_a_coordinator_still_changes_ordinary_people(coordinator, lead):
    response = _signed_in(coordinator).post(
        reverse("partnership:person_detail", args=[lead.pk]), _details(lead, title="Dean")
    )
    assert response.status_code == 302


def test_a_changed_address_voids_links_and_every_session_and_tells_the_old_address(
    coordinator, lead, partner, django_capture_on_commit_callbacks, mailoutbox
):
    old = lead.email
    token = signin_token_make(user=lead, next_path="/")
    phone, laptop = _signed_in(lead), _signed_in(lead)
    assert phone.get("/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = _signed_in(coordinator).post(
            reverse("partnership:person_detail", args=[lead.pk]),
            _details(lead, email="maria.new@example.org"),
        )
    assert response.status_code == 302
    # Every device is signed out: the next request goes to the sign-in page.
    for device in (phone, laptop):
        response = device.get("/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().get(reverse("accounts:link", kwargs={"token": token})).status_code == 400
    notice = [m for m in mailoutbox if m.to == [old]]
    assert len(notice) == 1
    assert "maria.new@example.org" in notice[0].body
    assert "/accounts/link/" not in notice[0].body
    assert OutboxMessage.objects.filter(kind="email_changed", to_email=old).exists()
    assert Event.objects.filter(action="account.email_changed", subject_id=lead.pk).exists()


def test_a_superuser_changing_their_own_address_stays_signed_in_on_that_device(superuser):
    client = _signed_in(superuser)
    other_device = _signed_in(superuser)
    response = client.post(
        reverse("partnership:person_detail", args=[superuser.pk]),
        _details(superuser, email="sam.new@example.org"),
    )
    assert response.status_code == 302
    people = reverse("partnership:person_list")
    assert client.get(people).status_code == 200
    response = other_device.get(people)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
