"""Security headers the pages are written to satisfy (no inline script anywhere), and a cap
on the size of a request body."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Bootstrap components set style attributes (progress bars); scripts stay strict.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and request.path.startswith("/__debug__"):
            return response
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than REQUEST_MAX_BYTES (413) before anything reads it.

    DATA_UPLOAD_MAX_MEMORY_SIZE counts only the non-file fields of a form: without this cap
    anyone could stream any amount of "file" to disk through any form address, the public
    ones included. The largest upload the portal takes (the verify page's PDF) fits under
    the default; a reverse proxy in front should enforce the same number."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return HttpResponse(
                "The request is too large.", status=413, content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


class HealthCheckMiddleware:
    """Answer GET /healthz before anything else runs: host validation, the HTTPS redirect,
    sessions and authentication.

    A container healthcheck asks over plain HTTP for 127.0.0.1, a name production's
    ALLOWED_HOSTS rightly refuses and SECURE_SSL_REDIRECT would redirect. The answer takes
    no input, sets no cookie and tells only which part is down, so giving it to any Host
    is harmless; it never touches the session table either. 200 when the database and
    the broker answer, 503 otherwise; never cached."""

    PATHS = frozenset({"/healthz", "/healthz/"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in self.PATHS:
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            response = JsonResponse({"status": "method not allowed"}, status=405)
            response["Allow"] = "GET, HEAD"
        else:
            from core.health import health_check

            checks = health_check()
            healthy = all(checks.values())
            body = {
                "status": "ok" if healthy else "unavailable",
                **{name: "ok" if up else "down" for name, up in checks.items()},
            }
            response = JsonResponse(body, status=200 if healthy else 503)
        add_never_cache_headers(response)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
