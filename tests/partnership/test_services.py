import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.actor import Actor
from core.models import Event, OutboxMessage, User
from core.services.signin import LinkInvalid, signin_link_read
from partnership import services
from partnership.models import Membership, Partner, Workgroup
from partnership.services import partners as partners_services
from tests import factories


def actions() -> list[str]:
    return list(Event.objects.order_by("id").values_list("action", flat=True))


# --- partners -------------------------------------------------------------------------


def test_partner_create_records_an_event(coordinator):
    partner = services.partner_create(
        name="  Chemeketa Community College ",
        kind="college",
        region="Salem",
        website="https://www.chemeketa.edu",
        description="Line one\nline two\x00",
        actor=Actor.of(coordinator),
    )
    assert partner.name == "Chemeketa Community College"
    assert partner.status == Partner.Status.ACTIVE
    assert partner.description == "Line one\nline two"
    event = Event.objects.get(action="partner.created")
    assert event.actor == coordinator
    assert event.subject_id == partner.pk


@pytest.mark.parametrize("name", ["salem-keizer school district", "SALEM-KEIZER SCHOOL DISTRICT"])
def test_partner_names_are_unique_whatever_the_case(partner, coordinator, name):
    with pytest.raises(ValidationError) as error:
        services.partner_create(name=name, kind="school_district", actor=Actor.of(coordinator))
    assert "Salem-Keizer School District" in error.value.message_dict["name"][0]
    assert Partner.objects.count() == 1
    assert not Event.objects.exists()


def test_partner_rename_to_another_partners_name_is_refused(partner, other_partner, coordinator):
    with pytest.raises(ValidationError) as error:
        services.partner_update(
            partner=other_partner, data={"name": partner.name.upper()}, actor=Actor.of(coordinator)
        )
    assert "already exists" in error.value.message_dict["name"][0]
    other_partner.refresh_from_db()
    assert other_partner.name == "Chemeketa Community College"


def test_partner_rename_changing_only_the_case_of_its_own_name_is_fine(partner, coordinator):
    services.partner_update(
        partner=partner, data={"name": "SALEM-KEIZER School District"}, actor=Actor.of(coordinator)
    )
    partner.refresh_from_db()
    assert partner.name == "SALEM-KEIZER School District"


def test_a_lost_uniqueness_race_becomes_a_validation_error(partner, coordinator, monkeypatch):
    # Both checks pass (as when two requests run side by side); the database refuses.
    monkeypatch.setattr(partners_services, "_partner_name_check", lambda **kwargs: None)
    monkeypatch.setattr(Partner, "validate_constraints", lambda self, **kwargs: None)
    with pytest.raises(ValidationError) as error:
        services.partner_create(
            name="SALEM-keizer school district", kind="school_district", actor=Actor.of(coordinator)
        )
    assert "already exists" in error.value.message_dict["name"][0]
    assert Partner.objects.count() == 1  # and the outer transaction is still usable


def test_partner_update_records_changed_fields_only(partner, coordinator):
    services.partner_update(
        partner=partner,
        data={"name": partner.name, "region": "Marion County"},
        actor=Actor.of(coordinator),
    )
    event = Event.objects.get(action="partner.updated")
    assert event.data == {"changed": ["region"]}
    services.partner_update(
        partner=partner, data={"region": "Marion County"}, actor=Actor.of(coordinator)
    )
    assert Event.objects.filter(action="partner.updated").count() == 1


def test_partner_update_validates_fields(partner, coordinator):
    with pytest.raises(ValidationError) as error:
        services.partner_update(
            partner=partner, data={"website": "not a url", "kind": "x"}, actor=Actor.of(coordinator)
        )
    assert set(error.value.message_dict) == {"website", "kind"}


def test_partner_deactivate_and_reactivate(partner, lead, coordinator):
    from core.permissions import user_may

    services.partner_deactivate(partner=partner, actor=Actor.of(coordinator))
    partner.refresh_from_db()
    assert partner.status == Partner.Status.INACTIVE
    lead = User.objects.get(pk=lead.pk)  # fresh: the permission cache is per user object
    assert not user_may(lead, "partner.view", partner)
    assert Membership.objects.filter(user=lead, partner=partner).exists()  # roles are kept

    services.partner_reactivate(partner=partner, actor=Actor.of(coordinator))
    partner.refresh_from_db()
    assert partner.status == Partner.Status.ACTIVE
    assert user_may(User.objects.get(pk=lead.pk), "partner.view", partner)
    assert actions() == ["partner.status_changed", "partner.status_changed"]
    assert Event.objects.first().data == {"from": "inactive", "to": "active"}


