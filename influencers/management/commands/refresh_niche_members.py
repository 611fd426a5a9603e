"""Check or rebuild the niche members (niche, influencer, followers) the roster's niche counts read.

    manage.py refresh_niche_members --check   # list influencers out of step; exit 1 if any
    manage.py refresh_niche_members           # rewrite every influencer's niche members

The app keeps them in step with every audience recompute and niche change; this is for data
written around it (raw SQL, `influencer.niches.add()` in a shell, a restore of one table).
"""

from crm.derived_data import CheckOrRebuildCommand
from influencers.selectors import niche_members_out_of_step
from influencers.services import niche_members_refresh


class Command(CheckOrRebuildCommand):
    help = "Check (--check) or rebuild the niche members from the niche links and followers."
    what, owners, command = "Niche members", "influencer", "refresh_niche_members"
    in_step = "Niche members are in step."

    def out_of_step(self):
        return niche_members_out_of_step()

    def rebuild(self):
        niche_members_refresh()
