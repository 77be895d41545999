"""Input shapes for the MOU pages. Saving is the services' job."""

from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html

from core.forms import NetworkDateTimeField, SingleLineField, help_text_from_data
from core.validators import single_line
from mou.models import TEXT_MAX, MouVersion, RoleBlock, RoleTemplate

__all__ = ["NetworkDateTimeField"]  # kept importable from here for the signing forms


def _zone_help(text: str) -> str:
    return f"{text} Time in {settings.TIME_ZONE}.".strip()


class VersionForm(forms.ModelForm):
    title = SingleLineField(max_length=MouVersion._meta.get_field("title").max_length)
    deadline = NetworkDateTimeField(label="Deadline for blocks")
    start_from_previous = forms.BooleanField(required=False)

    class Meta:
        model = MouVersion
        fields = ["title", "shared_text", "deadline", "previous"]
        widgets = {"shared_text": forms.Textarea(attrs={"rows": 14})}
        labels = {"shared_text": "Shared text: purpose, principles and terms"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].help_text = _zone_help("Partners can edit their blocks until then.")
        self.fields[
            "shared_text"
        ].help_text = "Markdown: ## for headings, - for lists, **bold**. Shown to every partner."
        previous = MouVersion.objects.exclude(status=MouVersion.Status.DRAFT)
        if self.instance.pk:
            previous = previous.exclude(pk=self.instance.pk)
            if self.instance.status != MouVersion.Status.DRAFT:
                self.fields["previous"].disabled = True
        self.fields["previous"].queryset = previous
        self.fields["previous"].required = False
        if not self.instance.pk and previous.exists():
            latest = previous.order_by("-number").first()
            self.fields[
                "start_from_previous"
            ].label = "Start from the previous version's shared text and role templates"
            self.fields["start_from_previous"].help_text = (
                "From the version chosen above (by default the latest, "
                f"“{latest.title}”): its role templates are copied, and its shared text too "
                "when you leave the shared text box empty. Untick to start from an empty text "
                "and the network's default templates."
            )
            if not self.is_bound:
                self.initial.setdefault("start_from_previous", True)
        else:
            del self.fields["start_from_previous"]

    def clean_deadline(self):
        """A deadline already past would only be refused later, when the draft is opened."""
        deadline = self.cleaned_data.get("deadline")
        unchanged = self.instance.pk and deadline == self.instance.deadline
        if deadline is not None and not unchanged and deadline <= timezone.now():
            shown = timezone.localtime(deadline, ZoneInfo(settings.TIME_ZONE))
            raise forms.ValidationError(
                f"That deadline, {shown:%B %-d, %Y at %-I:%M %p}, has already passed. Choose a "
                "date and time in the future: partners edit their blocks until then."
            )
        return deadline


class RoleTemplateForm(forms.ModelForm):
    title = SingleLineField(
        max_length=RoleTemplate._meta.get_field("title").max_length,
        help_text=RoleTemplate._meta.get_field("title").help_text,
    )

    class Meta:
        model = RoleTemplate
        fields = [
            "title",
            "guidance",
            "role_prompt",
            "commitments_prompt",
            "asks_prompt",
            "model_text",
        ]
        widgets = {
            "guidance": forms.Textarea(attrs={"rows": 8}),
            "role_prompt": forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
            "commitments_prompt": forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
            "asks_prompt": forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
            "model_text": forms.Textarea(attrs={"rows": 10}),
        }


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_MAX})


# The block's names and titles are printed on the signature page: one line each.
SINGLE_LINE_FIELDS = (
    "contact_name",
    "contact_phone",
    "signing_leader_name",
    "signing_leader_title",
)


