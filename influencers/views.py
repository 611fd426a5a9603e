import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from crm.concurrency import EditConflict, refuse_conflict, stale_version_conflict
from crm.csv_safety import neutralise, neutralise_texts
from crm.navigation import back_query
from crm.paginators import KnownCountPaginator
from influencers import selectors
from influencers.filters import SORTS, RosterFilterSet
from influencers.forms import (
    InfluencerForm,
    RosterDisplayForm,
    SocialAccountFormSet,
    select_options,
)
from influencers.imports import MAX_ACCOUNTS, template_columns
from influencers.models import Influencer, Platform, SocialAccount, Tier
from influencers.services import (
    influencer_archive,
    influencer_create,
    influencer_delete,
    influencer_update,
    normalise_handle,
)

ACCOUNT_FIELDS = ("platform", "handle", "url", "followers", "engagement_rate", "is_primary")


class RosterMixin:
    """Parses the roster's query string into a FilterSet and display options.

    The routed roster pages (partnerships/influencer_views.py) use a FilterSet with a partnership
    filter added; this one knows only influencers."""

    filterset_class = RosterFilterSet

    def get_filterset(self):
        return self.filterset_class(self.request.GET or None, queryset=selectors.roster_base())

    def filtered(self, filterset):
        # An invalid filter value (a deleted tier, "abc" as followers) shows an empty result and
        # the error beside the field, never a 500.
        return filterset.qs if filterset.is_bound else filterset.queryset


class InfluencerListView(RosterMixin, TemplateView):
    template_name = "influencers/influencer_list.html"

    def partial(self):
        """An htmx update of the results: the filter form is already on the page."""
        return bool(self.request.htmx) and not self.request.htmx.history_restore_request

    def get_template_names(self):
        return ["influencers/_results.html"] if self.partial() else [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        display = RosterDisplayForm(self.request.GET or None)
        sort, per_page = display.values()
        valid = not filterset.is_bound or filterset.is_valid()
        base = selectors.roster_base()
        if filterset.is_bound and valid:
            # The other filters are applied once; the result is their queryset, tier added.
            without_tier = filterset.filter_queryset_without_tier(base)
            selected_tiers = filterset.form.cleaned_data.get("tier") or ()
            result = filterset.filters["tier"].filter(without_tier, selected_tiers)
        else:
            without_tier = result = base if valid else base.none()
            selected_tiers = ()
        tier_counts, total = selectors.roster_tier_counts(without_tier, selected_tiers)
        if not valid:
            total = 0
        paginator = KnownCountPaginator(result, per_page, count=total)
        page = paginator.get_page(self.request.GET.get("page"))
        offset = (page.number - 1) * per_page
        ids = selectors.page_ids(result, SORTS[sort], offset, per_page, total) if total else []
        rows = [
            {"influencer": row, "primary": row.primary, "platforms": row.platforms}
            for row in (selectors.roster_rows(ids) if ids else [])
        ]
        options = {}
        if not self.partial():
            options = {
                name: select_options(filterset.form[name]) for name in filterset.option_fields
            }
            options.update(
                sort=select_options(display["sort"]), per_page=select_options(display["per_page"])
            )
        context.update(
            filterset=filterset,
            filter_form=filterset.form,
            options=options,
            display_form=display,
            tier_counts=tier_counts,
            rows=rows,
            page_obj=page,
            paginator=paginator,
            total=total,
            export_query=self.request.GET.urlencode(),
            # The influencer pages' breadcrumb leads back to this very page, filters and all.
            detail_query=back_query(self.request),
        )
        return context


class InfluencerExportView(RosterMixin, TemplateView):
    """The filtered roster as CSV in the import template's columns, streamed: 100,000 rows never
    sit in memory together. UTF-8 with a BOM (so Excel reads accents and CJK), formula-looking
    text neutralised; edited and uploaded to the import, it updates the same influencers."""

    header = template_columns()
    # Choice labels are the same on every row: neutralised once.
    status_cells = {value: neutralise(str(label)) for value, label in Influencer.Status.choices}
    platform_cells = {value: neutralise(str(label)) for value, label in Platform.choices}

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        if filterset.is_bound and not filterset.is_valid():
            queryset = filterset.queryset.none()
        else:
            queryset = self.filtered(filterset)

        def lines():
            # One string per chunk of influencers (2,000), not per row.
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(self.header)
            yield "\ufeff" + buffer.getvalue()
            for chunk in selectors.roster_export_rows(queryset):
                buffer.seek(0)
                buffer.truncate()
                writer.writerows([self.row(*influencer) for influencer in chunk])
                yield buffer.getvalue()

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="roster-{stamp}.csv"'
        return response

    @classmethod
    def row(cls, values, niches, accounts):
        """One influencer's cells in template_columns() order, from selectors.roster_export_rows,
        each text cell neutralised once; the first MAX_ACCOUNTS accounts (the import leaves any
        others as they are)."""
        _, name, email, phone, country, city, status, owner, notes = values
        accounts = accounts[:MAX_ACCOUNTS]
        texts = [name, email, phone, country, city, owner or "", niches, notes]
        for account in accounts:
            texts += account[1:3]  # handle, url
        texts = neutralise_texts(texts)
        cells = texts[:5]
        cells.append(cls.status_cells.get(status) or neutralise(status))
        cells += texts[5:8]
        for index, (platform, _, _, followers, engagement_rate) in enumerate(accounts):
            cells += (
                cls.platform_cells.get(platform) or neutralise(platform),
                texts[8 + 2 * index],
                texts[9 + 2 * index],
                followers,  # numbers stay numbers (neutralise leaves them as they are)
                engagement_rate,
            )
        cells += [""] * (len(cls.header) - len(cells))
        return cells


def _accounts_summary(accounts):
    """Accounts (models or dicts) as sorted "platform @handle: followers" lines, to compare."""
    rows = []
    for account in accounts:
        get = account.get if isinstance(account, dict) else account.__dict__.get
        platform = SocialAccount.Platform(get("platform")).label if get("platform") else ""
        handle = normalise_handle(get("handle")).lower()
        rows.append(f"{platform} @{handle}: {get('followers') or 0:,} followers")
    return sorted(rows)


class InfluencerFormMixin(PermissionRequiredMixin):
    """Create and edit share the form, the accounts formset and the template."""

    template_name = "influencers/influencer_form.html"
    raise_exception = True

    def forms(self, instance):
        data = self.request.POST if self.request.method == "POST" else None
        # A new influencer is owned by whoever adds it, unless they pick someone else.
        initial = {"owner": self.request.user.pk} if instance is None else None
        form = InfluencerForm(data, instance=instance, initial=initial)
        formset = SocialAccountFormSet(data, instance=instance, prefix="accounts")
        return form, formset

    def render_forms(self, form, formset, status=200, conflict_rows=None):
        context = {
            "form": form,
            "formset": formset,
            "influencer": self.influencer,
            "conflict_rows": conflict_rows,
        }
        response = self.response_class(
            request=self.request, template=[self.template_name], context=context
        )
        response.status_code = status
        return response

    def get(self, request, *args, **kwargs):
        return self.render_forms(*self.forms(self.influencer))

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(self.influencer or Influencer())
        if form.is_valid() and formset.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "niches"}
            accounts = [
                {
                    **{name: account_form.cleaned_data[name] for name in ACCOUNT_FIELDS},
                    **({"pk": account_form.instance.pk} if account_form.instance.pk else {}),
                }
                for account_form in formset.forms
                if account_form.has_changed() or account_form.instance.pk
                if account_form.cleaned_data and not account_form.cleaned_data.get("DELETE")
            ]
            try:
                influencer = self.save(fields, form.cleaned_data["niches"], accounts)
            except EditConflict as conflict:
                return self.render_conflict(form, formset, conflict, accounts)
            except ValidationError as error:
                # Only a race with another save gets here (the forms checked the same rules);
                # the messages may name account fields, so show them above the form.
                form.add_error(None, error.messages)
            else:
                messages.success(request, f"{influencer.name} saved.")
                return redirect(influencer)
        elif self.influencer is not None:
            # Invalid because someone else changed the record (e.g. deleted an account this form
            # still lists)? Then say so, rather than only "select a valid choice".
            conflict = stale_version_conflict(form, self.influencer)
            if conflict is not None:
                return self.render_conflict(form, formset, conflict)
        return self.render_forms(form, formset, status=400)

    def render_conflict(self, form, formset, conflict, accounts=None):
        rows = refuse_conflict(form, conflict)
        theirs = _accounts_summary(conflict.current.accounts.all())
        if accounts is None or theirs != _accounts_summary(accounts):
            rows.append(("Social accounts", "; ".join(theirs) or "none"))
        return self.render_forms(form, formset, status=409, conflict_rows=rows)


