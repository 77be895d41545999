"""MOU versions and their role templates."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.actor import Actor
from core.services.db import unique_race_settle
from core.services.events import event_record
from core.text import clean_text, markdown_cook
from mou.exceptions import NotAllowed, TransitionNotAllowed
from mou.models import MouVersion, RoleBlock, RoleTemplate
from mou.rules import deadline_display
from mou.seeding import role_templates_seed
from mou.services.blocks import blocks_create_for_partners, blocks_notify_leads
from partnership.models import Partner

# Opening a version supersedes its previous one while that is still open or being signed.
SUPERSEDABLE = (MouVersion.Status.OPEN, MouVersion.Status.FROZEN)

TEMPLATE_FIELDS = (
    "title",
    "guidance",
    "role_prompt",
    "commitments_prompt",
    "asks_prompt",
    "model_text",
)
# Versions created at the same moment each take the next free number; one that loses the
# insert takes the number after, so even a burst of creates all succeed.
NUMBER_ATTEMPTS = 10


def _require_coordinator(actor: Actor) -> None:
    # The system itself (the demo loader, a management command) may too.
    if not actor.is_coordinator_or_system():
        raise NotAllowed("Only coordinators manage MOU versions.")


def _check_previous(version: MouVersion) -> None:
    previous = version.previous
    if previous is None:
        return
    if version.pk and previous.pk == version.pk:
        raise ValidationError({"previous": "A version cannot follow itself."})
    if previous.status == MouVersion.Status.DRAFT:
        raise ValidationError({"previous": "The previous version must have been opened."})


def templates_copy(*, version: MouVersion, from_previous: bool = True) -> list[RoleTemplate]:
    """Give a new version its templates: the previous version's (unless the coordinator
    chose a fresh start), else the network defaults."""
    source = (
        RoleTemplate.objects.filter(version=version.previous)
        if version.previous and from_previous
        else None
    )
    if source is None or not source.exists():
        role_templates_seed()
        source = RoleTemplate.objects.filter(version__isnull=True)
    copies = [
        RoleTemplate(version=version, kind=t.kind, **{f: getattr(t, f) for f in TEMPLATE_FIELDS})
        for t in source
    ]
    for copy in copies:
        markdown_cook(obj=copy)
    return RoleTemplate.objects.bulk_create(copies)


def version_create(
    *,
    actor: Actor,
    title: str,
    shared_text: str,
    deadline: datetime,
    previous: MouVersion | None = None,
    start_from_previous: bool = True,
) -> MouVersion:
    """Create a draft. With ``start_from_previous`` it starts from the previous version:
    its role templates, and its shared text when none is given."""
    _require_coordinator(actor)
    if start_from_previous and previous is not None and not (shared_text or "").strip():
        shared_text = previous.shared_text

    def insert() -> MouVersion:
        number = (MouVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
        version = MouVersion(
            number=number,
            title=clean_text(title).strip(),
            shared_text=clean_text(shared_text),
            deadline=deadline,
            previous=previous,
            created_by=actor.user,
        )
        markdown_cook(obj=version)
        _check_previous(version)
        # The number's uniqueness is the database's to enforce (the retry below settles a
        # lost race): checked here too, a version committed between the read of the
        # highest number and this check would be refused instead of retried.
        version.full_clean(exclude={"number"})
        version.save()
        return version

    with transaction.atomic():
        version = unique_race_settle(
            insert, model=MouVersion, constraints=("number",), retries=NUMBER_ATTEMPTS
        )
        templates_copy(version=version, from_previous=start_from_previous)
        event_record(
            action="mou.version_created",
            actor=actor,
            subject=version,
            summary=f"MOU version {version} created",
            data={"to": version.status, "deadline": deadline.isoformat()},
        )
    return version


def version_update(
    *,
    version: MouVersion,
    actor: Actor,
    title: str,
    shared_text: str,
    deadline: datetime,
    previous: MouVersion | None = None,
) -> MouVersion:
    """Edit a draft, or an open version's wording and deadline. Frozen versions never change."""
    _require_coordinator(actor)
    with transaction.atomic():
        current = MouVersion.objects.select_for_update().get(pk=version.pk)
        if current.status not in {MouVersion.Status.DRAFT, MouVersion.Status.OPEN}:
            raise TransitionNotAllowed(
                f"This version is {current.get_status_display().lower()} and cannot change; "
                "make a new version instead."
            )
        if current.status == MouVersion.Status.OPEN:
            if previous != current.previous:
                raise ValidationError(
                    {"previous": "The previous version cannot change once blocks exist."}
                )
            if deadline <= timezone.now():
                raise ValidationError(
                    {"deadline": "The deadline of an open version must be in the future."}
                )
        before = {"deadline": current.deadline.isoformat(), "title": current.title}
        current.title = clean_text(title).strip()
        current.shared_text = clean_text(shared_text)
        current.deadline = deadline
        current.previous = previous
        markdown_cook(obj=current, fields=["shared_text"])
        _check_previous(current)
        current.full_clean()
        current.save()
        event_record(
            action="mou.version_updated",
            actor=actor,
            subject=current,
            summary=f"MOU version {current} edited",
            data={"from": before, "to": {"deadline": deadline.isoformat(), "title": current.title}},
        )
    return current


