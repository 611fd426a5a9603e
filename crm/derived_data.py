"""The shape of the commands that check or rebuild derived data (stored sums and copies the
pages read instead of the rows they come from)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class CheckOrRebuildCommand(BaseCommand):
    """``--check`` lists the owners out of step (exit status 1 if any); without it, rebuilds all.

    Subclasses set ``what`` ("Result totals"), ``owners`` ("partnership"), ``command`` (its own
    name) and ``in_step`` (the message when nothing differs), and define ``out_of_step()`` (ids,
    at most 100 of each kind) and ``rebuild()``."""

    what = owners = command = in_step = ""

    def out_of_step(self):
        raise NotImplementedError

    def rebuild(self):
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help=f"Only report {self.owners}s out of step; exit with status 1 if any are.",
        )

    def handle(self, *args, check=False, **options):
        stale = self.out_of_step()
        if check:
            if stale:
                shown = ", ".join(str(pk) for pk in stale[:20])
                more = "" if len(stale) <= 20 else " ..."
                raise CommandError(
                    f"{self.what} out of step for {self.owners}(s) {shown}{more}. "
                    f"Run manage.py {self.command} to rebuild them."
                )
            self.stdout.write(self.style.SUCCESS(self.in_step))
            return
        with transaction.atomic():
            self.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"{self.what} rebuilt ({len(stale)} {self.owners}(s) were out of step"
                f"{' or more' if len(stale) >= 100 else ''})."
            )
        )
