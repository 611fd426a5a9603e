"""Users in the admin: only a superuser may grant superuser or staff status.

The Admin role manages users (roles, passwords, activation), but without this an Admin-role
user could tick is_superuser on any account, their own included, and so pass every
permission check."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

User = get_user_model()

admin.site.unregister(User)


@admin.register(User)
class GuardedUserAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, "is_superuser", "is_staff")
