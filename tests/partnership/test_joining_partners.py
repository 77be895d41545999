"""Partners that join or return while an MOU version is open get their block too."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.actor import Actor
from mou import services as mou_services
from mou.models import RoleBlock
from partnership import services
from partnership.models import Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_version(coordinator, partner, lead):
    version = mou_services.version_create(
        actor=Actor.of(coordinator),
        title="MOU",
        shared_text="Purpose",
        deadline=timezone.now() + timedelta(days=30),
    )
    mou_services.version_open(version=version, actor=Actor.of(coordinator))
    return version


def test_a_new_active_partner_gets_a_block(open_version, coordinator):
    partner = services.partner_create(
        name="Woodburn School District", kind="school_district", actor=Actor.of(coordinator)
    )
    assert RoleBlock.objects.filter(version=open_version, partner=partner).count() == 1


def test_a_prospective_partner_gets_one_when_it_becomes_active(open_version, coordinator):
    partner = services.partner_create(
        name="Dallas School District",
        kind="school_district",
        status=Partner.Status.PROSPECTIVE,
        actor=Actor.of(coordinator),
    )
    assert not RoleBlock.objects.filter(partner=partner).exists()
    services.partner_reactivate(partner=partner, actor=Actor.of(coordinator))
    assert RoleBlock.objects.filter(version=open_version, partner=partner).count() == 1
    # Deactivating and reactivating again keeps the one block.
    services.partner_deactivate(partner=partner, actor=Actor.of(coordinator))
    services.partner_reactivate(partner=partner, actor=Actor.of(coordinator))
    assert RoleBlock.objects.filter(version=open_version, partner=partner).count() == 1


def test_no_open_version_means_no_block(coordinator):
    partner = services.partner_create(
        name="Silver Falls", kind="school_district", actor=Actor.of(coordinator)
    )
    assert not RoleBlock.objects.filter(partner=partner).exists()
