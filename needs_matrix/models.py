"""The needs, contributions and gaps matrix: a taxonomy of categories in groups, and each
partner's stance on each category.

No entry for a (partner, category) means "not assessed", which is not the same as "no".
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.validators import single_line


class CategoryGroup(models.Model):
    name = models.CharField(max_length=120, validators=[single_line])
    # blank: the forms leave it empty to mean "at the end"; the services fill it in.
    order = models.PositiveIntegerField(default=0, blank=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="matrix_group_name_ci_unique",
                violation_error_message="A category group with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CategoryQuerySet(models.QuerySet):
    def current(self):
        return self.filter(retired_at__isnull=True)


class Category(models.Model):
    """One item of the needs taxonomy. Retiring hides it from editing and from the grid
    by default; its entries and their history stay."""

    group = models.ForeignKey(CategoryGroup, on_delete=models.PROTECT, related_name="categories")
    name = models.CharField(max_length=200, validators=[single_line])
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CategoryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["group__order", "group__name", "order", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="matrix_category_name_ci_unique",
                violation_error_message="A category with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Stance(models.TextChoices):
    NEED = "need", "Need"
    CONTRIBUTE = "contribute", "Can contribute"
    BOTH = "both", "Both: need and can contribute"
    NOT_ASSESSED = "not_assessed", "Not assessed"


NEEDING_STANCES = (Stance.NEED, Stance.BOTH)
CONTRIBUTING_STANCES = (Stance.CONTRIBUTE, Stance.BOTH)


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class MatrixEntry(models.Model):
    """A partner's stance on one category."""

    partner = models.ForeignKey(
        "partnership.Partner", on_delete=models.CASCADE, related_name="matrix_entries"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="entries")
    stance = models.CharField(max_length=14, choices=Stance.choices)
    priority = models.CharField(
        max_length=6, choices=Priority.choices, blank=True, help_text="For needs only."
    )
    capacity_note = models.CharField(
        max_length=500, blank=True, help_text="For contributions: what and how much."
    )
    note = models.TextField(max_length=2000, blank=True, validators=[MaxLengthValidator(2000)])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "matrix entries"
        ordering = ["partner__name", "category__order"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "category"], name="matrix_entry_unique"),
            models.CheckConstraint(
                condition=models.Q(stance__in=["need", "contribute", "both", "not_assessed"]),
                name="matrix_entry_stance_valid",
            ),
        ]
        indexes = [models.Index(fields=["category", "stance"], name="matrix_entry_cat_stance")]

    def __str__(self) -> str:
        return f"{self.partner} · {self.category}: {self.get_stance_display()}"

    @property
    def needs(self) -> bool:
        return self.stance in NEEDING_STANCES

    @property
    def contributes(self) -> bool:
        return self.stance in CONTRIBUTING_STANCES

    @property
    def stance_css(self) -> str:
        return "cell-" + self.stance.replace("_", "-")

    def clean(self) -> None:
        errors = {}
        if self.needs and not self.priority:
            errors["priority"] = "Choose a priority (high, medium or low) for a need."
        if not self.needs and self.priority:
            errors["priority"] = "A priority applies only to needs."
        if not self.contributes and self.capacity_note:
            errors["capacity_note"] = "A capacity note applies only to contributions."
        if errors:
            raise ValidationError(errors)
