"""What an attachment may be: a short allow-list, checked by name AND by content.

The extension picks the type; the first bytes must then look like that type (a PDF starts
with ``%PDF-``, an Office file is a ZIP holding the right parts, text has no control
bytes). The type we serve is the one we decided here, never the one the browser sent.
"""

import io
import zipfile

from django.core.exceptions import ValidationError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
ALLOWED_LABEL = "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), PNG, JPEG, text or CSV"
_OFFICE_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
_TEXT_CONTROL_BYTES = set(range(0, 9)) | {11} | set(range(14, 32)) | {127}


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _looks_like(extension: str, head: bytes, upload) -> bool:
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in {"jpg", "jpeg"}:
        return head.startswith(b"\xff\xd8\xff")
    if extension in _OFFICE_FOLDERS:
        if not head.startswith(b"PK\x03\x04"):
            return False
        upload.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return False
        folder = _OFFICE_FOLDERS[extension]
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    if extension in {"txt", "csv"}:
        return not any(byte in _TEXT_CONTROL_BYTES for byte in head)
    return False


def attachment_check(upload) -> tuple[str, str]:
    """Validate an uploaded file; return (clean original name, content type to serve)."""
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    if not name:
        raise ValidationError("The file has no name.", code="no_name")
    if upload.size is None or upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            f"The file is too large: the limit is {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB.",
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    extension = extension_of(name)
    if extension not in CONTENT_TYPES:
        raise ValidationError(
            f"Files of this type cannot be attached. Allowed: {ALLOWED_LABEL}.",
            code="type_not_allowed",
        )
    upload.seek(0)
    head = upload.read(64 * 1024)
    if not _looks_like(extension, head, upload):
        raise ValidationError(
            f"The file's content is not a real .{extension} file. Allowed: {ALLOWED_LABEL}.",
            code="content_mismatch",
        )
    upload.seek(0)
    return name, CONTENT_TYPES[extension]
