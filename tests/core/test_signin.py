"""Sign-in links and password sign-in: every rule of the foundation issue."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Event, OutboxMessage
from core.services.signin import signin_token_make
from partnership.models import Partner
from tests import factories

pytestmark = pytest.mark.django_db


def link_path(user, next_path="/", **kwargs):
    return reverse(
        "accounts:link",
        kwargs={"token": signin_token_make(user=user, next_path=next_path, **kwargs)},
    )


def test_link_signs_in_and_opens_the_page(client, lead, partner):
    response = client.get(link_path(lead, f"/partners/{partner.pk}/"))
    assert response.status_code == 302
    assert response["Location"] == f"/partners/{partner.pk}/"
    assert client.session["_auth_user_id"] == str(lead.pk)


def test_link_get_changes_nothing_but_the_session_and_works_again(client, lead):
    path = link_path(lead)
    before = (Event.objects.count(), OutboxMessage.objects.count(), lead.link_version)
    assert client.get(path).status_code == 302
    client.logout()
    # A mail scanner fetched it first: the person's own click still works.
    assert client.get(path).status_code == 302
    lead.refresh_from_db()
    assert (Event.objects.count(), OutboxMessage.objects.count(), lead.link_version) == before


def test_expired_link_explains_and_offers_a_new_one(
    client, lead, mailoutbox, django_capture_on_commit_callbacks
):
    path = link_path(lead, "/mou/", expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(path)
    assert response.status_code == 410
    assert b"This link has expired" in response.content
    assert "_auth_user_id" not in client.session
    token = path.rstrip("/").rsplit("/", 1)[-1]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:link_renew"), {"token": token})
    assert response.status_code == 200
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [lead.email]
    new_link = next(word for word in mailoutbox[0].body.split() if "/accounts/link/" in word)
    response = client.get(new_link.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 302 and response["Location"] == "/mou/"


@pytest.mark.parametrize("token", ["garbage", "x" * 300, "eyJ1IjoxfQ:1abc:def"])
def test_tampered_or_unknown_link_is_refused_with_a_way_forward(client, token):
    response = client.get(reverse("accounts:link", kwargs={"token": token}))
    assert response.status_code == 400
    assert b"This link does not work" in response.content
    assert b"E-mail me a new link" in response.content


def test_a_link_with_one_character_changed_is_refused(client, lead):
    path = link_path(lead)
    token = path.rstrip("/").rsplit("/", 1)[-1]
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    assert client.get(reverse("accounts:link", kwargs={"token": flipped})).status_code == 400


def test_links_die_when_the_person_is_deactivated_or_links_are_revoked(client, lead):
    path = link_path(lead)
    lead.link_version += 1
    lead.save()
    assert client.get(path).status_code == 400
    lead.is_active = False
    lead.save()
    assert client.get(link_path(lead)).status_code == 400


def test_deactivated_partners_lead_gets_a_clear_page(client, lead, partner):
    partner.status = Partner.Status.INACTIVE
    partner.save()
    response = client.get(link_path(lead))
    assert response.status_code == 403
    assert b"access is paused" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("evil", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_next_path_cannot_leave_the_site(client, lead, evil):
    response = client.get(link_path(lead, evil))
    assert response["Location"] == "/"


def test_request_answer_is_the_same_for_known_and_unknown_addresses(
    client, lead, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("accounts:link_request")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": lead.email.upper()})
        unknown = client.post(url, {"email": "stranger@example.net"})
    assert known.status_code == unknown.status_code == 200

    def main_text(response, email):
        text = response.content.decode()
        text = text[text.index("<main") : text.index("</main>")]
        return text.replace(email.upper(), "EMAIL").replace(email, "EMAIL")

    assert main_text(known, lead.email) == main_text(unknown, "stranger@example.net")
    assert [m.to for m in mailoutbox] == [[lead.email]]


def test_request_with_an_invalid_address_is_a_clear_400(client):
    response = client.post(reverse("accounts:link_request"), {"email": "not-an-address"})
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert OutboxMessage.objects.count() == 0


def test_link_requests_are_limited_per_address(client, lead, settings):
    settings.RATELIMIT_SIGNIN_PER_HOUR = 3
    url = reverse("accounts:link_request")
    codes = [client.post(url, {"email": lead.email}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert OutboxMessage.objects.filter(to_email=lead.email).count() == 3


def test_link_requests_are_limited_per_ip(client, settings):
    settings.RATELIMIT_SIGNIN_PER_IP_PER_HOUR = 4
    url = reverse("accounts:link_request")
    codes = [client.post(url, {"email": f"p{i}@example.org"}).status_code for i in range(6)]
    assert codes[:4] == [200] * 4 and codes[4:] == [429, 429]


def test_coordinator_signs_in_with_a_password(client):
    user = factories.UserFactory(is_coordinator=True, email="lita@example.org")
    user.set_password("a-long-passphrase-9")
    user.save()
    response = client.post(
        reverse("accounts:login"),
        {"username": "lita@example.org", "password": "a-long-passphrase-9"},
    )
    assert response.status_code == 302
    event = Event.objects.get(action="signin.password", actor=user)
    assert event.summary == "lita@example.org signed in with the password"


def test_wrong_password_is_a_clear_400_and_then_rate_limited(client, settings):
    settings.RATELIMIT_PASSWORD_PER_HOUR = 2
    url = reverse("accounts:login")
    first = client.post(url, {"username": "lita@example.org", "password": "nope"})
    assert first.status_code == 400
    assert b"do not match an account" in first.content
    client.post(url, {"username": "lita@example.org", "password": "nope"})
    third = client.post(url, {"username": "lita@example.org", "password": "nope"})
    assert third.status_code == 429
    assert b"Too many sign-in attempts" in third.content


def test_sign_out_is_a_post(client, lead):
    client.force_login(lead)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_home_sends_anonymous_people_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
