"""Why a meetings action was refused, in words a person can act on."""


class MeetingConflict(Exception):
    """The action does not fit the current state (views answer 409 with the message)."""
