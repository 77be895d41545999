"""The Django admin: a staff member who is not a superuser cannot change accounts or
groups (and so cannot make themselves a superuser), cannot read or redirect the sign-in
links in the outbox, and cannot change the roles of privileged accounts."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from core.actor import Actor
from core.models import OutboxMessage, User
from core.services.outbox import outbox_send_templated
from partnership.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    """Staff with every permission the admin knows, but not a superuser."""
    user = factories.UserFactory(is_staff=True, full_name="Stacy Staff")
    user.user_permissions.set(Permission.objects.all())
    return User.objects.get(pk=user.pk)


@pytest.fixture
def superuser(db):
    return factories.UserFactory(
        is_staff=True, is_superuser=True, is_coordinator=True, full_name="Sam Superuser"
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _user_form(user, **changes) -> dict:
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "title": user.title,
        "phone": user.phone,
        "is_active": "on",
        "link_version": user.link_version,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_cannot_make_themselves_superuser(staff):
    url = reverse("admin:core_user_change", args=[staff.pk])
    response = _client(staff).post(url, _user_form(staff, is_superuser="on", is_coordinator="on"))
    assert response.status_code == 403
    staff.refresh_from_db()
    assert not staff.is_superuser and not staff.is_coordinator


def test_staff_cannot_change_another_account_or_its_password(staff, superuser):
    client = _client(staff)
    response = client.post(
        reverse("admin:core_user_change", args=[superuser.pk]),
        _user_form(superuser, email="staff-owns-this@example.org", is_superuser="on"),
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        {"password1": "a-new-passphrase-77", "password2": "a-new-passphrase-77"},
    )
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.email != "staff-owns-this@example.org"
    assert not superuser.check_password("a-new-passphrase-77")
    response = client.post(
        reverse("admin:core_user_add"),
        {"email": "new@example.org", "full_name": "New", "usable_password": "false"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="new@example.org").exists()


def test_staff_cannot_grant_themselves_permissions_through_a_group(staff):
    client = _client(staff)
    staff.user_permissions.clear()
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="_group"))
    response = client.post(
        reverse("admin:auth_group_add"),
        {
            "name": "Everything",
            "permissions": list(Permission.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 403
    assert not Group.objects.exists()


def test_staff_may_still_look_at_people(staff, lead):
    client = _client(staff)
    assert client.get(reverse("admin:core_user_changelist")).status_code == 200
    page = client.get(reverse("admin:core_user_change", args=[lead.pk]))
    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode()


def test_a_superuser_changing_an_address_in_the_admin_voids_links_and_tells_the_old_one(
    superuser, lead, mailoutbox, django_capture_on_commit_callbacks
):
    old, version = lead.email, lead.link_version
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(superuser).post(
            reverse("admin:core_user_change", args=[lead.pk]),
            _user_form(lead, email="Lead.New@Example.org"),
        )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.email == "lead.new@example.org"
    assert lead.link_version == version + 1
    assert [m.to for m in mailoutbox if "was changed" in m.subject] == [[old]]


def test_staff_cannot_read_or_redirect_sign_in_links_in_the_outbox(staff, superuser, lead):
    message = outbox_send_templated(
        to=lead,
        template="signin_link",
        context={"link": "http://127.0.0.1:8000/accounts/link/secret-token/", "hours": 1},
        kind="signin_link",
    )
    url = reverse("admin:core_outboxmessage_change", args=[message.pk])
    client = _client(staff)
    page = client.get(url)
    assert page.status_code == 200
    assert "secret-token" not in page.content.decode()
    response = client.post(url, {"to_email": "staff@example.org", "status": "pending"})
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.to_email == lead.email
    assert "secret-token" in _client(superuser).get(url).content.decode()
    assert OutboxMessage.objects.count() == 1


def test_staff_cannot_change_the_roles_of_a_privileged_account(staff, superuser, partner):
    membership = factories.MembershipFactory(user=superuser, partner=partner, role="viewer")
    client = _client(staff)
    response = client.post(
        reverse("admin:partnership_membership_change", args=[membership.pk]),
        {
            "user": superuser.pk,
            "partner": partner.pk,
            "role": "lead",
            "created_at_0": "2026-01-01",
            "created_at_1": "10:00",
        },
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:partnership_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == "viewer"
    ordinary = factories.MembershipFactory(partner=partner, role="viewer")
    response = client.post(
        reverse("admin:partnership_membership_change", args=[ordinary.pk]),
        {
            "user": ordinary.user_id,
            "partner": partner.pk,
            "role": "lead",
            "created_at_0": "2026-01-01",
            "created_at_1": "10:00",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(pk=ordinary.pk).role == "lead"


def test_staff_cannot_change_a_privileged_accounts_role_from_the_partner_page(
    staff, superuser, partner
):
    membership = factories.MembershipFactory(user=superuser, partner=partner, role="viewer")
    data = {
        "name": partner.name,
        "kind": partner.kind,
        "status": partner.status,
        "region": partner.region,
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": membership.pk,
        "memberships-0-partner": partner.pk,
        "memberships-0-user": superuser.pk,
        "memberships-0-role": "lead",
    }
    url = reverse("admin:partnership_partner_change", args=[partner.pk])
    response = _client(staff).post(url, {**data, "name": "Renamed District"})
    assert response.status_code == 403
    membership.refresh_from_db()
    partner.refresh_from_db()
    # Nothing of the save stays: neither the role nor the partner's new name.
    assert membership.role == "viewer" and partner.name != "Renamed District"
    assert _client(superuser).post(url, data).status_code == 302
    membership.refresh_from_db()
    assert membership.role == "lead"


def test_promotion_in_the_admin_ends_the_sessions_a_link_opened(superuser, lead):
    from core.services.signin import signin_token_make

    token = signin_token_make(user=lead, next_path="/")
    lead_browser = Client()
    assert lead_browser.get(reverse("accounts:link", kwargs={"token": token})).status_code == 302
    assert lead_browser.get("/").status_code == 200
    response = _client(superuser).post(
        reverse("admin:core_user_change", args=[lead.pk]), _user_form(lead, is_coordinator="on")
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.is_coordinator
    # The session the link opened does not become a coordinator's session.
    response = lead_browser.get(reverse("dashboard:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _superuser_totp(superuser):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.create(
        user=superuser, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )


def test_staff_cannot_read_plant_or_remove_a_second_factor_in_the_admin(staff, superuser):
    # A staff member granted every permission must not read a superuser's TOTP secret,
    # swap in one they know, add a second authenticator of their own making, or delete it
    # (a reset without the portal's rule and event): with the password that is the account.
    from allauth.mfa.models import Authenticator

    totp = _superuser_totp(superuser)
    client = _client(staff)
    change = reverse("admin:mfa_authenticator_change", args=[totp.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert b"JBSWY3DPEHPK3PXP" not in page.content
    changed = client.post(
        change, {"user": superuser.pk, "type": "totp", "data": '{"secret": "KNOWN"}'}
    )
    assert changed.status_code == 403
    added = client.post(
        reverse("admin:mfa_authenticator_add"),
        {"user": superuser.pk, "type": "totp", "data": '{"secret": "KNOWN"}'},
    )
    assert added.status_code == 403
    deleted = client.post(
        reverse("admin:mfa_authenticator_delete", args=[totp.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 403
    listing = client.post(
        reverse("admin:mfa_authenticator_changelist"),
        {"action": "delete_selected", "_selected_action": [totp.pk], "post": "yes"},
    )
    assert listing.status_code in {200, 302, 403}
    assert list(Authenticator.objects.values_list("pk", "data")) == [
        (totp.pk, {"secret": "JBSWY3DPEHPK3PXP"})
    ]


def test_a_superuser_resets_a_factor_through_the_portal_not_the_admin(superuser):
    # Deleting in the admin would skip the event the portal's reset records.
    totp = _superuser_totp(superuser)
    other = factories.UserFactory(is_staff=True, is_superuser=True, is_coordinator=True)
    client = _client(other)
    assert (
        b"JBSWY3DPEHPK3PXP"
        not in client.get(reverse("admin:mfa_authenticator_change", args=[totp.pk])).content
    )
    response = client.post(
        reverse("admin:mfa_authenticator_delete", args=[totp.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert totp.__class__.objects.filter(pk=totp.pk).exists()


def test_nobody_adds_a_second_sign_in_address_in_the_admin(staff, superuser):
    # allauth's password backend accepts any address in its EmailAddress table: a row
    # added there would be a second sign-in address for the account, outside the
    # portal's address rules and the limits counted on the one address.
    from allauth.account.models import EmailAddress

    for actor in (staff, superuser):
        response = _client(actor).post(
            "/admin/account/emailaddress/add/",
            {"user": superuser.pk, "email": "attacker@example.net", "verified": "on"},
        )
        assert response.status_code in {403, 404}
    assert not EmailAddress.objects.exists()


def test_nobody_deletes_or_adds_audit_events_in_the_admin(staff, superuser):
    # The audit trail (resets, sign-ins, e-mail changes) is written by the services only:
    # whoever used a right must not be able to remove the record of it.
    from core.models import Event
    from core.services.events import event_record

    event = event_record(action="second_factor.reset", actor=Actor.of(staff), subject=superuser)
    for actor in (staff, superuser):
        client = _client(actor)
        deleted = client.post(reverse("admin:core_event_delete", args=[event.pk]), {"post": "yes"})
        assert deleted.status_code == 403
        client.post(
            reverse("admin:core_event_changelist"),
            {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
        )
        added = client.post(reverse("admin:core_event_add"), {})
        assert added.status_code == 403
    assert list(Event.objects.values_list("pk", flat=True)) == [event.pk]
