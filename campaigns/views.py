from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import CreateView, UpdateView

from campaigns.forms import CampaignForm
from campaigns.models import Campaign
from campaigns.services import campaign_create, campaign_update
from crm.concurrency import EditConflict, EditConflictViewMixin


class CampaignFormMixin(EditConflictViewMixin, PermissionRequiredMixin):
    """Saves through the campaign services; a refusal from the model lands beside its field, a
    save from a form loaded before someone else's is refused (409) with their values shown."""

    model = Campaign
    form_class = CampaignForm
    template_name = "campaigns/campaign_form.html"
    raise_exception = True

    def form_valid(self, form):
        try:
            self.object = self.save(form.cleaned_data)
        except EditConflict as conflict:
            return self.render_conflict(form, conflict)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message.format(name=self.object.name))
        return redirect(self.get_success_url())


class CampaignCreateView(CampaignFormMixin, CreateView):
    permission_required = "campaigns.add_campaign"
    success_message = "Campaign \u201c{name}\u201d created."

    def get_initial(self):
        return {"owner": self.request.user.pk, "start_date": timezone.localdate()}

    def save(self, data):
        return campaign_create(**data)


class CampaignUpdateView(CampaignFormMixin, UpdateView):
    permission_required = "campaigns.change_campaign"
    success_message = "Campaign \u201c{name}\u201d saved."

    def save(self, data):
        return campaign_update(campaign=self.object, **data)
