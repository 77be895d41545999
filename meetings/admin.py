from django.contrib import admin

from core.admin import MarkdownAdmin
from meetings.models import ActionItem, Attachment, Attendance, CalendarFeed, Meeting


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["user"]
    raw_id_fields = ["partner"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        # Uploads go through the meeting page, which checks type and size.
        return False


@admin.register(Meeting)
class MeetingAdmin(MarkdownAdmin):
    list_display = ["title", "kind", "workgroup", "starts_at", "notes_published_at"]
    list_filter = ["kind", "workgroup"]
    list_select_related = ["workgroup"]
    search_fields = ["title", "series"]
    date_hierarchy = "starts_at"
    readonly_fields = ["created_by", "created_at", "notes_published_by", "notes_sent_at"]
    inlines = [AttendanceInline, AttachmentInline]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["description", "owner_kind", "owner_user", "owner_partner", "due_on", "status"]
    list_filter = ["status", "owner_kind"]
    list_select_related = ["owner_user", "owner_partner"]
    search_fields = ["description"]
    raw_id_fields = ["meeting", "parent", "owner_user", "owner_partner", "completed_by"]
    readonly_fields = ["created_by", "created_at", "completed_at"]
    date_hierarchy = "due_on"


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    list_select_related = ["user"]
    readonly_fields = ["user", "token_hash", "created_at"]
    search_fields = ["user__email", "user__full_name"]

    def has_add_permission(self, request) -> bool:
        return False
