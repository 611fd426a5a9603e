from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import NoReverseMatch
from django.views.generic import TemplateView

from audit.models import audited_model
from audit.selectors import object_history

PAGE_SIZE = 50


class ObjectHistoryView(TemplateView):
    """Who changed which fields of one record, and when. Needs the view permission on its model."""

    template_name = "audit/object_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        model = audited_model(kwargs["app_label"], kwargs["model_name"])
        if model is None:
            raise Http404("No history is kept for this kind of record.")
        opts = model._meta
        if not self.request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            raise PermissionDenied
        try:
            page = max(int(self.request.GET.get("page", "1")), 1)
        except ValueError:
            page = 1
        page = min(page, 10_000)
        entries, has_more = object_history(
            model=model, pk=kwargs["pk"], offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        obj = model._default_manager.filter(pk=kwargs["pk"]).first()
        if obj is None and not entries:
            raise Http404("No such record.")
        object_url = None
        if obj is not None and hasattr(obj, "get_absolute_url"):
            try:
                object_url = obj.get_absolute_url()
            except NoReverseMatch:
                object_url = None
        context.update(
            object=obj,
            object_label=str(obj) if obj is not None else f"{opts.verbose_name} #{kwargs['pk']}",
            object_url=object_url,
            verbose_name=opts.verbose_name,
            entries=entries,
            page=page,
            has_more=has_more,
        )
        return context
