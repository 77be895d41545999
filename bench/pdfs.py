"""The PDF measurements: the portal's PDF services against WeasyPrint alone on the same
HTML, one PDF per process (peak memory is the process's maximum resident set size)."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass


class _Captured(Exception):
    pass


def pdf_html(render: Callable[[], bytes]) -> tuple[str, object]:
    """The HTML and URL fetcher a PDF service hands WeasyPrint: the service runs as usual
    (queries, template) until it calls ``weasyprint.HTML``, which is caught."""
    import weasyprint

    captured = {}
    real = weasyprint.HTML

    def catch(*args, **kwargs):
        captured.update(kwargs)
        raise _Captured

    weasyprint.HTML = catch
    try:
        render()
    except _Captured:
        pass
    finally:
        weasyprint.HTML = real
    if "string" not in captured:
        raise RuntimeError("The PDF service did not hand WeasyPrint an HTML string.")
    return captured["string"], captured.get("url_fetcher")


def pdf_renderer(kind: str) -> Callable[[], bytes]:
    """The portal's PDF service for ``kind`` ("draft" or "executed"), on the probe's data."""
    from mou.models import MouVersion

    if kind == "draft":
        from core.models import User
        from mou.services.pdf import document_pdf_bytes

        version = MouVersion.objects.filter(status=MouVersion.Status.OPEN).order_by("-number")[0]
        # A coordinator's draft holds every block: the largest one to render.
        viewer = User.objects.filter(is_coordinator=True, is_active=True).order_by("pk").first()
        return lambda: document_pdf_bytes(version=version, viewer=viewer)
    if kind == "executed":
        from mou.models import FrozenMou
        from mou.services.executed import executed_pdf_bytes

        frozen = FrozenMou.objects.order_by("-frozen_at").first()
        if frozen is None:
            raise RuntimeError("No frozen MOU in this network.")
        return lambda: executed_pdf_bytes(frozen=frozen)
    raise ValueError(f"Unknown PDF kind {kind!r}")


def _weasyprint_warm() -> None:
    """Load WeasyPrint, its fonts and its CSS machinery once, so neither mode pays for it."""
    from weasyprint import HTML

    HTML(string="<p>warm</p>").write_pdf()


@dataclass
class PdfRun:
    kind: str
    mode: str
    seconds: float
    bytes: int
    pages: int  # counted in the bare mode only
    peak_rss_mib: float
    html_bytes: int


def pdf_measure(*, kind: str, mode: str) -> PdfRun:
    """One PDF, timed: ``full`` is the portal's service (queries, template, WeasyPrint),
    ``bare`` is WeasyPrint alone on the same HTML with the same URL fetcher and PDF options
    (tagged, PDF/UA or PDF/A: ``mou.pdf_render``). Peak memory
    is this process's maximum resident set size (``resource.getrusage(RUSAGE_SELF)
    .ru_maxrss``): run one measurement per process."""
    from weasyprint import HTML

    from mou.pdf_render import pdf_options

    _weasyprint_warm()
    render = pdf_renderer(kind)
    html, fetcher = pdf_html(render)
    pages = 0
    if mode == "full":
        started = time.perf_counter()
        data = render()
    elif mode == "bare":
        # write_pdf() is render().write_pdf(): the same work, and the page count on the way.
        options = pdf_options(kind)
        render_options = {key: value for key, value in options.items() if key != "finisher"}
        started = time.perf_counter()
        document = HTML(string=html, url_fetcher=fetcher).render(**render_options)
        data = document.write_pdf(**options)
        pages = len(document.pages)
    else:
        raise ValueError(f"Unknown mode {mode!r}")
    seconds = time.perf_counter() - started
    return PdfRun(
        kind=kind,
        mode=mode,
        seconds=seconds,
        bytes=len(data),
        pages=pages,
        peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        html_bytes=len(html.encode()),
    )
