from django import forms
from django.contrib.auth.forms import AuthenticationForm

from core.identity import email_identity
from core.models import ReminderPreference


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
