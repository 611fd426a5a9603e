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


class CrmConfig(AppConfig):
    name = "crm"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from crm.security import SessionTimeouts

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="crm.sync_roles")
        # The log-in stamps the session, so the first page after it writes nothing more.
        user_logged_in.connect(SessionTimeouts.stamp, dispatch_uid="crm.session_stamp")
