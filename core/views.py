"""Signing in, the home page and the development mailbox."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import signin_flows
from core.actor import Actor
from core.forms import PasswordSigninForm, SigninLinkRequestForm
from core.models import OutboxMessage
from core.permissions import user_may
from core.services import accounts, second_factor
from core.services.events import event_record
from core.services.signin import LinkExpired, LinkInvalid, safe_next_path, signin_link_read
from core.views_helpers import client_ip, request_actor


class PasswordLoginView(LoginView):
    """Password sign-in (coordinators) beside the "e-mail me a link" form."""

    template_name = "core/login.html"
    form_class = PasswordSigninForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        link_form = SigninLinkRequestForm()
        # One autofocus a page: here the coordinators' password form has it, so a
        # coordinator does not land in the partners' e-mail field.
        link_form.fields["email"].widget.attrs.pop("autofocus", None)
        context["link_form"] = link_form
        return context

    def post(self, request, *args, **kwargs):
        email = request.POST.get("username", "")
        if not accounts.password_attempt_allowed(email=email, ip=client_ip(request)):
            form = self.get_form()
            form.is_valid()
            form.errors.clear()
            form.add_error(
                None, "Too many sign-in attempts. Wait an hour, or ask for a sign-in link."
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        # Not LoginView's login(): allauth's flow asks for the second factor first.
        user = form.get_user()
        actor = request_actor(self.request)  # not signed in yet: the user comes from the form
        event_record(
            action="signin.password",
            actor=Actor.of(user, ip=actor.ip, user_agent=actor.user_agent),
            subject=user,
            summary=f"{user.email} signed in with the password",
        )
        return signin_flows.signin_by_password(
            request=self.request,
            user=user,
            email=form.cleaned_data["username"],
            redirect_url=self.get_success_url(),
        )


@require_http_methods(["GET", "POST"])
def signin_link_request(request):
    next_path = safe_next_path(request.POST.get("next") or request.GET.get("next"))
    form = SigninLinkRequestForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request, "core/link_request.html", {"form": form, "next": next_path}, status=400
            )
        try:
            accounts.signin_link_request(
                email=form.cleaned_data["email"],
                next_path=next_path,
                actor=request_actor(request),
            )
        except accounts.RateLimited:
            form.add_error(
                None, "Too many links were asked for. Please wait an hour and try again."
            )
            return render(
                request, "core/link_request.html", {"form": form, "next": next_path}, status=429
            )
        return render(request, "core/link_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "core/link_request.html", {"form": form, "next": next_path})


@require_GET
def signin_link_open(request, token: str):
    """GET signs the person in and opens the page; it changes nothing else."""
    try:
        target = signin_link_read(token=token)
    except LinkExpired:
        return render(
            request,
            "core/link_problem.html",
            {"expired": True, "token": token, "form": SigninLinkRequestForm()},
            status=410,
        )
    except LinkInvalid:
        return render(
            request,
            "core/link_problem.html",
            {"expired": False, "form": SigninLinkRequestForm()},
            status=400,
        )
    user = target.user
    if not user_may(user, "network.view"):
        return render(request, "core/no_access.html", {"person": user}, status=403)
    if request.user.is_authenticated and request.user.pk != user.pk:
        logout(request)
    if second_factor.second_factor_required(user=user):
        # A link is no second factor: coordinators and staff sign in with both.
        messages.info(request, "Sign in with your password and your second factor.")
        return redirect_to_login(target.next_path)
    if not request.user.is_authenticated:
        return signin_flows.signin_by_link(
            request=request, user=user, redirect_url=target.next_path
        )
    return redirect(target.next_path)


@require_POST
def signin_link_renew(request):
    """From an expired link: e-mail a fresh one to the same person, without asking who."""
    token = request.POST.get("token", "")
    try:
        signin_link_read(token=token)
    except LinkExpired as expired:
        try:
            accounts.signin_link_request(
                email=expired.user.email,
                next_path=_next_from_token(token),
                actor=request_actor(request),
            )
        except accounts.RateLimited:
            return render(
                request,
                "core/link_problem.html",
                {
                    "expired": True,
                    "token": token,
                    "rate_limited": True,
                    "form": SigninLinkRequestForm(),
                },
                status=429,
            )
        return render(request, "core/link_sent.html", {"email": expired.user.email})
    except LinkInvalid:
        return render(
            request,
            "core/link_problem.html",
            {"expired": False, "form": SigninLinkRequestForm()},
            status=400,
        )
    return redirect("accounts:link", token=token)


def _next_from_token(token: str) -> str:
    from django.core import signing

    from core.services.signin import SALT

    try:
        return safe_next_path(signing.loads(token, salt=SALT).get("n"))
    except signing.BadSignature:
        return "/"


@require_POST
def signout(request):
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("accounts:login")


def _mailbox_allowed(request) -> None:
    if not settings.DEV_MAILBOX:
        raise Http404


@require_GET
def mailbox_list(request):
    """Development mailbox: what the portal sent, while no real e-mail is configured."""
    _mailbox_allowed(request)
    page = Paginator(OutboxMessage.objects.order_by("-created_at", "-id"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "core/mailbox_list.html", {"page": page})


@require_GET
def mailbox_detail(request, pk: int):
    _mailbox_allowed(request)
    message = get_object_or_404(OutboxMessage, pk=pk)
    return render(request, "core/mailbox_detail.html", {"message": message})


@require_GET
def mailbox_html(request, pk: int):
    """The message's HTML part, shown in a sandboxed frame of the detail page."""
    _mailbox_allowed(request)
    message = get_object_or_404(OutboxMessage, pk=pk)
    response = HttpResponse(message.body_html or "<p>(no HTML part)</p>")
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; img-src data:"
    )
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    from core.forms import ReminderPreferenceForm
    from core.models import ReminderPreference

    pref = ReminderPreference.objects.filter(user=request.user).first()
    form = ReminderPreferenceForm(request.POST or None, instance=pref, user=request.user)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "core/reminder_settings.html", {"form": form}, status=400)
        accounts.reminder_preference_save(
            delegate_email=form.cleaned_data["delegate_email"],
            editor_opt_in=form.cleaned_data["editor_opt_in"],
            actor=request_actor(request),
        )
        messages.success(request, "Your reminder settings are saved.")
        return redirect("accounts:reminder_settings")
    return render(request, "core/reminder_settings.html", {"form": form})
