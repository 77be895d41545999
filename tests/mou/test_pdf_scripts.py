"""Names and text in any script print as themselves, not as empty boxes: the PDFs' font
stacks name Noto (Latin, Greek, Cyrillic, …) and Noto CJK (Chinese, Japanese, Korean), with
DejaVu behind them, and the image, CI and `make test` install those fonts. WeasyPrint embeds
only the glyphs used, so CJK names add about 100 kB a face, not the font's 20 MB."""

import re
import subprocess
from datetime import timedelta
from io import BytesIO

import pikepdf
import pytest
from django.template.loader import render_to_string

from core.actor import Actor
from mou import services
from mou.models import SignatureRequest
from mou.services.executed import executed_pdf_bytes
from mou.services.pdf import document_pdf_bytes
from tests import factories
from tests.mou.conftest import COMPLETE, OTHER, accepted, fill, request_of
from tests.mou.test_pdf import pdftotext

pytestmark = pytest.mark.django_db

CHINESE = "北京市第一中学"
JAPANESE = "東京学芸大学"
KOREAN = "서울과학고등학교"
GREEK_AND_CYRILLIC = "Σχολείο Αθηνών · Школа № 5"
CHINESE_SIGNER = "王小明"
JAPANESE_SIGNER = "山田花子"

FONT_PACKAGES = {
    "Noto Sans": "fonts-noto-core",
    "Noto Serif": "fonts-noto-core",
    "Noto Sans CJK SC": "fonts-noto-cjk",
    "Noto Serif CJK SC": "fonts-noto-cjk",
    "DejaVu Sans": "fonts-dejavu-core",
}


@pytest.fixture
def partner(db):
    return factories.PartnerFactory(name=CHINESE)


@pytest.fixture
def other_partner(db):
    return factories.PartnerFactory(name=JAPANESE, kind="college")


def assert_fonts_installed() -> None:
    """Fails (never skips) on a machine without the fonts: the PDF would print boxes."""
    families = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, check=True, text=True
    ).stdout
    installed = {name.strip() for line in families.splitlines() for name in line.split(",")}
    missing = sorted(
        {package for family, package in FONT_PACKAGES.items() if family not in installed}
    )
    assert not missing, (
        f"The PDF fonts are not installed: apt-get install {' '.join(missing)} "
        "(bin/ensure-browser, .ci/run and the Dockerfile install them)."
    )


def embedded_fonts(data: bytes) -> set[str]:
    """The embedded fonts' names, without the subset prefix (ABCDEF+)."""
    names = set()
    with pikepdf.open(BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                names.add(str(font.BaseFont).lstrip("/").split("+", 1)[-1])
    return names


def test_the_pdf_fonts_are_installed():
    assert_fonts_installed()


def test_the_pdf_font_stacks_name_noto_and_noto_cjk_before_dejavu():
    css = render_to_string("mou/pdf/document.css") + render_to_string("mou/pdf/executed.css")
    stacks = re.findall(r"(?:font-family:|font:[^;\"]*?)\s*(\"[^;}]+)", css)
    assert stacks
    for stack in stacks:
        families = [name.strip().strip('"') for name in stack.split(",")]
        if families[0] == "DejaVu Sans Mono":  # the SHA-256 in hex: Latin digits only
            continue
        style = "Sans" if "Noto Sans" in families else "Serif"
        assert families[:3] == [f"Noto {style}", f"Noto {style} CJK SC", f"DejaVu {style}"], stack


def test_a_draft_with_chinese_japanese_korean_and_greek_names_prints_them(
    version, block, other_block, lead, other_lead, coordinator, tmp_path
):
    assert_fonts_installed()
    fill(block, lead, {**COMPLETE, "contact_name": KOREAN})
    fill(other_block, other_lead, {**OTHER, "role_in_partnership": GREEK_AND_CYRILLIC})
    data = document_pdf_bytes(version=version, viewer=coordinator)
    text = pdftotext(data, tmp_path)
    for words in (CHINESE, JAPANESE, KOREAN, GREEK_AND_CYRILLIC):
        assert words in text
    fonts = embedded_fonts(data)
    assert any(name.startswith(("Noto-Sans-CJK", "Noto-Serif-CJK")) for name in fonts), fonts
    assert {"Noto-Serif", "Noto-Sans-Bold"} <= fonts, fonts
    # Subset: a CJK font file is about 20 MB; a few names add some 100 kB a face.
    assert len(data) < 1_000_000


def test_the_executed_pdf_prints_chinese_and_japanese_partners_and_signers(
    version,
    block,
    other_block,
    lead,
    other_lead,
    coordinator,
    countersigner,
    signing_deadline,
    tmp_path,
):
    assert_fonts_installed()
    accepted(block, lead, coordinator, {**COMPLETE, "signing_leader_name": CHINESE_SIGNER})
    accepted(
        other_block, other_lead, coordinator, {**OTHER, "signing_leader_name": JAPANESE_SIGNER}
    )
    frozen = services.version_freeze(
        version=version,
        actor=Actor.of(coordinator),
        signing_deadline=signing_deadline + timedelta(days=1),
        countersigner=countersigner,
    )
    for organization, name, title in (
        (CHINESE, CHINESE_SIGNER, "校长"),
        (JAPANESE, JAPANESE_SIGNER, "学長"),
    ):
        services.signature_sign(
            signature=request_of(frozen, organization),
            name=name,
            title=title,
            consent=True,
            actor=Actor.system(),
        )
    services.signature_sign(
        signature=SignatureRequest.objects.get(frozen=frozen, role="countersigner"),
        name=countersigner.name,
        title=countersigner.title,
        consent=True,
        actor=Actor.system(),
    )
    data = executed_pdf_bytes(frozen=frozen)
    text = pdftotext(data, tmp_path)
    for words in (CHINESE, JAPANESE, CHINESE_SIGNER, JAPANESE_SIGNER, "校长", "学長"):
        assert words in text
    fonts = embedded_fonts(data)
    assert any(name.startswith(("Noto-Sans-CJK", "Noto-Serif-CJK")) for name in fonts), fonts
    assert len(data) < 1_000_000
