"""The second factor (django-allauth's TOTP and recovery codes) with MFA_REQUIRED on.

Codes are computed with allauth's own TOTP functions. A TOTP code works once, so the
tolerance is one period either side: each step uses the next counter's code."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from core.models import Event
from core.services.signin import SALT as SIGNIN_SALT
from core.services.signin import signin_token_make
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-9"


@pytest.fixture(autouse=True)
def _mfa_on(settings):
    settings.MFA_REQUIRED = True
    settings.MFA_TOTP_TOLERANCE = 1


def staff_person(**fields):
    fields.setdefault("is_coordinator", True)
    user = factories.UserFactory(**fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def current_counter() -> int:
    counters = list(yield_hotp_counters_from_time())
    return counters[len(counters) // 2]


def code_from(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, current_counter() + offset))


def secret_of(user) -> str:
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(totp.data["secret"])


def password_signin(client, user, next_path="/dashboard/"):
    return client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": PASSWORD, "next": next_path},
    )


def enrol(client, user) -> list[str]:
    """Password, then the forced enrolment; returns the recovery codes shown once."""
    password_signin(client, user)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": code_from(secret, -1)})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    shown = client.get(reverse("mfa_view_recovery_codes"))
    return shown.context["unused_codes"]


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_password_alone_reaches_only_the_enrolment_page(client):
    user = staff_person()
    response = password_signin(client, user)
    assert response.status_code == 302
    for path in ("/dashboard/", "/people/", "/admin/", reverse("mfa_index")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp"), path
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert b"Set up your second factor" in page.content
    assert page.context["form"].secret.encode() in page.content


def test_enrolment_refuses_a_wrong_code_with_a_message(client):
    user = staff_person()
    password_signin(client, user)
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 400
    assert b"Incorrect code." in response.content
    assert not Authenticator.objects.filter(user=user).exists()
    assert client.get("/dashboard/")["Location"] == reverse("mfa_activate_totp")


def test_enrolment_shows_the_recovery_codes_once_then_opens_the_portal(client):
    user = staff_person()
    codes = enrol(client, user)
    assert len(codes) == 10 and all(re.fullmatch(r"\d{8}", code) for code in codes)
    again = client.get(reverse("mfa_view_recovery_codes"))
    assert again.status_code == 200
    assert not any(code.encode() in again.content for code in codes)
    assert b"shown once" in again.content
    # The enrolment code counts as this session's second factor.
    assert client.get("/dashboard/").status_code == 200


def test_signin_asks_for_the_code_and_accepts_it(client):
    user = staff_person()
    enrol(client, user)
    client.post(reverse("accounts:logout"))
    response = password_signin(client, user)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client)
    assert client.get("/dashboard/").status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": code_from(secret_of(user))})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_wrong_code_is_refused_with_a_clear_message(client):
    user = staff_person()
    enrol(client, user)
    client.post(reverse("accounts:logout"))
    password_signin(client, user)
    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert response.status_code == 400
    assert b"Incorrect code." in response.content
    assert not is_signed_in(client)


def test_a_used_totp_code_does_not_work_twice(client):
    user = staff_person()
    enrol(client, user)
    code = code_from(secret_of(user), 1)
    for expected in (302, 400):
        client.post(reverse("accounts:logout"))
        password_signin(client, user)
        assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == expected


def test_a_recovery_code_signs_in_once(client):
    user = staff_person()
    codes = enrol(client, user)
    client.post(reverse("accounts:logout"))
    password_signin(client, user)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[3]})
    assert response.status_code == 302 and is_signed_in(client)
    assert client.get("/dashboard/").status_code == 200
    client.post(reverse("accounts:logout"))
    password_signin(client, user)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[3]})
    assert response.status_code == 400 and not is_signed_in(client)
    rc = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert codes[3] not in RecoveryCodes(rc).get_unused_codes()


def test_repeated_wrong_codes_are_rate_limited(client):
    user = staff_person()
    enrol(client, user)
    client.post(reverse("accounts:logout"))
    password_signin(client, user)
    statuses = [
        client.post(reverse("mfa_authenticate"), {"code": f"00000{n}"}).status_code
        for n in range(5)
    ]
    assert statuses == [400] * 5
    # Now even the right code is turned away until the window passes.
    response = client.post(reverse("mfa_authenticate"), {"code": code_from(secret_of(user), 1)})
    assert response.status_code == 429
    assert b"Too many failed login attempts" in response.content
    assert not is_signed_in(client)


def test_regenerated_recovery_codes_are_shown_once_and_replace_the_old(client):
    user = staff_person()
    old = enrol(client, user)
    response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    new = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"]
    assert set(new).isdisjoint(old)
    again = client.get(reverse("mfa_view_recovery_codes"))
    assert not any(code.encode() in again.content for code in new)
    client.post(reverse("accounts:logout"))
    password_signin(client, user)
    assert client.post(reverse("mfa_authenticate"), {"code": old[0]}).status_code == 400


def test_admin_signs_in_through_the_portal_page(client):
    response = client.get("/admin/login/?next=/admin/core/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/core/user/"
    staff = staff_person(is_staff=True, is_superuser=True)
    enrol(client, staff)
    assert client.get("/admin/").status_code == 200
    client.post(reverse("accounts:logout"))
    # The password alone does not open the admin.
    password_signin(client, staff, next_path="/admin/")
    response = client.get("/admin/")
    assert response.status_code == 302 and not is_signed_in(client)


def test_admin_login_refuses_a_signed_in_partner_without_a_loop(client, lead):
    client.force_login(lead)
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_session_without_the_second_factor_is_ended(client):
    user = staff_person()
    enrol(client, user)
    other = type(client)()
    # A session made any other way (here force_login, like one from before MFA_REQUIRED).
    other.force_login(user)
    response = other.get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not is_signed_in(other)


def test_a_session_whose_authenticator_was_removed_cannot_enrol_another(client):
    # Authenticators deleted by any means (the reset, the admin): the session that passed
    # their code is ended at once, even on the enrolment page itself, and after a fresh
    # password sign-in enrolment is offered again.
    user = staff_person()
    enrol(client, user)
    Authenticator.objects.filter(user=user).delete()
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not is_signed_in(client)
    password_signin(client, user)
    assert client.get("/dashboard/")["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_staff_without_authenticator_and_without_password_is_ended(client):
    user = staff_person(is_coordinator=False, is_staff=True)
    client.force_login(user)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and not is_signed_in(client)


def test_a_signin_link_is_no_way_in_for_a_coordinator(client):
    user = staff_person()
    # No link is made for a coordinator; one signed with the real key (forged, or issued
    # before the promotion) is refused when opened, with the second factor on too.
    expiry = int(timezone.now().timestamp()) + 3600
    payload = {"u": user.pk, "v": user.link_version, "n": "/dashboard/", "e": expiry}
    token = signing.dumps(payload, salt=SIGNIN_SALT, compress=True)
    response = client.get(reverse("accounts:link", kwargs={"token": token}))
    assert response.status_code == 400
    assert not is_signed_in(client)


def test_a_partner_link_still_signs_in_at_once(client, lead, partner):
    token = signin_token_make(user=lead, next_path=f"/partners/{partner.pk}/")
    response = client.get(reverse("accounts:link", kwargs={"token": token}))
    assert response.status_code == 302 and response["Location"] == f"/partners/{partner.pk}/"
    assert client.session["_auth_user_id"] == str(lead.pk)
    methods = [r["method"] for r in client.session["account_authentication_methods"]]
    assert methods == ["link"]


def test_reset_records_an_event_and_forces_enrolment(client):
    admin_coordinator = staff_person()
    enrol(client, admin_coordinator)
    colleague = staff_person()
    colleague_client = type(client)()
    enrol(colleague_client, colleague)
    url = reverse("second_factor_reset", kwargs={"pk": colleague.pk})
    page = client.get(url)
    assert page.status_code == 200 and b"Reset their second factor" in page.content
    response = client.post(url, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox")
    assert response.status_code == 302
    assert response["Location"] == reverse("partnership:person_detail", kwargs={"pk": colleague.pk})
    assert not Authenticator.objects.filter(user=colleague).exists()
    event = Event.objects.get(action="second_factor.reset")
    assert event.actor == admin_coordinator and event.subject_id == colleague.pk
    assert event.ip_address == "203.0.113.9" and event.user_agent == "Firefox"
    assert event.created_at is not None
    # Their open session, which passed the reset authenticator's code, is ended (whoever
    # holds it, a phone thief included, cannot enrol a new factor in it); their next
    # sign-in with the password leads to enrolment.
    ended = colleague_client.get("/dashboard/")
    assert ended.status_code == 302 and ended["Location"].startswith("/accounts/login/")
    assert not is_signed_in(colleague_client)
    assert colleague_client.get(reverse("mfa_activate_totp"))["Location"].startswith(
        "/accounts/login/"
    )
    fresh = type(client)()
    password_signin(fresh, colleague)
    assert fresh.get("/dashboard/")["Location"] == reverse("mfa_activate_totp")
    # Nothing left to reset: a clear 409, no second event.
    again = client.post(url)
    assert again.status_code == 409 and b"has no second factor" in again.content
    assert Event.objects.filter(action="second_factor.reset").count() == 1


def test_person_page_offers_the_reset_to_a_coordinator(client):
    viewer = staff_person()
    enrol(client, viewer)
    colleague = staff_person()
    enrol(type(client)(), colleague)
    page = client.get(reverse("partnership:person_detail", kwargs={"pk": colleague.pk}))
    assert page.status_code == 200
    assert reverse("second_factor_reset", kwargs={"pk": colleague.pk}).encode() in page.content
    own = client.get(reverse("partnership:person_detail", kwargs={"pk": viewer.pk}))
    assert reverse("second_factor_reset", kwargs={"pk": viewer.pk}).encode() not in own.content


@pytest.mark.parametrize(
    ("actor_kind", "target_kind", "allowed"),
    [
        ("lead", "coordinator", False),
        ("coordinator", "self", False),
        ("coordinator", "superuser", False),
        ("coordinator", "partner_person", False),
        ("coordinator", "coordinator", True),
        ("coordinator", "staff", True),
        ("superuser", "superuser", True),
    ],
)
def test_who_may_reset(client, lead, actor_kind, target_kind, allowed):
    actor = {
        "lead": lead,
        "coordinator": staff_person(),
        "superuser": staff_person(is_staff=True, is_superuser=True),
    }[actor_kind]
    target = {
        "self": actor,
        "coordinator": staff_person(),
        "staff": staff_person(is_coordinator=False, is_staff=True),
        "superuser": staff_person(is_staff=True, is_superuser=True),
        "partner_person": lead if actor is not lead else staff_person(),
    }[target_kind]
    if target is not actor:
        Authenticator.objects.create(user=target, type=Authenticator.Type.TOTP, data={})
    if actor is lead:
        client.force_login(lead)
    else:
        enrol(client, actor)
    before = Authenticator.objects.filter(user=target).count()
    url = reverse("second_factor_reset", kwargs={"pk": target.pk})
    response = client.post(url)
    if allowed:
        assert response.status_code == 302
        assert not Authenticator.objects.filter(user=target).exists()
        assert Event.objects.filter(action="second_factor.reset", actor=actor).count() == 1
    else:
        assert response.status_code == 403
        assert client.get(url).status_code == 403
        assert Authenticator.objects.filter(user=target).count() == before
        assert not Event.objects.filter(action="second_factor.reset").exists()


def test_reset_tells_a_partner_nothing_about_who_exists(client, lead):
    client.force_login(lead)
    missing = reverse("second_factor_reset", kwargs={"pk": 999999})
    assert client.get(missing).status_code == 403
    assert client.post(missing).status_code == 403


def test_enrolment_page_with_the_secret_is_never_cached(client):
    password_signin(client, staff_person())
    page = client.get(reverse("mfa_activate_totp"))
    assert "no-store" in page["Cache-Control"]


def test_reset_page_sends_the_signed_out_to_sign_in(client):
    target = staff_person()
    response = client.post(reverse("second_factor_reset", kwargs={"pk": target.pk}))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
