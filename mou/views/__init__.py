"""MOU pages: parse the request, call one service or selector, render."""

from mou.views.blocks import (
    block_accept,
    block_autosave,
    block_conflict_resolve,
    block_editor,
    block_extension,
    block_request_changes,
    block_save,
    block_submit,
)
from mou.views.document import document, document_pdf, document_pdf_download, document_pdf_status
from mou.views.history import block_diff, block_history
from mou.views.reminders import version_reminders
from mou.views.signing import (
    executed_pdf,
    sign,
    sign_copy,
    sign_decline,
    sign_done,
    sign_hand_over,
    signature_remind,
    signatures,
    version_freeze,
)
from mou.views.versions import (
    template_edit,
    template_list,
    version_create,
    version_delete,
    version_detail,
    version_edit,
    version_list,
    version_open,
)

__all__ = [
    "block_accept",
    "block_autosave",
    "block_conflict_resolve",
    "block_diff",
    "block_editor",
    "block_extension",
    "block_history",
    "block_request_changes",
    "block_save",
    "block_submit",
    "document",
    "document_pdf",
    "document_pdf_download",
    "document_pdf_status",
    "executed_pdf",
    "sign",
    "sign_copy",
    "sign_decline",
    "sign_done",
    "sign_hand_over",
    "signature_remind",
    "signatures",
    "template_edit",
    "template_list",
    "version_create",
    "version_detail",
    "version_delete",
    "version_edit",
    "version_freeze",
    "version_list",
    "version_open",
    "version_reminders",
]