def test_partner_status_set_refuses_unknown_status(partner, coordinator):
    with pytest.raises(ValidationError):
        services.partner_status_set(partner=partner, status="gone", actor=Actor.of(coordinator))


# --- people ---------------------------------------------------------------------------


def test_person_create_stores_the_email_lower_case_with_no_password(coordinator):
    person = services.person_create(
        email=" Ana.Silva@Example.ORG ",
        full_name="Ana Silva",
        title="Teacher",
        actor=Actor.of(coordinator),
    )
    assert person.email == "ana.silva@example.org"
    assert not person.has_usable_password()
    assert not person.is_coordinator
    assert actions() == ["person.created"]


def test_person_create_refuses_a_known_email_in_any_case(lead, coordinator):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            email=lead.email.upper(), full_name="Someone", actor=Actor.of(coordinator)
        )
    assert "already in the portal" in error.value.message_dict["email"][0]
    assert User.objects.filter(email__iexact=lead.email).count() == 1


@pytest.mark.parametrize("email", ["not-an-email", "a@", ""])
def test_person_create_refuses_invalid_email(coordinator, email):
    with pytest.raises(ValidationError) as error:
        services.person_create(email=email, full_name="Someone", actor=Actor.of(coordinator))
    assert "email" in error.value.message_dict


def test_person_create_needs_a_name(coordinator):
    with pytest.raises(ValidationError) as error:
        services.person_create(email="x@example.org", full_name="  ", actor=Actor.of(coordinator))
    assert "full_name" in error.value.message_dict


def test_person_update_changing_the_email_voids_old_links(lead, coordinator):
    version = lead.link_version
    services.person_update(
        person=lead, data={"email": "New@Example.org", "title": "Dean"}, actor=Actor.of(coordinator)
    )
    lead.refresh_from_db()
    assert lead.email == "new@example.org"
    assert lead.link_version == version + 1
    services.person_update(person=lead, data={"title": "Provost"}, actor=Actor.of(coordinator))
    lead.refresh_from_db()
    assert lead.link_version == version + 1


def test_person_update_refuses_another_persons_email(lead, editor, coordinator):
    with pytest.raises(ValidationError):
        services.person_update(
            person=lead, data={"email": editor.email.upper()}, actor=Actor.of(coordinator)
        )


def test_person_deactivate_stops_sign_in_and_kills_old_links(lead, coordinator):
    from core.services.signin import signin_token_make

    token = signin_token_make(user=lead, next_path="/")
    services.person_deactivate(person=lead, actor=Actor.of(coordinator))
    lead.refresh_from_db()
    assert not lead.is_active
    with pytest.raises(LinkInvalid):
        signin_link_read(token=token)
    # Reactivating does not bring the old link back.
    services.person_reactivate(person=lead, actor=Actor.of(coordinator))
    with pytest.raises(LinkInvalid):
        signin_link_read(token=token)
    assert actions() == ["person.deactivated", "person.reactivated"]


def test_a_coordinator_cannot_deactivate_themselves(coordinator):
    with pytest.raises(ValidationError):
        services.person_deactivate(person=coordinator, actor=Actor.of(coordinator))
    coordinator.refresh_from_db()
    assert coordinator.is_active


# --- memberships ----------------------------------------------------------------------


def test_membership_set_creates_then_changes_the_role(partner, nobody, coordinator):
    membership = services.membership_set(
        user=nobody, partner=partner, role="viewer", actor=Actor.of(coordinator)
    )
    assert membership.role == "viewer"
    services.membership_set(user=nobody, partner=partner, role="lead", actor=Actor.of(coordinator))
    services.membership_set(user=nobody, partner=partner, role="lead", actor=Actor.of(coordinator))
    assert Membership.objects.get(user=nobody, partner=partner).role == "lead"
    assert [e.data["to"] for e in Event.objects.order_by("id")] == ["viewer", "lead"]


def test_membership_set_refuses_an_unknown_role(partner, nobody, coordinator):
    with pytest.raises(ValidationError):
        services.membership_set(
            user=nobody, partner=partner, role="owner", actor=Actor.of(coordinator)
        )
    assert not Membership.objects.filter(user=nobody).exists()


