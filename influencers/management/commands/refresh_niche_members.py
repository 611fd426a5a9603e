"""Check or rebuild the niche members (niche, influencer, followers) the roster's niche counts read.

    manage.py refresh_niche_members --check   # list influencers out of step; exit 1 if any
    manage.py refresh_niche_members           # rewrite every influencer's niche members

The app keeps them in step with every audience recompute and niche change; this is for data
written around it (raw SQL, `influencer.niches.add()` in a shell, a restore of one table).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from influencers.selectors import niche_members_out_of_step
from influencers.services import niche_members_refresh


class Command(BaseCommand):
    help = "Check (--check) or rebuild the niche members from the niche links and followers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report influencers whose niche members differ; exit 1 if any do.",
        )

    def handle(self, *args, check=False, **options):
        stale = niche_members_out_of_step()
        if check:
            if stale:
                shown = ", ".join(str(pk) for pk in stale[:20])
                more = "" if len(stale) <= 20 else " ..."
                raise CommandError(
                    f"Niche members out of step for influencer(s) {shown}{more}. "
                    "Run manage.py refresh_niche_members to rebuild them."
                )
            self.stdout.write(self.style.SUCCESS("Niche members are in step."))
            return
        with transaction.atomic():
            niche_members_refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"Niche members rebuilt ({len(stale)} influencer(s) were out of step)."
            )
        )
