from django.http import Http404
from django.shortcuts import redirect


class HistoryAdminMixin:
    """For a ModelAdmin of an audited model: the admin's "History" button opens the audit trail
    (who changed which fields, when) instead of the admin's own action log.

        class TierAdmin(HistoryAdminMixin, admin.ModelAdmin): ...
    """

    def history_view(self, request, object_id, extra_context=None):
        if not str(object_id).isdigit():
            raise Http404("No such record.")
        opts = self.model._meta
        return redirect("audit:object-history", opts.app_label, opts.model_name, int(object_id))
