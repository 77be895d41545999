"""The second-factor pages: allauth's views with the portal's templates and status codes,
the reset of another person's factor, and the admin's sign-in sent to the portal's."""

from allauth.mfa.base.views import AuthenticateView
from allauth.mfa.recovery_codes.views import (
    GenerateRecoveryCodesView,
    ViewRecoveryCodesView,
)
from allauth.mfa.totp.views import ActivateTOTPView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core import signin_flows
from core.models import User
from core.permissions import user_may
from core.services import second_factor
from core.views_helpers import request_actor


def _invalid_status(form) -> int:
    # allauth says "too many attempts" as a form error; the page says it with a 429.
    if form.has_error("code", "too_many_login_attempts") or form.has_error("code", "rate_limited"):
        return 429
    return 400


class SecondFactorAuthenticateView(AuthenticateView):
    """The code step of a sign-in (a TOTP code or a recovery code)."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = _invalid_status(form)
        return response


@method_decorator(never_cache, name="dispatch")
class SecondFactorActivateView(ActivateTOTPView):
    """Enrolment. A wrong code is refused with 400; a right one counts as this session's
    second factor, and the recovery codes are shown next, once."""

    def form_valid(self, form):
        response = super().form_valid(form)
        signin_flows.second_factor_enrolled(request=self.request, user=self.request.user)
        return response

    def form_invalid(self, form):
        return self.render_to_response(
            self.get_context_data(form=form), status=_invalid_status(form)
        )


class RecoveryCodesView(ViewRecoveryCodesView):
    template_name = "mfa/recovery_codes/index.html"


class RecoveryCodesGenerateView(GenerateRecoveryCodesView):
    template_name = "mfa/recovery_codes/generate.html"


@require_http_methods(["GET", "POST"])
def second_factor_reset(request, pk: int):
    """GET asks for confirmation; POST deletes the person's authenticators."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user_may(request.user, "coordinator"):
        # Before the lookup: people outside the backbone learn nothing about who exists.
        raise PermissionDenied
    person = get_object_or_404(User, pk=pk)
    if not user_may(request.user, "second_factor.reset", person):
        raise PermissionDenied
    kinds = second_factor.second_factor_status(user=person)
    if request.method == "POST":
        try:
            second_factor.second_factor_reset(person=person, actor=request_actor(request))
        except ValidationError as error:
            return render(
                request,
                "core/second_factor_reset.html",
                {"person": person, "kinds": kinds, "page_error": " ".join(error.messages)},
                status=409,
            )
        messages.success(
            request,
            f"The second factor of {person} is reset: they set up a new one at their next sign-in.",
        )
        return redirect(reverse("partnership:person_detail", kwargs={"pk": person.pk}))
    return render(request, "core/second_factor_reset.html", {"person": person, "kinds": kinds})


def admin_login(request, extra_context=None):
    """The admin signs in through the portal's page, so through the same password and
    second-factor checks."""
    if request.user.is_authenticated:
        # Signed in but not staff: a redirect would bounce between the two pages.
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


@login_required
def second_factor_already_active(request):
    """allauth sends someone who already has TOTP here; the portal has no self-service
    removal (a coordinator resets a lost factor), so this shows the overview."""
    return redirect("mfa_index")
