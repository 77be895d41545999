"""The signing round of a frozen version: requests, links, signing, declining, handing over;
and the frozen record's stored HTML. Freezing itself is ``mou.services.freezing``.

Order: every included partner's signing leader signs (in parallel); the backbone
organization countersigns last. The server enforces it whatever link is used. Each signing
e-mail carries its own random token; only its SHA-256 is stored, and it expires at the
signing deadline.
"""

import logging
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import text as core_text
from core.actor import Actor
from core.hooks import SIGNATURE_SIGNED, hook_run
from core.models import Event, User
from core.services.events import event_record
from core.services.outbox import outbox_send_templated
from core.text import clean_text
from core.tokens import token_hash
from mou.exceptions import OutOfOrder, SigningClosed
from mou.models import (
    FrozenMou,
    FrozenMouHtml,
    MouVersion,
    RoleBlock,
    SignatureRequest,
    SigningLink,
)
from mou.rules import (
    consent_text,
    deadline_display,
    name_matches,
    name_mismatch_message,
    signing_link_problem,
)
from mou.selectors.signing import countersignature_waiting, frozen_texts_render

logger = logging.getLogger(__name__)

NAME_MAX = 200
REASON_MAX = 5_000
# An "opened" audit event is recorded at most once an hour per link, browser and address.
OPENED_EVERY = timedelta(hours=1)


def frozen_html_store(*, frozen: FrozenMou, blocks: Iterable[RoleBlock] = ()) -> FrozenMouHtml:
    """Store the frozen texts as sanitized HTML beside the frozen record (which is never
    changed: its canonical JSON stays the source, and its hash with it)."""
    texts = frozen_texts_render(content=frozen.content, blocks={b.pk: b for b in blocks})
    stored, _ = FrozenMouHtml.objects.update_or_create(
        frozen=frozen,
        defaults={
            "texts": texts,
            "markdown_version": core_text.MARKDOWN_VERSION,
            "rendered_at": timezone.now(),
        },
    )
    return stored


def frozen_html_rerender_stale(*, batch_size: int = 100) -> int:
    """Render again, ``batch_size`` at a time, the frozen records whose HTML is missing or
    was stored by an older renderer. Returns how many were rendered."""
    done = 0
    while True:
        batch = list(
            FrozenMou.objects.exclude(html__markdown_version=core_text.MARKDOWN_VERSION).order_by(
                "pk"
            )[:batch_size]
        )
        if not batch:
            return done
        with transaction.atomic():
            for frozen in batch:
                frozen_html_store(frozen=frozen)
        done += len(batch)


# --- links and e-mails ---------------------------------------------------------------------


def signing_link_issue(
    *, signature: SignatureRequest, purpose: str = SigningLink.Purpose.SENT
) -> str:
    """A new personal signing link (absolute, from SITE_URL); only its hash is stored."""
    token = secrets.token_urlsafe(32)
    SigningLink.objects.create(
        request=signature,
        token_hash=token_hash(token),
        purpose=purpose,
        expires_at=signature.frozen.signing_deadline,
    )
    return settings.SITE_URL + reverse("mou:sign", kwargs={"token": token})


def signing_request_send(
    *, signature: SignatureRequest, frozen: FrozenMou | None = None, context: dict | None = None
) -> None:
    """E-mail the signer a personal link (through the outbox, after the commit)."""
    frozen = frozen or signature.frozen
    link = signing_link_issue(signature=signature)
    outbox_send_templated(
        to=signature.signer_email,
        template="mou_sign_request",
        kind="mou_sign_request",
        context={
            "signature": signature,
            "title": frozen.version.title,
            "number": frozen.version.number,
            "link": link,
            "deadline": deadline_display(frozen.signing_deadline),
            "countersignature": signature.is_countersignature,
            **(context or {}),
        },
    )
    if signature.sent_at is None:
        signature.sent_at = timezone.now()
        signature.save(update_fields=["sent_at"])
    event_record(
        action="mou.signature_sent",
        actor=Actor.system(),
        subject=signature,
        summary=f"Signing link sent to {signature.signer_name} <{signature.signer_email}>",
        data={"email": signature.signer_email},
    )


def signing_reminder_link(*, signature: SignatureRequest, stage_label: str) -> str:
    """The link a reminder e-mail carries: a fresh one for that e-mail, recorded."""
    link = signing_link_issue(signature=signature, purpose=SigningLink.Purpose.REMINDER)
    event_record(
        action="mou.signature_reminded",
        actor=Actor.system(),
        subject=signature,
        summary=f"Reminder ({stage_label}) sent to {signature.signer_email}",
        data={"email": signature.signer_email, "stage": stage_label},
    )
    return link


