from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import CreateView, DetailView, ListView, TemplateView, UpdateView
from django_filters.views import FilterView

from crm.concurrency import EditConflict, EditConflictViewMixin
from crm.fields import users_by_id
from crm.metrics import DEFINITIONS, LABELS
from partnerships import selectors
from partnerships.filters import DeliverableFilter, PartnershipFilter
from partnerships.forms import DeliverableForm, PartnershipForm
from partnerships.models import Deliverable, Partnership
from partnerships.paginators import CappedCountPaginator, OrderedCappedCountPaginator
from partnerships.services import (
    deliverable_create,
    deliverable_update,
    move_targets,
    partnership_create,
    partnership_move,
    partnership_renew,
    partnership_renewal_undo,
    partnership_update,
    renewal_refusal,
    renewal_terms,
    renewal_undo_refusal,
)

Status = Partnership.Status


def add_service_errors(form, error):
    """Show a service's ValidationError on the form, beside its field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class PageFirstListMixin:
    """Count (capped) and cut the page on the bare filtered table, then fetch the page's rows with
    their joins and annotations by primary key: the joins cost 50 rows, not the whole filter."""

    paginate_by = 25
    page_sizes = (25, 50, 100)
    paginator_class = CappedCountPaginator

    def get_paginate_by(self, queryset):
        size = self.request.GET.get("per_page", "")
        return int(size) if size.isdigit() and int(size) in self.page_sizes else self.paginate_by

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_sizes=self.page_sizes, **kwargs)

    def page_rows(self, page_queryset):
        raise NotImplementedError

    def paginate_queryset(self, queryset, page_size):
        paginator, page, _rows, is_paginated = super().paginate_queryset(queryset, page_size)
        start = page.start_index()
        if start:
            ids = queryset.values("pk")[start - 1 : page.end_index()]
            page.object_list = list(self.page_rows(ids))
        else:
            page.object_list = []
        return paginator, page, page.object_list, is_paginated


class PartnershipListView(PageFirstListMixin, FilterView):
    model = Partnership
    filterset_class = PartnershipFilter
    template_name = "partnerships/partnership_list.html"

    def get_queryset(self):
        return Partnership.objects.order_by(*selectors.LIST_ORDER)

    def page_rows(self, page_queryset):
        return selectors.partnership_list_rows(page_queryset)


@dataclass(frozen=True)
class Move:
    value: str
    label: str
    reopen: bool = False


def pipeline_moves(status):
    """The move buttons a partnership in ``status`` gets."""
    targets, reopen = move_targets(status)
    return [Move(target.value, target.label, reopen) for target in targets]


def board_context(params):
    """Context for the board from a query string (the board page's own, or the page a move on
    the board came from)."""
    filterset = PartnershipFilter(params, queryset=Partnership.objects.all())
    queryset = filterset.qs if filterset.is_valid() else Partnership.objects.none()
    columns = selectors.board_columns(
        queryset,
        per_column=selectors.BOARD_CARDS_PER_COLUMN,
        count_cap=selectors.BOARD_COUNT_CAP,
    )
    for status, _label, cards, _total in columns:
        moves = pipeline_moves(status)
        for card in cards:
            card.board_moves = moves
    query = params.urlencode()
    board_url = reverse("partnerships:partnership-board")
    return {
        "filter": filterset,
        "columns": columns,
        # Closed stages start collapsed to a narrow column, so the board fits a laptop screen.
        "closed_statuses": Partnership.CLOSED_STATUSES,
        "per_column": selectors.BOARD_CARDS_PER_COLUMN,
        "count_cap": selectors.BOARD_COUNT_CAP,
        "board_query": query,
        "board_url": f"{board_url}?{query}" if query else board_url,
    }


class PartnershipBoardView(TemplateView):
    template_name = "partnerships/partnership_board.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **board_context(self.request.GET)}


class PartnershipFormMixin(EditConflictViewMixin):
    model = Partnership
    form_class = PartnershipForm
    template_name = "partnerships/partnership_form.html"
    raise_exception = True

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except EditConflict as conflict:
            return self.render_conflict(form, conflict)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except IntegrityError:
            form.add_error(
                "campaign", "This influencer already has an open partnership in this campaign."
            )
            return self.form_invalid(form)
        messages.success(self.request, f"Partnership saved: {self.object}.")
        return HttpResponseRedirect(self.object.get_absolute_url())


class PartnershipCreateView(PermissionRequiredMixin, PartnershipFormMixin, CreateView):
    """Log a partnership. A GET pre-fills from its query string (?influencer=&campaign=), which
    is also how the influencer search works without JavaScript (?influencer_q=)."""

    permission_required = "partnerships.add_partnership"

    def get_initial(self):
        initial = super().get_initial()
        form_fields = PartnershipForm.base_fields
        for name, value in self.request.GET.items():
            if name in form_fields and value:
                initial[name] = value
        initial.setdefault("owner", self.request.user.pk)
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        term = self.request.GET.get("influencer_q") or self.request.POST.get("influencer_q")
        kwargs["influencer_matches"] = list(selectors.influencer_search(term))
        kwargs["influencer_search"] = (term or "")[:200]
        return kwargs

    def save(self, form):
        return partnership_create(**form.service_fields(), by=self.request.user)


class PartnershipUpdateView(PermissionRequiredMixin, PartnershipFormMixin, UpdateView):
    permission_required = "partnerships.change_partnership"

    def get_queryset(self):
        return selectors.partnership_detail_queryset()

    def save(self, form):
        return partnership_update(partnership=self.object, **form.service_fields())


class PartnershipDetailView(DetailView):
    template_name = "partnerships/partnership_detail.html"

    def get_queryset(self):
        return selectors.partnership_page_queryset()

    def get_context_data(self, **kwargs):
        partnership = self.object
        results = selectors.partnership_results(partnership)
        undo_refusal = None
        if partnership.renewed_from_id:
            undo_refusal = renewal_undo_refusal(
                partnership, has_deliverables=bool(results.deliverables)
            )
        users = users_by_id()
        return super().get_context_data(
            **selectors.partnership_people(partnership, users=users),
            moves=pipeline_moves(partnership.status),
            history=selectors.partnership_history(partnership, users=users),
            deliverables=selectors.partnership_deliverables(partnership),
            results=results,
            renewal_state=selectors.renewal_state(partnership),
            renewal_undo_refusal=undo_refusal,
            definitions=DEFINITIONS,
            labels=LABELS,
            **kwargs,
        )


@require_POST
@permission_required("partnerships.change_partnership", raise_exception=True)
def partnership_move_view(request, pk):
    """One pipeline move. From the board under htmx, answers with the refreshed board; otherwise
    redirects back (to ?next= or the partnership page)."""
    partnership = get_object_or_404(Partnership, pk=pk)
    status = request.POST.get("status", "")
    if status not in Status.values:
        error = ValidationError({"status": "Choose a pipeline stage to move to."})
    else:
        error = None
        try:
            partnership = partnership_move(
                partnership=partnership,
                status=status,
                reopen=request.POST.get("reopen") == "1",
                by=request.user,
            )
        except ValidationError as refused:
            error = refused
    if error is None:
        messages.success(
            request, f"{partnership.influencer}: moved to {partnership.get_status_display()}."
        )
    else:
        messages.error(request, " ".join(error.messages))
    next_url = safe_next(request, partnership.get_absolute_url())
    if request.htmx and urlsplit(next_url).path == reverse("partnerships:partnership-board"):
        context = board_context(QueryDict(urlsplit(next_url).query))
        return render(request, "partnerships/_board.html", context)
    return HttpResponseRedirect(next_url)


RENEW_PERMISSIONS = ["partnerships.add_partnership", "partnerships.change_partnership"]


@permission_required(RENEW_PERMISSIONS, raise_exception=True)
def partnership_renew_view(request, pk):
    """GET: what renewing would do (the current term, the next one as partnership_renew creates
    it, warnings about the campaign). POST: renew (completes this term, creates the next)."""
    partnership = get_object_or_404(selectors.partnership_detail_queryset(), pk=pk)
    back = safe_next(request, partnership.get_absolute_url())
    if request.method == "POST":
        try:
            renewal = partnership_renew(partnership=partnership, by=request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return HttpResponseRedirect(back)
        messages.success(
            request,
            f"Renewed: the next term runs {renewal.start_date:%d %b %Y} - "
            f"{renewal.end_date:%d %b %Y}. Until it has deliverables, \u201cUndo renewal\u201d "
            "on this page takes it back.",
        )
        return HttpResponseRedirect(renewal.get_absolute_url())
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    refusal = renewal_refusal(partnership)
    context = {"p": partnership, "refusal": refusal, "back": back}
    if not refusal:
        terms = renewal_terms(partnership)
        context.update(
            new_term=terms,
            warnings=(
                selectors.campaign_warnings(partnership.campaign, value=terms["contract_value"])
                if partnership.campaign
                else []
            ),
        )
    return render(request, "partnerships/partnership_renew.html", context)


@require_POST
@permission_required(RENEW_PERMISSIONS, raise_exception=True)
def partnership_renewal_undo_view(request, pk):
    """Take a renewal back while its term has no deliverables (the previous term is active
    again); otherwise say why not."""
    renewal = get_object_or_404(Partnership, pk=pk)
    try:
        previous = partnership_renewal_undo(renewal=renewal, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return HttpResponseRedirect(renewal.get_absolute_url())
    messages.success(
        request,
        f"Renewal undone: the term {previous.start_date:%d %b %Y} - "
        f"{previous.end_date:%d %b %Y} is active again.",
    )
    return HttpResponseRedirect(previous.get_absolute_url())


class RenewalListView(PageFirstListMixin, ListView):
    """Renewals due: each running term from its own reminder (renewal_reminder_days before its
    end) until it is renewed or closed; ?within=N also lists those ending in N days."""

    template_name = "partnerships/renewal_list.html"

    def within(self):
        value = self.request.GET.get("within", "")
        return max(0, min(int(value), 3650)) if value.isdigit() else None

    def get_queryset(self):
        return selectors.renewal_list(self.within())

    def page_rows(self, page_queryset):
        today = timezone.localdate()
        rows = list(selectors.renewal_rows(page_queryset))
        for row in rows:
            row.renewal_state = selectors.renewal_state(row, today=today)
        return rows

    def get_context_data(self, **kwargs):
        return super().get_context_data(within=self.within(), **kwargs)


class DeliverableListView(PageFirstListMixin, FilterView):
    model = Deliverable
    filterset_class = DeliverableFilter
    template_name = "partnerships/deliverable_list.html"
    paginator_class = OrderedCappedCountPaginator

    def get_queryset(self):
        return selectors.deliverable_list()

    def page_rows(self, page_queryset):
        return selectors.deliverable_rows(page_queryset)


class DeliverableFormMixin(EditConflictViewMixin):
    model = Deliverable
    form_class = DeliverableForm
    template_name = "partnerships/deliverable_form.html"
    raise_exception = True

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except EditConflict as conflict:
            return self.render_conflict(form, conflict)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Deliverable saved: {self.object}.")
        return HttpResponseRedirect(self.partnership.get_absolute_url() + "#deliverables")

    def get_context_data(self, **kwargs):
        return super().get_context_data(partnership=self.partnership, **kwargs)


class DeliverableCreateView(PermissionRequiredMixin, DeliverableFormMixin, CreateView):
    permission_required = "partnerships.add_deliverable"

    def dispatch(self, request, *args, **kwargs):
        self.partnership = get_object_or_404(
            selectors.partnership_detail_queryset(), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"due_date": self.partnership.due_date, **super().get_initial()}

    def save(self, form):
        return deliverable_create(partnership=self.partnership, **form.cleaned_data)


class DeliverableUpdateView(PermissionRequiredMixin, DeliverableFormMixin, UpdateView):
    permission_required = "partnerships.change_deliverable"

    def get_queryset(self):
        return Deliverable.objects.select_related(
            "partnership__influencer", "partnership__campaign"
        )

    def get_object(self, queryset=None):
        deliverable = super().get_object(queryset)
        self.partnership = deliverable.partnership
        return deliverable

    def save(self, form):
        return deliverable_update(deliverable=self.object, **form.cleaned_data)


@require_GET
def influencer_search_view(request):
    """<option>s for the partnership form's influencer picker (htmx)."""
    term = request.GET.get("influencer_q", "")
    if len(term) > 200:
        raise Http404
    matches = selectors.influencer_search(term)
    # The picker's live region is named after the <select> htmx fills (HX-Target).
    target = request.htmx.target if request.htmx else None
    return render(
        request,
        "partnerships/_influencer_options.html",
        {"matches": matches, "term": term, "status_id": f"{target}_matches" if target else None},
    )
