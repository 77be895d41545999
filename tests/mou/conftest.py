"""An open MOU version with blocks for the suite's two partners, built with the services."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from core.actor import Actor
from mou import services
from mou.models import RoleBlock

COMPLETE = {
    "role_in_partnership": "We pilot project-based science in two middle schools.",
    "commitments": "Two teacher teams, release time for six days, classroom space.",
    "asks_of_network": "STEM experiences for teachers and a mentor for each team.",
    "contact_name": "Dana Reyes",
    "contact_email": "dana.reyes@example.org",
    "contact_phone": "503-555-0100",
    "signing_leader_name": "Christy Perry",
    "signing_leader_title": "Superintendent",
    "signing_leader_email": "superintendent@example.org",
}


def network_time(*args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(settings.TIME_ZONE))


@pytest.fixture
def deadline():
    """October 15 of next year, one minute before midnight in the network's time zone."""
    from django.utils import timezone

    year = timezone.now().year + 1
    return network_time(year, 10, 15, 23, 59)


@pytest.fixture
def draft_version(coordinator, deadline):
    return services.version_create(
        actor=Actor.of(coordinator),
        title="Mid-Valley STEM Partnership MOU",
        shared_text="## Purpose\n\nWe build a STEM learning community.\n",
        deadline=deadline,
    )


@pytest.fixture
def version(draft_version, coordinator, partner, other_partner, lead, other_lead):
    services.version_open(version=draft_version, actor=Actor.of(coordinator))
    draft_version.refresh_from_db()
    return draft_version


@pytest.fixture
def block(version, partner) -> RoleBlock:
    return RoleBlock.objects.select_related("version", "partner").get(
        version=version, partner=partner
    )


@pytest.fixture
def other_block(version, other_partner) -> RoleBlock:
    return RoleBlock.objects.select_related("version", "partner").get(
        version=version, partner=other_partner
    )


def fill(block: RoleBlock, user, data: dict | None = None) -> RoleBlock:
    return services.block_save_draft(
        block=block, actor=Actor.of(user), data=data or COMPLETE, expected_revision=block.revision
    )


def submitted(block: RoleBlock, user) -> RoleBlock:
    block = fill(block, user)
    return services.block_submit(block=block, actor=Actor.of(user))


@pytest.fixture
def a_day_before(deadline):
    return deadline - timedelta(days=1)


# --- signing ------------------------------------------------------------------------------------

OTHER = {
    **COMPLETE,
    "role_in_partnership": "Chemeketa offers dual-credit math and opens its labs.",
    "contact_name": "Rosa Campos",
    "contact_email": "rosa.campos@example.edu",
    "signing_leader_name": "Jessica Howard",
    "signing_leader_title": "President",
    "signing_leader_email": "president@example.edu",
}
TOKEN_IN_LINK = re.compile(r"/mou/sign/([A-Za-z0-9_-]{20,})/")


def accepted(block: RoleBlock, user, coordinator, data: dict | None = None) -> RoleBlock:
    block = fill(block, user, data)
    block = services.block_submit(block=block, actor=Actor.of(user))
    return services.block_accept(block=block, actor=Actor.of(coordinator))


@pytest.fixture
def signing_deadline():
    from django.utils import timezone

    return timezone.now() + timedelta(days=30)


@pytest.fixture
def countersigner(coordinator):
    return services.Countersigner(
        name=coordinator.full_name, title="Executive Director", email=coordinator.email
    )


@pytest.fixture
def frozen(
    version, block, other_block, lead, other_lead, coordinator, signing_deadline, countersigner
):
    """The suite's open version with both blocks accepted, frozen for signature."""
    accepted(block, lead, coordinator)
    accepted(other_block, other_lead, coordinator, OTHER)
    return services.version_freeze(
        version=version,
        actor=Actor.of(coordinator),
        signing_deadline=signing_deadline,
        countersigner=countersigner,
    )


def token_of(link: str) -> str:
    return TOKEN_IN_LINK.search(link).group(1)


def token_for(signature) -> str:
    """A fresh signing token for a request (as a reminder e-mail would carry)."""
    return token_of(services.signing_link_issue(signature=signature))


def request_of(frozen, organization: str):
    from mou.models import SignatureRequest

    return SignatureRequest.objects.get(
        frozen=frozen, organization=organization, status__in=SignatureRequest.LIVE
    )
