"""Input shapes for freezing, signing and verifying. Saving is the services' job."""

import re

from django import forms
from django.conf import settings

from core.forms import SingleLineField
from core.models import User
from mou.forms import NetworkDateTimeField, _zone_help
from mou.rules import name_matches, name_mismatch_message
from mou.services.freezing import Countersigner
from mou.services.signing import NAME_MAX, REASON_MAX

SHA256_HEX = re.compile(r"^[0-9a-fA-F]{64}$")
# An executed MOU is a few hundred kilobytes; anything near this is not one of ours.
VERIFY_MAX_BYTES = 20 * 1024 * 1024


class FreezeForm(forms.Form):
    signing_deadline = NetworkDateTimeField(label="Signing closes")
    countersigner_user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Countersigner (a coordinator)",
        empty_label="Someone else (type their name below)",
    )
    countersigner_name = SingleLineField(label="Or their name", max_length=NAME_MAX, required=False)
    countersigner_title = SingleLineField(label="Their title", max_length=NAME_MAX, required=False)
    countersigner_email = forms.EmailField(label="Their e-mail", required=False)
    leave_out = forms.MultipleChoiceField(
        label="Leave out of this version",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, not_accepted=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countersigner_user"].queryset = User.objects.filter(
            is_coordinator=True, is_active=True
        ).order_by("full_name")
        self.fields["leave_out"].choices = [
            (str(block.partner_id), f"{block.partner.name} ({block.get_status_display()})")
            for block in not_accepted
        ]
        self.fields["signing_deadline"].help_text = _zone_help(
            "Signing links expire then; reminders go out before it."
        )
        self.fields[
            "countersigner_user"
        ].help_text = (
            f"Signs last, for {settings.BACKBONE_ORGANIZATION}, once every partner has signed."
        )

    def clean(self):
        data = super().clean()
        if data.get("countersigner_user") is None and not (
            data.get("countersigner_name") and data.get("countersigner_email")
        ):
            raise forms.ValidationError(
                "Choose the coordinator who countersigns, or type the countersigner's name "
                "and e-mail."
            )
        return data

    def countersigner(self) -> Countersigner:
        data = self.cleaned_data
        user = data.get("countersigner_user")
        if user is not None:
            return Countersigner(
                name=user.full_name,
                title=data.get("countersigner_title") or user.title,
                email=user.email,
            )
        return Countersigner(
            name=data["countersigner_name"],
            title=data.get("countersigner_title", ""),
            email=data["countersigner_email"],
        )


class SignForm(forms.Form):
    name = SingleLineField(label="Your full name", max_length=NAME_MAX)
    title = SingleLineField(label="Your title", max_length=NAME_MAX)
    on_behalf = forms.BooleanField(required=False)
    on_behalf_reason = forms.CharField(
        label="Why do you sign instead of them?",
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example “Acting superintendent while she is on leave”. It is recorded "
        "with your signature and shown on the signed MOU.",
    )
    consent = forms.BooleanField(label="I agree", required=True)

    def __init__(
        self, *args, consent_text: str = "", signer_name: str = "", organization: str = "", **kwargs
    ):
        super().__init__(*args, prefix="sign", **kwargs)
        self.signer_name = signer_name
        who = signer_name or "the person this link was sent to"
        self.fields["consent"].label = consent_text
        self.fields["consent"].error_messages["required"] = (
            f"Tick the box to confirm you agree to sign on behalf of "
            f"{organization or 'your organization'}: ticking it, with your typed name, is "
            "your signature."
        )
        self.fields["name"].error_messages["required"] = (
            "Type your full name: it is your signature."
        )
        self.fields["title"].error_messages["required"] = (
            "Type your title, for example “Superintendent”."
        )
        self.fields[
            "on_behalf"
        ].label = f"I am not {who}: I sign on behalf of them, and I am authorized to"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["title"].widget.attrs["autocomplete"] = "organization-title"

    def clean(self):
        data = super().clean()
        # Said here too (the service decides) so every problem shows at once.
        name = (data.get("name") or "").strip()
        mismatch = (
            name
            and self.signer_name
            and not data.get("on_behalf")
            and not name_matches(typed=name, invited=self.signer_name)
        )
        if mismatch:
            self.add_error("name", name_mismatch_message(typed=name, invited=self.signer_name))
        if data.get("on_behalf") and not (data.get("on_behalf_reason") or "").strip():
            self.add_error(
                "on_behalf_reason",
                "Say why you sign instead of the person this link was sent to.",
            )
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why do you decline?",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The coordinator receives your reason.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="decline", **kwargs)


class HandOverForm(forms.Form):
    name = SingleLineField(label="Their full name", max_length=NAME_MAX)
    title = SingleLineField(label="Their title", max_length=NAME_MAX, required=False)
    email = forms.EmailField(label="Their e-mail")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="handover", **kwargs)
        self.fields["email"].help_text = "They receive their own signing link; yours stops working."


class VerifyForm(forms.Form):
    pdf = forms.FileField(label="The PDF file", required=False)
    sha256 = forms.CharField(
        label="Or its SHA-256",
        required=False,
        max_length=200,
        help_text="64 hexadecimal characters: the SHA-256 printed on the PDF's cover, or the "
        "file's own, as printed by sha256sum or shasum -a 256.",
    )

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if upload is None:
            return None
        if upload.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(
                f"That file is too large ({upload.size // (1024 * 1024)} MB): an executed MOU "
                f"is far smaller than {VERIFY_MAX_BYTES // (1024 * 1024)} MB."
            )
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError("That file is not a PDF.")
        return upload

    def clean_sha256(self):
        value = "".join((self.cleaned_data.get("sha256") or "").split())
        if value and not SHA256_HEX.match(value):
            raise forms.ValidationError(
                "A SHA-256 is 64 characters, each 0–9 or a–f. Check what you pasted."
            )
        return value.lower()

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("pdf") and not data.get("sha256"):
            raise forms.ValidationError("Choose a PDF file, or paste its SHA-256.")
        return data
