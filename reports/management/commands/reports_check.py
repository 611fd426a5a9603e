"""Compare the report sums with the deliverables, or rebuild them.

manage.py reports_check            # list rows out of step; exit status 1 if any
manage.py reports_check --rebuild  # rewrite every row from the deliverables
"""

from django.core.management.base import BaseCommand, CommandError

from reports import upkeep


class Command(BaseCommand):
    help = "Compare the report sums with the deliverables (exit 1 if any differ), or rebuild."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="Rewrite every row from the deliverables."
        )

    def handle(self, *args, rebuild=False, **options):
        if rebuild:
            upkeep.rebuild()
            self.stdout.write(self.style.SUCCESS("Report sums rebuilt from the deliverables."))
            return
        stale = upkeep.out_of_step()
        if stale:
            shown = "\n".join("  " + " ".join(str(value) for value in row) for row in stale[:20])
            raise CommandError(
                f"{len(stale)}{'+' if len(stale) >= 100 else ''} report rows out of step:\n"
                f"{shown}\nRun manage.py reports_check --rebuild to rewrite them."
            )
        self.stdout.write(self.style.SUCCESS("Report sums are in step with the deliverables."))
