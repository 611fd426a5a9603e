"""Roster import pages: template download, upload, preview, confirm.

The uploaded file is kept server-side (a temp file named by a random token that only the
session knows) between the preview and the confirm; the confirm re-reads and re-validates it,
so nothing the browser posts is trusted as row data.
"""

import csv
import hashlib
import secrets
import tempfile
import time
from pathlib import Path

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from crm.csv_safety import neutralise_row
from influencers.imports import (
    ACCOUNT_COLUMNS,
    INFLUENCER_COLUMNS,
    MAX_ACCOUNTS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    ImportRefused,
    influencers_import,
    parse_roster_file,
    roster_import_plan,
    template_columns,
)

SESSION_KEY = "roster_import"
KEEP_UPLOADS_SECONDS = 24 * 60 * 60
ERRORS_SHOWN = 1000
PREVIEW_ROWS = 50
IMPORT_PERMISSIONS = ("influencers.add_influencer", "influencers.change_influencer")


def upload_dir():
    configured = getattr(settings, "ROSTER_IMPORT_DIR", None)
    if configured:
        return Path(configured)
    if settings.MEDIA_ROOT:
        return Path(settings.MEDIA_ROOT) / "tmp" / "roster-imports"
    return Path(tempfile.gettempdir()) / "crm-roster-imports"


def _store_upload(data):
    directory = upload_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    cutoff = time.time() - KEEP_UPLOADS_SECONDS
    for old in directory.glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    path = directory / f"{token}.upload"
    path.touch(mode=0o600)
    path.write_bytes(data)
    return token


def _load_upload(session_data):
    """The stored bytes for the session's upload, or None if gone or altered."""
    token = session_data.get("token", "")
    if not token.isalnum():
        return None
    path = upload_dir() / f"{token}.upload"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != session_data.get("sha256"):
        return None
    return data


def _discard_upload(session_data):
    token = session_data.get("token", "")
    if token.isalnum():
        (upload_dir() / f"{token}.upload").unlink(missing_ok=True)


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
            _discard_upload(previous)
        data = form.data_bytes
        self.request.session[SESSION_KEY] = {
            "token": _store_upload(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "filename": form.parsed.filename,
        }
        return redirect("influencers:import-preview")


def _session_parsed(request):
    """(session data, parsed file) for the upload being previewed, or a redirect to start over."""
    session_data = request.session.get(SESSION_KEY)
    if not session_data:
        messages.info(request, "Upload a file to preview an import.")
        return None, redirect("influencers:influencer-import")
    data = _load_upload(session_data)
    if data is None:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, "The uploaded file is no longer available; upload it again.")
        return None, redirect("influencers:influencer-import")
    try:
        return session_data, parse_roster_file(filename=session_data["filename"], data=data)
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
            "errors_shown": plan.errors[:ERRORS_SHOWN],
            "errors_hidden": max(0, len(plan.errors) - ERRORS_SHOWN),
            "sample_rows": plan.rows[:PREVIEW_ROWS],
            "rows_hidden": max(0, len(plan.rows) - PREVIEW_ROWS),
        }


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
        try:
            result = influencers_import(parsed=parsed, user=request.user)
        except ImportRefused as refused:
            messages.error(
                request,
                f"Nothing was imported: {refused.plan.invalid:,} row(s) have errors. Fix them in "
                f"the file and upload it again; the import runs only when every row is valid.",
            )
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
        _discard_upload(session_data)
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request,
            f"Imported {session_data['filename']}: {result.created:,} influencer(s) created, "
            f"{result.updated:,} matched by handle ({result.changed:,} changed); "
            f"{result.accounts_created:,} account(s) added, {result.accounts_updated:,} changed.",
        )
        return redirect(reverse("influencers:influencer-list"))


class InfluencerImportErrorsView(ImportPermissionMixin, View):
    """Every error of the previewed file as CSV, for files with more than fit on the page."""

    def get(self, request, *args, **kwargs):
        session_data, parsed = _session_parsed(request)
        if session_data is None:
            return parsed
        plan = roster_import_plan(parsed)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="import-errors.csv"'
        response.write("\ufeff")  # so Excel reads the file as UTF-8
        writer = csv.writer(response)
        writer.writerow(["row", "column", "value", "reason"])
        for error in plan.errors:
            writer.writerow(neutralise_row([error.row, error.column, error.value, error.reason]))
        return response


class ImportTemplateView(ImportPermissionMixin, View):
    """The empty CSV template: the header row with every column."""

    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="roster-import-template.csv"'
        response.write("\ufeff")
        csv.writer(response).writerow(template_columns())
        return response
