"""Writes of crm's own models (pending uploads); each in one transaction."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from crm.models import PendingUpload

PENDING_UPLOAD_LIFETIME = timedelta(hours=24)


@transaction.atomic
def pending_upload_create(*, owner, filename, data):
    """Keep an uploaded file for its owner until it is confirmed or expires; drop expired ones."""
    now = timezone.now()
    PendingUpload.objects.filter(expires_at__lte=now).delete()
    return PendingUpload.objects.create(
        token=secrets.token_hex(16),
        owner=owner,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        expires_at=now + PENDING_UPLOAD_LIFETIME,
    )


def pending_upload_delete(*, owner, token):
    """Forget an upload (confirmed, or replaced by a newer one)."""
    PendingUpload.objects.filter(owner=owner, token=token).delete()
