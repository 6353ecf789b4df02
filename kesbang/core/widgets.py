"""Form widgets drawn in Python: Django renders every <option> through a template include, which
made a filter form with a few hundred choices the slowest part of a list page (``make bench``)."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from kesbang.core.tables import escape


class FastSelect(forms.Select):
    """A single ``<select>`` with the same markup as Django's template, built with ``format_html``."""

    def render(self, name, value, attrs=None, renderer=None):
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        selected = {str(v) for v in self.format_value(value)}
        out = ["<select", *_attrs(final), ">"]
        for option_value, label in _choices(self.choices):
            if isinstance(label, list | tuple):  # an optgroup
                out.append(format_html('<optgroup label="{}">', option_value))  # noqa: RUF100
                for sub_value, sub_label in label:
                    out.append(self._option(sub_value, sub_label, selected))
                out.append("</optgroup>")
            else:
                out.append(self._option(option_value, label, selected))
        out.append("</select>")
        return mark_safe("".join(out))  # noqa: S308 - every part escaped above

    @staticmethod
    def _option(value, label, selected) -> str:
        text = "" if value is None else str(value)
        mark = " selected" if text in selected else ""
        return f'<option value="{escape(text)}"{mark}>{escape(label)}</option>'


def _choices(choices):
    """The choices; a model choice field's queryset is read in one ordinary query (Django's iterator
    opens a server-side cursor: on PostgreSQL three round trips for a few dozen rows), and its options
    are kept until a write of their rows (``kesbang.core.generations.cached_choices``; a field whose
    options are the same for every reader names them in ``shared_options``)."""
    if not isinstance(choices, ModelChoiceIterator):
        yield from choices
        return
    from kesbang.core.generations import cached_choices

    field = choices.field
    if field.empty_label is not None:
        yield "", field.empty_label
    queryset = choices.queryset
    yield from cached_choices(
        queryset, lambda: [(field.prepare_value(obj), field.label_from_instance(obj)) for obj in list(queryset)],
        kind=f"{type(field).__module__}.{type(field).__qualname__}", shared=getattr(field, "shared_options", ""))


def _attrs(attrs: dict):
    """Attributes in the given order (``flatatt`` sorts them; Django's template does not)."""
    for key, value in attrs.items():
        if value is True:
            yield f" {escape(key)}"
        elif value is not False and value is not None:
            yield f' {escape(key)}="{escape(value)}"'


class FastInputMixin:
    """An ``<input>`` drawn in Python with the markup of Django's ``input.html`` and ``attrs.html``
    (three template renders per input otherwise: 0.3 ms for the member list's two search boxes)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
        return mark_safe(  # noqa: S308 - every part escaped
            f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
            f'{shown}{"".join(_attrs(widget["attrs"]))}>')


# The same class names as Django's (crispy puts the lowered name in the class attribute).
FAST_INPUTS = {cls: type(cls.__name__, (FastInputMixin, cls), {"__module__": __name__})
               for cls in (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput,
                           forms.HiddenInput)}


def fast_selects(form) -> None:
    """Swap the plain single selects of ``form`` for ``FastSelect`` (same markup, no template per
    option) and its plain text, number, email, address and hidden inputs for ``FAST_INPUTS``."""
    for field in form.fields.values():
        widget = field.widget
        kind = type(widget)
        if kind is forms.Select:
            widget.__class__ = FastSelect
        elif kind in FAST_INPUTS:
            widget.__class__ = FAST_INPUTS[kind]