class BlockForm(forms.ModelForm):
    """The block's fields; every one optional here (a draft may be partial). What a
    submission needs is checked by the submit service."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = RoleBlock
        fields = list(RoleBlock.CONTENT_FIELDS)
        widgets = {
            "role_in_partnership": _textarea(7),
            "commitments": _textarea(6),
            "asks_of_network": _textarea(5),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "signing_leader_email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        labels = {
            "role_in_partnership": "Our role in the partnership",
            "commitments": "What we commit and contribute",
            "asks_of_network": "What we ask of the network",
            "contact_name": "Name",
            "contact_email": "E-mail",
            "contact_phone": "Phone",
            "signing_leader_name": "Name",
            "signing_leader_title": "Title",
            "signing_leader_email": "E-mail",
        }

    def __init__(self, *args, template: RoleTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        for name in SINGLE_LINE_FIELDS:
            self.fields[name].validators.append(single_line)
        self.fields["revision"].required = True
        if template is not None:
            prompts = {
                "role_in_partnership": template.role_prompt,
                "commitments": template.commitments_prompt,
                "asks_of_network": template.asks_prompt,
            }
            for name, prompt in prompts.items():
                if prompt:
                    # A coordinator's words, shown in every lead's editor: text, never markup.
                    self.fields[name].help_text = help_text_from_data(prompt)
        for name in RoleBlock.TEXT_FIELDS:
            existing = self.fields[name].help_text
            self.fields[name].help_text = (
                format_html("{} Markdown works: - for lists, **bold**.", existing)
                if existing
                else "Markdown works: - for lists, **bold**."
            )

    def data_for_service(self) -> dict[str, str]:
        """Only the fields that were posted, so a partial autosave changes only those."""
        return {
            name: self.cleaned_data.get(name) or ""
            for name in RoleBlock.CONTENT_FIELDS
            if name in self.data
        }

    def _post_clean(self):
        # Model validation happens in the service, against the locked row.
        pass


class RequestChangesForm(forms.Form):
    prefix = "changes"
    comment = forms.CharField(
        label="What should change?",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX}),
        max_length=TEXT_MAX,
        help_text="Required. The partner's leads receive it by e-mail.",
        error_messages={"required": "Say what should change: a comment is required."},
    )


class AcceptForm(forms.Form):
    prefix = "accept"
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX}),
        max_length=TEXT_MAX,
    )


class ExtensionForm(forms.Form):
    prefix = "extension"
    until = NetworkDateTimeField(label="Editing open until")
    comment = forms.CharField(
        label="Note to the partner (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX}),
        max_length=TEXT_MAX,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["until"].help_text = _zone_help("")


class DiffForm(forms.Form):
    """Which two revisions to compare ("previous" is the previous version's block)."""

    old = forms.CharField(required=False)
    new = forms.IntegerField(required=False, min_value=0)

    def clean_old(self):
        value = self.cleaned_data.get("old") or ""
        if value in {"", "previous"}:
            return value
        try:
            number = int(value)
        except ValueError:
            raise forms.ValidationError(
                "Choose a revision number or the previous version."
            ) from None
        if number < 0:
            raise forms.ValidationError("Choose a revision number or the previous version.")
        return number


class ReminderStagesForm(forms.Form):
    """The reminder stages of one version, as the coordinator types them."""

    days_before = forms.CharField(
        label="Days before the deadline",
        max_length=100,
        help_text="Whole days, separated by commas; 0 is the deadline day. Default: 14, 7, 2, 0.",
    )
    overdue_every_days = forms.IntegerField(
        label="Then, while overdue, every … days", min_value=1, max_value=60
    )
    overdue_max = forms.IntegerField(
        label="At most this many overdue reminders", min_value=0, max_value=12
    )

    def clean_days_before(self) -> list[int]:
        raw = [part.strip() for part in self.cleaned_data["days_before"].split(",")]
        try:
            days = sorted({int(part) for part in raw if part}, reverse=True)
        except ValueError:
            raise forms.ValidationError(
                "Write whole numbers of days separated by commas, for example 14, 7, 2, 0."
            ) from None
        if not days:
            raise forms.ValidationError("Give at least one stage.")
        if any(d < 0 or d > 365 for d in days):
            raise forms.ValidationError("Each stage is between 0 and 365 days before the deadline.")
        if len(days) > 12:
            raise forms.ValidationError("At most 12 stages before the deadline.")
        return days


class ConflictResolveForm(forms.Form):
    """After a conflict: the person's own texts, which of them to keep field by field, and
    the revision the choice was made against (a newer save makes it a conflict again).

    ``step`` is "confirm" (show what is lost) or "save" (the confirmed choice)."""

    MINE, THEIRS = "mine", "theirs"
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    step = forms.ChoiceField(choices=[("confirm", "confirm"), ("save", "save")])
    keep = forms.ChoiceField(choices=[("all", "all"), ("chosen", "chosen")], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RoleBlock.CONTENT_FIELDS:
            # Lengths and formats are the block's rules, checked by the save service.
            self.fields[f"mine_{name}"] = forms.CharField(
                required=False, strip=False, max_length=TEXT_MAX
            )
            self.fields[f"choice_{name}"] = forms.ChoiceField(
                choices=[(self.MINE, "My text"), (self.THEIRS, "The current text")],
                required=False,
            )

    def submitted(self) -> dict[str, str]:
        """The person's texts for the fields they sent (what the conflict page showed)."""
        return {
            name: self.cleaned_data[f"mine_{name}"]
            for name in RoleBlock.CONTENT_FIELDS
            if f"mine_{name}" in self.data
        }

    def kept_mine(self) -> list[str]:
        """The fields whose text is to be the person's own."""
        keep_all = self.cleaned_data.get("keep") != "chosen"
        return [
            name
            for name in self.submitted()
            if keep_all or self.cleaned_data.get(f"choice_{name}") != self.THEIRS
        ]
