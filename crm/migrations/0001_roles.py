"""The Admin, Marketer and Viewer groups with their model permissions (mapping: crm/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from crm.roles import roles_sync

    # Permissions are normally created after the whole migrate run (post_migrate); create them
    # now so the groups can be given them in this migration.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_sync(apps=apps, using=schema_editor.connection.alias)


def remove_roles(apps, schema_editor):
    from crm.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(
        name__in=ROLE_PERMISSIONS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("influencers", "0004_tier_threshold_message"),
        ("campaigns", "0002_initial"),
        ("partnerships", "0001_initial"),
        ("audit", "0001_historical_records"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
