"""The benchmark measurements, run on tiny networks so they stay quick."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.client import http_load, percentile
from bench.generate import network_generate
from bench.measure import PAGES, pages_measure, probe_find, sessions_make, sweep_measure
from bench.pdfs import pdf_html, pdf_measure, pdf_renderer
from bench.profiling import profile_summary
from core.models import OutboxMessage, Reminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_urls(settings):
    settings.ROOT_URLCONF = "bench.urls"
    settings.BENCH_BASELINE = True


def test_the_baseline_page_renders_the_base_template_for_the_signed_in(
    bench_urls, client_for, coordinator
):
    response = client_for(coordinator).get("/bench/baseline/")
    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["base.html"]
    assert coordinator.full_name in response.content.decode()


def test_the_baseline_page_exists_only_in_benchmark_runs(bench_urls, settings, client):
    settings.BENCH_BASELINE = False
    assert client.get("/bench/baseline/").status_code == 404


def test_every_key_page_is_measured_with_its_queries_and_the_baselines(bench_urls):
    network_generate(partners=10)
    results = pages_measure(repeat=2, warmup=1, min_repeat=1)

    assert set(results) == {*PAGES, "baseline_coordinator", "baseline_lead"}
    for result in results.values():
        assert result.status == 200
        assert result.queries > 0 and result.bytes > 0
        assert len(result.samples_ms) == 2 and result.median_ms > 0
    assert results["block_editor"].user == "lead"
    assert results["dashboard"].queries > results["baseline_coordinator"].queries


def test_the_probe_picks_a_draft_block_and_its_lead(bench_urls):
    network_generate(partners=10)
    probe = probe_find()
    assert probe.partners == 10
    sessions = sessions_make(probe)
    assert sessions["coordinator"] != sessions["lead"]
    assert sessions["urls"]["block_editor"].endswith(f"/blocks/{probe.block_id}/")


def test_the_sweep_sends_once_then_nothing(django_capture_on_commit_callbacks):
    network_generate(partners=10)
    with django_capture_on_commit_callbacks():
        catch_up, first, second = sweep_measure()

    assert catch_up.claimed > 0
    assert first.claimed > 0 and first.by_source["mou.block"] > 0
    assert first.queries >= first.claimed
    assert second.claimed == 0 and second.queries < first.queries
    assert Reminder.objects.filter(stage="before-7").exists()
    assert OutboxMessage.objects.count() >= catch_up.claimed + first.claimed


def test_the_pdf_html_is_what_the_service_hands_weasyprint():
    network_generate(partners=2)
    html, fetcher = pdf_html(pdf_renderer("draft"))
    assert "<html" in html and "Network agreement 2026" in html
    assert type(fetcher).__name__ == "StaticOnlyFetcher"


def test_a_pdf_is_timed_with_its_pages_and_peak_memory():
    network_generate(partners=2)
    bare = pdf_measure(kind="draft", mode="bare")
    assert bare.pages >= 1 and bare.bytes > 1000
    assert bare.seconds > 0 and bare.peak_rss_mib > 10
    with pytest.raises(ValueError):
        pdf_measure(kind="draft", mode="sideways")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the standard library's name)
        status = 200 if self.headers.get("Cookie") == "sessionid=ok" else 403
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_the_http_load_counts_answered_requests_and_their_latency():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        ok = http_load(
            host="127.0.0.1", port=port, path="/", cookie="sessionid=ok", clients=3, seconds=0.5
        )
        refused = http_load(host="127.0.0.1", port=port, path="/", clients=2, seconds=0.3)
    finally:
        server.shutdown()
        server.server_close()
    assert ok.requests > 10 and ok.errors == 0
    assert ok.throughput > 0 and 0 < ok.median_ms <= ok.p95_ms
    assert refused.requests == 0 and refused.errors > 0


def test_percentiles():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([7.0], 95) == 7.0


def test_a_profile_names_the_project_code_that_took_the_time():
    from mou.diff import text_diff

    text = profile_summary(lambda: text_diff("a b c " * 200, "a c d " * 200))
    assert "project code by cumulative time" in text
    assert "mou/diff.py" in text


def test_hostile_markdown_is_timed_and_the_whole_mou_shows_a_block_full_of_it(bench_urls):
    from bench.hostile_markdown import HOSTILE_MARKDOWN, hostile_markdown_measure
    from bench.options import Options
    from bench.report import hostile_markdown_lines
    from mou.models import RoleBlock

    network_generate(partners=10)
    probe = probe_find()
    result = hostile_markdown_measure(probe=probe, repeat=1)

    assert set(result["inputs"]) == set(HOSTILE_MARKDOWN)
    for name, row in result["inputs"].items():
        assert row["chars"] == len(HOSTILE_MARKDOWN[name]) and row["seconds"] >= 0
    block = RoleBlock.objects.get(pk=probe.block_id)
    for field, name in result["block_fields"].items():
        assert getattr(block, field) == HOSTILE_MARKDOWN[name]
    assert result["document"]["status"] == 200 and result["document"]["bytes"] > 0
    lines = hostile_markdown_lines(result, Options(sizes=[10]))
    assert "### Hostile Markdown" in lines and any("`6,000 [`" in line for line in lines)
