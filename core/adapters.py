"""django-allauth adapted to the portal: people are created by coordinators, never by
signing up, and a password typed moments ago counts as a fresh confirmation."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """allauth asks for the password again before enrolment unless it was given "as a
        reauthentication"; right after signing in (the forced enrolment) that would ask
        twice in a row, so a password sign-in within the same timeout counts too."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = self.request or context.request
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        fresh = [
            record["at"]
            for record in records
            if record.get("method") == "password"
            and time.time() - record.get("at", 0) < account_settings.REAUTHENTICATION_TIMEOUT
        ]
        return not fresh
