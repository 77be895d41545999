"""Meetings, who was there, what was decided, and the action items that follow."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.portal_tasks import portal_task
from core.text import markdown_html_field, markdown_version_field
from core.validators import absolute_link_validator, date_in_range, link_validator, single_line

http_url_validator = URLValidator(schemes=["http", "https"])


class Meeting(models.Model):
    class Kind(models.TextChoices):
        NETWORK = "network", "Network meeting"
        WORKGROUP = "workgroup", "Workgroup meeting"
        BREAKOUT = "breakout", "Breakout"

    title = models.CharField(max_length=200, validators=[single_line])
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.NETWORK)
    workgroup = models.ForeignKey(
        "partnership.Workgroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    series = models.CharField(
        max_length=80,
        blank=True,
        validators=[single_line],
        help_text="Meetings with the same series name follow one another "
        "(open items of the previous one are carried forward).",
    )
    starts_at = models.DateTimeField(validators=[date_in_range])
    ends_at = models.DateTimeField(validators=[date_in_range])
    place = models.CharField(max_length=200, blank=True, validators=[single_line])
    video_url = models.URLField(
        "video link",
        max_length=500,
        blank=True,
        validators=[http_url_validator, absolute_link_validator],
    )
    agenda = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    agenda_html = markdown_html_field("agenda")
    notes_html = markdown_html_field("notes")
    decisions_html = markdown_html_field("decisions")
    markdown_version = markdown_version_field()
    # Notes and decisions are a draft only coordinators see until this is set.
    notes_published_at = models.DateTimeField(null=True, blank=True)
    notes_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    MARKDOWN_FIELDS = ("agenda", "notes", "decisions")

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message="The meeting must end after it starts.",
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at"], name="meeting_starts_at"),
            models.Index(fields=["workgroup", "starts_at"], name="meeting_workgroup_start"),
            models.Index(fields=["series", "starts_at"], name="meeting_series_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def notes_published(self) -> bool:
        return self.notes_published_at is not None


class Attendance(models.Model):
    """One person on a meeting's list, with the organization they came for: someone with an
    account (``user``), or a guest known by name, e-mail address and organization (a
    partner when it is one, else its name as typed)."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ATTENDED = "attended", "Attended"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_attendances",
    )
    guest_name = models.CharField("name", max_length=200, blank=True, validators=[single_line])
    # Kept as email_identity spells it, so one address is one guest.
    guest_email = models.EmailField("e-mail address", max_length=254, blank=True)
    guest_organization = models.CharField(
        "organization (not a partner)", max_length=200, blank=True, validators=[single_line]
    )
    partner = models.ForeignKey(
        "partnership.Partner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_attendances",
        verbose_name="organization",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partner__name", "guest_organization", "user__full_name", "guest_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                name="attendance_unique",
                violation_error_message="This person is already on the list.",
            ),
            models.UniqueConstraint(
                fields=["meeting", "guest_email"],
                condition=Q(user__isnull=True),
                name="attendance_guest_unique",
                violation_error_message="A guest with this e-mail address is already on the list.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, guest_name="", guest_email="", guest_organization="")
                    | (
                        Q(user__isnull=True)
                        & ~Q(guest_name="")
                        & ~Q(guest_email="")
                        & (~Q(guest_organization="") | Q(partner__isnull=False))
                    )
                ),
                name="attendance_person_or_guest",
                violation_error_message="Give either a person with an account, or a guest's "
                "name, e-mail address and organization.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} at {self.meeting}: {self.get_status_display()}"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def name(self) -> str:
        return self.guest_name if self.is_guest else str(self.user)

    @property
    def email(self) -> str:
        return self.guest_email if self.is_guest else self.user.email

    @property
    def organization(self) -> str:
        """The partner's name, else the guest's organization as typed."""
        return self.partner.name if self.partner_id else self.guest_organization


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # The stored name is ours, never the uploader's: no path tricks, no clashes.
    import secrets

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"meetings/{instance.meeting_id}/{secrets.token_hex(16)}.{extension}"