# --- what a signer does ---------------------------------------------------------------------


def _lock_open(signature: SignatureRequest) -> SignatureRequest:
    """Lock the round (its version row) and the request; refuse unless it may act now."""
    MouVersion.objects.select_for_update().filter(pk=signature.frozen.version_id).first()
    current = (
        SignatureRequest.objects.select_for_update(of=("self",))
        .select_related("frozen__version", "partner")
        .get(pk=signature.pk)
    )
    link_like = SigningLink(request=current, expires_at=current.frozen.signing_deadline)
    problem = signing_link_problem(link_like)
    if problem is not None:
        raise SigningClosed(f"{problem.title}. {problem.message}")
    if countersignature_waiting(signature=current):
        raise OutOfOrder(
            f"{current.organization} countersigns last: every partner must sign first."
        )
    return current


def _text(value: str, *, limit: int = NAME_MAX) -> str:
    return clean_text(value or "").strip()[:limit]


def signature_consent_text(*, signature: SignatureRequest) -> str:
    frozen = signature.frozen
    return consent_text(
        organization=signature.organization,
        title=frozen.version.title,
        number=frozen.version.number,
        content_sha256=frozen.content_sha256,
    )


def signature_sign(
    *,
    signature: SignatureRequest,
    name: str,
    title: str,
    consent: bool,
    on_behalf: bool = False,
    on_behalf_reason: str = "",
    actor: Actor,
) -> SignatureRequest:
    """Sign: a typed name and title and an explicit consent, stored with its exact words.
    The typed name must be the invited signer's (spelling forgiven, see ``name_matches``)
    unless the person says they sign on behalf of them and why: then their own name and
    the reason are recorded beside the invited signer's. When the last partner signs, the
    countersigner is e-mailed; when the countersigner signs, the executed PDF is rendered
    by a task after the commit."""
    name, title = _text(name), _text(title)
    reason = _text(on_behalf_reason, limit=REASON_MAX) if on_behalf else ""
    errors = {}
    if not name:
        errors["name"] = "Type your full name to sign."
    if not title:
        errors["title"] = "Type your title."
    if not consent:
        errors["consent"] = (
            f"Tick the box to confirm you agree to sign on behalf of {signature.organization}."
        )
    if on_behalf and not reason:
        errors["on_behalf_reason"] = (
            f"Say why you sign instead of {signature.signer_name}, for example "
            "“Acting superintendent while she is on leave”."
        )
    with transaction.atomic():
        current = _lock_open(signature)
        if name and not on_behalf and not name_matches(typed=name, invited=current.signer_name):
            errors["name"] = name_mismatch_message(typed=name, invited=current.signer_name)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        current.status = SignatureRequest.Status.SIGNED
        current.signed_name = name
        current.signed_title = title
        current.signed_on_behalf = bool(on_behalf)
        current.on_behalf_reason = reason
        current.consent_text = signature_consent_text(signature=current)
        current.decided_at = now
        current.signed_ip = actor.ip
        current.signed_user_agent = actor.user_agent
        current.full_clean(validate_constraints=False)
        current.save()
        behalf = f" on behalf of {current.signer_name} (reason: {reason})" if on_behalf else ""
        event_record(
            action="mou.signature_signed",
            subject=current,
            summary=f"{name} ({title}) signed for {current.organization}{behalf}",
            data={
                "name": name,
                "title": title,
                "consent_text": current.consent_text,
                "on_behalf_of": current.signer_name if on_behalf else None,
                "on_behalf_reason": reason,
            },
            actor=actor.unnamed(),
        )
        frozen = current.frozen
        hook_run(SIGNATURE_SIGNED, subject=frozen.version, partner=current.partner, actor=actor)
        if current.is_countersignature:
            _fully_signed(frozen=frozen, at=now)
        else:
            countersignature = SignatureRequest.objects.filter(
                frozen=frozen,
                role=SignatureRequest.Role.COUNTERSIGNER,
                status=SignatureRequest.Status.PENDING,
            ).first()
            if countersignature is not None and not countersignature_waiting(
                signature=countersignature
            ):
                signing_request_send(signature=countersignature, frozen=frozen)
    return current