class InfluencerCreateView(InfluencerFormMixin, TemplateView):
    permission_required = "influencers.add_influencer"
    influencer = None

    def save(self, fields, niches, accounts):
        return influencer_create(niches=niches, accounts=accounts, **fields)


class InfluencerUpdateView(InfluencerFormMixin, TemplateView):
    permission_required = "influencers.change_influencer"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.influencer = get_object_or_404(Influencer, pk=kwargs["pk"])

    def save(self, fields, niches, accounts):
        return influencer_update(
            influencer=self.influencer, niches=niches, accounts=accounts, **fields
        )


class InfluencerDeleteView(PermissionRequiredMixin, TemplateView):
    """Delete an influencer without partnerships; otherwise explain why and offer to archive."""

    template_name = "influencers/influencer_confirm_delete.html"
    permission_required = "influencers.delete_influencer"
    raise_exception = True

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.influencer = get_object_or_404(Influencer, pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            influencer=self.influencer,
            partnership_count=self.influencer.partnerships.count(),
            archive_statuses=[
                (value, label)
                for value, label in Influencer.Status.choices
                if value != Influencer.Status.ACTIVE
            ],
        )
        return context

    def post(self, request, *args, **kwargs):
        name = self.influencer.name
        try:
            influencer_delete(influencer=self.influencer)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.render_to_response(self.get_context_data(), status=409)
        messages.success(request, f"{name} deleted.")
        return redirect("influencers:influencer-list")


@require_POST
@permission_required("influencers.change_influencer", raise_exception=True)
def influencer_archive_view(request, pk):
    influencer = get_object_or_404(Influencer, pk=pk)
    status = request.POST.get("status") or Influencer.Status.DO_NOT_CONTACT
    if status not in Influencer.Status.values:
        messages.error(request, "Choose Paused or Do not contact.")
        return redirect("influencers:influencer-delete", pk=pk)
    try:
        influencer_archive(influencer=influencer, status=status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("influencers:influencer-delete", pk=pk)
    messages.success(
        request, f"{influencer.name} archived (status: {influencer.get_status_display()})."
    )
    return redirect(reverse("influencers:influencer-detail", args=[pk]))


@never_cache
def tier_stylesheet(request):
    """Badge colours for the tiers as they are now (colours are checked hex values)."""
    rules = [
        f".tier-{tier_id}{{background-color:{color}}}"
        for tier_id, color in Tier.objects.values_list("pk", "color")
    ]
    return HttpResponse("\n".join(rules), content_type="text/css")
