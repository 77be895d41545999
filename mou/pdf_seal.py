"""The portal's seal on the executed MOU: a PAdES baseline B signature made with pyHanko.

Configured in settings (from the environment) either with a PEM certificate and key
(``PDF_SIGNING_CERT`` and ``PDF_SIGNING_KEY``, the key optionally protected by
``PDF_SIGNING_PASSPHRASE``) or with a PKCS#12 file (``PDF_SIGNING_PKCS12`` and
``PDF_SIGNING_PASSPHRASE``). Without them the PDF is not sealed; its SHA-256 on the verify
page still proves it genuine.

The seal is an incremental update: the rendered file (PDF/A-3a and PDF/UA-1, see
``mou.pdf_render``) stays byte for byte the start of the sealed one, so its identification,
structure tree and outline are untouched. The seal's field is invisible but printable (as
PDF/A asks of every annotation) and is put in the structure tree as a Form element with a
description (as PDF/UA asks).
"""

import logging
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SEAL_FIELD = "PortalSeal"

logger = logging.getLogger(__name__)


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or "")


def seal_configured() -> bool:
    return bool(
        (_setting("PDF_SIGNING_CERT") and _setting("PDF_SIGNING_KEY"))
        or _setting("PDF_SIGNING_PKCS12")
    )


def _signer():
    from pyhanko.sign import signers

    passphrase = _setting("PDF_SIGNING_PASSPHRASE").encode() or None
    if _setting("PDF_SIGNING_PKCS12"):
        signer = signers.SimpleSigner.load_pkcs12(
            _setting("PDF_SIGNING_PKCS12"), passphrase=passphrase
        )
    else:
        signer = signers.SimpleSigner.load(
            _setting("PDF_SIGNING_KEY"), _setting("PDF_SIGNING_CERT"), key_passphrase=passphrase
        )
    if signer is None:
        raise ImproperlyConfigured("The PDF signing certificate or key could not be loaded.")
    return signer


def _seal_field_add(writer) -> None:
    """The seal's empty, invisible field on the first page, tagged when the file is: a Form
    structure element under the document's, pointing at the widget, with its place in the
    parent tree (the same revision as the signature, so the signature covers it)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field, enumerate_sig_fields

    append_signature_field(
        writer,
        SigFieldSpec(
            sig_field_name=SEAL_FIELD,
            readable_field_name=f"Digital seal of {settings.BACKBONE_ORGANIZATION}",
        ),
    )
    root = writer.root
    if "/StructTreeRoot" not in root:
        return
    tree_root = root["/StructTreeRoot"]
    parent_tree = tree_root["/ParentTree"]
    documents = tree_root.raw_get("/K")
    document_ref = documents.raw_get(0) if isinstance(documents, generic.ArrayObject) else documents
    if "/Nums" not in parent_tree or not isinstance(document_ref, generic.IndirectObject):
        # Not the flat tree WeasyPrint writes: the seal matters more than its tag.
        logger.warning("Seal field left out of an unexpected structure tree")
        return
    ((_, _, field_ref),) = enumerate_sig_fields(writer, with_name=SEAL_FIELD)
    field = field_ref.get_object()
    nums = parent_tree["/Nums"]
    used = [int(nums[i]) for i in range(0, len(nums), 2)]
    key = max([*used, int(tree_root.get("/ParentTreeNextKey", 0)) - 1, -1]) + 1
    page_ref = field.raw_get("/P")
    form_ref = writer.add_object(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/StructElem"),
                generic.pdf_name("/S"): generic.pdf_name("/Form"),
                generic.pdf_name("/P"): document_ref,
                generic.pdf_name("/Pg"): page_ref,
                generic.pdf_name("/K"): generic.DictionaryObject(
                    {
                        generic.pdf_name("/Type"): generic.pdf_name("/OBJR"),
                        generic.pdf_name("/Obj"): field_ref,
                        generic.pdf_name("/Pg"): page_ref,
                    }
                ),
            }
        )
    )
    document = document_ref.get_object()
    kids = document.get("/K")
    if isinstance(kids, generic.ArrayObject):
        kids.append(form_ref)
    else:
        document["/K"] = generic.ArrayObject([kids, form_ref] if kids is not None else [form_ref])
    writer.update_container(document)
    nums.extend([generic.NumberObject(key), form_ref])
    writer.update_container(nums)
    tree_root["/ParentTreeNextKey"] = generic.NumberObject(key + 1)
    writer.update_container(tree_root)
    field["/StructParent"] = generic.NumberObject(key)
    writer.update_container(field)


def pdf_seal(data: bytes) -> bytes:
    """``data`` with an approval signature (PAdES baseline B, SHA-256) over all of it,
    appended as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    writer = IncrementalPdfFileWriter(BytesIO(data))
    _seal_field_add(writer)
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=f"Executed memorandum of understanding of {settings.NETWORK_NAME}",
        location=settings.SITE_URL,
        name=settings.BACKBONE_ORGANIZATION,
    )
    out = signers.sign_pdf(writer, meta, signer=_signer())
    return out.getvalue()
