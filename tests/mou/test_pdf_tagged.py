"""The MOU PDFs are tagged for screen readers and the executed one is archival: the draft is
PDF/UA-1, the executed record PDF/A-3a and PDF/UA-1, each with a structure tree, its
language, its title and an outline; the seal is an incremental update that leaves all of
that, and the PDF/A identification, as they were. Read back with pikepdf and pyHanko."""

import logging
from io import BytesIO

import pikepdf
import pytest

from mou.pdf_seal import pdf_seal
from mou.services.executed import executed_pdf_bytes
from mou.services.pdf import document_pdf_bytes
from tests.mou.conftest import fill
from tests.mou.test_executed import _throwaway_certificate, _validate, sign_all

pytestmark = pytest.mark.django_db

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def structure_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, depth first."""
    found: list[pikepdf.Dictionary] = []

    def walk(node, depth=0):
        assert depth < 200, "the structure tree is not a tree"
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child, depth + 1)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(node)
            if "/K" in node:
                walk(node.K, depth + 1)

    walk(pdf.Root.StructTreeRoot.K)
    return found


def structure_types(pdf: pikepdf.Pdf) -> list[str]:
    return [str(element.S) for element in structure_elements(pdf)]


def outline_titles(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    titles: list[tuple[int, str]] = []

    def walk(items, level):
        for item in items:
            titles.append((level, item.title))
            walk(item.children, level + 1)

    with pdf.open_outline() as outline:
        walk(outline.root, 0)
    return titles


def assert_tagged(pdf: pikepdf.Pdf, *, title: str) -> dict:
    """What PDF/UA asks of every MOU PDF; returns the XMP metadata."""
    root = pdf.Root
    assert "/StructTreeRoot" in root, "no structure tree: a screen reader reads nothing"
    assert root.MarkInfo.Marked is True
    assert str(root.Lang) == "en"
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert str(pdf.docinfo.Title) == title
    types = structure_types(pdf)
    for kind in ("/Document", "/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Table", "/TR", "/Link"):
        assert kind in types, f"no {kind} in the structure tree"
    # Pictures are words for a screen reader; the decorative logo is an artifact, not a figure.
    assert all("/Alt" in e for e in structure_elements(pdf) if e.S == "/Figure")
    assert "/Outlines" in root
    with pdf.open_metadata() as xmp:
        metadata = dict(xmp)
    assert metadata[DC_TITLE] == title
    assert metadata[PDFUAID + "part"] == "1"
    return metadata


def assert_no_renderer_complaint(caplog) -> None:
    """WeasyPrint logs an error for what PDF/UA lacks (a language, a picture's words)."""
    complaints = [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING
    ]
    assert complaints == []


def test_the_draft_pdf_is_tagged_pdf_ua_1_with_title_language_and_outline(
    version, block, other_block, lead, other_lead, coordinator, caplog
):
    fill(block, lead, {"commitments": "- two teacher teams\n- six release days"})
    fill(other_block, other_lead)
    data = document_pdf_bytes(version=version, viewer=coordinator)
    assert_no_renderer_complaint(caplog)
    with pikepdf.open(BytesIO(data)) as pdf:
        metadata = assert_tagged(pdf, title=f"{version.title} (draft)")
        # A working copy: not claimed to be the archival record.
        assert PDFAID + "part" not in metadata
        assert "/OutputIntents" not in pdf.Root
        outline = outline_titles(pdf)
    assert outline[0] == (0, version.title)
    assert (1, "Shared text") in outline and (1, "Partner roles") in outline
    assert (2, "Salem-Keizer School District") in outline
    assert (2, "Chemeketa Community College") in outline
    # The field headings repeat in every block: they stay out of the outline.
    assert not any(title.lower() == "role in the partnership" for _, title in outline)


def assert_archival(pdf: pikepdf.Pdf, *, title: str) -> None:
    metadata = assert_tagged(pdf, title=title)
    assert metadata[PDFAID + "part"] == "3"
    assert metadata[PDFAID + "conformance"] == "A"
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    assert len(pdf.trailer.ID) == 2
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.FontDescriptor
                assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_the_executed_pdf_is_pdf_a_3a_and_pdf_ua_1(frozen, caplog):
    sign_all(frozen)
    data = executed_pdf_bytes(frozen=frozen)
    assert_no_renderer_complaint(caplog)
    with pikepdf.open(BytesIO(data)) as pdf:
        assert_archival(pdf, title=f"{frozen.version.title} (executed)")
        outline = outline_titles(pdf)
    for heading in (
        "The parties",
        "Shared text",
        "Partner roles",
        "Appendix A: needs and contributions",
        "Signatures",
        "Appendix B: audit trail",
    ):
        assert (1, heading) in outline


def test_the_seal_is_an_incremental_update_that_keeps_pdf_a_pdf_ua_and_the_tags(
    frozen, settings, tmp_path
):
    cert, cert_path, key_path, _ = _throwaway_certificate(tmp_path)
    settings.PDF_SIGNING_CERT, settings.PDF_SIGNING_KEY = str(cert_path), str(key_path)
    sign_all(frozen)
    unsealed = executed_pdf_bytes(frozen=frozen)
    sealed = pdf_seal(unsealed)
    # Appended to, not rewritten: the rendered file is the signed revision's first bytes.
    assert sealed.startswith(unsealed) and len(sealed) > len(unsealed)
    signature, status = _validate(sealed, cert)
    assert status.intact and status.valid and status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.modification_level.name == "NONE"
    with pikepdf.open(BytesIO(sealed)) as pdf:
        assert_archival(pdf, title=f"{frozen.version.title} (executed)")
        (field,) = (f for f in pdf.Root.AcroForm.Fields if str(f.T) == "PortalSeal")
        # The seal's widget is in the structure tree (a Form element), as PDF/UA asks of
        # every annotation, and printable, as PDF/A asks.
        assert int(field.F) & 4 and not int(field.F) & 2
        assert str(field.TU) == f"Digital seal of {settings.BACKBONE_ORGANIZATION}"
        (form,) = (e for e in structure_elements(pdf) if e.S == "/Form")
        assert form.K.Type == "/OBJR" and form.K.Obj.objgen == field.objgen
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        assert parents[int(field.StructParent)].objgen == form.objgen
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) == int(field.StructParent) + 1
        assert pdf.check_pdf_syntax() == []  # qpdf finds nothing wrong with the file


def test_an_untagged_pdf_is_sealed_all_the_same(settings, tmp_path):
    from weasyprint import HTML

    cert, cert_path, key_path, _ = _throwaway_certificate(tmp_path)
    settings.PDF_SIGNING_CERT, settings.PDF_SIGNING_KEY = str(cert_path), str(key_path)
    unsealed = HTML(string="<p>Hello</p>").write_pdf()
    sealed = pdf_seal(unsealed)
    _, status = _validate(sealed, cert)
    assert sealed.startswith(unsealed) and status.intact and status.valid
    with pikepdf.open(BytesIO(sealed)) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
