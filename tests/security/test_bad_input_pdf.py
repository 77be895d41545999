"""Bad input that reaches a PDF (the draft MOU and the executed MOU): plain fields are
printed as the text that was typed, Markdown fields are sanitized, WeasyPrint is asked for
no address the text names, and no link in the PDF runs script."""

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from core.actor import Actor
from mou import services as mou_services
from mou.models import SignatureRequest
from mou.pdf_fetcher import StaticOnlyFetcher
from mou.services.executed import executed_pdf_bytes
from mou.services.pdf import document_pdf_bytes
from tests.security.conftest import COMPLETE, _accept, _block, _countersigner, _opened
from tests.security.corpus import IMG, JS_URL, SCRIPT

pytestmark = pytest.mark.django_db

HOSTILE = {
    **COMPLETE,
    "role_in_partnership": f"{SCRIPT} {IMG} [click me]({JS_URL}) ![x](http://attacker.example/p.png)",
    "commitments": f"<iframe src='{JS_URL}'></iframe> <a href='{JS_URL}'>x</a> two teams",
    "asks_of_network": "<img src='http://attacker.example/beacon.png'> mentors",
    "contact_name": IMG,
    "signing_leader_name": SCRIPT,
    "signing_leader_title": "Superintendent \u202eedoc\u202c 👩🏽‍🔬",
}


class RecordingFetcher(StaticOnlyFetcher):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.asked: list[str] = []

    def fetch(self, url, headers=None):
        self.asked.append(url)
        return super().fetch(url, headers)


def _pdf_text(data: bytes, tmp_path: Path) -> tuple[str, str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    urls = subprocess.run(
        ["pdfinfo", "-url", str(path)], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(text.split()), urls


def _check(data: bytes, fetcher: RecordingFetcher, tmp_path: Path) -> str:
    text, urls = _pdf_text(data, tmp_path)
    assert all(u.startswith(("data:", "file:")) for u in fetcher.asked), fetcher.asked
    assert "attacker.example" not in " ".join(fetcher.asked)
    assert "javascript" not in urls.lower(), urls
    # Typed into plain fields: printed as typed, never taken for markup.
    assert IMG in text
    assert SCRIPT in text
    return text


def test_hostile_block_text_in_the_draft_pdf(world, tmp_path):
    block = world.block
    mou_services.block_save_draft(
        block=block,
        actor=Actor.of(world.people["lead"]),
        data=HOSTILE,
        expected_revision=block.revision,
    )
    fetcher = RecordingFetcher()
    data = document_pdf_bytes(version=world.version, viewer=world.people["lead"], fetcher=fetcher)
    text = _check(data, fetcher, tmp_path)
    assert "two teams" in text and "mentors" in text  # the rest of the text is kept


def test_hostile_block_text_in_the_executed_pdf(world, tmp_path):
    coordinator = world.people["coordinator"]
    version = _opened(coordinator, "MOU with hostile text", 20)
    _accept(_block(version, world.partner), world.people["lead"], coordinator, HOSTILE)
    frozen = mou_services.version_freeze(
        version=version,
        actor=Actor.of(coordinator),
        signing_deadline=timezone.now() + timedelta(days=10),
        countersigner=_countersigner(coordinator),
        leave_out=[world.other_partner.pk],
    )
    signature = SignatureRequest.objects.get(frozen=frozen, partner=world.partner)
    # Not the invited signer's name: it signs on behalf of them, so the reason is hostile too.
    mou_services.signature_sign(
        signature=signature,
        name=IMG,
        title=f"{SCRIPT} Superintendent",
        consent=True,
        on_behalf=True,
        on_behalf_reason=f"{SCRIPT} {IMG}",
        actor=Actor.system(),
    )
    fetcher = RecordingFetcher()
    _check(executed_pdf_bytes(frozen=frozen, fetcher=fetcher), fetcher, tmp_path)
