"""The portal's seal on the executed MOU: a PAdES baseline B signature made with pyHanko.

Configured in settings (from the environment) either with a PEM certificate and key
(``PDF_SIGNING_CERT`` and ``PDF_SIGNING_KEY``, the key optionally protected by
``PDF_SIGNING_PASSPHRASE``) or with a PKCS#12 file (``PDF_SIGNING_PKCS12`` and
``PDF_SIGNING_PASSPHRASE``). Without them the PDF is not sealed; its SHA-256 on the verify
page still proves it genuine.
"""

from io import BytesIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SEAL_FIELD = "PortalSeal"


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


def pdf_seal(data: bytes) -> bytes:
    """``data`` with an approval signature (PAdES baseline B, SHA-256) over all of it."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    writer = IncrementalPdfFileWriter(BytesIO(data))
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
