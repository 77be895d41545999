"""Every MOU address × every kind of person: who gets the page, who is refused."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from mou import services
from mou.models import DraftPdf, ExecutedPdf, MouVersion, SignatureRequest
from tests.mou.conftest import COMPLETE, accepted, submitted, token_for

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "nobody", "other_lead", "viewer", "editor", "lead", "coordinator"]
MEMBERS = {"other_lead", "viewer", "editor", "lead", "coordinator"}
OWN = {"viewer", "editor", "lead", "coordinator"}
WRITERS = {"editor", "lead"}
COORDINATOR = {"coordinator"}


@dataclass
class Case:
    name: str
    url: str  # a format string over the ids below
    allowed: set
    method: str = "get"
    data: dict = field(default_factory=dict)
    setup: str = ""  # "submitted": the block is submitted first; "draft_pdf": one is ready
    ok: int = 200
    # People let past the page's rule for whom the object does not exist: 404, not 403.
    hidden: set = field(default_factory=set)


def _deadline_field():
    return (timezone.now() + timedelta(days=40)).strftime("%Y-%m-%dT%H:%M")


CASES = [
    Case("version list", "/mou/", MEMBERS),
    Case("version create form", "/mou/new/", COORDINATOR),
    Case(
        "version create",
        "/mou/new/",
        COORDINATOR,
        "post",
        {"title": "Next year", "shared_text": "Terms", "deadline": "DEADLINE"},
        ok=302,
    ),
    Case("open version detail", "/mou/{version}/", MEMBERS),
    Case("draft version detail", "/mou/{draft}/", COORDINATOR),
    Case("version edit form", "/mou/{version}/edit/", COORDINATOR),
    Case(
        "version edit",
        "/mou/{version}/edit/",
        COORDINATOR,
        "post",
        {"title": "Renamed", "shared_text": "Terms", "deadline": "DEADLINE"},
        ok=302,
    ),
    Case("open confirmation", "/mou/{draft}/open/", COORDINATOR),
    Case("open", "/mou/{draft}/open/", COORDINATOR, "post", ok=302),
    Case("reminder stages form", "/mou/{version}/reminders/", COORDINATOR),
    Case(
        "reminder stages save",
        "/mou/{version}/reminders/",
        COORDINATOR,
        "post",
        {"days_before": "10, 3", "overdue_every_days": "5", "overdue_max": "2"},
        ok=302,
    ),
    Case("template list", "/mou/{version}/templates/", COORDINATOR),
    Case("template form", "/mou/{version}/templates/college/", COORDINATOR),
    Case(
        "template save",
        "/mou/{version}/templates/college/",
        COORDINATOR,
        "post",
        {"title": "College partner", "guidance": "Say what you teach."},
        ok=302,
    ),
    Case("block editor", "/mou/{version}/blocks/{block}/", OWN),
    Case(
        "block save",
        "/mou/{version}/blocks/{block}/save/",
        WRITERS,
        "post",
        {**COMPLETE, "revision": "0"},
        ok=302,
    ),
    Case(
        "block autosave",
        "/mou/{version}/blocks/{block}/autosave/",
        WRITERS,
        "post",
        {"commitments": "Teacher teams", "revision": "0"},
    ),
    Case(
        "block submit",
        "/mou/{version}/blocks/{block}/submit/",
        WRITERS,
        "post",
        {**COMPLETE, "revision": "0"},
        ok=302,
    ),
    Case(
        "request changes",
        "/mou/{version}/blocks/{block}/request-changes/",
        COORDINATOR,
        "post",
        {"changes-comment": "Name the schools."},
        setup="submitted",
        ok=302,
    ),
    Case(
        "accept",
        "/mou/{version}/blocks/{block}/accept/",
        COORDINATOR,
        "post",
        setup="submitted",
        ok=302,
    ),
    Case(
        "extension",
        "/mou/{version}/blocks/{block}/extension/",
        COORDINATOR,
        "post",
        {"extension-until": "EXTENSION"},
        ok=302,
    ),
    Case("block history", "/mou/{version}/blocks/{block}/history/", OWN),
    Case("block diff", "/mou/{version}/blocks/{block}/diff/?old=0&new=0", OWN),
    Case("whole MOU", "/mou/{version}/document/", MEMBERS),
    Case("draft PDF page", "/mou/{version}/document/pdf/", MEMBERS),
    Case("draft PDF request", "/mou/{version}/document/pdf/", MEMBERS, "post", ok=302),
    # The ready draft is the coordinator's: rendered for them, it is theirs alone.
    Case(
        "draft PDF status",
        "/mou/{version}/document/pdf/{pdf}/status/",
        COORDINATOR,
        setup="draft_pdf",
        hidden=MEMBERS - COORDINATOR,
    ),
    Case(
        "draft PDF download",
        "/mou/{version}/document/pdf/{pdf}/download/",
        COORDINATOR,
        setup="draft_pdf",
        hidden=MEMBERS - COORDINATOR,
    ),
    # Signing (issue 8). "frozen": the lead's block is accepted and the version frozen with
    # the other partner left out; "executed": everyone has signed and the PDF is stored.
    Case("freeze confirmation", "/mou/{version}/freeze/", COORDINATOR, setup="accepted"),
    Case(
        "freeze",
        "/mou/{version}/freeze/",
        COORDINATOR,
        "post",
        {
            "signing_deadline": "SIGNING",
            "countersigner_user": "COORDINATOR",
            "leave_out": "OTHER_PARTNER",
        },
        setup="accepted",
        ok=302,
    ),
    Case("signatures", "/mou/{version}/signatures/", COORDINATOR, setup="frozen"),
    Case(
        "remind a signer now",
        "/mou/{version}/signatures/{signature}/remind/",
        COORDINATOR,
        "post",
        setup="frozen",
        ok=302,
    ),
    Case("frozen version detail", "/mou/{version}/", MEMBERS, setup="frozen"),
    Case("executed PDF", "/mou/{version}/executed.pdf", OWN, setup="executed"),
]


@pytest.fixture
def people(request, coordinator, nobody, other_lead, viewer, editor, lead):
    return {
        "anonymous": None,
        "nobody": nobody,
        "other_lead": other_lead,
        "viewer": viewer,
        "editor": editor,
        "lead": lead,
        "coordinator": coordinator,
    }


@pytest.fixture
def world(version, block, coordinator, lead, deadline, other_partner):
    draft = services.version_create(
        actor=Actor.of(coordinator), title="Drafting", shared_text="", deadline=deadline
    )
    return {
        "version": version.pk,
        "block": block.pk,
        "draft": draft.pk,
        "block_obj": block,
        "lead": lead,
        "deadline": deadline,
        "coordinator": coordinator.pk,
        "other_partner": other_partner.pk,
    }


def _freeze(world: dict, coordinator):
    accepted(world["block_obj"], world["lead"], coordinator)
    return services.version_freeze(
        version=MouVersion.objects.get(pk=world["version"]),
        actor=Actor.of(coordinator),
        signing_deadline=timezone.now() + timedelta(days=20),
        countersigner=services.Countersigner(
            name=coordinator.full_name, title="Director", email=coordinator.email
        ),
        leave_out=[world["other_partner"]],
    )


def _execute(frozen) -> None:
    for signature in SignatureRequest.objects.filter(frozen=frozen).order_by("-role"):
        services.signature_sign(
            signature=signature,
            name=signature.signer_name,
            title="Head",
            consent=True,
            actor=Actor.system(),
        )
    services.executed_pdf_render(
        frozen_id=frozen.pk, actor=Actor.system()
    )  # the task, which runs after a commit


def _prepare(case: Case, world: dict, coordinator) -> dict:
    ids = {k: world[k] for k in ("version", "block", "draft")}
    if case.setup == "submitted":
        submitted(world["block_obj"], world["lead"])
    if case.setup == "accepted":
        accepted(world["block_obj"], world["lead"], coordinator)
    if case.setup in ("frozen", "executed"):
        frozen = _freeze(world, coordinator)
        ids["signature"] = SignatureRequest.objects.get(frozen=frozen, role="partner").pk
        if case.setup == "executed":
            _execute(frozen)
            assert ExecutedPdf.objects.filter(frozen=frozen).exists()
    if case.setup == "draft_pdf":
        version = MouVersion.objects.get(pk=world["version"])
        draft = DraftPdf.objects.create(version=version, requested_by=coordinator)
        from django.core.files.base import ContentFile

        draft.file.save("draft.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        draft.status = DraftPdf.Status.READY
        draft.save()
        ids["pdf"] = draft.pk
    return ids


def _data(case: Case, world: dict) -> dict:
    data = dict(case.data)
    for key, value in data.items():
        if value == "DEADLINE":
            data[key] = _deadline_field()
        if value == "EXTENSION":
            data[key] = (world["deadline"] + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
        if value == "SIGNING":
            data[key] = (timezone.now() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
        if value == "COORDINATOR":
            data[key] = str(world["coordinator"])
        if value == "OTHER_PARTNER":
            data[key] = str(world["other_partner"])
    return data


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_permission_table(case, who, people, world, coordinator, client_for):
    ids = _prepare(case, world, coordinator)
    url = case.url.format(**ids)
    client = client_for(people[who])
    response = getattr(client, case.method)(url, _data(case, world))
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif who in case.allowed:
        assert response.status_code == case.ok, response.content[:2000]
    elif who in case.hidden:
        assert response.status_code == 404
    else:
        assert response.status_code == 403


def test_the_other_partners_block_is_refused_when_the_url_is_edited(
    version, other_block, lead, editor, client_for
):
    for user in (lead, editor):
        client = client_for(user)
        base = f"/mou/{version.pk}/blocks/{other_block.pk}/"
        assert client.get(base).status_code == 403
        assert client.post(base + "save/", {**COMPLETE, "revision": "0"}).status_code == 403
        assert (
            client.post(base + "autosave/", {"commitments": "x", "revision": "0"}).status_code
            == 403
        )
        assert client.post(base + "submit/", {**COMPLETE, "revision": "0"}).status_code == 403
    other_block.refresh_from_db()
    assert other_block.revision == 0 and other_block.commitments == ""


def test_a_block_under_another_version_id_is_not_found(
    version, block, lead, client_for, coordinator, deadline
):
    other = services.version_create(
        actor=Actor.of(coordinator), title="x", shared_text="", deadline=deadline
    )
    assert client_for(lead).get(f"/mou/{other.pk}/blocks/{block.pk}/").status_code == 404


# --- the signing link is the credential ------------------------------------------------------
# Every person (anonymous or signed in as anyone, coordinators included) gets the same answer:
# 404 without the right token, the page with it. A token opens its own request and nothing
# else: the pages that need a sign-in still send its holder to sign in.

SIGNING_CASES = [
    Case("signing page", "/mou/sign/{token}/", set()),
    Case(
        "sign",
        "/mou/sign/{token}/",
        set(),
        "post",
        {"sign-name": "Christy Perry", "sign-title": "Superintendent", "sign-consent": "on"},
        ok=302,
    ),
    Case("decline", "/mou/sign/{token}/decline/", set(), "post", {"decline-reason": "No."}, ok=302),
    Case(
        "hand over",
        "/mou/sign/{token}/hand-over/",
        set(),
        "post",
        {"handover-name": "Deputy", "handover-email": "deputy@example.org"},
        ok=302,
    ),
]
UNKNOWN_TOKEN = "x" * 43


@pytest.mark.parametrize("who", [*PEOPLE, "signing token"])
@pytest.mark.parametrize("case", SIGNING_CASES, ids=[c.name for c in SIGNING_CASES])
def test_signing_urls_answer_to_the_token_alone(case, who, people, world, coordinator, client_for):
    frozen = _freeze(world, coordinator)
    token = token_for(SignatureRequest.objects.get(frozen=frozen, role="partner"))
    client = client_for(None if who == "signing token" else people[who])
    wrong = getattr(client, case.method)(case.url.format(token=UNKNOWN_TOKEN), case.data)
    assert wrong.status_code == 404
    right = getattr(client, case.method)(case.url.format(token=token), case.data)
    assert right.status_code == case.ok, right.content[:2000]


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.setup in ("accepted", "frozen", "executed")],
    ids=lambda c: c.name,
)
def test_a_signing_token_holder_gets_no_further_than_the_signing_page(
    case, world, coordinator, client_for
):
    frozen = _freeze(world, coordinator) if case.setup != "accepted" else None
    ids = {k: world[k] for k in ("version", "block", "draft")}
    if frozen is not None:
        signature = SignatureRequest.objects.get(frozen=frozen, role="partner")
        ids["signature"] = signature.pk
        token = token_for(signature)
    else:
        accepted(world["block_obj"], world["lead"], coordinator)
        token = UNKNOWN_TOKEN
    client = client_for(None)
    client.get(f"/mou/sign/{token}/")  # the holder has opened their signing page
    response = getattr(client, case.method)(case.url.format(**ids), _data(case, world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_verify_is_public(client_for, people):
    for who in [*PEOPLE]:
        assert client_for(people[who]).get("/verify/").status_code == 200
