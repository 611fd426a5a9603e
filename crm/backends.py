"""The authentication backend: Django's ModelBackend, with each user's permissions cached."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from crm.cache import cached


class CachedPermissionsBackend(ModelBackend):
    """ModelBackend whose permission set per user comes from crm.cache: a page checking
    permissions (the navigation, buttons, views) runs no permission query. Any change to groups,
    permissions or a user's groups drops the cached sets (crm/apps.py)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = f"crm:perms:{user_obj.pk}:{int(user_obj.is_superuser)}"
            user_obj._perm_cache = cached(key, lambda: self._read_permissions(user_obj))
        return user_obj._perm_cache

    def _read_permissions(self, user_obj):
        """The user's own and their groups' permissions, in one query."""
        perms = Permission.objects.all()
        if not user_obj.is_superuser:
            perms = perms.filter(Q(user=user_obj) | Q(group__user=user_obj))
        names = perms.values_list("content_type__app_label", "codename").order_by()
        return frozenset(f"{app_label}.{codename}" for app_label, codename in names.distinct())
