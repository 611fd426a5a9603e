"""Check or rebuild the per-partnership result totals the reports read (in all, and per platform
and publish month, quarter or day).

    manage.py refresh_result_totals --check   # list partnerships out of step; exit 1 if any
    manage.py refresh_result_totals           # rewrite every partnership's totals

The app keeps them in step on every deliverable write; this is for data written around it (raw
SQL, a restore of one table).
"""

from crm.derived_data import CheckOrRebuildCommand
from partnerships.selectors import (
    partnership_period_results_out_of_step,
    partnership_results_out_of_step,
)
from partnerships.services import partnership_results_refresh


class Command(CheckOrRebuildCommand):
    help = "Check (--check) or rebuild the per-partnership result totals from the deliverables."
    what, owners, command = "Result totals", "partnership", "refresh_result_totals"
    in_step = "Result totals are in step with deliverables."

    def out_of_step(self):
        return sorted(
            {*partnership_results_out_of_step(), *partnership_period_results_out_of_step()}
        )

    def rebuild(self):
        partnership_results_refresh()
