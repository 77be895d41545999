"""Deadline reminders for role blocks, and the coordinator's daily digest.

Registered with the one reminder engine (core.services.reminders), which claims each
(block, stage, recipient) once and sends it through the outbox. A third source reminds
signing leaders whose signature is still pending ("mou.signature").
"""

from collections import defaultdict
from datetime import datetime, timedelta
from functools import partial

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext

from core.models import Reminder, User
from core.services import reminders as engine
from core.text import possessive, shortened
from mou.models import MouVersion, RoleBlock, SignatureRequest
from mou.rules import network_zone
from partnership.models import Membership, Partner

LINK_VALID_AFTER_DEADLINE = timedelta(days=7)
SIGNER_STAGE = engine.stage_key_before(2)
# E-mails that tell a block's leads what a reminder would: a stage coming due within a day
# of one of them is counted as sent by it (the engine's ``dues_not_yet_told``).
TELLING_KINDS = ("mou_opened", "mou_changes_requested", "mou_extension")
# Names and titles are cut so a subject line stays under about 78 characters.
NAME_IN_SUBJECT = 36
TITLE_IN_SUBJECT = 40


def _day(value: datetime) -> str:
    return date_format(timezone.localtime(value, network_zone()), "M j")


def block_reminder_subject(
    *,
    partner_name: str,
    deadline: datetime,
    role: str,
    overdue: bool,
    state: str,
    days_before: int | None,
) -> str:
    """The subject of a block reminder: what is asked, whose block, by when; short."""
    if role == Reminder.Role.SIGNER:
        name = possessive(shortened(partner_name, NAME_IN_SUBJECT - 8))
        return f"Due {_day(deadline)}: {name} MOU block names you to sign"
    block = f"{possessive(shortened(partner_name, NAME_IN_SUBJECT))} MOU block"
    if overdue:
        return f"Overdue: {block}"
    if state == RoleBlock.Status.CHANGES_REQUESTED:
        return f"Changes requested: {block}, due {_day(deadline)}"
    if days_before == 0:
        return f"Due today: {block}"
    return f"Reminder: {block} is due {_day(deadline)}"


def digest_subject(*, title: str, day, pending: int, to_review: int) -> str:
    """The digest's subject, counted as its body lists them: every block not submitted yet
    (not started, draft, changes requested) is pending."""
    counts = ngettext("%(n)d block pending", "%(n)d blocks pending", pending) % {"n": pending}
    return (
        f"{shortened(title, TITLE_IN_SUBJECT)}: {counts}, {to_review} to review "
        f"({date_format(day, 'M j')})"
    )


def block_remind_refusal(block: RoleBlock) -> str | None:
    """Why the block cannot be reminded at all, or None when it may be: only a block still
    owed, of a version open for blocks, gets reminders (its version and partner loaded)."""
    if block.version.status != MouVersion.Status.OPEN:
        return (
            f"{block.version} is {block.version.get_status_display().lower()}: "
            "its blocks get no more reminders."
        )
    if not block.is_owed:
        return (
            f"{possessive(block.partner)} block is {block.get_status_display().lower()}: "
            "there is nothing to remind them of."
        )
    return None


def _pending_blocks():
    # The reminder shows names, dates and the review comment; the texts stay in the database
    # (thousands of blocks, each loading its version's shared text, otherwise).
    return (
        RoleBlock.objects.owed()
        .filter(version__status=MouVersion.Status.OPEN, partner__status=Partner.Status.ACTIVE)
        .select_related("version", "partner")
        .defer(
            *RoleBlock.TEXT_FIELDS,
            *(f"{name}_html" for name in RoleBlock.MARKDOWN_FIELDS),
            "version__shared_text",
            "version__shared_text_html",
            "partner__description",
            "partner__description_html",
        )
    )


def _people_by_partner(partner_ids) -> dict[int, list[Membership]]:
    people: dict[int, list[Membership]] = defaultdict(list)
    rows = Membership.objects.filter(
        partner_id__in=set(partner_ids),
        role__in=[Membership.Role.LEAD, Membership.Role.EDITOR],
        user__is_active=True,
    ).select_related("user")
    for membership in rows:
        people[membership.partner_id].append(membership)
    return people


def _due_for_block(
    block: RoleBlock,
    stage: engine.Stage,
    people: list[Membership],
    prefs: dict,
) -> engine.Due:
    path = block.get_absolute_url()
    recipients = []
    for membership in people:
        pref = prefs.get(membership.user_id)
        if membership.role == Membership.Role.LEAD or (pref and pref.editor_opt_in):
            recipients.append(
                engine.Recipient(
                    email=membership.user.email,
                    role=membership.role,
                    user=membership.user,
                    link_path=path,
                )
            )
    recipients = engine.with_delegates(recipients, prefs)
    if stage.key == SIGNER_STAGE and block.signing_leader_email:
        known = {r.email.lower() for r in recipients}
        if block.signing_leader_email.lower() not in known:
            recipients.append(
                engine.Recipient(email=block.signing_leader_email, role=Reminder.Role.SIGNER)
            )
    deadline = block.effective_deadline
    due = engine.Due(
        subject=block,
        stage=stage.key,
        stage_label=stage.label,
        due_at=stage.due_at,
        recipients=recipients,
        template="reminder_block",
        context={
            "block": block,
            "partner": block.partner,
            "version": block.version,
            "deadline": deadline,
            "overdue": stage.is_overdue,
            "days_before": stage.days_before,
            "state": block.status,
            "review_comment": block.review_comment
            if block.status == RoleBlock.Status.CHANGES_REQUESTED
            else "",
        },
        link_expires_at=deadline + LINK_VALID_AFTER_DEADLINE,
    )
    due.subject_line = partial(_block_subject, due.context)
    return due


