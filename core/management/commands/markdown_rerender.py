"""Re-render the stored HTML of every Markdown text made by an older renderer.

Run it after raising ``core.text.MARKDOWN_VERSION`` (a parser upgrade, a new option, a
changed allow-list): until then pages render those rows on read, which is slow."""

from django.core.management.base import BaseCommand

from core.services.markdown import markdown_stale_rerender


class Command(BaseCommand):
    help = "Re-render, in batches, the stored HTML of Markdown texts made by an older renderer."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Rows per transaction (default 500)."
        )

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            self.stderr.write("--batch-size must be at least 1.")
            raise SystemExit(2)
        written = markdown_stale_rerender(batch_size=batch_size)
        for label, count in written.items():
            self.stdout.write(f"{label}: {count} re-rendered")
        self.stdout.write(self.style.SUCCESS(f"{sum(written.values())} rows re-rendered."))
