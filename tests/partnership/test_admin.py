import pytest
from django.urls import reverse

from partnership.models import Membership, Partner, Workgroup
from tests import factories


@pytest.fixture
def admin_client_(client_for, coordinator):
    coordinator.is_staff = coordinator.is_superuser = True
    coordinator.save()
    return client_for(coordinator)


@pytest.mark.parametrize("model", [Partner, Membership, Workgroup])
def test_admin_lists_and_forms_render(admin_client_, lead, model):
    factories.WorkgroupFactory().members.add(lead)
    opts = model._meta
    assert (
        admin_client_.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        ).status_code
        == 200
    )
    obj = model.objects.first()
    assert (
        admin_client_.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        ).status_code
        == 200
    )


def test_admin_refuses_duplicate_partner_names_and_records_changes(admin_client_, partner):
    from core.models import Event

    url = reverse("admin:partnership_partner_add")
    data = {
        "name": partner.name.upper(),
        "kind": "college",
        "status": "active",
        "created_at_0": "2026-01-01",
        "created_at_1": "10:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "A partner with this name already exists." in response.content.decode()
    assert Partner.objects.count() == 1
    response = admin_client_.post(url, {**data, "name": "Oregon State University"})
    assert response.status_code == 302
    assert Event.objects.filter(action="admin.partner_added").exists()


def test_membership_changelist_query_count_is_constant(
    admin_client_, django_assert_max_num_queries
):
    for _ in range(30):
        factories.MembershipFactory()
    with django_assert_max_num_queries(12):
        admin_client_.get(reverse("admin:partnership_membership_changelist"))
