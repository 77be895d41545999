"""The MOU app's tables: versions, templates and blocks; the signing round."""

from mou.models.signing import (
    ExecutedPdf,
    FrozenMou,
    FrozenMouHtml,
    ImmutableRecord,
    SignatureRequest,
    SigningLink,
    executed_pdf_path,
)
from mou.models.versions import (
    SHARED_TEXT_MAX,
    TEXT_MAX,
    BlockReview,
    BlockSeen,
    DraftPdf,
    MouVersion,
    RoleBlock,
    RoleTemplate,
    draft_pdf_path,
)

__all__ = [
    "SHARED_TEXT_MAX",
    "TEXT_MAX",
    "BlockReview",
    "BlockSeen",
    "DraftPdf",
    "ExecutedPdf",
    "FrozenMou",
    "FrozenMouHtml",
    "ImmutableRecord",
    "MouVersion",
    "RoleBlock",
    "RoleTemplate",
    "SignatureRequest",
    "SigningLink",
    "draft_pdf_path",
    "executed_pdf_path",
]
