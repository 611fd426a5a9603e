"""Forms of the project itself (no app's models)."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's login form with its username length enforced: AuthenticationForm sets the
    field's max_length after the field was built, so no validator checked it, and a long
    username reached the lockout's 255-character column (a 500 on PostgreSQL)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
