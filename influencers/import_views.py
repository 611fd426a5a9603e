"""Roster import pages: template download, upload, preview, confirm.

The uploaded file waits in the database (crm.models.PendingUpload: a random token that only the
session knows, tied to the uploading user, expiring after a day) between the preview and the
confirm, so any app server can answer either; the confirm re-reads and re-validates it, so
nothing the browser posts is trusted as row data.
"""

import csv

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from crm.csv_safety import neutralise_row
from crm.selectors import pending_upload_get
from crm.services import pending_upload_create, pending_upload_delete
from influencers.imports import (
    ACCOUNT_COLUMNS,
    ERRORS_FILE_COLUMNS,
    INFLUENCER_COLUMNS,
    MAX_ACCOUNTS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    ImportRefused,
    influencers_import,
    parse_roster_file,
    refused_rows,
    roster_import_plan,
    template_columns,
)

SESSION_KEY = "roster_import"
ERRORS_SHOWN = 1000
PREVIEW_ROWS = 50
IMPORT_PERMISSIONS = ("influencers.add_influencer", "influencers.change_influencer")


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label="CSV or XLSX file",
        help_text=f"Up to {MAX_FILE_BYTES // 1024 // 1024} MB and {MAX_ROWS:,} rows.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("preview", "Upload and preview"))
        self.parsed = None
        self.data_bytes = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = MAX_FILE_BYTES // 1024 // 1024
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is {limit} MB. "
                f"Split it into smaller files."
            )
        self.data_bytes = upload.read()
        try:
            self.parsed = parse_roster_file(filename=upload.name, data=self.data_bytes)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class ImportPermissionMixin(PermissionRequiredMixin):
    permission_required = IMPORT_PERMISSIONS
    raise_exception = True


class InfluencerImportView(ImportPermissionMixin, FormView):
    template_name = "influencers/import.html"
    form_class = RosterImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            influencer_columns=INFLUENCER_COLUMNS,
            account_columns=ACCOUNT_COLUMNS,
            max_accounts=MAX_ACCOUNTS,
            max_rows=MAX_ROWS,
            max_megabytes=MAX_FILE_BYTES // 1024 // 1024,
        )
        return context

    def form_valid(self, form):
        previous = self.request.session.get(SESSION_KEY)
        if previous:
            pending_upload_delete(owner=self.request.user, token=previous["token"])
        upload = pending_upload_create(
            owner=self.request.user, filename=form.parsed.filename, data=form.data_bytes
        )
        self.request.session[SESSION_KEY] = {"token": upload.token, "filename": upload.filename}
        return redirect("influencers:import-preview")


def _session_parsed(request):
    """(session data, parsed file) for the upload being previewed, or a redirect to start over."""
    session_data = request.session.get(SESSION_KEY)
    if not session_data:
        messages.info(request, "Upload a file to preview an import.")
        return None, redirect("influencers:influencer-import")
    upload = pending_upload_get(owner=request.user, token=session_data.get("token", ""))
    if upload is None:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, "The uploaded file is no longer available; upload it again.")
        return None, redirect("influencers:influencer-import")
    try:
        return session_data, parse_roster_file(filename=upload.filename, data=upload.data)
    except ImportFileError as error:  # it parsed at upload time; only a code change gets here
        request.session.pop(SESSION_KEY, None)
        messages.error(request, str(error))
        return None, redirect("influencers:influencer-import")


