"""Input shape and field validation for the meetings pages."""

import copy

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import modelformset_factory

from core.forms import BoundedDateField, LinkField, NetworkDateTimeField, SingleLineField
from core.identity import email_identity
from core.models import User
from core.portal_tasks import portal_task, portal_task_choices
from core.text import clean_text
from core.validators import absolute_link_validator
from meetings.attachments import ALLOWED_LABEL, MAX_ATTACHMENT_BYTES, attachment_check
from meetings.models import ActionItem, Attendance, Meeting, http_url_validator
from partnership.models import Partner, Workgroup


class MeetingForm(forms.ModelForm):
    """Times are typed in the network's time zone, from 2000 to 2100."""

    title = SingleLineField(max_length=Meeting._meta.get_field("title").max_length)
    series = SingleLineField(
        max_length=Meeting._meta.get_field("series").max_length, required=False
    )
    place = SingleLineField(max_length=Meeting._meta.get_field("place").max_length, required=False)
    starts_at = NetworkDateTimeField(label="Starts")
    ends_at = NetworkDateTimeField(label="Ends")
    video_url = forms.URLField(
        label="Video link",
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[http_url_validator, absolute_link_validator],
        error_messages={"invalid": "Enter a web address that starts with http:// or https://."},
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = Meeting
        fields = [
            "title", "kind", "workgroup", "series", "starts_at", "ends_at", "place",
            "video_url", "agenda", "notes", "decisions",
        ]  # fmt: skip
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 6}),
            "notes": forms.Textarea(attrs={"rows": 10}),
            "decisions": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = settings.TIME_ZONE
        self.fields["starts_at"].help_text = f"In the network's time zone ({zone})."
        self.fields["ends_at"].help_text = f"In the network's time zone ({zone})."
        self.fields["workgroup"].queryset = Workgroup.objects.order_by("name")
        self.fields["workgroup"].required = False
        self.fields["workgroup"].empty_label = "No workgroup"
        self.fields["agenda"].help_text = "Markdown: **bold**, *italic*, lists with - or 1."
        self.fields[
            "notes"
        ].help_text = "Markdown. A draft only coordinators see until you publish the notes."
        self.fields["decisions"].help_text = "Markdown, for example a list of decisions."
        self.fields["series"].help_text = (
            "Optional. Meetings with the same series name follow one another: open items of "
            "the previous one are shown at the top of the next."
        )
        self.fields["place"].help_text = "A room and address; or give a video link below."

    def _post_clean(self):
        # Validate the model on a copy: the service, not the form, changes the meeting (and
        # records which fields changed).
        original = self.instance
        self.instance = copy.copy(original)
        try:
            super()._post_clean()
        finally:
            self.instance = original

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The meeting must end after it starts.")
        for name in ("agenda", "notes", "decisions"):
            if isinstance(data.get(name), str):
                data[name] = clean_text(data[name]).strip()
        return data


class AttendanceAddForm(forms.Form):
    email = forms.EmailField(label="Person's e-mail address", max_length=254)
    partner = forms.ModelChoiceField(
        label="Organization",
        queryset=Partner.objects.filter(status=Partner.Status.ACTIVE).order_by("name"),
        required=False,
        empty_label="Their own (if they belong to one)",
    )
    status = forms.ChoiceField(choices=Attendance.Status.choices, initial="invited")

    def clean_email(self):
        email = email_identity(self.cleaned_data["email"])
        user = User.objects.by_email(email).filter(is_active=True).first()
        if user is None:
            raise ValidationError("No one with this e-mail address has an account in the portal.")
        self.cleaned_data["user"] = user
        return email


class GuestAddForm(forms.Form):
    """Someone without an account: a name, an address and the organization they come for."""

    guest_name = SingleLineField(label="Guest's name", max_length=200)
    guest_email = forms.EmailField(label="Guest's e-mail address", max_length=254)
    guest_partner = forms.ModelChoiceField(
        label="Partner they come for",
        queryset=Partner.objects.filter(status=Partner.Status.ACTIVE).order_by("name"),
        required=False,
        empty_label="Not a partner: type the organization below",
    )
    guest_organization = SingleLineField(
        label="Organization (when it is not a partner)",
        max_length=Attendance._meta.get_field("guest_organization").max_length,
        required=False,
    )
    guest_status = forms.ChoiceField(
        label="Status", choices=Attendance.Status.choices, initial="invited"
    )

    def clean_guest_name(self):
        name = " ".join(clean_text(self.cleaned_data["guest_name"]).split())
        if not name:
            raise ValidationError("Give the guest's name.")
        return name

    def clean_guest_email(self):
        return email_identity(self.cleaned_data["guest_email"])

    def clean(self):
        data = super().clean()
        organization = " ".join(clean_text(data.get("guest_organization") or "").split())
        data["guest_organization"] = organization
        if (
            not data.get("guest_partner")
            and not organization
            and "guest_partner" not in self.errors
        ):
            self.add_error(
                "guest_organization",
                "Choose the partner the guest comes for, or type their organization.",
            )
        return data


