from django import forms
from django.contrib.auth.forms import AuthenticationForm


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
