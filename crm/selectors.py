"""Reads of crm's own models."""

import hashlib

from django.utils import timezone

from crm.models import PendingUpload


def pending_upload_get(*, owner, token):
    """The owner's unexpired upload with this token, its bytes intact; else None.

    Another user's token, an expired upload and altered bytes all read as gone."""
    upload = PendingUpload.objects.filter(
        owner=owner, token=str(token)[:64], expires_at__gt=timezone.now()
    ).first()
    if upload is None:
        return None
    upload.data = bytes(upload.data)  # PostgreSQL returns a memoryview
    if hashlib.sha256(upload.data).hexdigest() != upload.sha256:
        return None
    return upload
