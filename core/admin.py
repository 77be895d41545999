from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.models import Event, OutboxMessage, User
from core.text import markdown_cook


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "title", "is_coordinator", "is_active"]
    list_filter = ["is_coordinator", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "title", "phone"]}),
        (
            "Access",
            {
                "fields": [
                    "is_active",
                    "is_coordinator",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                    "link_version",
                ]
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "password1", "password2"]})]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "summary", "ip_address"]
    list_filter = ["action"]
    list_select_related = ["actor", "subject_type"]
    search_fields = ["summary", "action"]
    readonly_fields = [f.name for f in Event._meta.fields]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to_email", "subject", "status", "attempts"]
    list_filter = ["status", "kind"]
    list_select_related = ["to_user"]
    search_fields = ["to_email", "subject"]


class MarkdownAdmin(admin.ModelAdmin):
    """An admin for a model with Markdown fields: a text changed here gets its HTML stored
    like a change made through the services, or the pages would show the old HTML."""

    def save_model(self, request, obj, form, change):
        markdown_cook(obj=obj, fields=form.changed_data if change else None)
        super().save_model(request, obj, form, change)
