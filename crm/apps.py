from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_roles_after_migrate(sender, app_config=None, using="default", **kwargs):
    """Keep the role groups complete after every migrate (and test-database flush).

    post_migrate is sent once per app, and permissions are created per app by the same signal, so
    act only on the last app: by then every model's permissions exist.
    """
    from django.apps import apps

    from crm.roles import roles_sync

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if not with_models or sender.label != with_models[-1].label:
        return
    roles_sync(using=using)


def drop_cached_reads(sender, using="default", **kwargs):
    """Groups, permissions, users or their memberships changed: drop the cached permission sets
    and user lists (crm/cache.py)."""
    from crm.cache import invalidate

    invalidate(using=using)


def drop_cached_reads_on_user_save(sender, update_fields=None, using="default", **kwargs):
    # Every log-in saves last_login alone: that changes no permission and no name.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    drop_cached_reads(sender, using=using)


class CrmConfig(AppConfig):
    name = "crm"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import request_finished, request_started

        from crm import cache
        from crm.security import SessionTimeouts

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="crm.sync_roles")
        self.connect_cache_invalidation()
        # A request reads the cache's generation once (crm/cache.py).
        request_started.connect(cache.request_started, dispatch_uid="crm.cache.request_started")
        request_finished.connect(cache.request_finished, dispatch_uid="crm.cache.request_finished")
        # The log-in stamps the session, so the first page after it writes nothing more.
        user_logged_in.connect(SessionTimeouts.stamp, dispatch_uid="crm.session_stamp")

    @staticmethod
    def connect_cache_invalidation():
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_save

        user_model = get_user_model()
        # Data migrations write with historical models, which send no signals to these.
        post_migrate.connect(drop_cached_reads, dispatch_uid="crm.cache.migrate")
        post_save.connect(
            drop_cached_reads_on_user_save, sender=user_model, dispatch_uid="crm.cache.user"
        )
        for model in (user_model, Group, Permission):
            post_delete.connect(
                drop_cached_reads, sender=model, dispatch_uid=f"crm.cache.del.{model._meta.label}"
            )
        for model in (Group, Permission):
            post_save.connect(
                drop_cached_reads, sender=model, dispatch_uid=f"crm.cache.save.{model._meta.label}"
            )
        for through in (
            Group.permissions.through,
            user_model.groups.through,
            user_model.user_permissions.through,
        ):
            m2m_changed.connect(
                drop_cached_reads,
                sender=through,
                dispatch_uid=f"crm.cache.m2m.{through._meta.label}",
            )