def _fully_signed(*, frozen: FrozenMou, at: datetime) -> None:
    from mou.services.executed import executed_pdf_enqueue

    event_record(
        action="mou.version_fully_signed",
        actor=Actor.system(),
        subject=frozen.version,
        summary=f"Every signature of {frozen.version} is in; the executed PDF is being made",
        data={"content_sha256": frozen.content_sha256, "at": at.isoformat()},
    )
    executed_pdf_enqueue(frozen=frozen)


def _tell_coordinators(*, template: str, context: dict) -> None:
    for coordinator in User.objects.filter(is_coordinator=True, is_active=True):
        outbox_send_templated(to=coordinator, template=template, kind=template, context=context)


def signature_decline(
    *, signature: SignatureRequest, reason: str, actor: Actor
) -> SignatureRequest:
    """Decline with a reason; the coordinators are told."""
    reason = clean_text(reason or "").strip()[:REASON_MAX]
    with transaction.atomic():
        current = _lock_open(signature)
        if not reason:
            raise ValidationError({"reason": "Say why you decline: a reason is required."})
        current.status = SignatureRequest.Status.DECLINED
        current.declined_reason = reason
        current.decided_at = timezone.now()
        current.save(update_fields=["status", "declined_reason", "decided_at"])
        event_record(
            action="mou.signature_declined",
            subject=current,
            summary=f"{current.signer_name} declined to sign for {current.organization}",
            data={"reason": reason},
            actor=actor.unnamed(),
        )
        version = current.frozen.version
        _tell_coordinators(
            template="mou_sign_declined",
            context={
                "signature": current,
                "version": version,
                "reason": reason,
                "link": settings.SITE_URL + reverse("mou:signatures", kwargs={"pk": version.pk}),
            },
        )
    return current


def signature_hand_over(
    *, signature: SignatureRequest, name: str, title: str, email: str, actor: Actor
) -> SignatureRequest:
    """Pass the request to another person: a new request and link for them; the old
    request (and every link to it) is void. Returns the new request."""
    name, title, email = _text(name), _text(title), (email or "").strip().lower()
    errors = {}
    if not name:
        errors["name"] = "Give the name of the person who will sign."
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Give their e-mail address."
    with transaction.atomic():
        current = _lock_open(signature)
        if not errors and email == current.signer_email.lower():
            errors["email"] = "That is the address this request was already sent to."
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        current.status = SignatureRequest.Status.HANDED_OVER
        current.decided_at = now
        current.save(update_fields=["status", "decided_at"])
        successor = SignatureRequest(
            frozen=current.frozen,
            role=current.role,
            partner=current.partner,
            organization=current.organization,
            signer_name=name,
            signer_title=title,
            signer_email=email,
            replaces=current,
            created_at=now,
        )
        successor.full_clean(validate_constraints=False)
        successor.save()
        event_record(
            action="mou.signature_handed_over",
            subject=current,
            summary=f"{current.signer_name} handed signing for {current.organization} "
            f"over to {name} <{email}>",
            data={"to": {"name": name, "title": title, "email": email}, "request": successor.pk},
            actor=actor.unnamed(),
        )
        signing_request_send(
            signature=successor,
            frozen=current.frozen,
            context={"handed_over_by": current.signer_name},
        )
    return successor


def signature_opened(*, signature: SignatureRequest, actor: Actor) -> Event | None:
    """Record that the signing page was opened (an audit event; the request is unchanged).
    Once an hour per address and browser, so reloads and mail scanners do not flood it."""
    ip, agent = actor.ip, actor.user_agent
    recent = Event.objects.filter(
        action="mou.signature_opened",
        subject_type=ContentType.objects.get_for_model(SignatureRequest),
        subject_id=signature.pk,
        ip_address=ip,
        user_agent=agent,
        created_at__gte=timezone.now() - OPENED_EVERY,
    ).exists()
    if recent:
        return None
    return event_record(
        action="mou.signature_opened",
        subject=signature,
        summary=f"Signing page opened for {signature.signer_name}",
        actor=actor.unnamed(),
    )


def signatures_void(*, frozen: FrozenMou, actor: Actor) -> int:
    """Withdraw every pending request of a round (its version was superseded)."""
    pending = list(
        SignatureRequest.objects.filter(frozen=frozen, status=SignatureRequest.Status.PENDING)
    )
    now = timezone.now()
    for signature in pending:
        signature.status = SignatureRequest.Status.VOID
        signature.decided_at = now
        signature.save(update_fields=["status", "decided_at"])
        event_record(
            action="mou.signature_voided",
            actor=actor,
            subject=signature,
            summary=f"Request to {signature.signer_name} withdrawn: the version was superseded",
        )
    return len(pending)
