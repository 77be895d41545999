"""Django admin for partners, memberships and workgroups (the coordinators' back room).

Every change made here is recorded as an event, like changes made through the portal.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count

from core.permissions import account_is_privileged
from core.services.events import event_record
from core.text import markdown_cook
from core.views_helpers import request_actor
from partnership.models import Membership, Partner, Workgroup


class EventRecordingAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        if hasattr(obj, "MARKDOWN_FIELDS"):
            markdown_cook(obj=obj, fields=form.changed_data if change else None)
        super().save_model(request, obj, form, change)
        verb = "changed" if change else "added"
        event_record(
            action=f"admin.{obj._meta.model_name}_{verb}",
            actor=request_actor(request),
            subject=obj,
            summary=f"{obj._meta.verbose_name.capitalize()} {obj} {verb} in the admin",
            data={"fields": list(form.changed_data)},
        )

    def delete_model(self, request, obj):
        event_record(
            action=f"admin.{obj._meta.model_name}_deleted",
            actor=request_actor(request),
            subject=obj,
            summary=f"{obj._meta.verbose_name.capitalize()} {obj} deleted in the admin",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        actor = request_actor(request)
        for obj in queryset:
            event_record(
                action=f"admin.{obj._meta.model_name}_deleted",
                actor=actor,
                subject=obj,
                summary=f"{obj._meta.verbose_name.capitalize()} {obj} deleted in the admin",
            )
        super().delete_queryset(request, queryset)


def _memberships_check(request, memberships) -> None:
    """Only a superuser changes the roles of coordinators, staff and superusers, here as
    in the portal. Raised inside the admin's transaction, so nothing of the save stays."""
    if request.user.is_superuser:
        return
    for membership in memberships:
        if membership.user_id and account_is_privileged(membership.user):
            raise PermissionDenied(
                "Only a superuser can change the roles of a coordinator, staff member or superuser."
            )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Partner)
class PartnerAdmin(EventRecordingAdmin):
    list_display = ["name", "kind", "status", "region", "people"]
    list_filter = ["status", "kind", "workgroups"]
    search_fields = ["name", "region"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is Membership:
            touched = [
                f.instance for f in formset.forms if f.has_changed() or f in formset.deleted_forms
            ]
            # The rows as they were too: moving a coordinator's row to someone else
            # changes the coordinator's roles.
            before = Membership.objects.filter(
                pk__in=[m.pk for m in touched if m.pk]
            ).select_related("user")
            _memberships_check(request, [*touched, *before])
        super().save_formset(request, form, formset, change)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_count=Count("memberships"))

    @admin.display(ordering="people_count")
    def people(self, obj) -> int:
        return obj.people_count


@admin.register(Membership)
class MembershipAdmin(EventRecordingAdmin):
    list_display = ["user", "partner", "role", "created_at"]
    list_filter = ["role", "partner__status", "partner__kind"]
    list_select_related = ["user", "partner"]
    search_fields = ["user__full_name", "user__email", "partner__name"]
    autocomplete_fields = ["user", "partner"]

    def save_model(self, request, obj, form, change):
        before = Membership.objects.filter(pk=obj.pk).select_related("user") if change else []
        _memberships_check(request, [obj, *before])
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        _memberships_check(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        _memberships_check(request, queryset.select_related("user"))
        super().delete_queryset(request, queryset)


@admin.register(Workgroup)
class WorkgroupAdmin(EventRecordingAdmin):
    list_display = ["name", "members_count", "partners_count"]
    search_fields = ["name"]
    autocomplete_fields = ["members", "partners"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                members_total=Count("members", distinct=True),
                partners_total=Count("partners", distinct=True),
            )
        )

    @admin.display(description="members", ordering="members_total")
    def members_count(self, obj) -> int:
        return obj.members_total

    @admin.display(description="partners", ordering="partners_total")
    def partners_count(self, obj) -> int:
        return obj.partners_total
