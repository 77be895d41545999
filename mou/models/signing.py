"""The signing round of a frozen MOU version.

``FrozenMou`` holds everything the signed document shows, copied at freeze time as
canonical JSON with its SHA-256; ``ExecutedPdf`` is the rendered, signed document with its
own SHA-256. Like an issued invoice, neither is ever changed or deleted: their models and
querysets refuse it. A ``SignatureRequest`` is one person's turn to sign; it is reached
through ``SigningLink`` rows, each holding only the SHA-256 of a random token.
"""

import json
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.validators import date_in_range, single_line
from mou.exceptions import ImmutableRecord
from mou.models.versions import MouVersion
from partnership.models import Partner


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord(f"{self.model._meta.verbose_name} records never change.")

    def delete(self):
        raise ImmutableRecord(f"{self.model._meta.verbose_name} records are never deleted.")


class ImmutableModel(models.Model):
    """Written once; every later save or delete is refused."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord(f"This {self._meta.verbose_name} never changes once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(f"This {self._meta.verbose_name} is never deleted.")


class FrozenMou(ImmutableModel):
    """What the signatories sign: the version's text, the included partners' blocks and
    signing leaders, the backbone organization and its countersigner, and the needs matrix,
    as canonical JSON (sorted keys, no insignificant whitespace) with its SHA-256."""

    version = models.OneToOneField(MouVersion, on_delete=models.PROTECT, related_name="frozen")
    canonical = models.TextField(help_text="The frozen content as canonical JSON.")
    content_sha256 = models.CharField("SHA-256 of the content", max_length=64, unique=True)
    signing_deadline = models.DateTimeField(validators=[date_in_range])
    frozen_at = models.DateTimeField(default=timezone.now)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "frozen MOU"
        ordering = ["-frozen_at", "-id"]

    def __str__(self) -> str:
        return f"Frozen {self.version}"

    @cached_property
    def content(self) -> dict:
        return json.loads(self.canonical)

    @property
    def partner_ids(self) -> list[int]:
        return [p["id"] for p in self.content["partners"]]


class FrozenMouHtml(models.Model):
    """The frozen texts as sanitized HTML, rendered once at freeze time for the signing page
    and the executed PDF. Derived from ``FrozenMou.canonical`` and never part of what is
    hashed or signed, so unlike the frozen record it may be rendered again by a newer
    renderer (``markdown_rerender``) without touching the signed content."""

    frozen = models.OneToOneField(FrozenMou, on_delete=models.CASCADE, related_name="html")
    # {"shared_text": html, "partners": {"<partner id>": {"<field>": html}}}
    texts = models.JSONField(default=dict)
    markdown_version = models.PositiveSmallIntegerField(default=0)
    rendered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "frozen MOU HTML"

    def __str__(self) -> str:
        return f"HTML of {self.frozen}"


class SignatureRequest(models.Model):
    """One signatory's turn to sign a frozen version."""

    class Role(models.TextChoices):
        PARTNER = "partner", "Partner"
        COUNTERSIGNER = "countersigner", "Backbone countersignature"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for signature"
        SIGNED = "signed", "Signed"
        DECLINED = "declined", "Declined"
        HANDED_OVER = "handed_over", "Handed over"
        VOID = "void", "Void"

    LIVE = (Status.PENDING, Status.SIGNED, Status.DECLINED)

    frozen = models.ForeignKey(
        FrozenMou, on_delete=models.PROTECT, related_name="signature_requests"
    )
    role = models.CharField(max_length=14, choices=Role.choices)
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.CharField(max_length=200)
    signer_name = models.CharField(max_length=200, validators=[single_line])
    signer_title = models.CharField(max_length=200, blank=True, validators=[single_line])
    signer_email = models.EmailField(max_length=254)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="handed_over_to"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    signed_name = models.CharField(
        "typed name", max_length=200, blank=True, validators=[single_line]
    )
    # Someone other than the invited signer may sign for them, saying so and why: the
    # signature then records both people instead of passing one off as the other.
    signed_on_behalf = models.BooleanField("signed on behalf of the invited signer", default=False)
    on_behalf_reason = models.TextField("why they signed on behalf", blank=True)
    signed_title = models.CharField(
        "typed title", max_length=200, blank=True, validators=[single_line]
    )
    consent_text = models.TextField(blank=True)
    signed_ip = models.GenericIPAddressField(null=True, blank=True)
    signed_user_agent = models.CharField(max_length=400, blank=True)
    declined_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["role", "organization", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["frozen", "partner"],
                condition=Q(role="partner", status__in=["pending", "signed", "declined"]),
                name="signature_one_live_request_per_partner",
            ),
            models.UniqueConstraint(
                fields=["frozen"],
                condition=Q(role="countersigner", status__in=["pending", "signed", "declined"]),
                name="signature_one_live_countersignature",
            ),
            models.CheckConstraint(
                condition=Q(role="countersigner") | Q(partner__isnull=False),
                name="signature_partner_request_has_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} for {self.organization} ({self.get_status_display()})"

    @property
    def is_countersignature(self) -> bool:
        return self.role == self.Role.COUNTERSIGNER

    @property
    def signed_by_display(self) -> str:
        """ "Jane Roe on behalf of Dr. Elena Ortiz", or just the name that was typed."""
        if self.signed_on_behalf:
            return f"{self.signed_name} on behalf of {self.signer_name}"
        return self.signed_name


class SigningLink(models.Model):
    """One e-mailed signing link. Only the SHA-256 of its random token is stored."""

    class Purpose(models.TextChoices):
        SENT = "sent", "Signing request"
        REMINDER = "reminder", "Reminder"

    request = models.ForeignKey(SignatureRequest, on_delete=models.PROTECT, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Signing link for {self.request}"


def executed_pdf_path(instance: "ExecutedPdf", filename: str) -> str:
    return f"mou/executed/{filename}"


class ExecutedPdf(ImmutableModel):
    """The executed MOU: rendered once by a task, stored with its SHA-256, never changed."""

    frozen = models.OneToOneField(FrozenMou, on_delete=models.PROTECT, related_name="executed_pdf")
    file = models.FileField(upload_to=executed_pdf_path)
    sha256 = models.CharField("SHA-256 of the file", max_length=64, unique=True)
    size = models.PositiveIntegerField()
    sealed = models.BooleanField(
        default=False, help_text="Sealed with the portal's certificate (PAdES)."
    )
    executed_at = models.DateTimeField(help_text="When the last signature landed.")
    rendered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "executed MOU PDF"
        ordering = ["-executed_at", "-id"]

    def __str__(self) -> str:
        return f"Executed PDF of {self.frozen.version}"
