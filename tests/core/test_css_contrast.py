"""The portal's message colours keep WCAG AA contrast (4.5:1) on every tint they are shown
on: alerts, invalid rows (table-danger) and white. Read from the stylesheet itself, so a
colour changed there is checked here."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()

# Bootstrap 5.3's light backgrounds for each kind of message.
WHITE = "#ffffff"
TINTS = {
    "danger": "#f8d7da",
    "warning": "#fff3cd",
    "success": "#d1e7dd",
    "info": "#cff4fc",
    "secondary": "#e2e3e5",
}


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colour_of(selector: str) -> str:
    match = re.search(re.escape(selector) + r"[^{]*\{[^}]*?color:\s*(#[0-9a-fA-F]{6})", CSS)
    assert match, f"portal.css sets no colour for {selector}"
    return match.group(1).lower()


def test_the_reported_pair_fails_and_the_arithmetic_is_right():
    assert 3.2 < contrast("#dc3545", "#f8d7da") < 3.5  # the pair axe refused
    assert round(contrast("#000000", WHITE), 0) == 21


@pytest.mark.parametrize("selector", [".invalid-feedback", ".text-danger"])
def test_error_text_passes_on_white_and_on_an_invalid_row_or_alert(selector):
    colour = colour_of(selector)
    for background in (WHITE, TINTS["danger"], TINTS["warning"]):
        assert contrast(colour, background) >= 4.5, (selector, colour, background)


@pytest.mark.parametrize("selector", [".valid-feedback", ".text-success"])
def test_success_text_passes_on_white_and_on_its_tint(selector):
    colour = colour_of(selector)
    for background in (WHITE, TINTS["success"]):
        assert contrast(colour, background) >= 4.5, (selector, colour, background)


@pytest.mark.parametrize("kind", TINTS)
def test_each_alert_text_passes_on_its_own_tint(kind):
    colour = colour_of(f".alert-{kind}")
    assert contrast(colour, TINTS[kind]) >= 4.5, (kind, colour)


def test_secondary_text_passes_inside_tinted_rows_and_alerts():
    colour = colour_of(".table-danger .text-body-secondary")
    for background in TINTS.values():
        assert contrast(colour, background) >= 4.5, (colour, background)
