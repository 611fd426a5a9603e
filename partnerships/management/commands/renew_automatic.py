"""Renew the auto-renew terms that have ended: run once a day (cron or a scheduler)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.utils import timezone

from partnerships.models import Partnership
from partnerships.services import partnership_renew


class Command(BaseCommand):
    help = (
        "Renew every active long-term partnership marked auto-renew whose term has ended and "
        "that has not been renewed yet (as the Renew button does)."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        due = Partnership.objects.filter(
            collaboration_type=Partnership.CollaborationType.LONG_TERM,
            status=Partnership.Status.ACTIVE,
            auto_renew=True,
            end_date__lt=today,
            renewal__isnull=True,
        ).order_by("end_date", "id")
        renewed = refused = 0
        for partnership in due.iterator():
            try:
                partnership_renew(partnership=partnership)
            except ValidationError as error:
                refused += 1
                self.stderr.write(f"{partnership.pk}: {' '.join(error.messages)}")
            else:
                renewed += 1
        self.stdout.write(f"Renewed {renewed} term(s); {refused} refused.")
