"""Form widgets drawn in Python: Django renders every <option> through a template include, which
made a filter form with a few hundred choices the slowest part of a list page (``make bench``)."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


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
        return f'<option value="{conditional_escape(text)}"{mark}>{conditional_escape(label)}</option>'


def _choices(choices):
    """The choices; a model choice field's queryset is read in one ordinary query (Django's iterator
    opens a server-side cursor: on PostgreSQL three round trips for a few dozen rows), and its options
    are kept until a write of their rows (``kesbang.core.generations.cached_choices``)."""
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
        kind=f"{type(field).__module__}.{type(field).__qualname__}")


def _attrs(attrs: dict):
    """Attributes in the given order (``flatatt`` sorts them; Django's template does not)."""
    for key, value in attrs.items():
        if value is True:
            yield f" {conditional_escape(key)}"
        elif value is not False and value is not None:
            yield f' {conditional_escape(key)}="{conditional_escape(value)}"'


def fast_selects(form) -> None:
    """Swap the plain single selects of ``form`` for ``FastSelect`` (same markup, no template per option)."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.Select:
            widget.__class__ = FastSelect
