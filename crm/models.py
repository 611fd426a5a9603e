from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PendingUpload(models.Model):
    """An uploaded file waiting between an import's preview and its confirm.

    In the database, not on a server's disk, so behind a load balancer the confirm can land on
    any app server. Only its owner can read it back; it expires (crm.services)."""

    token = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_uploads"
    )
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.filename} ({self.owner_id}, until {self.expires_at:%Y-%m-%d %H:%M})"
