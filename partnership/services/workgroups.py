"""Writes about workgroups and who takes part in them."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from core.actor import Actor
from core.models import User
from core.services.db import instance_lock_apply
from core.services.events import event_record
from core.text import clean_text, markdown_cook
from partnership.models import Partner, Workgroup
from partnership.services.common import save_validated, text_clean

WORKGROUP_FIELDS = ("name", "description")
NAME_UNIQUE = ("workgroup_name_ci_unique",)


def _workgroup_name_error(name: str) -> dict:
    return {"name": [f"A workgroup named “{name}” already exists."]}


def _workgroup_name_check(*, name: str, exclude_pk: int | None = None) -> None:
    taken = Workgroup.objects.filter(name__iexact=name).exclude(pk=exclude_pk).first()
    if taken is not None:
        raise ValidationError(_workgroup_name_error(taken.name))


def workgroup_create(*, name: str, description: str = "", actor: Actor) -> Workgroup:
    name = text_clean(name)
    _workgroup_name_check(name=name)
    workgroup = Workgroup(name=name, description=clean_text(description or "").strip())
    markdown_cook(obj=workgroup)
    save_validated(
        workgroup, constraints=NAME_UNIQUE, check=lambda: _workgroup_name_check(name=name)
    )
    event_record(
        action="workgroup.created",
        actor=actor,
        subject=workgroup,
        summary=f"Workgroup {workgroup.name} added",
    )
    return workgroup


@transaction.atomic
def workgroup_update(*, workgroup: Workgroup, data: Mapping, actor: Actor) -> Workgroup:
    data = {
        field: clean_text(str(data[field] or "")).strip()
        for field in WORKGROUP_FIELDS
        if field in data
    }
    if "name" in data:
        _workgroup_name_check(name=data["name"], exclude_pk=workgroup.pk)
    changed = instance_lock_apply(workgroup, data)
    if not changed:
        return workgroup
    save_validated(
        workgroup,
        constraints=NAME_UNIQUE,
        check=lambda: _workgroup_name_check(name=workgroup.name, exclude_pk=workgroup.pk),
        update_fields=[*changed, *markdown_cook(obj=workgroup, fields=changed)],
    )
    event_record(
        action="workgroup.updated",
        actor=actor,
        subject=workgroup,
        summary=f"Workgroup {workgroup.name} edited: {', '.join(changed)}",
        data={"changed": changed},
    )
    return workgroup


def workgroup_member_add(*, workgroup: Workgroup, user: User, actor: Actor) -> None:
    if not user.is_active:
        raise ValidationError({"email": [f"{user} is deactivated."]})
    if workgroup.members.filter(pk=user.pk).exists():
        return
    workgroup.members.add(user)
    event_record(
        action="workgroup.member_added",
        actor=actor,
        subject=workgroup,
        summary=f"{user.full_name} joined {workgroup.name}",
        data={"user": user.pk},
    )


def workgroup_member_remove(*, workgroup: Workgroup, user: User, actor: Actor) -> None:
    if not workgroup.members.filter(pk=user.pk).exists():
        return
    workgroup.members.remove(user)
    event_record(
        action="workgroup.member_removed",
        actor=actor,
        subject=workgroup,
        summary=f"{user.full_name} left {workgroup.name}",
        data={"user": user.pk},
    )


def workgroup_partner_add(*, workgroup: Workgroup, partner: Partner, actor: Actor) -> None:
    if workgroup.partners.filter(pk=partner.pk).exists():
        return
    workgroup.partners.add(partner)
    event_record(
        action="workgroup.partner_added",
        actor=actor,
        subject=workgroup,
        summary=f"{partner.name} joined {workgroup.name}",
        data={"partner": partner.pk},
    )


def workgroup_partner_remove(*, workgroup: Workgroup, partner: Partner, actor: Actor) -> None:
    if not workgroup.partners.filter(pk=partner.pk).exists():
        return
    workgroup.partners.remove(partner)
    event_record(
        action="workgroup.partner_removed",
        actor=actor,
        subject=workgroup,
        summary=f"{partner.name} left {workgroup.name}",
        data={"partner": partner.pk},
    )
