"""Who is on a meeting's attendance list, and whether they came."""

from django.db import transaction

from core.actor import Actor
from core.identity import email_identity
from core.models import User
from core.services.db import unique_race_settle
from core.services.events import event_record
from core.text import clean_text, people_count
from meetings.exceptions import MeetingConflict
from meetings.models import Attendance, Meeting
from partnership.models import Membership, Partner

ATTENDANCE_UNIQUE = ("attendance_unique",)
GUEST_UNIQUE = ("attendance_guest_unique",)


def _default_partner_for(user: User) -> Partner | None:
    memberships = list(
        Membership.objects.filter(user=user, partner__status=Partner.Status.ACTIVE)
        .select_related("partner")
        .order_by("partner__name")[:2]
    )
    return memberships[0].partner if len(memberships) == 1 else None


def attendance_add(
    *,
    meeting: Meeting,
    user: User,
    actor: Actor,
    partner: Partner | None = None,
    status: str = Attendance.Status.INVITED,
) -> Attendance:
    def already_listed() -> None:
        if meeting.attendances.filter(user=user).exists():
            raise MeetingConflict(f"{user} is already on the list.")
        if meeting.attendances.filter(
            user__isnull=True, guest_email=email_identity(user.email)
        ).exists():
            raise MeetingConflict(f"{user} is already on the list as a guest.")

    already_listed()
    attendance = Attendance(
        meeting=meeting,
        user=user,
        partner=partner if partner is not None else _default_partner_for(user),
        status=status,
    )
    attendance.full_clean()
    # Added from two pages at once: the one that loses the insert gets the same answer.
    unique_race_settle(
        attendance.save, model=Attendance, constraints=ATTENDANCE_UNIQUE, check=already_listed
    )
    event_record(
        action="meeting.attendance_add",
        actor=actor,
        subject=meeting,
        summary=f"{user} added to {meeting.title}",
        data={"user": user.pk, "partner": attendance.partner_id, "status": status},
    )
    return attendance


def attendance_add_guest(
    *,
    meeting: Meeting,
    name: str,
    email: str,
    actor: Actor,
    organization: str = "",
    partner: Partner | None = None,
    status: str = Attendance.Status.INVITED,
) -> Attendance:
    """Put someone without an account on the list: a name, an e-mail address and the
    organization they come for (a partner, else its name as typed)."""
    email = email_identity(email)
    name = " ".join(clean_text(name or "").split())
    organization = "" if partner is not None else " ".join(clean_text(organization or "").split())

    def already_listed() -> None:
        if meeting.attendances.filter(user__isnull=True, guest_email=email).exists():
            raise MeetingConflict(f"A guest with the address {email} is already on the list.")

    if User.objects.by_email(email).filter(is_active=True).exists():
        raise MeetingConflict(
            f"Someone with the address {email} has an account: add them as a person instead."
        )
    already_listed()
    attendance = Attendance(
        meeting=meeting,
        guest_name=name,
        guest_email=email,
        guest_organization=organization,
        partner=partner,
        status=status,
    )
    attendance.full_clean()
    unique_race_settle(
        attendance.save, model=Attendance, constraints=GUEST_UNIQUE, check=already_listed
    )
    event_record(
        action="meeting.attendance_add_guest",
        actor=actor,
        subject=meeting,
        summary=f"{name} ({attendance.organization}), a guest, added to {meeting.title}",
        data={"guest_email": email, "partner": attendance.partner_id, "status": status},
    )
    return attendance


@transaction.atomic
def attendance_invite_partner(*, meeting: Meeting, partner: Partner, actor: Actor) -> int:
    """Invite every active person of a partner who is not on the list yet."""

    def insert() -> list[Attendance]:
        already = set(meeting.attendances.values_list("user_id", flat=True))
        people = (
            User.objects.filter(memberships__partner=partner, is_active=True)
            .exclude(pk__in=already)
            .distinct()
        )
        rows = [
            Attendance(
                meeting=meeting, user=person, partner=partner, status=Attendance.Status.INVITED
            )
            for person in people
        ]
        # Rows are built from a partner's own people and checked for duplicates just above.
        return Attendance.objects.bulk_create(rows)

    # Someone added at the same moment from another page: run again without them.
    rows = unique_race_settle(insert, model=Attendance, constraints=ATTENDANCE_UNIQUE, retries=1)
    event_record(
        action="meeting.attendance_invite_partner",
        actor=actor,
        subject=meeting,
        summary=f"{people_count(len(rows))} of {partner} invited to {meeting.title}",
        data={"partner": partner.pk, "added": len(rows)},
    )
    return len(rows)


def attendance_set_statuses(
    *,
    meeting: Meeting,
    statuses: dict[int, str],
    actor: Actor,
) -> int:
    valid = set(Attendance.Status.values)
    if not set(statuses.values()) <= valid:
        raise ValueError("Unknown attendance status")
    changed = []
    for attendance in meeting.attendances.filter(pk__in=list(statuses)):
        new = statuses[attendance.pk]
        if attendance.status != new:
            attendance.status = new
            changed.append(attendance)
    Attendance.objects.bulk_update(changed, ["status"])
    if changed:
        event_record(
            action="meeting.attendance_update",
            actor=actor,
            subject=meeting,
            summary=f"Attendance updated for {len(changed)} people: {meeting.title}",
            data={"changed": {str(a.pk): a.status for a in changed}},
        )
    return len(changed)


def attendance_remove(*, attendance: Attendance, actor: Actor) -> None:
    meeting = attendance.meeting
    user_id, guest_email = attendance.user_id, attendance.guest_email
    attendance.delete()
    event_record(
        action="meeting.attendance_remove",
        actor=actor,
        subject=meeting,
        summary=f"A person was removed from the list of {meeting.title}",
        data={"user": user_id, "guest_email": guest_email},
    )
