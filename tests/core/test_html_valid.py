"""The portal's main pages are valid HTML, as the W3C Nu HTML Checker (vnu.jar) reads them.

Every page is rendered through the test client on the demo network, for each role that
sees it, written to a file, and checked in one run of the checker (it takes seconds to
start). `bin/ensure-vnu` (run by `make test`) fetches the pinned checker; without Java or
the jar this test fails, it never skips."""

import json
import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views import defaults

from core.actor import Actor
from core.models import User
from meetings.models import ActionItem, Meeting
from mou import services as mou_services
from mou.models import MouVersion, RoleBlock, SignatureRequest
from partnership.demo import COORDINATOR_EMAIL, demo_lead
from partnership.models import Membership, Partner, Workgroup

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
JAR = Path(os.environ.get("PORTAL_VNU_JAR", ROOT / "var" / "vnu" / "vnu.jar"))
TOKEN_IN_LINK = re.compile(r"/mou/sign/([A-Za-z0-9_-]{20,})/")


def _checker() -> list[str]:
    java = shutil.which("java")
    if java is None or not JAR.is_file():
        pytest.fail(
            f"The Nu HTML Checker needs Java and {JAR}: run `make test` or `bin/ensure-vnu` "
            "(it installs Java from Debian and fetches the pinned vnu-jar)."
        )
    return [java, "-Xss1m", "-jar", str(JAR)]


def _client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


