"""Why an MOU action was refused, in words a person can act on."""


class MouError(Exception):
    """Base class: ``str(error)`` is shown to the person who tried."""


class NotAllowed(MouError):
    """The person has no right to do this to this object."""


class TransitionNotAllowed(MouError):
    """The object is not in a state where this change makes sense."""


class EditingClosed(MouError):
    """The block is not open for edits (submitted, accepted, version closed, deadline passed)."""


class StaleRevision(MouError):
    """The form was loaded at an older revision: someone else has saved since."""

    def __init__(self, block, submitted: dict | None = None):
        super().__init__(
            "Someone else saved this block after you opened it. Nothing of yours was saved; "
            "compare your text with the current text below."
        )
        self.block = block
        self.submitted = submitted or {}


class ImmutableRecord(MouError):
    """A frozen MOU or an executed PDF was to be changed or deleted: they never change."""


class SigningClosed(MouError):
    """The signature request is no longer open: signed, declined, handed over, void or expired."""


class OutOfOrder(MouError):
    """The backbone organization countersigns only after every partner has signed."""