def version_delete(*, version: MouVersion, actor: Actor) -> None:
    """Delete a draft (nobody but coordinators has seen it) with its templates. Once a
    version has been opened it has blocks and a history, and is never deleted."""
    _require_coordinator(actor)
    from core.services.reminders import schedule_forget

    with transaction.atomic():
        current = MouVersion.objects.select_for_update().get(pk=version.pk)
        if current.status != MouVersion.Status.DRAFT:
            raise TransitionNotAllowed(
                f"This version is {current.get_status_display().lower()}: only a draft can be "
                "deleted."
            )
        event_record(
            action="mou.version_deleted",
            actor=actor,
            subject=current,
            summary=f"Draft MOU version {current} deleted",
            data={"number": current.number, "title": current.title, "from": current.status},
        )
        schedule_forget(owner=current)
        current.delete()


def version_open(*, version: MouVersion, actor: Actor) -> list[RoleBlock]:
    """Open a draft: every active partner gets a block, carried over from the previous
    version, and its leads an e-mail with a link straight to it. Returns the new blocks."""
    _require_coordinator(actor)
    with transaction.atomic():
        current = MouVersion.objects.select_for_update().get(pk=version.pk)
        if current.status != MouVersion.Status.DRAFT:
            raise TransitionNotAllowed(
                "Only a draft can be opened; this version is "
                f"{current.get_status_display().lower()}."
            )
        if current.deadline <= timezone.now():
            raise ValidationError(
                {"deadline": "The deadline has passed: move it into the future before opening."}
            )
        current.status = MouVersion.Status.OPEN
        current.opened_at = timezone.now()
        current.opened_by = actor.user
        current.full_clean()
        current.save()
        previous = current.previous
        if previous is not None and previous.status in SUPERSEDABLE:
            was = previous.status
            if was == MouVersion.Status.FROZEN:
                # A change is a new version: the old round's unsigned requests are withdrawn.
                from mou.services.signing import signatures_void

                signatures_void(frozen=previous.frozen, actor=actor)
            previous.status = MouVersion.Status.SUPERSEDED
            previous.save(update_fields=["status", "updated_at"])
            event_record(
                action="mou.version_superseded",
                actor=actor,
                subject=previous,
                summary=f"MOU version {previous} superseded by {current}",
                data={"from": was, "to": previous.status, "by": current.pk},
            )
        partners = Partner.objects.filter(status=Partner.Status.ACTIVE).order_by("name")
        blocks = blocks_create_for_partners(version=current, partners=partners, actor=actor)
        blocks_notify_leads(blocks=blocks, template="mou_opened", kind="mou_opened")
        event_record(
            action="mou.version_opened",
            actor=actor,
            subject=current,
            summary=f"MOU version {current} opened; due {deadline_display(current.deadline)}",
            data={"from": MouVersion.Status.DRAFT, "to": current.status, "blocks": len(blocks)},
        )
    version.refresh_from_db()
    return blocks


def role_template_save(
    *,
    version: MouVersion,
    kind: str,
    actor: Actor,
    data: dict,
) -> RoleTemplate:
    """Create or change a version's template for one partner kind (while draft or open)."""
    _require_coordinator(actor)
    if version.status not in {MouVersion.Status.DRAFT, MouVersion.Status.OPEN}:
        raise TransitionNotAllowed("Templates of a frozen version cannot change.")

    def write() -> tuple[RoleTemplate, bool]:
        template = (
            RoleTemplate.objects.select_for_update().filter(version=version, kind=kind).first()
        )
        created = template is None
        template = template or RoleTemplate(version=version, kind=kind)
        for name in TEMPLATE_FIELDS:
            if name in data:
                value = clean_text(str(data[name] or ""))
                setattr(
                    template, name, value.strip() if name.endswith(("title", "prompt")) else value
                )
        markdown_cook(obj=template, fields=data.keys() if not created else None)
        template.full_clean()
        template.save()
        return template, created

    with transaction.atomic():
        # Two coordinators saving a kind's first template at once: the one that loses the
        # insert runs again and edits the template the other made, as it would a moment later.
        template, created = unique_race_settle(
            write,
            model=RoleTemplate,
            constraints=("role_template_one_per_kind_per_version",),
            retries=1,
        )
        event_record(
            action="mou.template_saved",
            actor=actor,
            subject=template,
            summary=f"Role template “{template.title}” {'created' if created else 'edited'} "
            f"for {version}",
            data={"version": version.pk, "kind": kind},
        )
    return template
