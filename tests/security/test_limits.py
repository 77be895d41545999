"""Limits: sign-in rate limits per address and per IP, uploads (size, type, content, name),
and request size (a clear 400 or 413, never a 500)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from core.models import OutboxMessage
from meetings.attachments import MAX_ATTACHMENT_BYTES
from meetings.models import Attachment
from tests import factories
from tests.security.conftest import PDF

pytestmark = pytest.mark.django_db


def _from(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


# --- sign-in link requests --------------------------------------------------------------


@pytest.fixture
def person(db):
    return factories.MembershipFactory(role="lead").user


def test_link_requests_per_address_count_across_addresses_of_senders(person, settings):
    """Changing IP does not buy more links for one address."""
    settings.RATELIMIT_SIGNIN_PER_HOUR = 3
    url = reverse("accounts:link_request")
    codes = [
        _from(f"198.51.100.{i}").post(url, {"email": person.email}).status_code for i in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    # Upper case is the same address.
    assert _from("198.51.100.9").post(url, {"email": person.email.upper()}).status_code == 429
    assert OutboxMessage.objects.filter(to_email=person.email).count() == 3


def test_link_requests_per_ip_count_across_addresses(person, settings):
    settings.RATELIMIT_SIGNIN_PER_IP_PER_HOUR = 4
    url = reverse("accounts:link_request")
    client = _from("203.0.113.7")
    codes = [client.post(url, {"email": f"p{i}@example.org"}).status_code for i in range(4)]
    assert codes == [200] * 4
    refused = client.post(url, {"email": person.email})
    assert refused.status_code == 429
    assert b"Too many links were asked for" in refused.content
    assert not OutboxMessage.objects.filter(to_email=person.email).exists()
    # Another address elsewhere is not affected.
    assert _from("203.0.113.8").post(url, {"email": person.email}).status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_count(person, settings):
    settings.RATELIMIT_SIGNIN_PER_IP_PER_HOUR = 2
    url = reverse("accounts:link_request")
    client = _from("203.0.113.7")
    codes = [
        client.post(
            url, {"email": f"p{i}@example.org"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}"
        ).status_code
        for i in range(4)
    ]
    assert codes == [200, 200, 429, 429]


def test_unknown_and_known_addresses_get_the_same_answer(person):
    url = reverse("accounts:link_request")
    known = _from("192.0.2.1").post(url, {"email": person.email})
    unknown = _from("192.0.2.2").post(url, {"email": "nobody-here@example.org"})
    assert known.status_code == unknown.status_code == 200

    def page(response, email):
        text = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", response.text)
        return text.replace(email, "EMAIL")

    assert page(known, person.email) == page(unknown, "nobody-here@example.org")


def test_the_limit_window_ends_after_an_hour(person, settings):
    settings.RATELIMIT_SIGNIN_PER_HOUR = 1
    url = reverse("accounts:link_request")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert _from("192.0.2.1").post(url, {"email": person.email}).status_code == 200
        assert _from("192.0.2.1").post(url, {"email": person.email}).status_code == 429
        traveller.shift(timedelta(hours=1, seconds=1))
        assert _from("192.0.2.1").post(url, {"email": person.email}).status_code == 200


def test_renewing_an_expired_link_is_limited_too(person, settings):
    from core.services.signin import signin_link_make

    settings.RATELIMIT_SIGNIN_PER_HOUR = 2
    link = signin_link_make(
        user=person, next_path="/", expires_at=timezone.now() - timedelta(minutes=1)
    )
    token = link.rstrip("/").rsplit("/", 1)[-1]
    url = reverse("accounts:link_renew")
    codes = [_from(f"192.0.2.{i}").post(url, {"token": token}).status_code for i in range(4)]
    assert codes == [200, 200, 429, 429]


# --- password sign-in ------------------------------------------------------------------------


@pytest.fixture
def coordinator_with_password(db):
    user = factories.UserFactory(is_coordinator=True, email="lita@example.org")
    user.set_password("a-long-passphrase-9")
    user.save()
    return user


def test_password_attempts_per_address_count_across_ips(coordinator_with_password, settings):
    settings.RATELIMIT_PASSWORD_PER_HOUR = 3
    url = reverse("accounts:login")
    wrong = {"username": "lita@example.org", "password": "guess"}
    codes = [_from(f"198.51.100.{i}").post(url, wrong).status_code for i in range(4)]
    assert codes == [400, 400, 400, 429]
    # Once limited, even the right password does not sign in.
    right = {"username": "LITA@example.org", "password": "a-long-passphrase-9"}
    client = _from("198.51.100.50")
    response = client.post(url, right)
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_password_attempts_per_ip_count_across_addresses(coordinator_with_password, settings):
    settings.RATELIMIT_PASSWORD_PER_HOUR = 2  # per IP: three times that
    url = reverse("accounts:login")
    client = _from("203.0.113.9")
    codes = [
        client.post(url, {"username": f"u{i}@example.org", "password": "x"}).status_code
        for i in range(7)
    ]
    assert codes == [400] * 6 + [429]
    right = {"username": "lita@example.org", "password": "a-long-passphrase-9"}
    assert client.post(url, right).status_code == 429
    assert _from("203.0.113.10").post(url, right).status_code == 302


def test_verify_page_checks_are_limited_per_ip(settings):
    url = reverse("verify:page")
    client = _from("192.0.2.50")
    codes = {client.post(url, {"sha256": "0" * 64}).status_code for _ in range(30)}
    assert codes == {200}
    assert client.post(url, {"sha256": "0" * 64}).status_code == 429


# --- uploads ---------------------------------------------------------------------------------


@pytest.fixture
def meeting_page(world):
    client = Client()
    client.force_login(world.people["coordinator"])
    return client, reverse("meetings:attachment_upload", args=[world.meeting.pk])


def _upload(name: str, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.pdf", PDF + b"0" * MAX_ATTACHMENT_BYTES, b"too large"),
        ("empty.pdf", b"", b"empty"),
        ("tool.exe", b"MZ\x90\x00", b"cannot be attached"),
        ("page.html", b"<script>alert(1)</script>", b"cannot be attached"),
        ("image.svg", b"<svg onload=alert(1)>", b"cannot be attached"),
        ("fake.pdf", b"<html><script>alert(1)</script>", b"not a real .pdf"),
        ("fake.png", PDF, b"not a real .png"),
        ("fake.docx", b"PK\x03\x04 not a zip", b"not a real .docx"),
        ("binary.txt", b"\x00\x01\x02 binary", b"not a real .txt"),
        ("noextension", PDF, b"cannot be attached"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_stored(
    meeting_page, world, name, content, message
):
    client, url = meeting_page
    before = Attachment.objects.count()
    response = client.post(url, {"file": _upload(name, content)})
    assert response.status_code == 400
    assert message in response.content
    assert Attachment.objects.count() == before


def test_an_upload_name_cannot_climb_out_of_the_media_folder(meeting_page, world, settings):
    client, url = meeting_page
    response = client.post(
        url, {"file": _upload("../../../etc/cron.d/x<script>.pdf", PDF, "text/html")}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.latest("pk")
    assert attachment.original_name == "x<script>.pdf"
    assert attachment.content_type == "application/pdf"  # ours, not the browser's
    stored = (settings.MEDIA_ROOT / attachment.file.name).resolve()
    assert stored.is_relative_to(settings.MEDIA_ROOT.resolve())
    assert ".." not in attachment.file.name and "script" not in attachment.file.name
    download = client.get(reverse("meetings:attachment_download", args=[attachment.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["Content-Disposition"].startswith("attachment;")


def test_an_upload_name_cannot_inject_a_header_into_the_download(world):
    from meetings import services

    attachment = services.attachment_add(
        meeting=world.meeting,
        upload=_upload('minutes"\r\nSet-Cookie: stolen=1\n.pdf', PDF),
        actor=Actor.of(world.people["coordinator"]),
    )
    client = Client()
    client.force_login(world.people["lead"])
    download = client.get(reverse("meetings:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert "stolen" not in download.cookies
    for name, value in download.items():
        assert "\r" not in value and "\n" not in value, (name, value)


def test_uploaded_files_are_not_served_from_a_media_address(meeting_page, world):
    client, _ = meeting_page
    assert client.get("/media/" + world.attachment.file.name).status_code == 404


# --- request size --------------------------------------------------------------------------


def test_a_form_post_over_the_memory_limit_is_a_400_not_a_500(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client = Client(raise_request_exception=False)
    client.force_login(world.people["lead"])
    block = world.block
    url = reverse("mou:block_save", args=[block.version_id, block.pk])
    response = client.post(
        url, {"revision": block.revision, "role_in_partnership": "x" * (2 * 1024 * 1024)}
    )
    assert response.status_code == 400
    block.refresh_from_db()
    assert not block.role_in_partnership.startswith("xxx")


def test_too_many_fields_is_a_400_not_a_500(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.people["lead"])
    url = reverse("needs_matrix:row_edit", args=[world.partner.pk])
    body = "&".join(f"f{i}=1" for i in range(25_000))
    response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_a_huge_body_is_refused_before_it_is_read(world, settings):
    """A public address takes no more than REQUEST_MAX_BYTES, whatever the body holds
    (file parts are not counted by DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    settings.REQUEST_MAX_BYTES = 64 * 1024
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("accounts:login"),
        {"username": "a@example.org", "password": "x", "junk": _upload("x.bin", b"0" * 100_000)},
    )
    assert response.status_code == 413
    assert b"too large" in response.content.lower()


def test_the_default_request_cap_admits_the_largest_upload():
    from django.conf import settings

    from mou.forms_signing import VERIFY_MAX_BYTES

    assert max(MAX_ATTACHMENT_BYTES, VERIFY_MAX_BYTES) < settings.REQUEST_MAX_BYTES
