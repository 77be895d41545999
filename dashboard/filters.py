"""The dashboard table's filters, search and sort (django-filter).

The same FilterSet feeds the page, the CSV and the XLSX, so an export always holds exactly
the rows the coordinator is looking at, in the same order.
"""

from datetime import datetime

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, QuerySet, Value, When

from mou.models import MouVersion, RoleBlock
from partnership.models import PartnerKind, Workgroup

# Workflow order, so "status" sorts the way a coordinator reads it, not alphabetically.
STATUS_RANK = Case(
    *(When(status=value, then=Value(rank)) for rank, value in enumerate(RoleBlock.Status.values)),
    output_field=IntegerField(),
)

SORTS = {
    "partner": ("Partner, A to Z", [F("partner__name").asc()]),
    "-partner": ("Partner, Z to A", [F("partner__name").desc()]),
    "kind": ("Kind", [F("partner__kind").asc(), F("partner__name").asc()]),
    "status": ("Status, not started first", [F("status_rank").asc(), F("partner__name").asc()]),
    "-status": ("Status, accepted first", [F("status_rank").desc(), F("partner__name").asc()]),
    "-last_edited": (
        "Last edited, newest first",
        [F("last_edited_at").desc(nulls_last=True), F("partner__name").asc()],
    ),
    "last_edited": (
        "Last edited, oldest first",
        [F("last_edited_at").asc(nulls_last=True), F("partner__name").asc()],
    ),
    "-submitted": (
        "Submitted, newest first",
        [F("submitted_at").desc(nulls_last=True), F("partner__name").asc()],
    ),
    "submitted": (
        "Submitted, oldest first",
        [F("submitted_at").asc(nulls_last=True), F("partner__name").asc()],
    ),
}
DEFAULT_SORT = "partner"


class BlockFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search partners",
        method="search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Partner name"}),
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=RoleBlock.Status.choices, empty_label="All statuses"
    )
    kind = django_filters.ChoiceFilter(
        label="Kind",
        field_name="partner__kind",
        choices=PartnerKind.choices,
        empty_label="All kinds",
    )
    workgroup = django_filters.ModelChoiceFilter(
        label="Workgroup",
        field_name="partner__workgroups",
        queryset=Workgroup.objects.only("id", "name").order_by("name"),
        empty_label="All workgroups",
    )
    overdue = django_filters.BooleanFilter(
        label="Overdue only",
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        method="sort_rows",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        empty_label=None,
        null_label=None,
    )

    class Meta:
        model = RoleBlock
        fields = ["q", "status", "kind", "workgroup", "overdue", "sort"]

    def __init__(self, data=None, *args, version: MouVersion, now: datetime, **kwargs):
        self.version = version
        self.now = now
        super().__init__(data, *args, **kwargs)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(partner__name__icontains=value) if value else queryset

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.overdue(self.now)

    def sort_rows(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied last, in filter_queryset, whatever the field order

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or DEFAULT_SORT
        return queryset.annotate(status_rank=STATUS_RANK).order_by(*SORTS[sort][1], "pk")

    @property
    def sort_value(self) -> str:
        if self.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get("sort") or DEFAULT_SORT
        return DEFAULT_SORT
