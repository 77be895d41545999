"""The error pages render for a request that never reached the session and auth middlewares:
a foreign Host header in production is refused with the portal's 400 page, not a 500."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory, override_settings
from django.views import defaults

PRODUCTION_LIKE = {
    "DEBUG": False,
    "ALLOWED_HOSTS": ["portal.example.org"],
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("ssl_redirect", [False, True])
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no/such/page/"])
def test_a_foreign_host_gets_the_portals_400_page(client, path, ssl_redirect):
    with override_settings(**PRODUCTION_LIKE, SECURE_SSL_REDIRECT=ssl_redirect):
        response = client.get(path, HTTP_HOST="attacker.example", HTTP_X_FORWARDED_PROTO="https")
        plain_http = client.get(path, HTTP_HOST="attacker.example")
    for answer in (response, plain_http):
        assert answer.status_code == 400
        page = answer.content.decode()
        assert "This request could not be understood" in page
        assert "Mid-Valley STEM Partnership" in page  # the portal's own layout
        assert "attacker.example" not in page


@pytest.mark.django_db
def test_the_allowed_host_still_answers(client):
    with override_settings(**PRODUCTION_LIKE, SECURE_SSL_REDIRECT=False):
        response = client.get("/accounts/login/", HTTP_HOST="portal.example.org")
    assert response.status_code == 200


def _bare_request():
    """A request as the middlewares that failed first leave it: no user, no session."""
    request = RequestFactory().get("/somewhere/")
    assert not hasattr(request, "user") and not hasattr(request, "session")
    return request


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("handler", "exception", "status", "heading"),
    [
        (defaults.bad_request, Exception("bad"), 400, "This request could not be understood"),
        (
            defaults.permission_denied,
            PermissionDenied(),
            403,
            "You do not have access to this page",
        ),
        (defaults.page_not_found, Http404(), 404, "Page not found"),
        (defaults.server_error, None, 500, "Something went wrong on our side"),
    ],
)
def test_every_error_page_renders_without_a_user(handler, exception, status, heading):
    request = _bare_request()
    with override_settings(DEBUG=False):
        response = handler(request) if exception is None else handler(request, exception)
    assert response.status_code == status
    assert heading in response.content.decode()
