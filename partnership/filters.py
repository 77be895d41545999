"""Search and filter forms of the partner directory and the people list (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q

from core.models import User
from core.permissions import is_coordinator
from partnership.models import Membership, Partner, PartnerKind, Workgroup


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=PartnerKind.choices, empty_label="All kinds"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=Partner.Status.choices, empty_label="All statuses"
    )
    workgroup = django_filters.ModelChoiceFilter(
        label="Workgroup",
        field_name="workgroups",
        queryset=Workgroup.objects.only("id", "name"),
        empty_label="All workgroups",
    )

    class Meta:
        model = Partner
        fields = ["q", "kind", "status", "workgroup"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_coordinator(user):
            # Members only ever see active partners; a status filter would be noise.
            del self.filters["status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(region__icontains=value) | Q(description__icontains=value)
        )


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    partner = django_filters.ModelChoiceFilter(
        label="Partner",
        field_name="memberships__partner",
        queryset=Partner.objects.only("id", "name"),
        empty_label="All partners",
    )
    role = django_filters.ChoiceFilter(
        label="Role",
        field_name="memberships__role",
        choices=Membership.Role.choices,
        empty_label="Any role",
    )
    active = django_filters.ChoiceFilter(
        label="Account",
        method="filter_active",
        choices=[("yes", "Active"), ("no", "Deactivated")],
        empty_label="Active and deactivated",
    )

    class Meta:
        model = User
        fields = ["q", "partner", "role", "active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(full_name__icontains=value) | Q(email__icontains=value) | Q(title__icontains=value)
        )

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")

    def filter_queryset(self, queryset):
        # Partner and role must match the same membership, not any two memberships.
        data = self.form.cleaned_data
        partner, role = data.get("partner"), data.get("role")
        if partner and role:
            queryset = queryset.filter(memberships__partner=partner, memberships__role=role)
            data = {k: v for k, v in data.items() if k not in ("partner", "role")}
            for name, value in data.items():
                queryset = self.filters[name].filter(queryset, value)
            return queryset.distinct()
        return super().filter_queryset(queryset).distinct()
