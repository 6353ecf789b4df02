"""Form helpers shared by every app: a service's ValidationError onto a form, the crispy helper."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

DATE_WIDGET_FORMAT = "%Y-%m-%d"


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where the form has that field,
    otherwise as a non-field error (shown at the top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)
    else:
        form.add_error(None, exc)


def form_helper(*layout) -> FormHelper:
    """crispy helper: the template owns <form> and {% csrf_token %} (house style 8)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format=DATE_WIDGET_FORMAT)


def date_field(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    """A browser date picker field (ISO value, shown in the browser's locale)."""
    return forms.DateField(label=label, required=required, help_text=help_text, widget=date_widget())


def model_field(model: type[models.Model], name: str, **overrides) -> forms.Field:
    """The form field of a model field (label, max_length, validators), with overrides; plain
    ``forms.Form`` built from model fields instead of ModelForms (no ``form.save()``)."""
    field = model._meta.get_field(name).formfield(**overrides)
    if isinstance(field, forms.DateField):
        field.widget = date_widget()
    return field


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()