class Pages:
    """Collects rendered pages under a file name each, and checks each one's status."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.files: dict[str, str] = {}

    def add(
        self, label: str, client: Client, url: str, *, status: int = 200, method="get", data=None
    ):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == status, (label, url, response.status_code)
        self.add_html(label, response.content.decode())

    def add_html(self, label: str, html: str) -> None:
        name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") + ".html"
        assert name not in self.files, f"two pages named {name}"
        (self.folder / name).write_text(html)
        self.files[name] = label


def _error_pages(pages: Pages) -> None:
    request = RequestFactory().get("/somewhere/")
    for label, handler, exception in (
        ("error 400", defaults.bad_request, Exception("bad")),
        ("error 403", defaults.permission_denied, PermissionDenied()),
        ("error 404", defaults.page_not_found, Http404()),
    ):
        pages.add_html(label, handler(request, exception).content.decode())
    pages.add_html("error 500", defaults.server_error(request).content.decode())


def _render_all(folder: Path) -> Pages:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    pages = Pages(folder)
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    lead = demo_lead()
    partner = Partner.objects.get(name="Salem-Keizer School District")
    other = Partner.objects.get(name="Woodburn School District")
    viewer = User.objects.create(email="viewer@example.org", full_name="Val Viewer")
    Membership.objects.create(user=viewer, partner=partner, role="viewer")
    version = MouVersion.objects.get(status=MouVersion.Status.OPEN)
    executed = MouVersion.objects.get(status=MouVersion.Status.EXECUTED)
    block = RoleBlock.objects.get(version=version, partner=partner)
    other_block = RoleBlock.objects.get(version=version, partner=other)
    meeting = Meeting.objects.order_by("starts_at").first()
    item = ActionItem.objects.order_by("pk").first()
    anonymous = Client()
    as_coordinator, as_lead, as_viewer = map(_client_for, (coordinator, lead, viewer))

    # Signing in.
    pages.add("sign-in", anonymous, reverse("accounts:login"))
    pages.add(
        "sign-in wrong password",
        anonymous,
        reverse("accounts:login"),
        method="post",
        data={"username": COORDINATOR_EMAIL, "password": "wrong"},
        status=400,
    )
    pages.add("sign-in link request", anonymous, reverse("accounts:link_request"))
    pages.add("second factor settings", as_coordinator, reverse("mfa_index"))
    pages.add("reauthenticate", as_coordinator, reverse("account_reauthenticate"))
    pages.add("reminder settings", as_lead, reverse("accounts:reminder_settings"))

    # Home and dashboard.
    pages.add("home lead", as_lead, "/")
    pages.add("home viewer", as_viewer, "/")
    pages.add("dashboard", as_coordinator, reverse("dashboard:index"))

    # Partners and people.
    for label, client in (("coordinator", as_coordinator), ("lead", as_lead)):
        pages.add(f"partner list {label}", client, reverse("partnership:partner_list"))
        pages.add(
            f"partner detail {label}",
            client,
            reverse("partnership:partner_detail", args=[partner.pk]),
        )
    pages.add(
        "partner edit", as_coordinator, reverse("partnership:partner_edit", args=[partner.pk])
    )
    pages.add("partner new", as_coordinator, reverse("partnership:partner_create"))
    pages.add("people", as_coordinator, reverse("partnership:person_list"))
    pages.add("person", as_coordinator, reverse("partnership:person_detail", args=[lead.pk]))
    pages.add("workgroups", as_coordinator, reverse("partnership:workgroup_list"))
    workgroup = Workgroup.objects.order_by("pk").first()
    pages.add(
        "workgroup", as_coordinator, reverse("partnership:workgroup_detail", args=[workgroup.pk])
    )

    # The MOU.
    for label, client in (("coordinator", as_coordinator), ("lead", as_lead)):
        pages.add(f"mou versions {label}", client, reverse("mou:version_list"))
        pages.add(f"mou version {label}", client, reverse("mou:version_detail", args=[version.pk]))
        pages.add(f"whole mou {label}", client, reverse("mou:document", args=[version.pk]))
        pages.add(
            f"executed mou {label}", client, reverse("mou:version_detail", args=[executed.pk])
        )
    block_url = reverse("mou:block", args=[version.pk, block.pk])
    pages.add("block editor lead", as_lead, block_url)
    pages.add("block editor viewer", as_viewer, block_url)
    pages.add("block editor coordinator", as_coordinator, block_url)
    pages.add(
        "block editor submitted coordinator",
        as_coordinator,
        reverse("mou:block", args=[version.pk, other_block.pk]),
    )
    pages.add("block history", as_lead, reverse("mou:block_history", args=[version.pk, block.pk]))
    pages.add("block diff", as_lead, reverse("mou:block_diff", args=[version.pk, block.pk]))
    pages.add("version new", as_coordinator, reverse("mou:version_create"))
    pages.add("version edit", as_coordinator, reverse("mou:version_edit", args=[version.pk]))
    pages.add("version freeze", as_coordinator, reverse("mou:version_freeze", args=[version.pk]))
    pages.add(
        "version reminders", as_coordinator, reverse("mou:version_reminders", args=[version.pk])
    )
    pages.add("role templates", as_coordinator, reverse("mou:template_list", args=[version.pk]))

    # The needs matrix.
    for label, client in (("coordinator", as_coordinator), ("lead", as_lead)):
        pages.add(f"matrix grid {label}", client, reverse("needs_matrix:grid"))
    pages.add("matrix summary", as_coordinator, reverse("needs_matrix:summary"))
    row_url = reverse("needs_matrix:row_edit", args=[partner.pk])
    pages.add("matrix row editor lead", as_lead, row_url)
    pages.add("matrix row editor viewer", as_viewer, row_url)
    pages.add("matrix row history", as_lead, reverse("needs_matrix:row_history", args=[partner.pk]))
    pages.add("matrix categories", as_coordinator, reverse("needs_matrix:category_list"))

    # Meetings.
    for label, client in (("coordinator", as_coordinator), ("lead", as_lead)):
        pages.add(f"meetings {label}", client, reverse("meetings:list"))
        pages.add(f"meeting {label}", client, reverse("meetings:detail", args=[meeting.pk]))
        pages.add(f"calendar {label}", client, reverse("meetings:calendar"))
    pages.add("meeting new", as_coordinator, reverse("meetings:create"))
    pages.add("meeting edit", as_coordinator, reverse("meetings:edit", args=[meeting.pk]))
    pages.add("attendance", as_coordinator, reverse("meetings:attendance", args=[meeting.pk]))
    pages.add("action item new", as_coordinator, reverse("meetings:item_create", args=[meeting.pk]))
    pages.add("meeting search", as_lead, reverse("meetings:search") + "?q=science")
    pages.add("my action items", as_lead, reverse("meetings:my_items"))
    pages.add("action item", as_coordinator, reverse("meetings:item_detail", args=[item.pk]))

    # Verifying, then signing: the open version is frozen last, as it changes what the
    # pages above show.
    pages.add("verify", anonymous, reverse("verify:page"))
    pages.add("development mailbox", as_coordinator, reverse("dev:mailbox"))
    _freeze(version, coordinator)
    pages.add("signatures", as_coordinator, reverse("mou:signatures", args=[version.pk]))
    signature = SignatureRequest.objects.filter(
        frozen__version=version, role="partner", status__in=SignatureRequest.LIVE
    ).first()
    token = TOKEN_IN_LINK.search(mou_services.signing_link_issue(signature=signature)).group(1)
    pages.add("signing page", anonymous, reverse("mou:sign", args=[token]))
    pages.add("signing page bad link", anonymous, reverse("mou:sign", args=["x" * 30]), status=404)

    _error_pages(pages)
    return pages


def test_the_sign_in_page_focuses_one_field_the_coordinators_e_mail(client):
    for response in (
        client.get(reverse("accounts:login")),
        client.post(reverse("accounts:login"), {"username": "a@example.org", "password": "x"}),
    ):
        inputs = re.findall(r"<input[^>]*>", response.content.decode())
        focused = [tag for tag in inputs if re.search(r"\sautofocus[\s>]", tag)]
        assert len(focused) == 1 and 'name="username"' in focused[0], focused
    # The page that only asks for a link still focuses its e-mail field.
    page = client.get(reverse("accounts:link_request")).content.decode()
    assert re.search(r'<input[^>]*name="email"[^>]*autofocus', page)


def _freeze(version: MouVersion, coordinator: User) -> None:
    left_out = RoleBlock.objects.filter(version=version).exclude(status=RoleBlock.Status.ACCEPTED)
    mou_services.version_freeze(
        version=version,
        actor=Actor.of(coordinator),
        signing_deadline=timezone.now() + timedelta(days=14),
        countersigner=mou_services.Countersigner(
            name=coordinator.full_name, title="Executive Director", email=coordinator.email
        ),
        leave_out=list(left_out.values_list("partner_id", flat=True)),
    )


def _check(command: list[str], folder: Path, files: list[str]) -> list[dict]:
    result = subprocess.run(
        [*command, "--format", "json", "--errors-only", "--stdout", *files],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        return json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"The checker gave no report (exit {result.returncode}): {result.stderr}")


def test_the_main_pages_are_valid_html_for_every_role(tmp_path):
    command = _checker()
    pages = _render_all(tmp_path)
    messages = _check(command, tmp_path, sorted(pages.files))
    by_page: dict[str, list[str]] = {}
    for message in messages:
        name = message.get("url", "").rsplit("/", 1)[-1]
        label = pages.files.get(name, name or "(the checker)")
        by_page.setdefault(label, []).append(
            f"line {message.get('lastLine', '?')}: {message['message']}"
            f" — {message.get('extract', '').strip()!r}"
        )
    assert not by_page, f"{sum(map(len, by_page.values()))} HTML errors:\n" + "\n".join(
        f"{label}:\n  " + "\n  ".join(found) for label, found in sorted(by_page.items())
    )
