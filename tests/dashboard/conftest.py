"""A hand-built network with a block in every status, made with the real MOU services.

- Salem-Keizer School District (school district): changes requested, leader named, workgroup
- Chemeketa Community College (college): submitted, leader named
- Gilbert House Children's Museum (informal): not started, workgroup
- Garmin AT (business): draft, no leader
- Willamette University (college): accepted, leader named
- Marion County Food Share (non-profit): not started, extension past the deadline
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from core.actor import Actor
from mou import services
from mou.models import MouVersion, RoleBlock
from partnership.models import Partner
from tests import factories

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
CHANGES_COMMENT = "Please name the **two middle schools** in your role."
EXTENSION_DAYS = 10


def network_time(*args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(settings.TIME_ZONE))


@pytest.fixture
def deadline():
    """October 15 of next year, one minute before midnight in the network's time zone."""
    from django.utils import timezone

    return network_time(timezone.now().year + 1, 10, 15, 23, 59)


@dataclass
class Network:
    version: MouVersion
    blocks: dict[str, RoleBlock]
    leads: dict[str, object]
    partners: dict[str, Partner]
    workgroup: object
    deadline: datetime

    def block(self, key: str) -> RoleBlock:
        return RoleBlock.objects.select_related("version", "partner").get(pk=self.blocks[key].pk)


def _submit(block, user, data=None):
    block = services.block_save_draft(
        block=block, actor=Actor.of(user), data=data or COMPLETE, expected_revision=block.revision
    )
    return services.block_submit(block=block, actor=Actor.of(user))


@pytest.fixture
def network(coordinator, partner, other_partner, lead, other_lead, deadline) -> Network:
    partners = {
        "changes": partner,
        "submitted": other_partner,
        "not_started": factories.PartnerFactory(
            name="Gilbert House Children's Museum", kind="informal"
        ),
        "draft": factories.PartnerFactory(name="Garmin AT", kind="business"),
        "accepted": factories.PartnerFactory(name="Willamette University", kind="college"),
        "extended": factories.PartnerFactory(name="Marion County Food Share", kind="nonprofit"),
    }
    leads = {"changes": lead, "submitted": other_lead}
    for key in ("not_started", "draft", "accepted", "extended"):
        leads[key] = factories.MembershipFactory(partner=partners[key], role="lead").user
    workgroup = factories.WorkgroupFactory(name="Curriculum and instruction")
    workgroup.partners.add(partners["changes"], partners["not_started"])

    version = services.version_create(
        actor=Actor.of(coordinator),
        title="Mid-Valley STEM Partnership MOU",
        shared_text="## Purpose\n\nWe build a STEM learning community.\n",
        deadline=deadline,
    )
    services.version_open(version=version, actor=Actor.of(coordinator))
    version.refresh_from_db()
    blocks = {
        key: RoleBlock.objects.select_related("version", "partner").get(version=version, partner=p)
        for key, p in partners.items()
    }
    block = _submit(blocks["changes"], leads["changes"])
    blocks["changes"] = services.block_request_changes(
        block=block, actor=Actor.of(coordinator), comment=CHANGES_COMMENT
    )
    blocks["submitted"] = _submit(blocks["submitted"], leads["submitted"])
    blocks["draft"] = services.block_save_draft(
        block=blocks["draft"],
        actor=Actor.of(leads["draft"]),
        data={"role_in_partnership": "Engineers visit classrooms."},
        expected_revision=0,
    )
    block = _submit(blocks["accepted"], leads["accepted"])
    blocks["accepted"] = services.block_accept(block=block, actor=Actor.of(coordinator))
    blocks["extended"] = services.block_extension_grant(
        block=blocks["extended"],
        actor=Actor.of(coordinator),
        until=deadline + timedelta(days=EXTENSION_DAYS),
    )
    return Network(
        version=version,
        blocks=blocks,
        leads=leads,
        partners=partners,
        workgroup=workgroup,
        deadline=deadline,
    )
