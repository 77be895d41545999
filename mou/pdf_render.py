"""How the MOU PDFs are written: tagged for screen readers, the executed record also archival.

The draft is PDF/UA-1: a structure tree (headings, paragraphs, lists, tables, links), the
document's language (``<html lang>``), its title (``<title>``, shown by the reader instead of
the file name) and an outline from the headings, with XMP metadata that says so. The
executed MOU is the legal record: PDF/A-3a (fonts embedded, an sRGB output intent, the same
tags), declared PDF/UA-1 as well. WeasyPrint writes one variant at a time, so the executed
copy is written as PDF/A and its XMP packet is given the PDF/UA identification too.

The seal (``mou.pdf_seal``) is added afterwards as an incremental update: it appends to the
file, so the identification and the structure tree written here are left as they are.
"""

PDF_UA_IDENTIFICATION = (
    b'<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"'
    b' pdfuaid:part="1"/>'
)


def _declare_pdf_ua(document, pdf) -> None:
    """A WeasyPrint finisher: add the PDF/UA-1 identification to the XMP packet that the
    PDF/A variant wrote (one rdf:Description more inside its rdf:RDF)."""
    number = int(pdf.catalog["Metadata"].split()[0])
    metadata = pdf.objects[number]
    packet = b"".join(
        part if isinstance(part, bytes) else str(part).encode() for part in metadata.stream
    )
    if b"pdfuaid:part" not in packet:
        if b"</rdf:RDF>" not in packet:
            raise ValueError("The PDF's XMP metadata has no rdf:RDF to add PDF/UA to.")
        packet = packet.replace(b"</rdf:RDF>", PDF_UA_IDENTIFICATION + b"</rdf:RDF>", 1)
    metadata.stream = [packet]


# The options handed to ``write_pdf`` (the benchmark's bare WeasyPrint run uses them too).
DRAFT_PDF_OPTIONS: dict = {"pdf_variant": "pdf/ua-1"}
EXECUTED_PDF_OPTIONS: dict = {"pdf_variant": "pdf/a-3a", "finisher": _declare_pdf_ua}


def pdf_write(*, html: str, fetcher, options: dict) -> bytes:
    """``html`` as PDF bytes, written with ``options`` (one of the dicts above)."""
    # WeasyPrint is imported here, not at start-up: it is heavy and only the worker needs it.
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=fetcher).write_pdf(**options)


def pdf_options(kind: str) -> dict:
    """The write options of the ``"draft"`` or ``"executed"`` PDF."""
    table: dict[str, dict] = {"draft": DRAFT_PDF_OPTIONS, "executed": EXECUTED_PDF_OPTIONS}
    return dict(table[kind])
