"""A recorded meeting and an all-partner action item, made through the real services."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.actor import Actor
from meetings import services
from meetings.models import ActionItem

TZ = ZoneInfo("America/Los_Angeles")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def pdf_upload(name="notes.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def meeting(coordinator):
    start = datetime(2026, 9, 10, 15, 0, tzinfo=TZ)
    return services.meeting_create(
        actor=Actor.of(coordinator),
        title="Partnership meeting",
        kind="network",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Salem, Room 101",
        agenda="1. What schools want\n2. Homework",
        notes="Schools want project-based science like **FIRST**.",
        decisions="- Each partner drafts its MOU block",
    )


@pytest.fixture
def homework(meeting, coordinator, partner, other_partner) -> ActionItem:
    """The seed's homework for all partners: one child item per active partner."""
    return services.action_item_create(
        actor=Actor.of(coordinator),
        meeting=meeting,
        description="Send a draft of your organization's role (your MOU block) and the "
        "name of the leader who would sign",
        owner_kind=ActionItem.OwnerKind.ALL_PARTNERS,
        due_on=date(2026, 10, 15),
    )


def child_of(item: ActionItem, partner) -> ActionItem:
    return item.children.get(owner_partner=partner)
