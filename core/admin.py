from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from core.models import Event, OutboxMessage, User
from core.permissions import account_is_privileged
from core.services.accounts import account_email_changed, account_privileges_gained
from core.text import markdown_cook
from core.views_helpers import request_actor


class SuperuserWritesAdmin(admin.ModelAdmin):
    """Staff may look; only a superuser adds, changes or deletes.

    Accounts and groups carry the rights themselves (staff, superuser, coordinator,
    permissions): a staff member granted "change user" or "change group" could otherwise
    make themselves a superuser or take over another account.
    """

    def has_add_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the services write and nobody edits here, superusers included."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(SuperuserWritesAdmin, BaseUserAdmin):
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

    def save_model(self, request, obj, form, change):
        was_privileged = change and any(
            form.initial.get(flag) for flag in ("is_coordinator", "is_staff", "is_superuser")
        )
        super().save_model(request, obj, form, change)
        if change and not was_privileged and account_is_privileged(obj):
            account_privileges_gained(user=obj, actor=request_actor(request))
        if change and "email" in form.changed_data:
            # As in the portal: links and sessions die, the old address is told.
            account_email_changed(
                user=obj, old_email=form.initial["email"], actor=request_actor(request)
            )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SuperuserWritesAdmin, BaseGroupAdmin):
    pass


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """The audit trail is written by the services only and never removed here: whoever
    used a right (a reset, a change of address) must not be able to erase the record."""

    list_display = ["created_at", "action", "actor", "summary", "ip_address"]
    list_filter = ["action"]
    list_select_related = ["actor", "subject_type"]
    search_fields = ["summary", "action"]
    readonly_fields = [f.name for f in Event._meta.fields]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """A record of what was sent: read-only, and the bodies (which hold people's sign-in
    links) only for superusers. Editing a pending message's address would hand its link
    to someone else."""

    list_display = ["created_at", "kind", "to_email", "subject", "status", "attempts"]
    list_filter = ["status", "kind"]
    list_select_related = ["to_user"]
    search_fields = ["to_email", "subject"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def get_fields(self, request, obj=None):
        fields = [f.name for f in OutboxMessage._meta.fields if f.name != "id"]
        if not request.user.is_superuser:
            fields = [f for f in fields if f not in ("body_text", "body_html", "attachments")]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


class MarkdownAdmin(admin.ModelAdmin):
    """An admin for a model with Markdown fields: a text changed here gets its HTML stored
    like a change made through the services, or the pages would show the old HTML."""

    def save_model(self, request, obj, form, change):
        markdown_cook(obj=obj, fields=form.changed_data if change else None)
        super().save_model(request, obj, form, change)


# allauth registers its own admins for these; the portal replaces them.
for _model in (Authenticator, EmailAddress):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdmin):
    """Who has which second factor: read-only for everyone, the secret never shown.

    An authenticator's data is its TOTP secret and recovery-code seed: with a person's
    password, whoever reads, replaces or adds one holds the account. Removing one is a
    reset, which goes through the portal's page (its rule and its event) instead."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields


# EmailAddress is not registered again: the portal keeps one address per person, on the
# account, and allauth's password backend would take any row of that table as another
# sign-in address for its user, outside the portal's address rules and limits.
