import contextlib
from collections.abc import Callable
from datetime import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import conditional_escape

from core.identity import email_identity
from core.models import ReminderPreference
from core.validators import (
    DATE_RANGE_MESSAGE,
    EARLIEST_DAY,
    LATEST_DAY,
    date_in_range,
    link_validator,
    network_zone,
    single_line,
)

# --- shared fields: every date, moment, one-line text and link a person types ------------


class NetworkDateTimeInput(forms.DateTimeInput):
    """A datetime-local box whose value is read and shown in the network's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None, **kwargs):
        attrs = {
            "min": f"{EARLIEST_DAY:%Y-%m-%d}T00:00",
            "max": f"{LATEST_DAY:%Y-%m-%d}T23:59",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M", **kwargs)

    def format_value(self, value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            # A stored moment at the very edge of the calendar is shown as it is.
            with contextlib.suppress(OverflowError):
                value = timezone.localtime(value, network_zone())
        return super().format_value(value)


class NetworkDateTimeField(forms.DateTimeField):
    """A moment typed as wall-clock time in the network's zone, from 2000 to 2100."""

    widget = NetworkDateTimeInput
    default_validators = [date_in_range]

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
        super().__init__(**kwargs)

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and timezone.is_aware(result):
            # Typed wall-clock time is the network's, whatever the server's zone.
            result = result.replace(tzinfo=None)
        if result is not None:
            result = timezone.make_aware(result, network_zone())
        return result


class BoundedDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        attrs = {
            "min": f"{EARLIEST_DAY:%Y-%m-%d}",
            "max": f"{LATEST_DAY:%Y-%m-%d}",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class BoundedDateField(forms.DateField):
    """A day from 2000 to 2100."""

    widget = BoundedDateInput
    default_validators = [date_in_range]
    default_error_messages = {"invalid": f"Enter a real date. {DATE_RANGE_MESSAGE}"}


class SingleLineField(forms.CharField):
    """A name, title or subject: one line, no control characters (refused, not dropped,
    so what is saved is what the person sees)."""

    default_validators = [single_line]


class LinkField(forms.CharField):
    """An absolute http(s) address or a path on this site; see core.validators."""

    default_validators = [link_validator]


def errors_into_form(
    form: forms.Form, error: ValidationError, *, field_of: Callable[[str], str] | None = None
) -> None:
    """Show a service's ValidationError on the form: each message on its field when the form
    has one by that name, the rest on the form as a whole. ``field_of`` turns the service's
    field name into the form's where they differ (one form for several rows)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        field = field_of(name) if field_of is not None else name
        form.add_error(field if field in form.fields else None, messages)


def help_text_from_data(text: str) -> str:
    """Help text built from what someone typed. Form templates print help text as HTML
    (crispy marks it safe), so data goes in escaped."""
    return conditional_escape(text)


class SigninLinkRequestForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class PasswordSigninForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "That e-mail address and password do not match an account.",
        "inactive": "This account is inactive.",
    }


class ReminderPreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["delegate_email", "editor_opt_in"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_delegate_email(self) -> str:
        email = email_identity(self.cleaned_data["delegate_email"])
        if email and email == email_identity(self.user.email):
            raise forms.ValidationError("Your delegate must be someone else.")
        return email
