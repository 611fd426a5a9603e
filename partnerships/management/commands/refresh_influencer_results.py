"""Check or rebuild the report rows per influencer (partnerships.InfluencerResults) the tier
comparison reads.

    manage.py refresh_influencer_results --check   # list influencers out of step; exit 1 if any
    manage.py refresh_influencer_results           # rewrite every influencer's rows

The app keeps them in step on every partnership, deliverable and followers write;
`refresh_result_totals` rebuilds them too. This is for data written around the app (raw SQL, a
restore of one table).
"""

from crm.derived_data import CheckOrRebuildCommand
from partnerships.selectors import influencer_results_out_of_step
from partnerships.services import influencer_results_refresh


class Command(CheckOrRebuildCommand):
    help = "Check (--check) or rebuild the tier comparison's rows per influencer."
    what, owners, command = "Report rows", "influencer", "refresh_influencer_results"
    in_step = "Report rows are in step with partnerships, their results and followers."

    def out_of_step(self):
        return influencer_results_out_of_step()

    def rebuild(self):
        influencer_results_refresh()
