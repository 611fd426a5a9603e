"""Build the POST a browser would send from a rendered form page (what the user loaded)."""


def _value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def form_post_data(*forms):
    """The data of the given unbound (or bound) forms and formsets, as the page rendered them."""
    data = {}
    for form in forms:
        is_formset = hasattr(form, "management_form")
        parts = [form.management_form, *form.forms] if is_formset else [form]
        for part in parts:
            for bound_field in part:
                value = _value(bound_field)
                if value != "":
                    data[bound_field.html_name] = value
    return data


def admin_form_post_data(response):
    """The data of an admin change form page: its form and every inline formset."""
    context = response.context
    inlines = [inline.formset for inline in context["inline_admin_formsets"]]
    return form_post_data(context["adminform"].form, *inlines)