def _block_subject(context: dict, recipient: engine.Recipient) -> str:
    # Read when the e-mail is made: "remind now" changes the context after building it.
    return block_reminder_subject(
        partner_name=context["partner"].name,
        deadline=context["deadline"],
        role=recipient.role,
        overdue=context["overdue"],
        state=context["state"],
        days_before=context["days_before"],
    )


@engine.reminder_source
class BlockDeadlines(engine.ReminderSource):
    name = "mou.block"

    def due(self, *, now: datetime):
        blocks = list(_pending_blocks())
        specs = engine.schedules_for({b.version for b in blocks})
        current: list[tuple[RoleBlock, engine.Stage]] = []
        for block in blocks:
            spec = engine.schedule_spec(block.version, specs)
            stage = engine.stage_current(deadline=block.effective_deadline, spec=spec, now=now)
            if stage is not None:
                current.append((block, stage))
        if not current:
            return []
        people = _people_by_partner(b.partner_id for b, _ in current)
        prefs = engine.preferences_for(m.user_id for ms in people.values() for m in ms)
        dues = [
            _due_for_block(block, stage, people.get(block.partner_id, []), prefs)
            for block, stage in current
        ]
        return engine.dues_not_yet_told(dues=dues, kinds=TELLING_KINDS)

    def refusal(self, *, subject: RoleBlock) -> str | None:
        return block_remind_refusal(subject)

    def due_for(self, *, subject: RoleBlock, now: datetime):
        return self.due_for_many(subjects=[subject], now=now)[0]

    def due_for_many(self, *, subjects: list[RoleBlock], now: datetime):
        remindable = [b for b in subjects if block_remind_refusal(b) is None]
        specs = engine.schedules_for({b.version for b in remindable})
        people = _people_by_partner(b.partner_id for b in remindable)
        prefs = engine.preferences_for(m.user_id for ms in people.values() for m in ms)
        dues = {}
        for block in remindable:
            spec = engine.schedule_spec(block.version, specs)
            stage = engine.stage_current(
                deadline=block.effective_deadline, spec=spec, now=now
            ) or engine.stage_manual(now=now)
            due = _due_for_block(block, stage, people.get(block.partner_id, []), prefs)
            due.due_at = now
            due.context["overdue"] = block.is_overdue(now=now)
            due.context["days_before"] = None
            dues[block.pk] = due
        return [dues.get(b.pk) for b in subjects]


DIGEST_HOUR = 7


@engine.reminder_source
class CoordinatorDigest(engine.ReminderSource):
    """One e-mail a day to each coordinator, per open version, while blocks are pending."""

    name = "mou.digest"

    def due(self, *, now: datetime):
        from django.utils import timezone

        local_now = timezone.localtime(now)
        if local_now.hour < DIGEST_HOUR:
            return []
        versions = list(
            MouVersion.objects.filter(status=MouVersion.Status.OPEN).annotate(
                pending=Count("blocks", filter=Q(blocks__status__in=RoleBlock.EDITABLE_STATUSES)),
                submitted=Count("blocks", filter=Q(blocks__status=RoleBlock.Status.SUBMITTED)),
            )
        )
        versions = [v for v in versions if v.pending or v.submitted]
        if not versions:
            return []
        coordinators = list(User.objects.filter(is_coordinator=True, is_active=True))
        pending_rows = defaultdict(list)
        for block in (
            RoleBlock.objects.filter(
                version__in=versions,
                status__in=(*RoleBlock.EDITABLE_STATUSES, RoleBlock.Status.SUBMITTED),
            )
            .select_related("partner")
            .order_by("partner__name")
        ):
            pending_rows[block.version_id].append(block)
        day = local_now.date()
        due_at = local_now.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
        return [
            self._due(version, coordinators, pending_rows[version.pk], day, due_at, now)
            for version in versions
        ]

    def _due(self, version, coordinators, blocks, day, due_at, now):
        by_status = defaultdict(list)
        for block in blocks:
            by_status[block.status].append(block)
        return engine.Due(
            subject=version,
            stage=f"digest-{day.isoformat()}",
            stage_label="daily digest",
            due_at=due_at,
            recipients=[
                engine.Recipient(
                    email=c.email,
                    role=Reminder.Role.COORDINATOR,
                    user=c,
                    link_path=version.get_absolute_url(),
                )
                for c in coordinators
            ],
            template="reminder_digest",
            subject_line=digest_subject(
                title=version.title,
                day=day,
                pending=len(blocks) - len(by_status[RoleBlock.Status.SUBMITTED]),
                to_review=len(by_status[RoleBlock.Status.SUBMITTED]),
            ),
            context={
                "version": version,
                "deadline": version.deadline,
                "overdue": version.deadline < now,
                "not_started": by_status[RoleBlock.Status.NOT_STARTED],
                "drafts": by_status[RoleBlock.Status.DRAFT],
                "changes_requested": by_status[RoleBlock.Status.CHANGES_REQUESTED],
                "to_review": by_status[RoleBlock.Status.SUBMITTED],
                "day": day,
            },
        )

    def due_for(self, *, subject, now):
        return None


