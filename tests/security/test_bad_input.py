"""Every field of every form × the bad-input corpus (tests/security/corpus.py).

Each page in FORM_PAGES is rendered as a person who may use it; its forms are read from
the HTML (tests/security/forms.py), and each form is first sent with its own rendered
values (plus BASELINE where a valid submission needs more), which must succeed. Then each
field in turn gets each payload aimed at its kind of field. For every request:

- never a 500, on the answer or on the pages that show what was saved;
- a 400 says what is wrong on the page;
- no script that would run in the answer, the page it redirects to, the form re-rendered
  with the saved value, the pages in SHOWN_ON, or the HTML part of any e-mail it queued;
  no line break in an e-mail subject (header injection).

Each request runs in a savepoint that is rolled back, so every payload meets the same
world. PDF text is checked in test_bad_input_pdf.py.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from core.actor import Actor
from core.models import OutboxMessage
from mou import services as mou_services
from tests.security.conftest import COMPLETE, COORDINATOR_PASSWORD, PDF, World
from tests.security.corpus import PAYLOADS
from tests.security.forms import Form, forms_on, representative, running_scripts, shows_an_error
from tests.security.test_permission_matrix import TABLE

pytestmark = pytest.mark.django_db


def _local(days: int) -> str:
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _submitted(world: World) -> None:
    block = world.block
    block = mou_services.block_save_draft(
        block=block,
        actor=Actor.of(world.people["lead"]),
        data=COMPLETE,
        expected_revision=block.revision,
    )
    world.block = mou_services.block_submit(
        block=block, actor=Actor.of(world.people["lead"]), expected_revision=block.revision
    )


def _accepted(world: World) -> None:
    _submitted(world)
    world.block = mou_services.block_accept(
        block=world.block, actor=Actor.of(world.people["coordinator"])
    )


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    setup: Callable[[World], None] | None = None
    query: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}-as-{self.role}" + (f"-{self.setup.__name__}" if self.setup else "")


FORM_PAGES = [
    Page("accounts:login", "anonymous"),
    Page("accounts:link_request", "anonymous"),
    Page("accounts:reminder_settings", "lead"),
    Page("dashboard:index", "coordinator"),
    Page("partnership:partner_list", "coordinator"),
    Page("partnership:partner_create", "coordinator"),
    Page("partnership:partner_detail", "coordinator"),
    Page("partnership:partner_edit", "coordinator"),
    Page("partnership:partner_person_add", "coordinator"),
    Page("partnership:person_list", "coordinator"),
    Page("partnership:person_create", "coordinator"),
    Page("partnership:person_detail", "coordinator"),
    Page("partnership:workgroup_create", "coordinator"),
    Page("partnership:workgroup_detail", "coordinator"),
    Page("partnership:workgroup_edit", "coordinator"),
    Page("mou:version_create", "coordinator"),
    Page("mou:version_edit", "coordinator"),
    Page("mou:version_reminders", "coordinator"),
    Page("mou:template_edit", "coordinator"),
    Page("mou:block", "lead"),
    Page("mou:block", "coordinator"),
    Page("mou:block", "coordinator", setup=_submitted),
    Page("mou:block_history", "lead"),
    Page("mou:version_freeze", "coordinator", setup=_accepted),
    Page("mou:sign", "signer"),
    Page("verify:page", "anonymous"),
    Page("needs_matrix:grid", "lead"),
    Page("needs_matrix:summary", "lead"),
    Page("needs_matrix:row_edit", "lead"),
    Page("needs_matrix:category_create", "coordinator"),
    Page("needs_matrix:category_edit", "coordinator"),
    Page("needs_matrix:group_create", "coordinator"),
    Page("needs_matrix:group_edit", "coordinator"),
    Page("meetings:list", "lead"),
    Page("meetings:create", "coordinator"),
    Page("meetings:search", "lead"),
    Page("meetings:calendar", "lead"),
    Page("meetings:detail", "coordinator"),
    Page("meetings:edit", "coordinator"),
    Page("meetings:attendance", "coordinator"),
    Page("meetings:item_create", "coordinator"),
    Page("meetings:item_edit", "coordinator"),
    Page("meetings:my_items", "lead"),
]

# Forms whose own rendered values are not a valid submission: what they need on top.
# A callable is called for each request (an uploaded file is read once).
BASELINE: dict[str, Callable[[World], dict]] = {
    "accounts:login": lambda w: {
        "username": w.people["coordinator"].email,
        "password": COORDINATOR_PASSWORD,
    },
    "accounts:link_request": lambda w: {"email": w.people["lead"].email},
    "partnership:partner_create": lambda w: {"name": "Oregon Robotics Club", "kind": "nonprofit"},
    "partnership:partner_person_add": lambda w: {
        "email": "new.person@example.org",
        "full_name": "New Person",
        "role": "editor",
    },
    "partnership:person_create": lambda w: {
        "full_name": "New Person",
        "email": "new.person@example.org",
    },
    "partnership:workgroup_create": lambda w: {"name": "Policy"},
    "partnership:workgroup_member_add": lambda w: {"email": w.people["editor"].email},
    "partnership:workgroup_partner_add": lambda w: {"partner": str(w.other_partner.pk)},
    "mou:version_create": lambda w: {
        "title": "MOU 2029",
        "shared_text": "## Terms",
        "deadline": _local(50),
    },
    "mou:block_submit": lambda w: dict(COMPLETE),
    "mou:block_extension": lambda w: {"extension-until": _local(60)},
    "mou:block_request_changes": lambda w: {"changes-comment": "Name the schools."},
    "mou:version_freeze": lambda w: {
        "leave_out": [str(w.other_partner.pk)],
        "signing_deadline": _local(20),
        "countersigner_user": str(w.people["coordinator"].pk),
    },
    "mou:sign": lambda w: {
        "sign-name": "Christy Perry",
        "sign-title": "Superintendent",
        "sign-consent": "on",
    },
    "mou:sign_decline": lambda w: {"decline-reason": "Our board has not voted yet."},
    "mou:sign_hand_over": lambda w: {
        "handover-name": "Deputy Superintendent",
        "handover-email": "deputy@example.org",
    },
    "verify:page": lambda w: {"sha256": "0" * 64},
    "needs_matrix:category_create": lambda w: {"name": "Robotics kits", "group": str(w.group.pk)},
    "needs_matrix:group_create": lambda w: {"name": "Equipment"},
    "meetings:create": lambda w: {
        "title": "Steering group",
        "kind": "network",
        "starts_at": _local(5),
        "ends_at": _local(6),
    },
    "meetings:attendance_add": lambda w: {"email": w.people["editor"].email},
    "meetings:attendance_invite_partner": lambda w: {"partner": str(w.other_partner.pk)},
    "meetings:attendance_add_guest": lambda w: {
        "guest_name": "Ana Ruiz",
        "guest_email": "guest.baseline@museum.example.org",
        "guest_organization": "Gilbert House",
    },
    "meetings:attachment_upload": lambda w: {
        "file": SimpleUploadedFile("agenda.pdf", PDF, content_type="application/pdf")
    },
    "meetings:item_create": lambda w: {
        "description": "Share the robotics calendar",
        "owner_kind": "person",
        "owner_email": w.people["lead"].email,
    },
}

# The payloads also sent to a form's other addresses (autosave, a second submit button):
# the same fields, parsed by the same form class, saved by the same service.
SECONDARY = {"script", "img-onerror", "long", "control", "huge-number"}

# Targets not swept: signing out, and one-click actions whose only field is where to go back
# to (their "next" is checked by safe_next_path, tested in tests/core).
SKIP_TARGETS = {"accounts:logout"}


def _view(world: World, name: str, role: str) -> tuple[str, str]:
    return name, reverse(name, kwargs=TABLE[name].kwargs(world, role))


# Pages that show what a form saved, looked at as the people who read them.
SHOWN_ON: dict[str, list[Callable[[World], tuple[str, str]]]] = {
    "partnership:partner_edit": [
        lambda w: _view(w, "partnership:partner_list", "lead"),
        lambda w: _view(w, "partnership:partner_detail", "lead"),
        lambda w: _view(w, "home", "lead"),
    ],
    "partnership:person_detail": [lambda w: _view(w, "partnership:person_list", "coordinator")],
    "partnership:workgroup_edit": [lambda w: _view(w, "partnership:workgroup_list", "lead")],
    "mou:version_edit": [
        lambda w: _view(w, "mou:version_list", "lead"),
        lambda w: _view(w, "mou:document", "lead"),
        lambda w: _view(w, "mou:block", "lead"),
    ],
    "mou:template_edit": [lambda w: _view(w, "mou:block", "lead")],
    "mou:block_autosave": [
        lambda w: _view(w, "mou:block", "coordinator"),
        lambda w: _view(w, "mou:document", "other_lead"),
        lambda w: _view(w, "mou:block_diff", "lead"),
        lambda w: _view(w, "dashboard:index", "coordinator"),
    ],
    "mou:block_request_changes": [
        lambda w: _view(w, "mou:block", "lead"),
        lambda w: _view(w, "mou:block_history", "lead"),
    ],
    "mou:block_extension": [lambda w: _view(w, "mou:block", "lead")],
    "mou:sign_decline": [lambda w: _view(w, "mou:signatures", "coordinator")],
    "mou:sign_hand_over": [lambda w: _view(w, "mou:signatures", "coordinator")],
    "needs_matrix:row_edit": [
        lambda w: _view(w, "needs_matrix:grid", "other_lead"),
        lambda w: _view(w, "needs_matrix:summary", "other_lead"),
    ],
    "needs_matrix:category_edit": [lambda w: _view(w, "needs_matrix:grid", "lead")],
    "needs_matrix:group_edit": [lambda w: _view(w, "needs_matrix:category_list", "coordinator")],
    "meetings:edit": [
        lambda w: _view(w, "meetings:list", "lead"),
        lambda w: _view(w, "meetings:detail", "lead"),
    ],
    "meetings:item_edit": [
        lambda w: _view(w, "meetings:my_items", "lead"),
        lambda w: _view(w, "meetings:detail", "lead"),
        lambda w: _view(w, "home", "lead"),
    ],
}


class Clients(dict):
    """One signed-in test client per role, made when first needed."""

    def __init__(self, world: World):
        super().__init__()
        self.world = world

    def __missing__(self, role: str) -> Client:
        client = Client()
        user = self.world.people[role]
        if user is not None:
            client.force_login(user)
        self[role] = client
        return client


def _html(response) -> bool:
    return "html" in response.get("Content-Type", "") and not getattr(response, "streaming", False)


def _look(response, where: str) -> list[str]:
    if response.status_code >= 500:
        return [f"{where}: {response.status_code}"]
    if _html(response):
        return [f"{where}: would run {found}" for found in running_scripts(response.content)]
    return []


def _mail_problems(messages, where: str) -> list[str]:
    problems = []
    for message in messages:
        if "\n" in message.subject or "\r" in message.subject:
            problems.append(f"{where}: e-mail subject has a line break: {message.subject!r}")
        for found in running_scripts(message.body_html or ""):
            problems.append(f"{where}: e-mail {message.kind} would run {found}")
    return problems


def attempt(
    world: World,
    clients: Clients,
    *,
    role: str,
    method: str,
    target: str,
    target_name: str,
    page_path: str,
    data: dict,
    label: str,
    visible: bool = True,
    deep: bool = True,
) -> tuple[bool, list[str]]:
    """Send one request in a savepoint and look at everything it shows; roll it back.
    ``visible``: the field is one a person sees (a 400 must say what is wrong on the
    page; a tampered hidden field may get a bare 400). ``deep``: also look at the form
    again and at the pages in SHOWN_ON. Returns (accepted, problems)."""
    client = clients[role]
    cache.clear()
    problems: list[str] = []
    accepted = False
    try:
        with transaction.atomic():
            last_message = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True)
            last = last_message.first() or 0
            response = getattr(client, method)(target, data)
            problems += _look(response, label)
            accepted = response.status_code < 400
            unclear = visible and _html(response) and not shows_an_error(response.content.decode())
            if response.status_code == 400 and unclear:
                problems.append(f"{label}: 400 without an error message on the page")
            if accepted:
                if response.status_code in (301, 302, 303):
                    location = urlsplit(response["Location"])
                    follow = client.get(location.path, dict_from(location.query))
                    problems += _look(follow, f"{label} → {location.path}")
                if method == "post" and deep:
                    problems += _look(client.get(page_path), f"{label} → the form again")
                for shown in SHOWN_ON.get(target_name, []) if deep else []:
                    name, path = shown(world)
                    viewer = TABLE_VIEWERS.get(name, "coordinator")
                    problems += _look(clients[viewer].get(path), f"{label} → {path}")
                problems += _mail_problems(OutboxMessage.objects.filter(pk__gt=last), label)
            transaction.set_rollback(True)
    except Exception as error:  # the test client re-raises what the view raised
        problems.append(f"{label}: 500 ({type(error).__name__}: {str(error)[:200]})")
    return accepted, problems


def dict_from(query: str) -> dict:
    return parse_qs(query)


# Who reads the pages in SHOWN_ON (the role the page is shown to).
TABLE_VIEWERS = {
    "partnership:partner_list": "lead",
    "partnership:partner_detail": "lead",
    "partnership:workgroup_list": "lead",
    "home": "lead",
    "mou:version_list": "lead",
    "mou:document": "other_lead",
    "mou:block": "lead",
    "mou:block_diff": "lead",
    "mou:block_history": "lead",
    "needs_matrix:grid": "other_lead",
    "needs_matrix:summary": "other_lead",
    "meetings:list": "lead",
    "meetings:detail": "lead",
    "meetings:my_items": "lead",
}


def _baseline(form: Form, extra: dict, target_name: str, world: World) -> dict:
    data: dict = {k: (v[0] if len(v) == 1 else v) for k, v in form.baseline.items() if v}
    data.update(extra)
    more = BASELINE.get(target_name)
    if more is not None:
        data.update(more(world))
    return data


def _sweep(world: World, clients: Clients, page: Page, page_path: str, form: Form) -> list:
    problems = []
    for index, (target, extra) in enumerate(form.targets):
        # The same fields sent to another address (htmx autosave, a second submit button)
        # are stored in the same place: the pages that show them are looked at once.
        primary = index == 0
        path = urlsplit(target).path
        match = resolve(path)
        target_name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        if target_name in SKIP_TARGETS or not form.attackable():
            continue
        common = {
            "role": page.role,
            "method": form.method,
            "target": path,
            "target_name": target_name,
            "page_path": page_path,
        }
        accepted, found = attempt(
            world,
            clients,
            data=_baseline(form, extra, target_name, world),
            label=f"{form.method.upper()} {target_name} baseline",
            **common,
        )
        problems += found
        if not accepted:
            problems.append(f"{target_name}: the baseline submission is refused; fix BASELINE")
        for field in representative(form.attackable()):
            for payload in PAYLOADS:
                if field.kind not in payload.kinds or not (primary or payload.name in SECONDARY):
                    continue
                data = _baseline(form, extra, target_name, world)
                data[field.name] = payload.value
                problems += attempt(
                    world,
                    clients,
                    data=data,
                    label=f"{form.method.upper()} {target_name} {field.name}={payload.name}",
                    visible=field.kind != "hidden",
                    deep=payload.deep and primary,
                    **common,
                )[1]
    return problems


@pytest.mark.parametrize("page", FORM_PAGES, ids=[p.id for p in FORM_PAGES])
def test_bad_input_in_every_field(world, page):
    if page.setup is not None:
        page.setup(world)
    clients = Clients(world)
    page_path = reverse(page.name, kwargs=TABLE[page.name].kwargs(world, page.role))
    response = clients[page.role].get(page_path)
    assert response.status_code == 200, f"{page_path} as {page.role}: {response.status_code}"
    forms = forms_on(response.content, page_path)
    assert any(f.attackable() for f in forms), f"{page_path} shows no form with fields"
    problems = []
    for form in forms:
        problems += _sweep(world, clients, page, page_path, form)
    assert not problems, "\n".join(problems[:60]) + (
        f"\n… and {len(problems) - 60} more" if len(problems) > 60 else ""
    )
