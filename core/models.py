"""People who sign in, the audit trail and the e-mail outbox."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.identity import email_identity
from core.validators import single_line


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=email_identity(email), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("is_coordinator", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        # Password sign-in looks people up here: by the same identity the limits count.
        return self.get(email=email_identity(username or ""))

    def by_email(self, email: str) -> models.QuerySet:
        """Everyone whose address is ``email`` in any spelling (at most one person)."""
        return self.filter(email=email_identity(email))


class User(AbstractBaseUser, PermissionsMixin):
    """A person: backbone staff (coordinators) and the people of partner organizations."""

    email = models.EmailField("e-mail", max_length=254, unique=True)
    full_name = models.CharField(max_length=200, validators=[single_line])
    title = models.CharField("job title", max_length=200, blank=True, validators=[single_line])
    phone = models.CharField(max_length=40, blank=True, validators=[single_line])
    is_coordinator = models.BooleanField(
        default=False, help_text="Backbone staff: sees and manages the whole network."
    )
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Raising this number voids every sign-in link issued before.
    link_version = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @classmethod
    def normalize_username(cls, username):
        # full_clean() stores the address in its one spelling, so that the unique
        # constraint refuses a full-width or differently cased copy of someone's address.
        return email_identity(username) if isinstance(username, str) else username

    def get_session_auth_hash(self) -> str:
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=secret)

    def _session_hash(self, secret=None) -> str:
        # Sessions are checked against this on every request: raising link_version (a
        # changed address, a deactivation) signs the person out on every device, as a
        # password change does. At version 0 it is Django's own hash, so sessions made
        # before this rule existed stay valid.
        value = self.password if not self.link_version else f"{self.password}:{self.link_version}"
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            value,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Event(models.Model):
    """An audit record of a state change: who, when, what, on what, from where."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class OutboxMessage(models.Model):
    """Every e-mail the portal sends, written in the same transaction as the change that
    causes it and delivered by a Celery task afterwards (a transactional outbox)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        # Claimed by a worker that is talking to the mail server (see lease_until).
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, will retry"
        GAVE_UP = "gave_up", "Failed"

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=60, db_index=True)
    to_email = models.EmailField(max_length=254)
    to_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox_messages"
    )
    cc = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Files kept in the default storage: [{"path": ..., "filename": ..., "mimetype": ...}].
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # While SENDING: until when the claiming worker owns the message. A worker killed
    # mid-send leaves it SENDING; once this passes, the flush hands it over again.
    lease_until = models.DateTimeField(null=True, blank=True)
    # What the e-mail is about (a role block, a signature request), when it is about one
    # thing: the dashboard's "last e-mail" and the sweep's "already told" read it.
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["about_type", "about_id", "-created_at"], name="outbox_about")
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email}"


class ReminderSchedule(models.Model):
    """The reminder stages for one deadline owner (an MOU version, a meeting's action items,
    a signing round). Owners without a row use the default stages."""

    owner_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    # Days before the deadline, e.g. [14, 7, 2, 0]; 0 is the day itself.
    days_before = models.JSONField(default=list)
    overdue_every_days = models.PositiveSmallIntegerField(default=7)
    overdue_max = models.PositiveSmallIntegerField(default=4)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner_type", "owner_id"], name="reminder_schedule_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder stages for {self.owner_type} {self.owner_id}"


class Reminder(models.Model):
    """One e-mail due for a (subject, stage, recipient), claimed once.

    The unique constraint is the claim: a sweep inserts the rows it means to send with
    conflicts ignored, then sends only the rows that carry its own sweep id. Two sweeps at
    once, or the same sweep run twice, can never send the same reminder twice.
    """

    class Role(models.TextChoices):
        LEAD = "lead", "Partner lead"
        EDITOR = "editor", "Editor"
        DELEGATE = "delegate", "Delegate"
        SIGNER = "signer", "Signing leader"
        OWNER = "owner", "Owner"
        COORDINATOR = "coordinator", "Coordinator"

    source = models.CharField(max_length=40, db_index=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    stage = models.CharField(max_length=40)
    recipient_email = models.EmailField(max_length=254)
    recipient = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    due_at = models.DateTimeField()
    claimed_at = models.DateTimeField(default=timezone.now)
    sweep = models.UUIDField(db_index=True)
    manual = models.BooleanField(default=False)
    sent_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.OneToOneField(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminder"
    )

    class Meta:
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "stage", "recipient_email"],
                name="reminder_claimed_once",
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id", "-claimed_at"])]

    def __str__(self) -> str:
        return f"{self.source} {self.stage} → {self.recipient_email}"


class ReminderPreference(models.Model):
    """A person's reminder settings. Deadline reminders for something their partner owes
    cannot be switched off; a delegate receives a copy of each."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="reminder_preference")
    delegate_email = models.EmailField(
        "delegate's e-mail",
        max_length=254,
        blank=True,
        help_text="Someone who also receives your deadline reminders (an assistant, a deputy).",
    )
    editor_opt_in = models.BooleanField(
        "remind me as an editor",
        default=False,
        help_text="Editors receive deadline reminders only if they ask for them; leads always do.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reminder settings of {self.user}"


class FormSubmission(models.Model):
    """A create form's one-time token, claimed by the request that acted on it.

    The form carries a fresh token; the first submission inserts it (the unique constraint
    is the claim) together with what it created, so a second submission of the same form
    (a double click, a POST sent again) finds that result and goes there instead of
    creating it again.
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Form submitted by {self.user_id} → {self.result_url}"
