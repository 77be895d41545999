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


class SecondFactorRequiredMiddleware:
    """With MFA_REQUIRED on, a coordinator's, staff member's or superuser's session must
    show a password and a code from one of their current authenticators (allauth records
    both in the session). A session without a password (an old link, one from before the
    requirement) or without the code is ended; one with a password but no authenticator
    yet (first sign-in, after a reset) reaches only the enrolment pages. This sits behind
    every path, the admin included, so none of them yields a session with less."""

    # What an enrolling person may open: enrolment, its password confirmation, the
    # recovery codes shown after it, and signing out.
    ENROLMENT_URL_NAMES = frozenset(
        {
            "mfa_activate_totp",
            "mfa_view_recovery_codes",
            "account_reauthenticate",
            "account_logout",
            "accounts:logout",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.contrib import messages
        from django.contrib.auth import logout
        from django.contrib.auth.views import redirect_to_login
        from django.shortcuts import redirect

        from core.services.second_factor import second_factor_required
        from core.signin_flows import session_second_factor_state

        user = getattr(request, "user", None)
        if user is None or not second_factor_required(user=user):
            return None
        state = session_second_factor_state(request=request, user=user)
        if state == "ok":
            return None
        url_name = request.resolver_match.view_name if request.resolver_match else ""
        if state == "enrol":
            if url_name in self.ENROLMENT_URL_NAMES:
                return None
            return redirect("mfa_activate_totp")
        logout(request)
        messages.info(request, "Sign in with your password and your second factor.")
        next_path = request.get_full_path() if request.method == "GET" else "/"
        return redirect_to_login(next_path)
