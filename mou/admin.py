"""Admin views of the MOU tables, for support; the pages and services do the real work."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import MarkdownAdmin
from mou.models import (
    BlockReview,
    DraftPdf,
    ExecutedPdf,
    FrozenMou,
    MouVersion,
    RoleBlock,
    RoleTemplate,
    SignatureRequest,
)


@admin.register(MouVersion)
class MouVersionAdmin(MarkdownAdmin):
    list_display = ["number", "title", "status", "deadline", "opened_at"]
    list_filter = ["status"]
    list_select_related = ["previous"]
    search_fields = ["title"]
    readonly_fields = ["created_at", "created_by", "opened_at", "opened_by", "updated_at"]


@admin.register(RoleTemplate)
class RoleTemplateAdmin(MarkdownAdmin):
    list_display = ["title", "kind", "version"]
    list_filter = ["kind"]
    list_select_related = ["version"]


@admin.register(RoleBlock)
class RoleBlockAdmin(SimpleHistoryAdmin):
    list_display = ["partner", "version", "status", "revision", "last_edited_at", "extension_until"]
    list_filter = ["status", "version"]
    list_select_related = ["partner", "version"]
    search_fields = ["partner__name", "signing_leader_name"]
    # Edits go through the editor (optimistic locking, events); the admin only reads.
    readonly_fields = [f.name for f in RoleBlock._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(BlockReview)
class BlockReviewAdmin(admin.ModelAdmin):
    list_display = ["block", "kind", "author", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["block__partner", "block__version", "author"]
    readonly_fields = [f.name for f in BlockReview._meta.fields]


@admin.register(DraftPdf)
class DraftPdfAdmin(admin.ModelAdmin):
    list_display = ["version", "status", "requested_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["version"]
    readonly_fields = [f.name for f in DraftPdf._meta.fields]


class ReadOnlyAdmin(admin.ModelAdmin):
    """The signing records are written by the services only; the admin reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FrozenMou)
class FrozenMouAdmin(ReadOnlyAdmin):
    list_display = ["version", "frozen_at", "signing_deadline", "content_sha256"]
    list_select_related = ["version"]


@admin.register(SignatureRequest)
class SignatureRequestAdmin(ReadOnlyAdmin):
    list_display = ["organization", "signer_name", "role", "status", "sent_at", "decided_at"]
    list_filter = ["status", "role"]
    list_select_related = ["frozen__version"]
    search_fields = ["organization", "signer_name", "signer_email"]


@admin.register(ExecutedPdf)
class ExecutedPdfAdmin(ReadOnlyAdmin):
    list_display = ["frozen", "executed_at", "sealed", "sha256"]
    list_select_related = ["frozen__version"]
