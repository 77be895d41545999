"""Create forms that act once: a double click or a POST sent again finds the first result.

Each create form carries a fresh one-time token (``{% form_token %}``). The request that
acts on it first inserts the token, under a unique constraint, in the same transaction as
what it creates, and records where the result is. A second submission of the same form
cannot insert the token: on PostgreSQL its insert waits until the first request commits,
then fails, and it reads the first one's result instead of creating another meeting,
sending another invitation, or another set of notes. If the first request fails (a form
error, a conflict), its claim is rolled back with everything else and the form can be sent
again. A request without a token (an old page, a script) is handled as before.
"""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction

from core.models import FormSubmission, User
from core.services.db import unique_violated

T = TypeVar("T")

FORM_TOKEN_FIELD = "form_token"
_TOKEN = re.compile(r"[0-9a-f]{32}")


def form_token_new() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Submitted(Generic[T]):
    """``result`` is what this request made (None when an earlier submission of the same
    form made it); ``url`` is where it is, either way."""

    result: T | None
    url: str


def submission_once(
    *, token: str | None, user: User, create: Callable[[], T], url_of: Callable[[T], str]
) -> Submitted[T]:
    """Run ``create`` once per form token; a repeat gets the first result's address."""
    if not token or not _TOKEN.fullmatch(token):
        result = create()
        return Submitted(result=result, url=url_of(result))
    with transaction.atomic():  # a create that fails releases the claim with its own rows
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(token=token, user=user)
        except IntegrityError as error:
            if not unique_violated(error, model=FormSubmission, constraints=("token",)):
                raise
            return Submitted(result=None, url=_earlier_result(token=token, user=user))
        result = create()
        claim.result_url = url_of(result)
        claim.save(update_fields=["result_url"])
    return Submitted(result=result, url=claim.result_url)


def submission_earlier(*, token: str | None, user: User) -> str | None:
    """Where the first submission of this form went, if it was sent before: checked before
    the form is validated, whose duplicate checks would refuse the repeat otherwise."""
    if not token or not _TOKEN.fullmatch(token):
        return None
    if not FormSubmission.objects.filter(token=token).exists():
        return None
    return _earlier_result(token=token, user=user)


def _earlier_result(*, token: str, user: User) -> str:
    earlier = FormSubmission.objects.filter(token=token, user=user).first()
    if earlier is None or not earlier.result_url:
        # Someone else's token: never generated for this person's page.
        raise SuspiciousOperation("This form token belongs to another submission.")
    return earlier.result_url
