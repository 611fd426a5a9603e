from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    """A paginator whose COUNT stops at ``cap`` + 1 rows (SELECT COUNT(*) FROM (... LIMIT n)):
    an exact count over a million deliverables or a join on 200k partnerships costs more than
    the page itself. Past the cap the page says "1,000+" and offers the first pages (20 pages of
    50 rows: nobody reads further; they narrow the filters)."""

    cap = 1_000

    @cached_property
    def count(self):
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap
