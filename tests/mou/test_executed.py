"""The executed MOU: rendered once by the task when the last signature lands, stored with its
SHA-256, e-mailed with the PDF attached, sealed with PAdES when a certificate is set."""

import hashlib
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
import time_machine
from django.core import mail

from core.actor import Actor
from core.models import Event, OutboxMessage
from mou import services, tasks
from mou.exceptions import ImmutableRecord
from mou.models import ExecutedPdf, MouVersion, SignatureRequest
from mou.pdf_fetcher import StaticOnlyFetcher
from mou.services.executed import executed_pdf_bytes
from tests.mou.conftest import OTHER, accepted, network_time, request_of
from tests.mou.test_pdf import no_network, pdftotext  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

NOW = network_time(2031, 9, 1, 9, 30)
SALEM = "Salem-Keizer School District"
CHEMEKETA = "Chemeketa Community College"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def sign_all(frozen, clock=None) -> None:
    services.signature_sign(
        signature=request_of(frozen, SALEM),
        name="Christy Perry",
        title="Superintendent",
        consent=True,
        actor=Actor.system(),
    )
    services.signature_sign(
        signature=request_of(frozen, CHEMEKETA),
        name="Jessica Howard",
        title="President",
        consent=True,
        actor=Actor.system(),
    )
    if clock is not None:
        clock.shift(timedelta(hours=2))
    counter = SignatureRequest.objects.get(frozen=frozen, role="countersigner")
    services.signature_sign(
        signature=counter,
        name="Lita Coordinator",
        title="Executive Director",
        consent=True,
        actor=Actor.system(),
    )


