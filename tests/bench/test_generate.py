"""The benchmark network generator: the promised shapes at 10 partners, and the promised
sizes at 5,000."""

import pytest
from django.utils import timezone

from bench.generate import Sizes, network_generate
from core.models import OutboxMessage, Reminder, User
from meetings.models import ActionItem, Attendance, Meeting
from mou.models import FrozenMou, MouVersion, RoleBlock, RoleTemplate, SignatureRequest
from needs_matrix.models import Category, MatrixEntry
from partnership.models import Membership, Partner, Workgroup

pytestmark = pytest.mark.django_db


def test_the_full_size_is_what_design_promises():
    sizes = Sizes.for_partners(5000)
    assert (sizes.partners, sizes.people, sizes.categories) == (5000, 20000, 100)
    assert (sizes.meetings, sizes.action_items) == (2000, 50000)


def test_smaller_networks_scale_down_with_floors():
    assert Sizes.for_partners(500).people == 2000
    assert Sizes.for_partners(500).action_items == 5000
    tiny = Sizes.for_partners(10)
    assert tiny.meetings >= 6 and tiny.categories >= 12 and tiny.workgroups >= 2
    with pytest.raises(ValueError):
        Sizes.for_partners(0)


def test_ten_partners_have_every_shape():
    result = network_generate(partners=10)

    assert Partner.objects.count() == 10
    assert User.objects.filter(is_coordinator=True).count() == 3
    assert User.objects.filter(is_coordinator=False).count() == 40
    assert Membership.objects.filter(role="lead").count() == 10
    assert Workgroup.objects.count() >= 2
    assert Category.objects.current().count() >= 12
    assert Category.objects.filter(retired_at__isnull=False).exists()
    stances = set(MatrixEntry.objects.values_list("stance", flat=True))
    assert {"need", "contribute", "both", "not_assessed"} <= stances

    opened = MouVersion.objects.get(status=MouVersion.Status.OPEN)
    frozen = MouVersion.objects.get(status=MouVersion.Status.FROZEN)
    assert opened.previous == frozen and opened.deadline > timezone.now()
    statuses = set(RoleBlock.objects.filter(version=opened).values_list("status", flat=True))
    assert statuses == set(RoleBlock.Status.values)
    assert RoleTemplate.objects.filter(version=opened).exists()
    assert not RoleBlock.objects.filter(version=opened, carried_over_from__isnull=True).exists()

    record = FrozenMou.objects.get(version=frozen)
    assert len(record.partner_ids) == RoleBlock.objects.filter(version=frozen).count()
    requests = SignatureRequest.objects.filter(frozen=record)
    assert requests.count() == len(record.partner_ids) + 1
    assert set(requests.values_list("status", flat=True)) == {"signed"}

    now = timezone.now()
    assert Meeting.objects.filter(starts_at__gt=now).exists()
    assert Meeting.objects.filter(starts_at__lt=now, notes_published_at__isnull=False).exists()
    assert Attendance.objects.exists()
    assert ActionItem.objects.count() == 100
    parent = ActionItem.objects.get(owner_kind="all_partners")
    assert parent.children.count() == 10
    today = timezone.localdate()
    assert ActionItem.objects.filter(status="open", due_on__lt=today).exists()
    assert ActionItem.objects.filter(status="open", due_on__gte=today).exists()
    assert ActionItem.objects.filter(status="done").exists()
    assert ActionItem.objects.filter(owner_kind="person").exists()
    assert Reminder.objects.filter(stage="before-14").count() == OutboxMessage.objects.count()

    assert result.rows["partners"] == 10 and result.rows["action_items"] == 100
    assert result.seconds < 30


def test_the_generator_refuses_a_database_with_partners(partner):
    with pytest.raises(RuntimeError, match="already has partners"):
        network_generate(partners=10)
