"""Partner organizations, people's roles at them, and workgroups."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from core.text import markdown_html_field, markdown_version_field
from core.validators import absolute_link_validator, single_line


class PartnerKind(models.TextChoices):
    SCHOOL_DISTRICT = "school_district", "School district"
    SCHOOL = "school", "School"
    COLLEGE = "college", "College or university"
    NONPROFIT = "nonprofit", "Non-profit"
    BUSINESS = "business", "Business or industry"
    GOVERNMENT = "government", "Government"
    INFORMAL = "informal", "Informal education or museum"
    FUNDER = "funder", "Funder"
    ASSOCIATION = "association", "Professional association"
    OTHER = "other", "Other"


class Partner(models.Model):
    class Status(models.TextChoices):
        PROSPECTIVE = "prospective", "Prospective"
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"

    name = models.CharField(max_length=200, validators=[single_line])
    kind = models.CharField(max_length=20, choices=PartnerKind.choices)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    region = models.CharField(max_length=120, blank=True, validators=[single_line])
    website = models.URLField(blank=True, validators=[absolute_link_validator])
    description = models.TextField(blank=True)
    description_html = markdown_html_field("description")
    markdown_version = markdown_version_field()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    MARKDOWN_FIELDS = ("description",)

    class Meta:
        ordering = ["name"]
        # Lists are in name order and paged: the index lets a page of 50 be read in order
        # instead of sorting every partner (the dashboard at 5,000 partners).
        indexes = [models.Index(fields=["name"], name="partner_name")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="partner_name_ci_unique",
                violation_error_message="A partner with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Membership(models.Model):
    """A person's role at a partner."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        EDITOR = "editor", "Editor"
        VIEWER = "viewer", "Viewer"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partner__name", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partner"],
                name="membership_unique",
                violation_error_message="This person already has a role at this partner.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.partner}"


class Workgroup(models.Model):
    """A standing group of the network (curriculum and instruction, assessment, policy, ...)."""

    name = models.CharField(max_length=120, validators=[single_line])
    description = models.TextField(blank=True)
    description_html = markdown_html_field("description")
    markdown_version = markdown_version_field()
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="workgroups"
    )
    partners = models.ManyToManyField(Partner, blank=True, related_name="workgroups")

    MARKDOWN_FIELDS = ("description",)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="workgroup_name_ci_unique",
                violation_error_message="A workgroup with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name