def test_membership_remove(partner, lead, coordinator):
    membership = Membership.objects.get(user=lead)
    services.membership_remove(membership=membership, actor=Actor.of(coordinator))
    assert not Membership.objects.filter(user=lead).exists()
    assert actions() == ["membership.removed"]


# --- invitations ----------------------------------------------------------------------


def test_invite_sends_a_working_link_to_the_partner_page(
    partner, lead, coordinator, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.person_invite(person=lead, partner=partner, actor=Actor.of(coordinator))
    assert message.kind == "invitation"
    assert message.to_user == lead
    assert partner.name in message.subject
    assert "as lead for Salem-Keizer School District" in message.body_text
    assert coordinator.full_name in message.body_text
    assert len(mailoutbox) == 1
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.SENT

    link = re.search(r"https?://\S+/accounts/link/\S+/", message.body_text).group(0)
    assert link.startswith(settings.SITE_URL)
    response = client.get(urlsplit(link).path)
    assert response.status_code == 302
    assert response["Location"] == reverse("partnership:partner_detail", args=[partner.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert lead.email in page.content.decode()
    assert actions()[-1] == "person.invited"


def test_invite_without_partner_uses_the_persons_active_partner(partner, lead, coordinator):
    message = services.person_invite(person=lead, actor=Actor.of(coordinator))
    assert partner.name in message.subject


def test_invite_refuses_people_who_could_not_get_in(partner, nobody, lead, coordinator):
    with pytest.raises(ValidationError, match="no role"):
        services.person_invite(person=nobody, actor=Actor.of(coordinator))
    services.partner_deactivate(partner=partner, actor=Actor.of(coordinator))
    with pytest.raises(ValidationError, match="inactive"):
        services.person_invite(person=lead, partner=partner, actor=Actor.of(coordinator))
    with pytest.raises(ValidationError, match="no role"):
        services.person_invite(person=lead, actor=Actor.of(coordinator))
    assert not OutboxMessage.objects.exists()


def test_invite_refuses_a_deactivated_person(lead, coordinator):
    services.person_deactivate(person=lead, actor=Actor.of(coordinator))
    with pytest.raises(ValidationError, match="deactivated"):
        services.person_invite(person=lead, actor=Actor.of(coordinator))


def test_invite_a_coordinator_opens_home(coordinator):
    other = factories.UserFactory(is_coordinator=True)
    message = services.person_invite(person=other, actor=Actor.of(coordinator))
    assert "as lead" not in message.body_text


# --- workgroups -----------------------------------------------------------------------


def test_workgroup_create_update_and_membership(partner, lead, coordinator):
    workgroup = services.workgroup_create(
        name="Assessment", description="Metrics", actor=Actor.of(coordinator)
    )
    with pytest.raises(ValidationError) as error:
        services.workgroup_create(name="ASSESSMENT", actor=Actor.of(coordinator))
    assert "already exists" in error.value.message_dict["name"][0]
    services.workgroup_update(
        workgroup=workgroup, data={"name": "Assessment literacy"}, actor=Actor.of(coordinator)
    )
    services.workgroup_member_add(workgroup=workgroup, user=lead, actor=Actor.of(coordinator))
    services.workgroup_member_add(workgroup=workgroup, user=lead, actor=Actor.of(coordinator))
    services.workgroup_partner_add(
        workgroup=workgroup, partner=partner, actor=Actor.of(coordinator)
    )
    assert list(workgroup.members.all()) == [lead]
    assert list(workgroup.partners.all()) == [partner]
    services.workgroup_member_remove(workgroup=workgroup, user=lead, actor=Actor.of(coordinator))
    services.workgroup_partner_remove(
        workgroup=workgroup, partner=partner, actor=Actor.of(coordinator)
    )
    assert not workgroup.members.exists() and not workgroup.partners.exists()
    assert Workgroup.objects.get().name == "Assessment literacy"
    assert actions() == [
        "workgroup.created",
        "workgroup.updated",
        "workgroup.member_added",
        "workgroup.partner_added",
        "workgroup.member_removed",
        "workgroup.partner_removed",
    ]


def test_workgroup_refuses_deactivated_members(lead, coordinator):
    workgroup = factories.WorkgroupFactory()
    services.person_deactivate(person=lead, actor=Actor.of(coordinator))
    with pytest.raises(ValidationError):
        services.workgroup_member_add(workgroup=workgroup, user=lead, actor=Actor.of(coordinator))
