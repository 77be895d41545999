"""Input shapes for partners, people and workgroups. Saving is the services' job."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import SingleLineField, help_text_from_data
from core.identity import email_identity
from core.models import User
from core.validators import absolute_link_validator
from partnership.models import Membership, Partner, PartnerKind, Workgroup

DESCRIPTION_MAX = 5000
NEW_PARTNER_STATUSES = [
    (Partner.Status.ACTIVE, "Active"),
    (Partner.Status.PROSPECTIVE, "Prospective"),
]


def _field_max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class PartnerForm(forms.Form):
    """A partner's profile. Whether the name is taken is the service's rule (one check, in
    ``partner_create`` and ``partner_update``); the view shows its error on the name."""

    name = SingleLineField(max_length=_field_max(Partner, "name"))
    kind = forms.ChoiceField(choices=PartnerKind.choices)
    status = forms.ChoiceField(
        choices=NEW_PARTNER_STATUSES,
        initial=Partner.Status.ACTIVE,
        help_text="Prospective partners are listed for coordinators only; their people "
        "cannot sign in until the partner is active.",
    )
    region = SingleLineField(
        max_length=_field_max(Partner, "region"),
        required=False,
        help_text="For example: Salem, Marion County.",
    )
    website = forms.URLField(
        max_length=_field_max(Partner, "website"),
        required=False,
        assume_scheme="https",
        validators=[absolute_link_validator],
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=DESCRIPTION_MAX,
        required=False,
        help_text="What the organization does and brings to the network. Markdown is allowed.",
    )

    def __init__(self, *args, partner: Partner | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if partner is not None:
            # Status changes are their own action (deactivate / reactivate).
            del self.fields["status"]


class PersonForm(forms.Form):
    full_name = SingleLineField(label="Name", max_length=_field_max(User, "full_name"))
    email = forms.EmailField(label="E-mail address", max_length=_field_max(User, "email"))
    title = SingleLineField(label="Job title", max_length=_field_max(User, "title"), required=False)
    phone = SingleLineField(max_length=_field_max(User, "phone"), required=False)

    def __init__(self, *args, person: User | None = None, **kwargs):
        self.person = person
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = email_identity(self.cleaned_data["email"])
        taken = User.objects.by_email(email)
        if self.person is not None:
            taken = taken.exclude(pk=self.person.pk)
        if taken.exists():
            raise ValidationError(
                f"Someone with the e-mail address {email} is already in the portal."
            )
        return email


class PersonCreateForm(PersonForm):
    """A new person, optionally with a role at a partner and an invitation."""

    partner = forms.ModelChoiceField(
        queryset=Partner.objects.exclude(status=Partner.Status.INACTIVE).only("id", "name"),
        required=False,
        empty_label="No partner yet",
    )
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.VIEWER)
    send_invitation = forms.BooleanField(
        label="Send an invitation now",
        required=False,
        help_text="E-mails a sign-in link that opens the partner's page.",
    )

    def clean(self):
        data = super().clean()
        partner = data.get("partner")
        if data.get("send_invitation"):
            if partner is None:
                self.add_error("send_invitation", "Choose a partner to invite the person to.")
            elif not partner.is_active:
                self.add_error(
                    "send_invitation",
                    f"{partner.name} is {partner.get_status_display().lower()}: invite its "
                    "people once it is active.",
                )
        return data


class PartnerPersonAddForm(forms.Form):
    """Add a person to a partner: a new person, or an existing one found by e-mail."""

    email = forms.EmailField(
        label="E-mail address",
        max_length=_field_max(User, "email"),
        help_text="If this person is already in the portal, they are added with this role.",
    )
    full_name = SingleLineField(
        label="Name", max_length=_field_max(User, "full_name"), required=False
    )
    title = SingleLineField(label="Job title", max_length=_field_max(User, "title"), required=False)
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.LEAD)
    send_invitation = forms.BooleanField(
        label="Send an invitation now",
        required=False,
        initial=True,
        help_text="E-mails a sign-in link that opens this partner's page.",
    )

    def __init__(self, *args, partner: Partner, **kwargs):
        self.partner = partner
        self.existing: User | None = None
        super().__init__(*args, **kwargs)
        if not partner.is_active:
            self.fields["send_invitation"].initial = False
            self.fields["send_invitation"].help_text = help_text_from_data(
                f"{partner.name} is {partner.get_status_display().lower()}: its people can "
                "be invited once it is active."
            )

    def clean_email(self) -> str:
        return email_identity(self.cleaned_data["email"])

    def clean(self):
        data = super().clean()
        email = data.get("email")
        if email:
            self.existing = User.objects.by_email(email).first()
            if self.existing is None and not data.get("full_name", "").strip():
                self.add_error("full_name", "Enter the name of this new person.")
            if self.existing is not None and not self.existing.is_active:
                self.add_error(
                    "email",
                    f"{self.existing} ({email}) is deactivated. Reactivate them on their page "
                    "before adding them to a partner.",
                )
        if data.get("send_invitation") and not self.partner.is_active:
            self.add_error(
                "send_invitation",
                f"{self.partner.name} is {self.partner.get_status_display().lower()}: its "
                "people can be invited once it is active.",
            )
        return data


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class PartnerStatusForm(forms.Form):
    action = forms.ChoiceField(choices=[("deactivate", "Deactivate"), ("activate", "Activate")])


class InviteForm(forms.Form):
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(), required=False, empty_label="Their first partner"
    )

    def __init__(self, *args, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(
            memberships__user=person, status=Partner.Status.ACTIVE
        ).only("id", "name")


class WorkgroupForm(forms.Form):
    name = SingleLineField(max_length=_field_max(Workgroup, "name"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=DESCRIPTION_MAX,
        required=False,
        help_text="Markdown is allowed.",
    )

    def __init__(self, *args, workgroup: Workgroup | None = None, **kwargs):
        self.workgroup = workgroup
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = Workgroup.objects.filter(name__iexact=name)
        if self.workgroup is not None:
            taken = taken.exclude(pk=self.workgroup.pk)
        existing = taken.first()
        if existing is not None:
            raise ValidationError(f"A workgroup named “{existing.name}” already exists.")
        return name


class WorkgroupMemberForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address of the person to add",
        max_length=_field_max(User, "email"),
    )

    def clean_email(self) -> str:
        email = email_identity(self.cleaned_data["email"])
        self.person = User.objects.by_email(email).first()
        if self.person is None:
            raise ValidationError(
                f"Nobody with the e-mail address {email} is in the portal. Add them on the "
                "People page first."
            )
        return email


class WorkgroupPartnerForm(forms.Form):
    partner = forms.ModelChoiceField(
        label="Partner to add", queryset=Partner.objects.none(), empty_label="Choose a partner"
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = choices
