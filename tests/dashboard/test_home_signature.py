"""The partner home's signature card follows the signing round: waiting, signed, declined,
left out, executed, in the same number of queries as while the version is open."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.actor import Actor
from mou import services
from mou.models import SignatureRequest
from tests.mou.conftest import OTHER, accepted

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_version(coordinator, partner, other_partner, lead, other_lead):
    version = services.version_create(
        actor=Actor.of(coordinator),
        title="Mid-Valley STEM Partnership MOU",
        shared_text="Terms",
        deadline=timezone.now() + timedelta(days=40),
    )
    services.version_open(version=version, actor=Actor.of(coordinator))
    return version


def _blocks(version):
    return {b.partner.name: b for b in version.blocks.select_related("partner", "version")}


def _freeze(version, coordinator, *, leave_out=()):
    return services.version_freeze(
        version=version,
        actor=Actor.of(coordinator),
        signing_deadline=timezone.now() + timedelta(days=20),
        countersigner=services.Countersigner(
            name="Lita Coordinator", title="Director", email=coordinator.email
        ),
        leave_out=leave_out,
    )


def _home(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_signature_card_follows_the_round_in_constant_queries(
    open_version, coordinator, lead, other_lead, client_for
):
    blocks = _blocks(open_version)
    salem = blocks["Salem-Keizer School District"]
    accepted(salem, lead, coordinator)
    client = client_for(lead)
    page, open_queries = _home(client)
    assert "Signing starts when the MOU is frozen" in page

    frozen = _freeze(
        open_version, coordinator, leave_out=[blocks["Chemeketa Community College"].partner_id]
    )
    page, frozen_queries = _home(client)
    assert "Waiting for signature" in page and "Christy Perry" in page
    assert "Signing starts when the MOU is frozen" not in page
    assert frozen_queries == open_queries

    signature = SignatureRequest.objects.get(frozen=frozen, role="partner")
    services.signature_sign(
        signature=signature,
        name="Christy A. Perry",
        title="Sup",
        consent=True,
        actor=Actor.system(),
    )
    page, _ = _home(client)
    assert "Signed" in page and "Christy A. Perry" in page

    page, _ = _home(client_for(other_lead))
    assert "was left out of this version" in page

    counter = SignatureRequest.objects.get(frozen=frozen, role="countersigner")
    services.signature_sign(
        signature=counter, name="Lita Coordinator", title="Dir", consent=True, actor=Actor.system()
    )
    services.executed_pdf_render(frozen_id=frozen.pk, actor=Actor.system())
    page, executed_queries = _home(client)
    assert "Executed" in page and f"/mou/{open_version.pk}/executed.pdf" in page
    assert executed_queries == open_queries


def test_a_declined_signature_shows_on_the_home(
    open_version, coordinator, lead, other_lead, client_for
):
    blocks = _blocks(open_version)
    accepted(blocks["Salem-Keizer School District"], lead, coordinator)
    accepted(blocks["Chemeketa Community College"], other_lead, coordinator, OTHER)
    frozen = _freeze(open_version, coordinator)
    signature = SignatureRequest.objects.get(
        frozen=frozen, organization="Chemeketa Community College"
    )
    services.signature_decline(signature=signature, reason="Board said no.", actor=Actor.system())
    page, _ = _home(client_for(other_lead))
    assert "Declined" in page and "Jessica Howard" in page
