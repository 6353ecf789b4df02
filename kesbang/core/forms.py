"""Form helpers shared by every app: a service's ValidationError onto a form, the crispy helper."""

import datetime
import functools

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

DATE_WIDGET_FORMAT = "%Y-%m-%d"


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where the form has that field,
    otherwise as a non-field error (shown at the top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)
    else:
        form.add_error(None, exc)


def unbound_form_html(form_class) -> str:
    """The crispy markup of an unbound ``form_class`` in the active language, drawn once per process
    and language. For a form a page only ever shows empty (its errors are shown on the form's own
    page): the incident detail's upload form drew its two fields through crispy's templates on every
    visit, 1.5 of the page's 16 ms (``make bench``). The form must not depend on the request."""
    from django.utils import translation
    from django.utils.safestring import mark_safe

    return mark_safe(_unbound_form_html(form_class, translation.get_language()))  # noqa: S308 - crispy's output


@functools.lru_cache(maxsize=32)
def _unbound_form_html(form_class, language: str) -> str:
    from crispy_forms.utils import render_crispy_form

    return str(render_crispy_form(form_class()))


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


# --- Uploads: the form side of the core upload checks (kesbang.core.uploads) ---------------------------

UPLOAD_ACCEPT = ".pdf,.jpg,.jpeg,.png,.xlsx,.docx"


class UploadField(forms.FileField):
    """One private file, refused early with the same Indonesian messages as the service (core
    ``validate_upload``: name, empty, size, content, extension). The service checks again: it is the
    authority; the form only answers before anything is stored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": _("Berkas tidak dapat dibaca; coba unggah ulang.")})
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", UPLOAD_ACCEPT)

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded:
            self.check(uploaded)
        return uploaded

    @staticmethod
    def check(uploaded) -> None:
        from kesbang.core.uploads import validate_upload

        validate_upload(uploaded)
        uploaded.seek(0)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleUploadField(UploadField):
    """Several private files at once (at most ``MAX_FILES_PER_REQUEST``), each as ``UploadField``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        from kesbang.core.uploads import MAX_FILES_PER_REQUEST

        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_FILES_PER_REQUEST:
            raise forms.ValidationError(_("Paling banyak %(max)s lampiran sekaligus.") % {"max": MAX_FILES_PER_REQUEST})
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        cleaned = [forms.FileField.clean(self, f, initial) for f in files]
        for f in cleaned:
            self.check(f)
        return cleaned
