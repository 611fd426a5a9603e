"""Check or rebuild the per-partnership result totals the reports read (in all, and per platform
and publish month).

    manage.py refresh_result_totals --check   # list partnerships out of step; exit 1 if any
    manage.py refresh_result_totals           # rewrite every partnership's totals

The app keeps them in step on every deliverable write; this is for data written around it (raw
SQL, a restore of one table).
"""

from django.core.management.base import BaseCommand, CommandError

from partnerships.selectors import (
    partnership_month_results_out_of_step,
    partnership_results_out_of_step,
)
from partnerships.services import partnership_results_refresh


class Command(BaseCommand):
    help = "Check (--check) or rebuild the per-partnership result totals from the deliverables."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report partnerships whose totals differ; exit with status 1 if any do.",
        )

    def handle(self, *args, check=False, **options):
        stale = sorted(
            {*partnership_results_out_of_step(), *partnership_month_results_out_of_step()}
        )
        if check:
            if stale:
                shown = ", ".join(str(pk) for pk in stale[:20])
                more = "" if len(stale) <= 20 else " ..."
                raise CommandError(
                    f"Result totals out of step for partnership(s) {shown}{more}. "
                    "Run manage.py refresh_result_totals to rebuild them."
                )
            self.stdout.write(self.style.SUCCESS("Result totals are in step with deliverables."))
            return
        partnership_results_refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"Result totals rebuilt ({len(stale)} partnership(s) were out of step"
                f"{' or more' if len(stale) >= 100 else ''})."
            )
        )