class InvitePartnerForm(forms.Form):
    partner = forms.ModelChoiceField(
        label="Partner",
        queryset=Partner.objects.filter(status=Partner.Status.ACTIVE).order_by("name"),
        empty_label="Choose a partner",
    )


AttendanceStatusFormSet = modelformset_factory(
    Attendance, fields=["status"], extra=0, can_delete=False
)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text=f"{ALLOWED_LABEL}; up to {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        attachment_check(upload)
        return upload


class ActionItemForm(forms.Form):
    description = forms.CharField(
        label="What needs to be done", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_kind = forms.ChoiceField(
        label="Who does it",
        choices=ActionItem.OwnerKind.choices,
        widget=forms.RadioSelect,
        initial=ActionItem.OwnerKind.PERSON,
    )
    owner_email = forms.EmailField(
        label="Person's e-mail address",
        max_length=254,
        required=False,
        help_text="When a person does it.",
        widget=forms.EmailInput(attrs={"list": "people-suggestions", "autocomplete": "off"}),
    )
    owner_partner = forms.ModelChoiceField(
        label="Partner",
        queryset=Partner.objects.filter(status=Partner.Status.ACTIVE).order_by("name"),
        required=False,
        empty_label="Choose a partner",
        help_text="When one partner organization does it.",
    )
    due_on = BoundedDateField(label="Due date", required=False)
    subject_label = SingleLineField(
        label="About (optional)",
        max_length=200,
        required=False,
        help_text="What the item is about, for example “MOU 2026, your role block”.",
    )
    subject_url = LinkField(
        label="Link to what it is about (optional)",
        max_length=500,
        required=False,
        help_text="A portal address such as /mou/3/ or a full https:// address.",
    )
    task_key = forms.ChoiceField(
        label="Done in the portal when the partner… (optional)",
        required=False,
        help_text="For a partner's item or one for all active partners: it is marked done "
        "by itself when the partner does this in the portal (for the current MOU version).",
    )

    def __init__(self, *args, fixed_owner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_owner = fixed_owner
        self.fields["task_key"].choices = [("", "Ticked by hand"), *portal_task_choices()]
        if fixed_owner:
            for name in ("owner_kind", "owner_email", "owner_partner", "task_key"):
                del self.fields[name]

    def clean_description(self):
        return clean_text(self.cleaned_data["description"]).strip()

    def clean(self):
        data = super().clean()
        if self.fixed_owner:
            return data
        kind = data.get("owner_kind")
        if kind == ActionItem.OwnerKind.PERSON:
            email = data.get("owner_email")
            if not email:
                if "owner_email" not in self.errors:
                    self.add_error("owner_email", "Give the e-mail address of the person.")
            else:
                user = User.objects.by_email(email).filter(is_active=True).first()
                if user is None:
                    self.add_error("owner_email", "No one with this e-mail address has an account.")
                data["owner_user"] = user
        elif kind == ActionItem.OwnerKind.PARTNER and not data.get("owner_partner"):
            self.add_error("owner_partner", "Choose the partner that does it.")
        self._clean_task(data, kind)
        return data

    def _clean_task(self, data: dict, kind: str | None) -> None:
        key = data.get("task_key")
        if not key or "task_key" not in self.fields:
            return
        task = portal_task(key)
        if kind not in {ActionItem.OwnerKind.PARTNER, ActionItem.OwnerKind.ALL_PARTNERS}:
            self.add_error(
                "task_key",
                "Only a partner's item, or one for all active partners, can follow a portal task.",
            )
        elif task.subject_model and task.current_subject() is None:
            self.add_error("task_key", f"There is nothing to tie “{task.label}” to yet.")


class ActionItemEditForm(ActionItemForm):
    status = forms.ChoiceField(
        label="Status",
        choices=[
            (ActionItem.Status.OPEN, "Open"),
            (ActionItem.Status.CANCELLED, "Cancelled"),
        ],
    )

    def __init__(self, *args, item: ActionItem, **kwargs):
        fixed = item.is_all_partners or item.parent_id is not None
        super().__init__(*args, fixed_owner=fixed, **kwargs)
        self.fields.pop("task_key", None)  # set when the item is made
        if item.status == ActionItem.Status.DONE:
            self.fields["status"].choices = [
                (ActionItem.Status.DONE, "Done"),
                *self.fields["status"].choices,
            ]
        if not fixed:
            self.fields["owner_kind"].choices = [
                c for c in ActionItem.OwnerKind.choices if c[0] != ActionItem.OwnerKind.ALL_PARTNERS
            ]


class MeetingFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind", choices=[("", "All kinds"), *Meeting.Kind.choices], required=False
    )
    workgroup = forms.ModelChoiceField(
        label="Workgroup",
        queryset=Workgroup.objects.order_by("name"),
        required=False,
        empty_label="All workgroups",
    )


class SearchForm(forms.Form):
    q = forms.CharField(label="Search meetings and action items", max_length=200, required=False)
