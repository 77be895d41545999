"""Build the demo network. Idempotent: running it again changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from partnership import demo

# The other apps' parts of the demo, run after the partnership part in this order. Each is
# a function with no arguments that finds the demo partners and people by their natural
# keys, adds what is missing, and returns how many things it created (0 on a second run).
# An app adds its dotted path here once its demo exists.
EXTRA_PARTS: list[str] = [
    "mou.demo.load_demo_mou",
    "needs_matrix.demo.load_demo_matrix",
    "meetings.demo.load_demo_meetings",
]


class Command(BaseCommand):
    help = "Create or refresh the demo network (partners, people, workgroups, ...)."

    def handle(self, *args, **options):
        with transaction.atomic():
            network = demo.build_network()
            for dotted in EXTRA_PARTS:
                changed = import_string(dotted)()
                # Parts report how many rows they changed; others return what they built.
                network.changes += changed if isinstance(changed, int) else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo network ready: {len(network.partners)} partners, "
                f"{len(network.people)} partner people, {len(network.workgroups)} workgroups "
                f"({network.changes} change{'s' if network.changes != 1 else ''})."
            )
        )
        self.stdout.write(
            f"Coordinator: {network.coordinator.email} / password {demo.coordinator_password()} "
            "(demo only; set DEMO_COORDINATOR_PASSWORD to choose another)."
        )