class InfluencerImportPreviewView(ImportPermissionMixin, TemplateView):
    template_name = "influencers/import_preview.html"

    def get(self, request, *args, **kwargs):
        session_data, parsed = _session_parsed(request)
        if session_data is None:
            return parsed  # the redirect
        plan = roster_import_plan(parsed)
        return self.render_to_response(self.preview_context(session_data, plan))

    @staticmethod
    def preview_context(session_data, plan):
        return {
            "plan": plan,
            "token": session_data["token"],
            # The invalid rows this preview shows, posted back by "skip them and import the
            # rest": the confirm imports only if they are still exactly the invalid ones.
            "skip_rows": ",".join(str(number) for number in sorted(plan.invalid_rows)),
            "errors_shown": plan.errors[:ERRORS_SHOWN],
            "errors_hidden": max(0, len(plan.errors) - ERRORS_SHOWN),
            "sample_rows": plan.rows[:PREVIEW_ROWS],
            "rows_hidden": max(0, len(plan.rows) - PREVIEW_ROWS),
        }


def _row_numbers(text):
    """Row numbers from "3,7,12"; anything else in the list is dropped (it then matches no
    preview, and nothing is imported)."""
    return {int(n) for n in text.split(",") if n.isascii() and n.isdigit() and len(n) <= 9}


class InfluencerImportConfirmView(ImportPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session_data, parsed = _session_parsed(request)
        if session_data is None:
            return parsed
        if request.POST.get("token") != session_data["token"]:
            messages.error(
                request,
                "This preview is out of date: another file was uploaded since. Nothing was "
                "imported; check the latest preview.",
            )
            return redirect("influencers:import-preview")
        skip_rows = None
        if request.POST.get("skip_invalid"):
            skip_rows = _row_numbers(request.POST.get("skip_rows", ""))
        try:
            result = influencers_import(parsed=parsed, user=request.user, skip_rows=skip_rows)
        except ImportRefused as refused:
            if skip_rows is None:
                text = (
                    f"Nothing was imported: {refused.plan.invalid:,} row(s) have errors. Fix them "
                    f"in the file and upload it again, or import only the valid rows; the import "
                    f"runs only when every row is valid."
                )
            else:
                text = (
                    "Nothing was imported: the rows with errors are not the ones the preview "
                    "showed (the roster changed meanwhile). Check this preview and choose again."
                )
            messages.error(request, text)
            context = InfluencerImportPreviewView.preview_context(session_data, refused.plan)
            view = InfluencerImportPreviewView(request=request)
            return view.render_to_response(context, status=400)
        except IntegrityError:
            messages.error(
                request,
                "Nothing was imported: the roster changed while importing (a handle was added "
                "meanwhile). Check the preview again and confirm.",
            )
            return redirect("influencers:import-preview")
        pending_upload_delete(owner=request.user, token=session_data["token"])
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request,
            f"Imported {session_data['filename']}: {result.created:,} influencer(s) created, "
            f"{result.updated:,} matched by handle ({result.changed:,} changed); "
            f"{result.accounts_created:,} account(s) added, {result.accounts_updated:,} changed."
            + (
                f" {result.skipped:,} row(s) with errors skipped, as chosen."
                if result.skipped
                else ""
            ),
        )
        return redirect(reverse("influencers:influencer-list"))


class InfluencerImportErrorsView(ImportPermissionMixin, View):
    """The refused rows of the previewed file, as they are in it, each with its errors: fixed,
    the file imports as it is (the import does not read its row and errors columns)."""

    def get(self, request, *args, **kwargs):
        session_data, parsed = _session_parsed(request)
        if session_data is None:
            return parsed
        plan = roster_import_plan(parsed)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="import-errors.csv"'
        response.write("\ufeff")  # so Excel reads the file as UTF-8
        writer = csv.writer(response)
        columns = [c for c in parsed.columns if c not in ERRORS_FILE_COLUMNS]
        writer.writerow([*ERRORS_FILE_COLUMNS, *columns])
        for number, reasons, cells in refused_rows(parsed, plan):
            writer.writerow(neutralise_row([number, reasons, *cells]))
        return response


class ImportTemplateView(ImportPermissionMixin, View):
    """The empty CSV template: the header row with every column."""

    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="roster-import-template.csv"'
        response.write("\ufeff")
        csv.writer(response).writerow(template_columns())
        return response
