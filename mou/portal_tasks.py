"""The MOU's portal tasks an action item can be tied to (registered with core.portal_tasks;
discovered by core.apps). Each hook line in the services says when one may be done."""

from core.portal_tasks import PortalTask, portal_task_register
from mou.models import MouVersion, RoleBlock, SignatureRequest

SUBMITTED = (RoleBlock.Status.SUBMITTED, RoleBlock.Status.ACCEPTED)


def _current_version() -> MouVersion | None:
    return (
        MouVersion.objects.filter(status=MouVersion.Status.OPEN)
        .order_by("-deadline", "-pk")
        .first()
    )


def _block_partners(*, subject_id: int | None, partner_ids, statuses) -> set[int]:
    return set(
        RoleBlock.objects.filter(
            version_id=subject_id, partner_id__in=list(partner_ids), status__in=statuses
        ).values_list("partner_id", flat=True)
    )


def block_submitted_partner_ids(*, subject_id: int | None, partner_ids) -> set[int]:
    """Partners whose block of the version is submitted (an accepted block was submitted)."""
    return _block_partners(subject_id=subject_id, partner_ids=partner_ids, statuses=SUBMITTED)


def block_accepted_partner_ids(*, subject_id: int | None, partner_ids) -> set[int]:
    return _block_partners(
        subject_id=subject_id, partner_ids=partner_ids, statuses=[RoleBlock.Status.ACCEPTED]
    )


def signed_partner_ids(*, subject_id: int | None, partner_ids) -> set[int]:
    """Partners whose signing leader has signed the frozen version."""
    return set(
        SignatureRequest.objects.filter(
            frozen__version_id=subject_id,
            role=SignatureRequest.Role.PARTNER,
            status=SignatureRequest.Status.SIGNED,
            partner_id__in=list(partner_ids),
        ).values_list("partner_id", flat=True)
    )


portal_task_register(
    PortalTask(
        key="mou.block_submit",
        label="Submit the organization's block of the MOU",
        subject_model="mou.MouVersion",
        done_partner_ids=block_submitted_partner_ids,
        current_subject=_current_version,
    )
)
portal_task_register(
    PortalTask(
        key="mou.block_accept",
        label="Have the organization's block of the MOU accepted",
        subject_model="mou.MouVersion",
        done_partner_ids=block_accepted_partner_ids,
        current_subject=_current_version,
    )
)
portal_task_register(
    PortalTask(
        key="mou.sign",
        label="Sign the MOU (the organization's signing leader)",
        subject_model="mou.MouVersion",
        done_partner_ids=signed_partner_ids,
        current_subject=lambda: (
            MouVersion.objects.filter(status=MouVersion.Status.FROZEN).order_by("-pk").first()
        ),
    )
)
