from django.urls import reverse


def test_sign_in_page_renders_with_stylesheet_and_is_accessible(page, live_server, axe):
    page.goto(live_server.url + reverse("accounts:login"))
    assert page.get_by_role("heading", name="Sign in", exact=True).is_visible()
    # The vendored Bootstrap stylesheet is served and applied (no CDN).
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "system-ui" in font or "apple-system" in font.lower()
    axe(page)