# --- signatures --------------------------------------------------------------------------------


def _signature_actionable(signature: SignatureRequest, waiting_frozen: set[int]) -> bool:
    return not (signature.is_countersignature and signature.frozen_id in waiting_frozen)


def _due_for_signature(signature: SignatureRequest, stage: engine.Stage) -> engine.Due:
    from mou.services.signing import signing_reminder_link

    frozen = signature.frozen
    return engine.Due(
        subject=signature,
        stage=stage.key,
        stage_label=stage.label,
        due_at=stage.due_at,
        recipients=[
            engine.Recipient(
                email=signature.signer_email,
                role=Reminder.Role.SIGNER,
                # A fresh signing link for each reminder sent (tokens are stored hashed, so
                # the first e-mail's link cannot be rebuilt); never a sign-in link.
                link=partial(signing_reminder_link, signature=signature, stage_label=stage.label),
            )
        ],
        template="mou_sign_reminder",
        context={
            "signature": signature,
            "title": frozen.version.title,
            "number": frozen.version.number,
            "deadline": frozen.signing_deadline,
            "countersignature": signature.is_countersignature,
            "days_before": stage.days_before,
        },
        link_expires_at=frozen.signing_deadline,
    )


def _pending_signatures():
    return SignatureRequest.objects.filter(
        status=SignatureRequest.Status.PENDING,
        sent_at__isnull=False,
        frozen__version__status=MouVersion.Status.FROZEN,
    ).select_related("frozen__version")


def _declined_rounds(frozen_ids) -> set[int]:
    """Rounds someone declined: they cannot be executed, so nobody is pressed to sign."""
    return set(
        SignatureRequest.objects.filter(
            frozen_id__in=set(frozen_ids), status=SignatureRequest.Status.DECLINED
        ).values_list("frozen_id", flat=True)
    )


def _waiting_rounds(frozen_ids) -> set[int]:
    """Rounds whose partners have not all signed: their countersignature waits."""
    return set(
        SignatureRequest.objects.filter(
            frozen_id__in=set(frozen_ids),
            role=SignatureRequest.Role.PARTNER,
            status__in=[SignatureRequest.Status.PENDING, SignatureRequest.Status.DECLINED],
        ).values_list("frozen_id", flat=True)
    )


@engine.reminder_source
class SignatureDeadlines(engine.ReminderSource):
    """Signers who have not signed yet, before the signing deadline (their links expire
    then, so there are no overdue reminders). A stage already past when the request was
    e-mailed is skipped: that e-mail was the reminder. A round someone declined is not
    reminded (the coordinator makes a new version)."""

    name = "mou.signature"

    def due(self, *, now: datetime):
        signatures = list(_pending_signatures().defer("frozen__canonical"))
        if not signatures:
            return []
        waiting = _waiting_rounds(s.frozen_id for s in signatures)
        declined = _declined_rounds(s.frozen_id for s in signatures)
        specs = engine.schedules_for({s.frozen for s in signatures})
        dues = []
        for signature in signatures:
            frozen = signature.frozen
            if (
                now >= frozen.signing_deadline
                or frozen.pk in declined
                or not _signature_actionable(signature, waiting)
            ):
                continue
            spec = engine.schedule_spec(frozen, specs)
            stage = engine.stage_current(deadline=frozen.signing_deadline, spec=spec, now=now)
            if stage is None or stage.is_overdue or stage.due_at <= signature.sent_at:
                continue
            dues.append(_due_for_signature(signature, stage))
        # A stage coming due within a day of a reminder by hand counts as sent by it.
        return engine.dues_not_yet_told(dues=dues, kinds=()) if dues else dues

    def due_for(self, *, subject: SignatureRequest, now: datetime):
        frozen = subject.frozen
        if (
            subject.status != SignatureRequest.Status.PENDING
            or subject.sent_at is None
            or frozen.version.status != MouVersion.Status.FROZEN
            or now >= frozen.signing_deadline
            or not _signature_actionable(subject, _waiting_rounds([frozen.pk]))
        ):
            return None
        stage = engine.stage_manual(now=now)
        due = _due_for_signature(subject, stage)
        due.context["days_before"] = None
        return due
