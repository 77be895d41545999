from io import StringIO

from django.apps import apps
from django.core.management import call_command

from core.models import User
from partnership import demo
from partnership.models import Membership, Partner, Workgroup


def counts() -> dict:
    """Rows of every table, the other apps' demo parts included."""
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def snapshot() -> list:
    return [
        list(
            User.objects.order_by("pk").values_list(
                "email", "full_name", "title", "is_coordinator", "is_active", "password"
            )
        ),
        list(
            Partner.objects.order_by("pk").values_list(
                "name", "kind", "status", "region", "website", "description", "updated_at"
            )
        ),
        list(Membership.objects.order_by("pk").values_list("user__email", "partner__name", "role")),
    ]


def test_load_demo_builds_the_network_and_is_idempotent(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    first, first_rows = counts(), snapshot()
    call_command("load_demo", stdout=out)
    assert counts() == first
    assert snapshot() == first_rows
    assert "(0 changes)" in out.getvalue()

    assert first["partnership.Partner"] >= 12
    statuses = set(Partner.objects.values_list("status", flat=True))
    assert statuses == {"active", "prospective", "inactive"}
    assert len(set(Partner.objects.values_list("kind", flat=True))) >= 7
    for partner in Partner.objects.filter(status="active"):
        assert partner.memberships.filter(role="lead").exists(), partner
    assert Membership.objects.filter(role="editor").exists()
    assert Membership.objects.filter(role="viewer").exists()
    assert set(Workgroup.objects.values_list("name", flat=True)) == {
        "Curriculum and instruction",
        "Assessment",
        "Policy",
    }
    assert all(w.members.exists() and w.partners.exists() for w in Workgroup.objects.all())
    lita = User.objects.get(full_name="Lita Colligan")
    assert lita.is_coordinator and lita.check_password(demo.DEFAULT_COORDINATOR_PASSWORD)


def test_load_demo_repairs_what_was_changed(db):
    call_command("load_demo", stdout=StringIO())
    Partner.objects.filter(name="Chemeketa Community College").update(status="inactive")
    Membership.objects.filter(user__email="maria.alvarez@salkeiz.example.org").delete()
    call_command("load_demo", stdout=StringIO())
    assert Partner.objects.get(name="Chemeketa Community College").status == "active"
    assert Membership.objects.get(user__email="maria.alvarez@salkeiz.example.org").role == "lead"


def test_load_demo_takes_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("DEMO_COORDINATOR_PASSWORD", "another-demo-secret")
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert User.objects.get(email=demo.COORDINATOR_EMAIL).check_password("another-demo-secret")
    assert "another-demo-secret" in out.getvalue()
