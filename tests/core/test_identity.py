"""One identity for an address: the user lookup, every limit and the duplicate check.

The hole this closes: the per-address password limit counted the typed text, while
Django's sign-in form applies NFKC before it looks the person up, so each full-width
spelling of an address (ｃｏｏｒｄ@example.org) was a fresh allowance of guesses.
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.actor import Actor
from core.identity import email_identity
from core.models import OutboxMessage, User
from partnership import services
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-passphrase-9"


def full_width(text: str) -> str:
    """ASCII letters and digits as their full-width forms (NFKC maps them back)."""
    return "".join(chr(ord(c) - 0x21 + 0xFF01) if c.isascii() and c.isalnum() else c for c in text)


@pytest.fixture
def coord_with_password(db):
    user = factories.UserFactory(is_coordinator=True, email="coord@example.org")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_identity_folds_width_and_case_and_is_stable():
    assert email_identity(" ｃｏｏｒｄ@Example.ORG ") == "coord@example.org"
    assert email_identity(full_width("coord") + "@" + full_width("example") + ".org") == (
        "coord@example.org"
    )
    for text in ("ＣＯＯＲＤ@ｅｘａｍｐｌｅ.org", "İstanbul@example.org", "ǅ@x.org"):
        assert email_identity(email_identity(text)) == email_identity(text)


def test_password_limit_counts_every_spelling_of_one_address(coord_with_password, settings):
    settings.RATELIMIT_PASSWORD_PER_HOUR = 3
    url = reverse("accounts:login")
    spellings = [
        "coord@example.org",
        "ｃｏｏｒｄ@example.org",
        "COORD@EXAMPLE.ORG",
        "ｃoｏrｄ@ｅｘａｍｐｌｅ.org",
    ]
    # Each guess from another address, so only the per-address limit can stop them.
    codes = [
        Client(REMOTE_ADDR=f"203.0.113.{i}")
        .post(url, {"username": spelling, "password": "wrong"})
        .status_code
        for i, spelling in enumerate(spellings)
    ]
    assert codes == [400, 400, 400, 429]
    # Even the right password, in yet another spelling, waits out the limit.
    client = Client(REMOTE_ADDR="203.0.113.99")
    response = client.post(url, {"username": "ｃｏｏｒｄ@EXAMPLE.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_sign_in_finds_the_person_by_the_same_identity(coord_with_password):
    for spelling in ("ｃｏｏｒｄ@example.org", "Coord@Example.org"):
        assert authenticate(username=spelling, password=PASSWORD) == coord_with_password
    assert User.objects.get_by_natural_key("ＣＯＯＲＤ@example.org") == coord_with_password


def test_link_limit_counts_every_spelling_of_one_address(client, lead, settings):
    settings.RATELIMIT_SIGNIN_PER_HOUR = 2
    local, domain = lead.email.split("@")
    url = reverse("accounts:link_request")
    spellings = [lead.email, lead.email.upper(), f"{local}@{full_width(domain.split('.')[0])}.org"]
    codes = [client.post(url, {"email": s}).status_code for s in spellings]
    assert codes == [200, 200, 429]
    assert OutboxMessage.objects.filter(to_email=lead.email).count() == 2


def test_link_renewal_counts_against_the_same_address_limit(lead, settings):
    from datetime import timedelta

    from django.utils import timezone

    from core.services.signin import signin_token_make

    settings.RATELIMIT_SIGNIN_PER_HOUR = 1
    client = Client()
    assert (
        client.post(reverse("accounts:link_request"), {"email": lead.email.upper()}).status_code
        == 200
    )
    expired = signin_token_make(user=lead, expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(reverse("accounts:link_renew"), {"token": expired})
    assert response.status_code == 429


def test_a_full_width_copy_of_an_address_is_a_duplicate_at_creation(coordinator, lead):
    local, domain = lead.email.split("@")
    twin = f"{full_width(local).upper()}@{full_width(domain)}"
    with pytest.raises(ValidationError):
        services.person_create(email=twin, full_name="Twin", actor=Actor.of(coordinator))
    response = Client()
    response.force_login(coordinator)
    page = response.post(
        reverse("partnership:person_create"),
        {"full_name": "Twin", "email": f"{local.upper()}@{full_width(domain)}", "role": "viewer"},
    )
    assert page.status_code == 400
    assert "already in the portal" in page.content.decode()
    assert User.objects.count() == 2


def test_a_full_width_copy_of_someone_elses_address_is_refused_on_edit(coordinator, lead, editor):
    local, domain = lead.email.split("@")
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        reverse("partnership:person_detail", args=[editor.pk]),
        {"full_name": editor.full_name, "email": f"{local}@{full_width(domain)}"},
    )
    assert response.status_code == 400
    assert "already in the portal" in response.content.decode()
    with pytest.raises(ValidationError):
        services.person_update(
            person=editor,
            data={"email": f"{local}@{full_width(domain)}"},
            actor=Actor.of(coordinator),
        )
    editor.refresh_from_db()
    assert editor.email != lead.email


def test_addresses_are_stored_in_their_one_spelling(coordinator):
    person = services.person_create(
        email="Ana.Diaz@" + full_width("example") + ".ORG",
        full_name="Ana",
        actor=Actor.of(coordinator),
    )
    assert person.email == "ana.diaz@example.org"
    assert User.objects.create_user("Ｂｏｂ@Example.org").email == "bob@example.org"


def test_adding_an_existing_person_to_a_partner_finds_them_in_any_spelling(
    coordinator, lead, other_partner
):
    local, domain = lead.email.split("@")
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        reverse("partnership:partner_person_add", args=[other_partner.pk]),
        {"email": f"{local.upper()}@{full_width(domain)}", "role": "viewer"},
    )
    assert response.status_code == 302
    assert User.objects.count() == 2
    assert lead.memberships.filter(partner=other_partner).exists()


def test_the_admin_refuses_a_full_width_duplicate(lead):
    admin = factories.UserFactory(is_staff=True, is_superuser=True, is_coordinator=True)
    client = Client()
    client.force_login(admin)
    local, domain = lead.email.split("@")
    response = client.post(
        reverse("admin:core_user_add"),
        {
            "email": f"{local}@{full_width(domain)}",
            "full_name": "Twin",
            "password1": "",
            "password2": "",
            "usable_password": "false",
        },
    )
    assert response.status_code == 200
    assert "User with this E-mail already exists." in response.content.decode()
    assert User.objects.filter(full_name="Twin").count() == 0


def test_the_migration_stores_old_spellings_in_the_one_form(lead, editor):
    migration = importlib.import_module("core.migrations.0005_user_email_identity")
    User.objects.filter(pk=lead.pk).update(email="Lead.Person@" + full_width("example") + ".org")
    # A second account whose address folds onto the first is left alone, not merged.
    User.objects.filter(pk=editor.pk).update(email="LEAD.person@example.org")
    migration.emails_normalize(apps, None)
    lead.refresh_from_db()
    editor.refresh_from_db()
    assert {lead.email, editor.email} & {"lead.person@example.org"}
    assert len({email_identity(lead.email), email_identity(editor.email)}) == 1
    assert lead.email != editor.email
