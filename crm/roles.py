"""Roles: the one place that says which Django model permissions each role (a group) holds.

Groups are created by the crm migration and kept exactly in step with this mapping after every
`migrate` (post_migrate, see crm/apps.py), so a model added later (say a new partnerships model)
joins the roles on the next deploy. Change roles here, not in the admin: hand edits to these three
groups are reset by the next migrate.

Each entry is (app_label, model, actions): model is a model name or ALL (every model of the app,
including ones added later); actions is a tuple of actions or ALL (every permission, also custom
ones).
"""

from django.db.models import Q

ADMIN = "Admin"
MARKETER = "Marketer"
VIEWER = "Viewer"

ALL = "*"
EDIT = ("add", "change", "delete", "view")
VIEW = ("view",)

ROLE_PERMISSIONS = {
    ADMIN: [
        ("influencers", ALL, ALL),
        ("campaigns", ALL, ALL),
        ("partnerships", ALL, ALL),
        # Read only, even for admins: a trail its readers can rewrite is no audit trail.
        ("audit", ALL, VIEW),
        ("auth", "user", ALL),
        ("auth", "group", ALL),
        # Unlocking a locked-out login means deleting its access attempts.
        ("axes", ALL, ALL),
    ],
    MARKETER: [
        ("influencers", "influencer", EDIT),
        ("influencers", "socialaccount", EDIT),
        ("influencers", "interaction", EDIT),
        # Thresholds and the niche list belong to the admin: a marketer reads them only.
        ("influencers", "tier", VIEW),
        ("influencers", "niche", VIEW),
        ("campaigns", "campaign", EDIT),
        ("partnerships", ALL, EDIT),
    ],
    VIEWER: [
        ("influencers", ALL, VIEW),
        ("campaigns", ALL, VIEW),
        ("partnerships", ALL, VIEW),
    ],
}

# Roles whose members may open the Django admin (is_staff).
STAFF_ROLES = {ADMIN}


def permissions_q(role):
    """A Q over auth.Permission selecting exactly the permissions of ``role``."""
    query = Q(pk__in=[])
    for app_label, model, actions in ROLE_PERMISSIONS[role]:
        entry = Q(content_type__app_label=app_label)
        if model != ALL:
            entry &= Q(content_type__model=model)
        if actions != ALL:
            action_q = Q(pk__in=[])
            for action in actions:
                if model == ALL:
                    action_q |= Q(codename__startswith=f"{action}_")
                else:
                    action_q |= Q(codename=f"{action}_{model}")
            entry &= action_q
        query |= entry
    return query


def roles_sync(*, apps=None, using="default"):
    """Create the role groups if missing and give each exactly its permissions from the mapping.

    ``apps`` is the migration state's registry inside a migration, the real one otherwise.
    """
    if apps is None:
        from django.apps import apps
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role in ROLE_PERMISSIONS:
        group, _ = group_model.objects.using(using).get_or_create(name=role)
        wanted = set(
            permission_model.objects.using(using)
            .filter(permissions_q(role))
            .values_list("pk", flat=True)
        )
        group.permissions.set(wanted)


def user_assign_role(*, user, role):
    """Make ``role`` the user's only role; Admins also get access to the Django admin."""
    from django.contrib.auth.models import Group
    from django.db import transaction

    if role not in ROLE_PERMISSIONS:
        raise ValueError(f"Unknown role {role!r}; expected one of {sorted(ROLE_PERMISSIONS)}.")
    with transaction.atomic():
        user.groups.remove(*Group.objects.filter(name__in=ROLE_PERMISSIONS).exclude(name=role))
        user.groups.add(Group.objects.get(name=role))
        is_staff = role in STAFF_ROLES or user.is_superuser
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])
    return user
