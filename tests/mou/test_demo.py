"""The MOU part of the demo: an open version, blocks in every state, loaded once."""

import hashlib
from datetime import datetime

import pytest
import time_machine

from core.models import OutboxMessage
from mou.demo import BLOCKS, EXECUTED_BLOCKS, EXECUTED_TITLE, TITLE, demo_deadline, load_demo_mou
from mou.models import ExecutedPdf, MouVersion, RoleBlock, RoleTemplate, SignatureRequest
from mou.rules import network_zone
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_partners():
    factories.UserFactory(is_coordinator=True, email="lita@example.org")
    for name in [*BLOCKS, "Gilbert House Children's Museum"]:
        partner = factories.PartnerFactory(name=name)
        factories.MembershipFactory(partner=partner, role="lead")
    factories.PartnerFactory(name="Dallas School District", status="prospective")


def test_the_demo_version_is_open_with_blocks_in_every_state_and_loads_once(demo_partners):
    version = load_demo_mou()
    assert version.title == TITLE and version.status == MouVersion.Status.OPEN
    assert "## Purpose" in version.shared_text and "## Terms" in version.shared_text
    statuses = dict(
        RoleBlock.objects.filter(version=version).values_list("partner__name", "status")
    )
    assert statuses["Salem-Keizer School District"] == "draft"
    assert statuses["Woodburn School District"] == "submitted"
    assert statuses["Silver Falls School District"] == "changes_requested"
    assert statuses["Greater Albany Public Schools"] == "accepted"
    assert statuses["Gilbert House Children's Museum"] == "not_started"
    assert "Dallas School District" not in statuses
    assert RoleTemplate.objects.get(version=version, kind="school_district").model_text
    messages = OutboxMessage.objects.count()
    again = load_demo_mou()
    assert again == version
    assert MouVersion.objects.count() == 2 and OutboxMessage.objects.count() == messages
    assert ExecutedPdf.objects.count() == 1 and SignatureRequest.objects.count() == 4


def test_the_demo_has_last_years_version_executed_with_its_pdf(demo_partners):
    version = load_demo_mou()
    executed = MouVersion.objects.get(title=EXECUTED_TITLE)
    assert version.previous == executed and executed.number < version.number
    assert executed.status == MouVersion.Status.EXECUTED
    frozen = executed.frozen
    assert sorted(p["name"] for p in frozen.content["partners"]) == sorted(EXECUTED_BLOCKS)
    assert {p["name"] for p in frozen.content["left_out"]} >= {"Salem-Keizer School District"}
    assert set(SignatureRequest.objects.filter(frozen=frozen).values_list("status", flat=True)) == {
        "signed"
    }
    record = ExecutedPdf.objects.get(frozen=frozen)
    assert record.sha256 == hashlib.sha256(record.file.read()).hexdigest()
    # This year's blocks start from last year's text (carried over).
    woodburn = RoleBlock.objects.get(version=version, partner__name="Woodburn School District")
    assert woodburn.carried_over_from.version == executed


@pytest.mark.parametrize(
    "today,year",
    [("2026-03-01", 2026), ("2026-10-15", 2026), ("2026-10-16", 2027), ("2026-12-31", 2027)],
)
def test_the_demo_deadline_is_the_next_october_15_in_the_network_zone(today, year):
    moment = datetime.fromisoformat(today).replace(hour=12, tzinfo=network_zone())
    with time_machine.travel(moment, tick=False):
        deadline = demo_deadline()
    assert deadline == datetime(year, 10, 15, 23, 59, tzinfo=network_zone())
