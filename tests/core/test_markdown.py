"""Markdown: converted once, when saved, by a parser with no super-linear case; what comes
out is sanitized. Times are not tested here: ``make bench`` measures them."""

from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from bench.hostile_markdown import HOSTILE_MARKDOWN
from core import text
from core.actor import Actor
from core.text import ALLOWED_TAGS, markdown_cooked, markdown_render
from partnership.models import Partner
from partnership.services import partner_create

HOSTILE_TAIL = (
    "\n\n<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)> "
    '<a href="JaVaScRiPt:alert(4)" onclick="alert(5)">y</a>'
)


class _Tags(HTMLParser):
    """Every tag and attribute of an HTML text, as a browser would read them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def assert_sanitized(html: str) -> None:
    for tag, attrs in tags_of(html):
        assert tag in ALLOWED_TAGS, tag
        assert not any(name.startswith("on") for name in attrs), attrs
        assert "javascript" not in (attrs.get("href") or "").lower(), attrs
        if tag == "a":
            assert attrs.get("rel") == "noopener noreferrer nofollow"


@pytest.mark.parametrize("name", list(HOSTILE_MARKDOWN))
def test_hostile_markdown_is_converted_and_comes_out_sanitized(name):
    source = HOSTILE_MARKDOWN[name] + HOSTILE_TAIL
    html = markdown_render(source)
    assert html.strip()
    assert_sanitized(html)
    assert "<script" not in html  # (inside an unclosed code fence it is shown as text)


def test_the_finding_six_thousand_brackets_come_back_as_text():
    assert markdown_render("[" * 6_000) == "<p>" + "[" * 6_000 + "</p>\n"


def test_the_features_people_use_still_render():
    html = markdown_render(
        "## Goals\n\n**bold**, *em* and [our site](https://example.org/a?b=1&c=2)\n\n"
        "- one\n- two\n\n3. three\n4. four\n\n| Who | What |\n|---|---|\n| We | Labs |\n\n"
        "line  \nbreak\nsoft\n\n> quoted\n\n    code\n\n<b>typed</b> <i>tags</i>\n\n# Top"
    )
    for part in (
        "<h2>Goals</h2>",
        "<strong>bold</strong>, <em>em</em>",
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">our '
        "site</a>",
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>",
        "<ol>\n<li>three</li>",  # the start number is not on the allow-list
        "<th>Who</th>",
        "<td>Labs</td>",
        "<p>line<br>\nbreak\nsoft</p>",
        "<blockquote>\n<p>quoted</p>\n</blockquote>",
        "<pre><code>code\n</code></pre>",
        "<b>typed</b> <i>tags</i>",
    ):
        assert part in html, part
    assert "<h1" not in html and "Top" in html  # the page has its own h1


def test_the_sanitizer_strips_script_handlers_javascript_links_and_images():
    html = markdown_render(
        "<script>alert('x')</script>ok <img src=x onerror=\"alert(2)\"> "
        "[a](javascript:alert(3)) <a href='javascript:x' onclick='y'>b</a> "
        "[c](data:text/html,x) ![pixel](https://tracker.example/p.png) "
        '<iframe src="https://evil.example"></iframe><style>@import url(x)</style>'
    )
    assert_sanitized(html)
    for gone in ("<script", "alert('x')", "onerror", "onclick", "javascript", "data:", "<img"):
        assert gone not in html.lower(), gone
    assert "tracker.example" not in html and "<iframe" not in html and "@import" not in html
    assert '<a rel="noopener noreferrer nofollow">a</a>' in html  # the words stay


@pytest.mark.django_db
def test_a_renderer_version_bump_shows_fresh_html_and_the_command_stores_it(
    monkeypatch, coordinator
):
    partner = partner_create(
        name="Bench Labs",
        kind="business",
        description="**Labs** for teachers",
        actor=Actor.of(coordinator),
    )
    assert partner.description_html == "<p><strong>Labs</strong> for teachers</p>\n"
    # An upgrade that renders differently: strong is no longer allowed.
    monkeypatch.setattr(text, "MARKDOWN_VERSION", text.MARKDOWN_VERSION + 1)
    monkeypatch.setattr(text, "ALLOWED_TAGS", ALLOWED_TAGS - {"strong"})
    stale = Partner.objects.get(pk=partner.pk)
    assert markdown_cooked(obj=stale, field="description") == "<p>Labs for teachers</p>\n"

    call_command("markdown_rerender", "--batch-size", "1")

    fresh = Partner.objects.get(pk=partner.pk)
    assert fresh.markdown_version == text.MARKDOWN_VERSION
    assert fresh.description_html == "<p>Labs for teachers</p>\n"
    assert fresh.updated_at == partner.updated_at  # nobody edited it


@pytest.mark.django_db
def test_the_command_reports_what_it_rendered_and_then_finds_nothing(
    monkeypatch, coordinator, capsys
):
    partner_create(
        name="Bench Labs", kind="business", description="Hi", actor=Actor.of(coordinator)
    )
    monkeypatch.setattr(text, "MARKDOWN_VERSION", text.MARKDOWN_VERSION + 1)
    call_command("markdown_rerender")
    assert "partnership.Partner: 1 re-rendered" in capsys.readouterr().out
    call_command("markdown_rerender")
    assert "0 rows re-rendered." in capsys.readouterr().out
