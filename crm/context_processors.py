from django.conf import settings


def display(request):
    """Values every template may show (the display currency)."""
    return {"CURRENCY": settings.CURRENCY}
