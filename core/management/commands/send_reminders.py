"""Run the reminder sweep now, as beat does every 15 minutes, and say what it sent."""

from django.core.management.base import BaseCommand

from core.services.reminders import reminders_sweep


class Command(BaseCommand):
    help = (
        "Send every deadline reminder that is due now (the same sweep as Celery beat) and "
        "print, per reminder, who gets what and why. --dry-run claims and sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only list the reminders a sweep would send now; claim and send nothing.",
        )

    def handle(self, *args, dry_run: bool, **options):
        result = reminders_sweep(dry_run=dry_run)
        for line in result.lines:
            self.stdout.write(
                f"{line.recipient_email} ({line.role}): {line.subject}: {line.stage_label} "
                f"[{line.source}, e-mail {line.template}]"
            )
        count = len(result.lines)
        summary = (
            f"{'Would send' if dry_run else 'Sent'} {count} reminder{'' if count == 1 else 's'}"
        )
        if result.skipped_already_sent:
            summary += f"; {result.skipped_already_sent} already sent earlier"
        self.stdout.write(self.style.SUCCESS(summary + "."))
        if dry_run:
            self.stdout.write("Dry run: nothing was claimed or sent.")
