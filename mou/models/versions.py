"""MOU versions, role templates, role blocks and their review trail."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.text import markdown_html_field, markdown_version_field
from core.validators import date_in_range, single_line
from partnership.models import Partner, PartnerKind

# Long enough for any honest block section, short enough to keep pages and PDFs sane.
TEXT_MAX = 20_000
SHARED_TEXT_MAX = 100_000


def _long_text(verbose_name: str, *, max_length: int = TEXT_MAX, **kwargs) -> models.TextField:
    return models.TextField(
        verbose_name,
        blank=True,
        validators=[MaxLengthValidator(max_length)],
        **kwargs,
    )


class MouVersion(models.Model):
    """One edition of the agreement."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for blocks"
        FROZEN = "frozen", "Frozen"
        EXECUTED = "executed", "Executed"
        SUPERSEDED = "superseded", "Superseded"

    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200, validators=[single_line])
    shared_text = _long_text(
        "shared text",
        max_length=SHARED_TEXT_MAX,
        help_text="Purpose, principles and terms, in Markdown.",
    )
    shared_text_html = markdown_html_field("shared text")
    markdown_version = markdown_version_field()
    deadline = models.DateTimeField(
        help_text="Blocks are due by this moment.", validators=[date_in_range]
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_versions",
        verbose_name="previous version",
        help_text="Blocks are pre-filled from this version's blocks when this one opens.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    MARKDOWN_FIELDS = ("shared_text",)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def get_absolute_url(self) -> str:
        return reverse("mou:version_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RoleTemplate(models.Model):
    """Guidance and prompts for one partner kind's block.

    Templates without a version are the network's defaults; a new version copies them
    (or the previous version's) so each edition keeps the guidance it was written under.
    """

    version = models.ForeignKey(
        MouVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="templates"
    )
    kind = models.CharField(max_length=20, choices=PartnerKind.choices)
    title = models.CharField(
        max_length=200,
        help_text='For example "School district partner".',
        validators=[single_line],
    )
    guidance = _long_text("guidance", help_text="What a good block says, in Markdown.")
    role_prompt = models.CharField("prompt for the role", max_length=500, blank=True)
    commitments_prompt = models.CharField("prompt for commitments", max_length=500, blank=True)
    asks_prompt = models.CharField("prompt for asks of the network", max_length=500, blank=True)
    model_text = _long_text(
        "model role", help_text="An example role a partner of this kind can start from (Markdown)."
    )
    guidance_html = markdown_html_field("guidance")
    model_text_html = markdown_html_field("model role")
    markdown_version = markdown_version_field()
    updated_at = models.DateTimeField(auto_now=True)

    MARKDOWN_FIELDS = ("guidance", "model_text")

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind"],
                condition=Q(version__isnull=False),
                name="role_template_one_per_kind_per_version",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(version__isnull=True),
                name="role_template_one_default_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RoleBlockQuerySet(models.QuerySet):
    """The rules about blocks that several pages read: each is written here once."""

    def owed(self) -> "RoleBlockQuerySet":
        """Blocks the partner still owes: not started, a draft, or sent back for changes."""
        return self.filter(status__in=RoleBlock.EDITABLE_STATUSES)

    def overdue(self, now) -> "RoleBlockQuerySet":
        """Owed, and past the effective deadline (the extension when it is later)."""
        return self.filter(overdue_q(now=now))


def overdue_q(*, now) -> Q:
    """``RoleBlockQuerySet.overdue`` as a condition, for a count among other counts.

    max(deadline, extension) < now  ⇔  deadline < now and (no extension or extension < now).
    """
    return Q(status__in=RoleBlock.EDITABLE_STATUSES, version__deadline__lt=now) & (
        Q(extension_until__isnull=True) | Q(extension_until__lt=now)
    )


def signing_leader_confirmed_q() -> Q:
    """A block whose signing leader the partner has confirmed in this version: a name is
    given, and the partner submitted the block or typed the leader in this version. A name
    carried over from the last version into a block nobody has touched does not count."""
    typed_here = (
        Q(carried_over_from__isnull=True)
        | ~Q(signing_leader_name=F("carried_over_from__signing_leader_name"))
        | ~Q(signing_leader_title=F("carried_over_from__signing_leader_title"))
        | ~Q(signing_leader_email=F("carried_over_from__signing_leader_email"))
    )
    return ~Q(signing_leader_name="") & (Q(submitted_at__isnull=False) | typed_here)


class RoleBlock(models.Model):
    """One partner's section of one MOU version."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        ACCEPTED = "accepted", "Accepted"

    # The partner may edit the block, and so still owes it: the one definition of "owed"
    # (RoleBlock.objects.owed(), ``is_owed``).
    EDITABLE_STATUSES = (Status.NOT_STARTED, Status.DRAFT, Status.CHANGES_REQUESTED)

    version = models.ForeignKey(MouVersion, on_delete=models.PROTECT, related_name="blocks")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="mou_blocks")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )

    role_in_partnership = _long_text("our role in the partnership")
    commitments = _long_text("what we commit and contribute")
    asks_of_network = _long_text("what we ask of the network")
    contact_name = models.CharField(
        "point of contact", max_length=200, blank=True, validators=[single_line]
    )
    contact_email = models.EmailField("contact e-mail", max_length=254, blank=True)
    contact_phone = models.CharField(
        "contact phone", max_length=40, blank=True, validators=[single_line]
    )
    signing_leader_name = models.CharField(
        "signing leader", max_length=200, blank=True, validators=[single_line]
    )
    signing_leader_title = models.CharField(
        "signing leader's title", max_length=200, blank=True, validators=[single_line]
    )
    signing_leader_email = models.EmailField("signing leader's e-mail", max_length=254, blank=True)

    carried_over_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    # Optimistic locking: every save raises it; a form loaded at an older number is stale.
    revision = models.PositiveIntegerField(default=0)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_edited_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    extension_until = models.DateTimeField(null=True, blank=True, validators=[date_in_range])
    created_at = models.DateTimeField(default=timezone.now)
    role_in_partnership_html = markdown_html_field("our role in the partnership")
    commitments_html = markdown_html_field("what we commit and contribute")
    asks_of_network_html = markdown_html_field("what we ask of the network")
    review_comment_html = markdown_html_field("review comment")
    markdown_version = markdown_version_field()

    objects = RoleBlockQuerySet.as_manager()

    TEXT_FIELDS = ("role_in_partnership", "commitments", "asks_of_network")
    MARKDOWN_FIELDS = TEXT_FIELDS + ("review_comment",)
    # The history keeps what people typed; the HTML is derived from it and re-rendered.
    history = HistoricalRecords(
        excluded_fields=["created_at", *(f"{name}_html" for name in MARKDOWN_FIELDS)]
        + ["markdown_version"]
    )

    CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
    LEADER_FIELDS = ("signing_leader_name", "signing_leader_title", "signing_leader_email")
    CONTENT_FIELDS = TEXT_FIELDS + CONTACT_FIELDS + LEADER_FIELDS
    REQUIRED_TO_SUBMIT = (
        "role_in_partnership",
        "commitments",
        "asks_of_network",
        "contact_name",
        "contact_email",
        "signing_leader_name",
        "signing_leader_title",
        "signing_leader_email",
    )

    class Meta:
        ordering = ["partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "partner"], name="role_block_one_per_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("mou:block", kwargs={"version_pk": self.version_id, "pk": self.pk})

    @property
    def effective_deadline(self):
        """The version's deadline, or this partner's extension when it is later."""
        if self.extension_until and self.extension_until > self.version.deadline:
            return self.extension_until
        return self.version.deadline

    @property
    def is_editable_status(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_owed(self) -> bool:
        """``RoleBlock.objects.owed()`` for a block in hand."""
        return self.status in self.EDITABLE_STATUSES

    def is_overdue(self, *, now) -> bool:
        """``RoleBlock.objects.overdue(now)`` for a block in hand (its version loaded)."""
        return self.is_owed and self.effective_deadline < now

    @property
    def has_content(self) -> bool:
        return any(getattr(self, name) for name in self.CONTENT_FIELDS)


class BlockReview(models.Model):
    """The review trail of a block: each request for changes, acceptance and extension."""

    class Kind(models.TextChoices):
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        ACCEPTED = "accepted", "Accepted"
        EXTENSION = "extension", "Extension granted"

    block = models.ForeignKey(RoleBlock, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    comment = models.TextField(blank=True, validators=[MaxLengthValidator(TEXT_MAX)])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    block_revision = models.PositiveIntegerField()
    extension_until = models.DateTimeField(null=True, blank=True, validators=[date_in_range])

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.block}"


class BlockSeen(models.Model):
    """The revision of a block a coordinator last looked at ("changed since you last looked")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    block = models.ForeignKey(RoleBlock, on_delete=models.CASCADE, related_name="seen_by")
    revision = models.PositiveIntegerField()
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "block"], name="block_seen_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} saw {self.block} at revision {self.revision}"


def draft_pdf_path(instance: "DraftPdf", filename: str) -> str:
    return f"mou/drafts/v{instance.version_id}/{filename}"


class DraftPdf(models.Model):
    """A draft PDF of a whole version, rendered by a Celery task and stored."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    version = models.ForeignKey(MouVersion, on_delete=models.CASCADE, related_name="draft_pdfs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to=draft_pdf_path, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Draft PDF of {self.version} ({self.get_status_display()})"
