from django.core.management.base import BaseCommand, CommandError

from retention.archive import verify_chain


class Command(BaseCommand):
    help = "702.7: recompute the archive's hash chain and name the first broken record."

    def handle(self, *args, **options):
        report = verify_chain()
        for line in report.destroyed_lines():
            self.stdout.write(f"{line}.")
        if not report.intact:
            raise CommandError(
                f"Archive chain broken at record {report.broken_at}: {report.problem} "
                f"({report.checked} record(s) read)."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Archive intact: {report.checked} record(s) verified.")
        )
