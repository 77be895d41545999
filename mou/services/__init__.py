"""Every write of the MOU app. Other apps import from here.

Public entry points:
- versions: ``version_create``, ``version_update``, ``version_delete``, ``version_open``,
  ``role_template_save``
- blocks: ``blocks_ensure_for_partner`` (call when a partner becomes active),
  ``block_save_draft``, ``block_submit``, ``block_mark_seen``, ``block_signin_link``
  (an e-mailable link that signs a person in and opens a block)
- review: ``block_request_changes``, ``block_accept``, ``block_extension_grant``
- PDF: ``draft_pdf_request``, ``draft_pdf_render``
- freezing: ``version_freeze`` (with its ``Countersigner``)
- signing: ``signature_sign``, ``signature_decline``, ``signature_hand_over``,
  ``signature_opened``, ``signing_request_send``
- executed: ``executed_pdf_render`` (the task's work), ``executed_pdfs_pending``
"""

from mou.services.blocks import (
    DRAFT_FOLD_WINDOW,
    block_leads,
    block_mark_seen,
    block_save_draft,
    block_signin_link,
    block_submit,
    blocks_ensure_for_partner,
    blocks_notify_leads,
)
from mou.services.executed import executed_pdf_render, executed_pdfs_pending
from mou.services.freezing import Countersigner, version_freeze
from mou.services.pdf import draft_pdf_render, draft_pdf_request
from mou.services.review import block_accept, block_extension_grant, block_request_changes
from mou.services.signing import (
    signature_decline,
    signature_hand_over,
    signature_opened,
    signature_sign,
    signing_link_issue,
    signing_request_send,
)
from mou.services.versions import (
    role_template_save,
    templates_copy,
    version_create,
    version_delete,
    version_open,
    version_update,
)

__all__ = [
    "DRAFT_FOLD_WINDOW",
    "Countersigner",
    "block_accept",
    "block_extension_grant",
    "block_leads",
    "block_mark_seen",
    "block_request_changes",
    "block_save_draft",
    "block_signin_link",
    "block_submit",
    "blocks_ensure_for_partner",
    "blocks_notify_leads",
    "draft_pdf_render",
    "draft_pdf_request",
    "executed_pdf_render",
    "executed_pdfs_pending",
    "role_template_save",
    "signature_decline",
    "signature_hand_over",
    "signature_opened",
    "signature_sign",
    "signing_link_issue",
    "signing_request_send",
    "templates_copy",
    "version_create",
    "version_freeze",
    "version_delete",
    "version_open",
    "version_update",
]