class Attachment(models.Model):
    """A file kept under MEDIA_ROOT (outside the web root), served only through a view."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ActionItem(models.Model):
    """Something someone promised to do. An item for all active partners is a parent with one
    child item per partner; the children are what people tick and what reminders are about."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    class OwnerKind(models.TextChoices):
        PERSON = "person", "A person"
        PARTNER = "partner", "A partner organization"
        ALL_PARTNERS = "all_partners", "All active partners"

    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    description = models.TextField(max_length=2000)
    owner_kind = models.CharField(max_length=12, choices=OwnerKind.choices)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name="person",
    )
    owner_partner = models.ForeignKey(
        "partnership.Partner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name="partner",
    )
    due_on = models.DateField("due date", null=True, blank=True, validators=[date_in_range])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    # What the item is about (an MOU block, a matrix row, ...): a generic link, so this app
    # does not import the others; the label and address are kept for display.
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField("about", max_length=200, blank=True, validators=[single_line])
    subject_url = models.CharField(
        "link to what it is about", max_length=500, blank=True, validators=[link_validator]
    )
    # A portal task (core.portal_tasks) the item is done by, about ``subject`` (or none):
    # the item completes itself when its partner has done the task.
    task_key = models.CharField("portal task", max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(owner_kind="person", owner_user__isnull=False, owner_partner__isnull=True)
                    | Q(owner_kind="partner", owner_user__isnull=True, owner_partner__isnull=False)
                    | Q(
                        owner_kind="all_partners",
                        owner_user__isnull=True,
                        owner_partner__isnull=True,
                        parent__isnull=True,
                    )
                ),
                name="action_item_owner_consistent",
                violation_error_message="Choose exactly one owner: a person, a partner, "
                "or all active partners.",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(owner_kind="partner"),
                name="action_item_child_is_partner",
                violation_error_message="Only a partner's item can belong to an all-partner item.",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_at__isnull=False),
                name="action_item_done_has_time",
            ),
            models.CheckConstraint(
                condition=Q(task_key="") | Q(owner_kind__in=["partner", "all_partners"]),
                name="action_item_task_is_partners",
                violation_error_message="Only a partner's item, or one for all active "
                "partners, can be tied to a portal task.",
            ),
            models.UniqueConstraint(
                fields=["parent", "owner_partner"],
                condition=Q(parent__isnull=False),
                name="action_item_one_child_per_partner",
                violation_error_message="This partner already has its item.",
            ),
        ]
        indexes = [
            # The reminder engine's query: open items due before a date.
            models.Index(fields=["status", "due_on"], name="action_item_status_due"),
            models.Index(fields=["owner_partner", "status"], name="action_item_partner_status"),
            models.Index(fields=["owner_user", "status"], name="action_item_user_status"),
            models.Index(fields=["subject_type", "subject_id"], name="action_item_subject"),
            models.Index(
                fields=["task_key", "owner_partner"],
                condition=Q(status="open") & ~Q(task_key=""),
                name="action_item_open_task",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("meetings:item_detail", args=[self.pk])

    @property
    def is_all_partners(self) -> bool:
        return self.owner_kind == self.OwnerKind.ALL_PARTNERS

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )

    @property
    def link_label(self) -> str:
        """What the item is about; a partner's item falls back on its parent's link."""
        if self.subject_label or self.subject_url or self.parent_id is None:
            return self.subject_label
        return self.parent.subject_label

    @property
    def link_url(self) -> str:
        if self.subject_label or self.subject_url or self.parent_id is None:
            return self.subject_url
        return self.parent.subject_url

    @property
    def task_label(self) -> str:
        """The portal task this item follows, in words; empty when it is ticked by hand."""
        task = portal_task(self.task_key) if self.task_key else None
        return task.label if task else ""

    @property
    def owner_display(self) -> str:
        if self.owner_kind == self.OwnerKind.PERSON:
            return str(self.owner_user)
        if self.owner_kind == self.OwnerKind.PARTNER:
            return str(self.owner_partner)
        return "All active partners"


class CalendarFeed(models.Model):
    """A person's secret calendar address. Only the SHA-256 of the token is stored: the
    address is shown once, when it is made; making a new one voids the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
