"""The influencer pages that read partnerships: the roster (its "has an active partnership"
filter) and the influencer page (partnerships, results). They live here, above influencers;
crm/urls.py mounts partnerships/influencer_urls.py in the influencers namespace, so the URLs and
their names are those of influencers/urls.py."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from crm.metrics import DEFINITIONS, LABELS
from crm.navigation import safe_back_url
from influencers import selectors
from influencers import views as influencer_views
from influencers.forms import InteractionForm
from influencers.models import Influencer
from influencers.services import interaction_create
from partnerships import influencer_selectors
from partnerships.filters import PartnershipRosterFilterSet


class InfluencerListView(influencer_views.InfluencerListView):
    filterset_class = PartnershipRosterFilterSet
    template_name = "partnerships/roster.html"


class InfluencerExportView(influencer_views.InfluencerExportView):
    filterset_class = PartnershipRosterFilterSet


class InfluencerDetailView(DetailView):
    template_name = "influencers/influencer_detail.html"
    context_object_name = "influencer"

    def get_object(self, queryset=None):
        try:
            return selectors.influencer_detail(self.kwargs["pk"])
        except Influencer.DoesNotExist as error:
            raise Http404("No such influencer.") from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        influencer = self.object
        next_tier, to_next = selectors.distance_to_next_tier(influencer)
        partnerships = [
            (
                partnership,
                influencer_selectors.partnership_results(partnership, influencer.followers),
            )
            for partnership in influencer_selectors.influencer_partnerships(influencer)
        ]
        roster = reverse("influencers:influencer-list")
        context.update(
            roster_url=safe_back_url(self.request, roster, path=roster),
            accounts=list(influencer.accounts.all()),
            niches=list(influencer.niches.all()),
            next_tier=next_tier,
            to_next_tier=to_next,
            partnerships=partnerships,
            results=influencer_selectors.influencer_results(influencer),
            interactions=selectors.influencer_interactions(influencer),
            definitions=DEFINITIONS,
            labels=LABELS,
        )
        if "interaction_form" not in context and self.request.user.has_perm(
            "influencers.add_interaction"
        ):
            context["interaction_form"] = InteractionForm(influencer=influencer)
        return context


@require_POST
@permission_required("influencers.add_interaction", raise_exception=True)
def interaction_create_view(request, pk):
    influencer = get_object_or_404(Influencer, pk=pk)
    form = InteractionForm(request.POST, influencer=influencer)
    if form.is_valid():
        try:
            interaction_create(influencer=influencer, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Interaction logged.")
            return redirect(f"{influencer.get_absolute_url()}#interactions")
    view = InfluencerDetailView(request=request, kwargs={"pk": pk}, args=())
    view.object = view.get_object()
    context = view.get_context_data(interaction_form=form)
    response = view.render_to_response(context)
    response.status_code = 400
    return response
