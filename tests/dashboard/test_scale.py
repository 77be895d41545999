"""The dashboard and the partner home run the same number of queries for 10 partners as
for 5,000 (bulk-built network: partners, leads, blocks in every status, reminders)."""

from datetime import timedelta
from itertools import cycle

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.actor import Actor
from core.models import Event, Reminder, User
from core.services.events import event_record
from meetings.models import ActionItem
from mou.models import MouVersion, RoleBlock
from needs_matrix.models import MatrixEntry
from partnership.models import Membership, Partner, PartnerKind
from tests import factories

pytestmark = pytest.mark.django_db

# Both counts include the SAVEPOINT and RELEASE of ATOMIC_REQUESTS, the session and the user.
DASHBOARD_QUERIES = 14
DASHBOARD_FILTERED_QUERIES = 14
HOME_QUERIES = 10
STATUSES = cycle(RoleBlock.Status.values)
KINDS = cycle(PartnerKind.values)


def grow(version: MouVersion, *, to: int) -> None:
    """Add partners (each with a lead and a block) until the network has ``to`` of them."""
    have = Partner.objects.count()
    now = timezone.now()
    password = make_password(None)
    partners = Partner.objects.bulk_create(
        [
            Partner(name=f"Scale partner {n:05d}", kind=next(KINDS), status="active")
            for n in range(have, to)
        ],
        batch_size=1000,
    )
    users = User.objects.bulk_create(
        [
            User(
                email=f"scale{p.name[-5:]}@example.org",
                full_name=f"Lead {p.name[-5:]}",
                password=password,
            )
            for p in partners
        ],
        batch_size=1000,
    )
    Membership.objects.bulk_create(
        [Membership(user=u, partner=p, role="lead") for u, p in zip(users, partners, strict=True)],
        batch_size=1000,
    )
    blocks = []
    for partner, user in zip(partners, users, strict=True):
        status = next(STATUSES)
        done = status in ("submitted", "accepted", "changes_requested")
        blocks.append(
            RoleBlock(
                version=version,
                partner=partner,
                status=status,
                last_edited_by=None if status == "not_started" else user,
                last_edited_at=None if status == "not_started" else now,
                submitted_at=now - timedelta(days=len(blocks) % 20) if done else None,
                signing_leader_name="A. Leader" if done else "",
            )
        )
    blocks = RoleBlock.objects.bulk_create(blocks, batch_size=1000)
    block_type = ContentType.objects.get_for_model(RoleBlock)
    Reminder.objects.bulk_create(
        [
            Reminder(
                source="mou.block",
                subject_type=block_type,
                subject_id=b.pk,
                stage="before-7",
                recipient_email=f"r{b.pk}@example.org",
                role="lead",
                due_at=now,
                sweep="00000000-0000-0000-0000-000000000000",
            )
            for b in blocks
            if b.status in ("not_started", "draft")
        ],
        batch_size=1000,
    )
    MatrixEntry.objects.bulk_create(
        [
            MatrixEntry(partner=p, category=category, stance="contribute")
            for p, category in zip(partners[::3], cycle(_categories()), strict=False)
        ],
        batch_size=1000,
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                description=f"Homework of {p.name}",
                owner_kind="partner",
                owner_partner=p,
                due_on=timezone.localdate() - timedelta(days=1),
            )
            for p in partners[::2]
        ],
        batch_size=1000,
    )


def _categories():
    from needs_matrix.models import Category

    existing = list(Category.objects.current()[:5])
    return existing or [factories.CategoryFactory() for _ in range(5)]


@pytest.fixture
def open_version(coordinator):
    # The deadline has passed, so the "overdue" filter finds rows at both sizes.
    version = factories.MouVersionFactory(
        status="open",
        opened_at=timezone.now() - timedelta(days=30),
        deadline=timezone.now() - timedelta(days=1),
    )
    for n in range(20):
        event_record(action="partner.created", actor=Actor.of(coordinator), summary=f"Event {n}")
    event_record(action="mou.version_opened", actor=Actor.of(coordinator), subject=version)
    return version


def count_queries(client, url) -> int:
    client.get(url)  # warm the content-type cache and the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_dashboard_and_home_run_the_same_queries_at_10_and_5000_partners(
    open_version, coordinator, client_for, django_assert_num_queries
):
    grow(open_version, to=10)
    lead = Membership.objects.filter(role="lead").order_by("pk").first().user
    coordinator_client, lead_client = client_for(coordinator), client_for(lead)
    filtered = "/dashboard/?overdue=on&sort=-last_edited&q=partner&page=2"

    small = (
        count_queries(coordinator_client, "/dashboard/"),
        count_queries(coordinator_client, filtered),
        count_queries(lead_client, "/"),
    )
    grow(open_version, to=5000)
    assert RoleBlock.objects.filter(version=open_version).count() == 5000
    assert Event.objects.count() > 15
    large = (
        count_queries(coordinator_client, "/dashboard/"),
        count_queries(coordinator_client, filtered),
        count_queries(lead_client, "/"),
    )
    assert small == large == (DASHBOARD_QUERIES, DASHBOARD_FILTERED_QUERIES, HOME_QUERIES)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = coordinator_client.get("/dashboard/")
    assert response.context["summary"].total == 5000
    assert len(response.context["page"].object_list) == 50
    with django_assert_num_queries(HOME_QUERIES):
        lead_client.get("/")
