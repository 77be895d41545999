"""Writes about partner organizations: create, edit, change status."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from core.actor import Actor
from core.hooks import PARTNER_ACTIVATED, hook_run
from core.services.db import instance_lock_apply
from core.services.events import event_record
from core.text import clean_text, markdown_cook
from partnership.models import Partner
from partnership.services.common import save_validated, text_clean

PARTNER_FIELDS = ("name", "kind", "region", "website", "description")
NAME_UNIQUE = ("partner_name_ci_unique",)


def _partner_name_error(name: str) -> dict:
    return {"name": [f"A partner named “{name}” already exists. Partner names must be unique."]}


def _partner_name_check(*, name: str, exclude_pk: int | None = None) -> None:
    taken = Partner.objects.filter(name__iexact=name).exclude(pk=exclude_pk).first()
    if taken is not None:
        raise ValidationError(_partner_name_error(taken.name))


def _partner_data(data: Mapping) -> dict:
    cleaned = {field: text_clean(data[field]) for field in PARTNER_FIELDS if field in data}
    if "description" in data:  # keep the writer's line breaks, only drop control characters
        cleaned["description"] = clean_text(str(data["description"] or "")).strip()
    return cleaned


def partner_create(
    *,
    name: str,
    kind: str,
    status: str = Partner.Status.ACTIVE,
    region: str = "",
    website: str = "",
    description: str = "",
    actor: Actor,
) -> Partner:
    data = _partner_data(
        {
            "name": name,
            "kind": kind,
            "region": region,
            "website": website,
            "description": description,
        }
    )
    _partner_name_check(name=data["name"])
    partner = Partner(status=status, **data)
    markdown_cook(obj=partner)
    save_validated(
        partner,
        constraints=NAME_UNIQUE,
        check=lambda: _partner_name_check(name=data["name"]),
    )
    event_record(
        action="partner.created",
        actor=actor,
        subject=partner,
        summary=f"Partner {partner.name} added ({partner.get_status_display().lower()})",
        data={"kind": partner.kind, "status": partner.status},
    )
    if partner.status == Partner.Status.ACTIVE:
        _partner_activated(partner=partner, actor=actor)
    return partner


def _partner_activated(*, partner: Partner, actor: Actor) -> None:
    """Tell the apps above (the MOU gives a joining partner its block of an open version)."""
    hook_run(PARTNER_ACTIVATED, partner=partner, actor=actor)


@transaction.atomic
def partner_update(*, partner: Partner, data: Mapping, actor: Actor) -> Partner:
    """Change the profile fields given in ``data`` (status has its own services)."""
    data = _partner_data(data)
    if "name" in data:
        _partner_name_check(name=data["name"], exclude_pk=partner.pk)
    changed = instance_lock_apply(partner, {f: data[f] for f in PARTNER_FIELDS if f in data})
    if not changed:
        return partner
    save_validated(
        partner,
        constraints=NAME_UNIQUE,
        check=lambda: _partner_name_check(name=partner.name, exclude_pk=partner.pk),
        update_fields=[*changed, *markdown_cook(obj=partner, fields=changed), "updated_at"],
    )
    event_record(
        action="partner.updated",
        actor=actor,
        subject=partner,
        summary=f"Partner {partner.name} edited: {', '.join(changed)}",
        data={"changed": changed},
    )
    return partner


def partner_status_set(*, partner: Partner, status: str, actor: Actor) -> Partner:
    if status not in Partner.Status.values:
        raise ValidationError({"status": [f"Unknown status “{status}”."]})
    previous = partner.status
    if previous == status:
        return partner
    partner.status = status
    partner.full_clean()
    # Only the status: an edit of the profile saved meanwhile stays.
    partner.save(update_fields=["status", "updated_at"])
    event_record(
        action="partner.status_changed",
        actor=actor,
        subject=partner,
        summary=f"Partner {partner.name}: {previous} → {status}",
        data={"from": previous, "to": status},
    )
    if status == Partner.Status.ACTIVE:
        _partner_activated(partner=partner, actor=actor)
    return partner


def partner_deactivate(*, partner: Partner, actor: Actor) -> Partner:
    """Its people keep their roles but lose access until the partner is active again."""
    return partner_status_set(partner=partner, status=Partner.Status.INACTIVE, actor=actor)


def partner_reactivate(*, partner: Partner, actor: Actor) -> Partner:
    """Make an inactive or prospective partner active."""
    return partner_status_set(partner=partner, status=Partner.Status.ACTIVE, actor=actor)