def executed_files(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "mou" / "executed"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_the_last_signature_renders_stores_and_e_mails_the_executed_pdf(
    frozen,
    version,
    clock,
    settings,
    lead,
    other_lead,
    tmp_path,
    no_network,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(frozen, clock)
    record = ExecutedPdf.objects.get(frozen=frozen)
    version.refresh_from_db()
    assert version.status == MouVersion.Status.EXECUTED
    data = record.file.read()
    assert data.startswith(b"%PDF")
    assert (
        record.sha256
        == hashlib.sha256(data).hexdigest()
        == hashlib.sha256(Path(record.file.path).read_bytes()).hexdigest()
    )
    assert record.size == len(data) and not record.sealed
    assert record.executed_at == NOW + timedelta(hours=2)
    text = pdftotext(data, tmp_path)
    for name in ("Christy Perry", "Jessica Howard", "Lita Coordinator"):
        assert name in text
    for words in ("Superintendent", "President", "Executive Director", SALEM, CHEMEKETA):
        assert words in text
    assert frozen.content_sha256 in text
    assert "Appendix A: needs and contributions" in text
    assert "Appendix B: audit trail" in text and "Signed" in text and "Opened" not in text
    assert OTHER["role_in_partnership"] in text
    assert "Mid-Valley STEM Hub" in text and "Page 1 of" in text
    assert no_network == []
    event = Event.objects.get(action="mou.version_executed")
    assert event.data["sha256"] == record.sha256

    deliveries = {m.to[0]: m for m in mail.outbox if "Executed:" in m.subject}
    signers = {
        "superintendent@example.org",
        "president@example.edu",
        frozen.content["backbone"]["countersigner"]["email"],
    }
    assert set(deliveries) == signers | {lead.email, other_lead.email}
    for message in deliveries.values():
        ((filename, content, mimetype),) = message.attachments
        assert filename == f"MOU v{version.number} executed.pdf"
        assert mimetype == "application/pdf" and content == data
        assert record.sha256 in message.body


def test_a_retried_or_repeated_render_task_stores_one_file(
    frozen, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(frozen)
    first = ExecutedPdf.objects.get(frozen=frozen)
    messages = OutboxMessage.objects.filter(kind="mou_executed").count()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.executed_pdf_render.delay(frozen.pk)
            services.executed_pdf_render(frozen_id=frozen.pk, actor=Actor.system())
    assert ExecutedPdf.objects.filter(frozen=frozen).count() == 1
    assert ExecutedPdf.objects.get(frozen=frozen).sha256 == first.sha256
    assert len(executed_files(settings)) == 1
    assert OutboxMessage.objects.filter(kind="mou_executed").count() == messages


def test_a_render_that_lost_the_race_deletes_its_file_and_keeps_the_first(
    frozen, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Without row locks (SQLite) two renders can both pass the first check; the unique
    one-to-one keeps one record and the loser removes its file."""
    from mou.services import executed

    sign_all(frozen)  # no commit callbacks run: the task has not rendered yet
    assert not ExecutedPdf.objects.exists()
    real_filter = ExecutedPdf.objects.filter
    calls = {"n": 0}

    def filter_then_race(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the check under the lock: another worker stores first now
            monkeypatch.setattr(ExecutedPdf.objects, "filter", real_filter)
            services.executed_pdf_render(frozen_id=frozen.pk, actor=Actor.system())
            return real_filter(pk=None)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(ExecutedPdf.objects, "filter", filter_then_race)
    record = executed.executed_pdf_render(frozen_id=frozen.pk, actor=Actor.system())
    assert ExecutedPdf.objects.count() == 1 and record == ExecutedPdf.objects.get()
    assert executed_files(settings) == [Path(record.file.path)]


def test_nothing_is_rendered_before_every_signature_is_in(frozen):
    services.signature_sign(
        signature=request_of(frozen, SALEM),
        name="Christy Perry",
        title="Sup",
        consent=True,
        actor=Actor.system(),
    )
    assert services.executed_pdf_render(frozen_id=frozen.pk, actor=Actor.system()) is None
    assert services.executed_pdfs_pending() == 0
    assert not ExecutedPdf.objects.exists()


def test_the_periodic_check_renders_a_fully_signed_version_whose_task_was_lost(frozen):
    sign_all(frozen)  # the commit callbacks (the task) never run, as if the broker were down
    assert not ExecutedPdf.objects.exists()
    assert services.executed_pdfs_pending() == 1  # eager in tests: it renders now
    assert ExecutedPdf.objects.filter(frozen=frozen).exists()
    assert services.executed_pdfs_pending() == 0


def test_the_executed_record_refuses_change_and_delete(frozen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(frozen)
    record = ExecutedPdf.objects.get()
    record.sha256 = "0" * 64
    with pytest.raises(ImmutableRecord):
        record.save()
    with pytest.raises(ImmutableRecord):
        record.delete()
    with pytest.raises(ImmutableRecord):
        ExecutedPdf.objects.update(sha256="0" * 64)
    with pytest.raises(ImmutableRecord):
        ExecutedPdf.objects.all().delete()


def test_a_block_with_script_and_remote_images_fetches_nothing_and_shows_no_script(
    version,
    block,
    other_block,
    lead,
    other_lead,
    coordinator,
    countersigner,
    tmp_path,
    no_network,  # noqa: F811
):
    hostile = {
        **OTHER,
        "role_in_partnership": (
            "Before <script>alert('pwned')</script> after "
            "![tracker](https://tracker.example.com/pixel.png) "
            '<img src="http://169.254.169.254/latest/meta-data/"> '
            "<style>@import url(https://evil.example.com/x.css);</style>"
        ),
        "signing_leader_name": "<b>Jessica</b> Howard",
    }
    accepted(block, lead, coordinator)
    accepted(other_block, other_lead, coordinator, hostile)
    frozen = services.version_freeze(
        version=version,
        actor=Actor.of(coordinator),
        signing_deadline=NOW + timedelta(days=20),
        countersigner=countersigner,
    )
    sign_all(frozen)
    fetcher = StaticOnlyFetcher()
    text = pdftotext(executed_pdf_bytes(frozen=frozen, fetcher=fetcher), tmp_path)
    assert "Before after" in text and "alert('pwned')" not in text
    assert "<b>Jessica</b> Howard" in text
    assert all(
        url.startswith(("https://tracker", "http://169", "https://evil")) for url in fetcher.refused
    )
    assert no_network == []


# --- the PAdES seal ----------------------------------------------------------------------------


def _throwaway_certificate(tmp_path: Path, *, passphrase: bytes | None = None):
    """A self-signed certificate and key made for this test only."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Mid-Valley STEM Hub test seal"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Mid-Valley STEM Hub"),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path, p12_path = (
        tmp_path / "seal.crt",
        tmp_path / "seal.key",
        tmp_path / "seal.p12",
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    p12_path.write_bytes(
        pkcs12.serialize_key_and_certificates(b"seal", key, cert, None, encryption)
    )
    return cert, cert_path, key_path, p12_path


def _validate(data: bytes, cert):
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    reader = PdfFileReader(BytesIO(data))
    (signature,) = reader.embedded_signatures
    return signature, validate_pdf_signature(
        signature, ValidationContext(trust_roots=[root], allow_fetching=False)
    )


@pytest.mark.parametrize("form", ["pem", "pkcs12"])
def test_with_a_certificate_the_pdf_is_sealed_pades_and_the_seal_is_intact(
    form, frozen, settings, tmp_path, django_capture_on_commit_callbacks
):
    cert, cert_path, key_path, p12_path = _throwaway_certificate(tmp_path, passphrase=b"s3cret")
    settings.PDF_SIGNING_PASSPHRASE = "s3cret"
    if form == "pem":
        settings.PDF_SIGNING_CERT, settings.PDF_SIGNING_KEY = str(cert_path), str(key_path)
    else:
        settings.PDF_SIGNING_PKCS12 = str(p12_path)
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(frozen)
    record = ExecutedPdf.objects.get()
    data = record.file.read()
    assert record.sealed
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    signature, status = _validate(data, cert)
    assert status.intact and status.valid and status.bottom_line
    assert signature.field_name == "PortalSeal"
    assert "/ETSI.CAdES.detached" in str(signature.sig_object["/SubFilter"])
    assert status.coverage.name == "ENTIRE_FILE"
    assert frozen.content_sha256 in pdftotext(data, tmp_path)

    tampered = bytearray(data)
    tampered[10] ^= 0x01  # inside the binary comment after the header: still a readable PDF
    _, broken = _validate(bytes(tampered), cert)
    assert not broken.intact


def test_without_a_certificate_nothing_is_sealed(frozen, django_capture_on_commit_callbacks):
    from mou.pdf_seal import seal_configured

    assert not seal_configured()
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(frozen)
    assert b"/ByteRange" not in ExecutedPdf.objects.get().file.read()
