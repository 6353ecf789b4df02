"""The list pages' filter forms drawn in Python with crispy-bootstrap5's markup.

crispy renders every field through ``bootstrap5/field.html`` (two dozen tags and filters, three
includes) and Django's widget templates: on the incident list that was 40 % of the page (``make
bench``, profile in the README). ``FastFilterHelper`` draws the same markup from Python for the
layouts the filter sets use (``Row``, ``Column``, field names, ``InlineCheckboxes``) and the widgets
in them (inputs, checkboxes, ``FastSelect``, inline checkbox lists); anything else falls back to
crispy as it was. ``tests/core/test_fastform.py`` holds the two to the same HTML for every filter
form, empty, filled in and with errors.

Settings it relies on, as the project uses them: the bootstrap5 pack, labels and errors shown, no
``label_class``/``field_class``, no horizontal form, errors inline (crispy's defaults).
"""

from __future__ import annotations

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils.formats import localize
from django.utils.safestring import mark_safe

from kesbang.core.tables import escape
from kesbang.core.widgets import FAST_INPUTS, FastSelect


class Unsupported(Exception):
    """A layout object or widget the fast path does not draw: crispy draws the whole form."""


def _attrs(attrs: dict) -> str:
    """Django's ``attrs.html``: in order, ``False`` left out, ``True`` as a bare name."""
    out = []
    for name, value in attrs.items():
        if value is True:
            out.append(f" {escape(name)}")
        elif value is not False:
            out.append(f' {escape(name)}="{escape(value)}"')
    return "".join(out)


def _add_classes(widget, *classes: str) -> None:
    """What crispy's ``crispy_field`` tag does to the widget: its class name, then ``classes``."""
    class_name = type(widget).__name__.lower()
    css = widget.attrs.get("class", "")
    if css:
        if css.find(class_name) == -1:
            css += f" {class_name}"
    else:
        css = class_name
    for extra in classes:
        if extra not in css.split():
            css += f" {extra}"
    widget.attrs["class"] = css


_INPUTS = (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput, forms.DateInput,
           forms.DateTimeInput, forms.TimeInput, forms.CheckboxInput)


def _widget_html(bound) -> str:
    """``str(bound)`` (``BoundField.as_widget``) with inputs drawn in Python, not Django's templates."""
    widget = bound.field.widget
    if type(widget) not in (*_INPUTS, *FAST_INPUTS.values(), FastSelect):
        raise Unsupported(type(widget).__name__)
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    if bound.field.localize:
        widget.is_localized = True
    if isinstance(widget, FastSelect):
        return widget.render(bound.html_name, bound.value(), attrs)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    value = "" if context["value"] is None else f' value="{escape(context["value"])}"'
    return f'<input type="{escape(context["type"])}" name="{escape(context["name"])}"{value}{_attrs(context["attrs"])}>'


def _label_text(bound) -> str:
    asterisk = '<span class="asteriskField">*</span>' if bound.field.required else ""
    return f"{escape(bound.label)}{asterisk}"


def _errors_inline(bound) -> str:
    """``bootstrap5/layout/help_text_and_errors.html`` with inline errors, then the help text."""
    out = []
    if bound.errors:
        spans = "".join(f'<span id="error_{n}_{bound.auto_id}"><strong>{escape(e)}</strong></span>'
                        for n, e in enumerate(bound.errors, start=1))
        out.append(f'<div id="{bound.errors.field_id}_error" class="invalid-feedback">{spans}</div>')
    out.append(_help_text(bound))
    return "".join(out)


def _help_text(bound) -> str:
    if not bound.help_text:
        return ""
    ident = f'id="{bound.auto_id}_helptext" ' if bound.auto_id else ""
    return f'<div {ident}class="form-text">{bound.help_text}</div>'  # |safe, as crispy


def _wrapper_classes(bound, wrapper_class: str) -> str:
    out = f" {wrapper_class}" if wrapper_class else ""
    css = bound.css_classes()
    return out + (f" {css}" if css else "")


def _field(bound, wrapper_class: str = "") -> str:
    """``bootstrap5/field.html`` for one field (not hidden, not a file, not a radio or checkbox list)."""
    widget = bound.field.widget
    invalid = " is-invalid" if bound.errors else ""
    if isinstance(widget, forms.CheckboxInput):
        _add_classes(widget, "form-check-input", *invalid.split())
        required = " requiredField" if bound.field.required else ""
        return (f'<div class="mb-3"><div id="div_{bound.auto_id}" class="form-check'
                f'{_wrapper_classes(bound, wrapper_class)}">{_widget_html(bound)}'
                f'<label for="{bound.id_for_label}" class="form-check-label{required}">{_label_text(bound)}</label>'
                f"{_errors_inline(bound)}</div></div>")
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.FileInput | forms.MultiWidget):
        raise Unsupported(type(widget).__name__)
    if bound.use_fieldset:
        raise Unsupported("fieldset")
    _add_classes(widget, "form-select" if isinstance(widget, forms.Select) else "form-control", *invalid.split())
    label = ""
    if bound.label:
        required = " requiredField" if bound.field.required else ""
        target = f'for="{bound.id_for_label}" ' if bound.id_for_label else ""
        label = f'<label {target}class="form-label{required}">{_label_text(bound)}</label>'
    return (f'<div id="div_{bound.auto_id}" class="mb-3{_wrapper_classes(bound, wrapper_class)}">{label}'
            f"{_widget_html(bound)}{_errors_inline(bound)}</div>")


def _inline_checkboxes(bound, wrapper_class: str = "") -> str:
    """``bootstrap5/layout/checkboxselectmultiple_inline.html`` (crispy's ``InlineCheckboxes``)."""
    from crispy_forms.templatetags.crispy_forms_filters import optgroups

    if not isinstance(bound.field.widget, forms.CheckboxSelectMultiple):
        raise Unsupported("InlineCheckboxes needs a checkbox list")
    invalid = " is-invalid" if bound.errors else ""
    out = [f'<div id="div_{bound.auto_id}" class="mb-3{_wrapper_classes(bound, wrapper_class)}">']
    if bound.label:
        described = f' aria-describedby="{bound.aria_describedby}"' if bound.aria_describedby else ""
        required = " requiredField" if bound.field.required else ""
        out.append(f'<fieldset{described}><legend for="{bound.id_for_label}" class=" fs-6 form-label{required}">'
                   f"{_label_text(bound)}</legend>")
    out.append("<div>")
    for group, options, _index in optgroups(bound):
        if group:
            out.append(f"<strong>{escape(group)}</strong>")
        for option in options:
            out.append(
                f'<div class="form-check form-check-inline"><input type="{escape(option["type"])}" '
                f'class="form-check-input{invalid}" name="{escape(bound.html_name)}" '
                f'value="{escape(_unlocalize(option["value"]))}"{_attrs(option["attrs"])}>'
                f'<label for="{escape(option["attrs"].get("id", ""))}" class="form-check-label">'
                f'{escape(_unlocalize(option["label"]))}</label></div>')
    out.append("</div>")
    if bound.errors:
        paragraphs = "".join(f'<p id="error_{n}_{bound.auto_id}"><strong>{escape(e)}</strong></p>'
                             for n, e in enumerate(bound.errors, start=1))
        out.append(f'<div id="{bound.errors.field_id}_error" class="invalid-feedback">{paragraphs}</div>')
    out.append(_help_text(bound))
    if bound.label:
        out.append("</fieldset>")
    out.append("</div>")
    return "".join(out)


def _unlocalize(value):
    return localize(value, use_l10n=False) if not isinstance(value, str) else value


def _div_attrs(obj) -> str:
    ident = f'id="{escape(obj.css_id)}"' if getattr(obj, "css_id", None) else ""
    flat = obj.flat_attrs or ""
    return ident, flat


def _render(obj, form, seen: set) -> str:
    if isinstance(obj, str):
        if obj in seen:
            raise Unsupported(f"{obj} twice")
        seen.add(obj)
        return _field(form[obj])
    kind = type(obj)
    if kind is Layout:
        return "".join(_render(o, form, seen) for o in obj.fields)
    if kind is Row:
        ident, flat = _div_attrs(obj)
        inner = "".join(_render(o, form, seen) for o in obj.fields)
        return f'<div {ident} class="row {escape(obj.css_class or "")}" {flat}>{inner}</div>'
    if kind is Column:
        ident, flat = _div_attrs(obj)
        css = obj.css_class or ""
        css = css if "col" in css else f"col-md {css}"
        inner = "".join(_render(o, form, seen) for o in obj.fields)
        return f'<div {ident} class="{escape(css)}" {flat}>{inner}</div>'
    if kind in (InlineCheckboxes, Field):
        if obj.attrs or len(obj.fields) != 1 or (kind is Field and obj.template != Field.template):
            raise Unsupported("field attributes")
        name = obj.fields[0]
        if not isinstance(name, str) or name in seen:
            raise Unsupported("field")
        seen.add(name)
        bound = form[name]
        if kind is InlineCheckboxes:
            return _inline_checkboxes(bound, obj.wrapper_class or "")
        return _field(bound, obj.wrapper_class or "")
    raise Unsupported(kind.__name__)


class FastFilterHelper(FormHelper):
    """A ``FormHelper`` whose layout is drawn by the fast path when it can (see the module)."""

    def render_layout(self, form, context, template_pack="bootstrap5"):
        if (template_pack == "bootstrap5" and self.layout is not None and not self.render_unmentioned_fields
                and not self.render_hidden_fields and not self.render_required_fields and self.form_show_labels
                and self.form_show_errors and self.error_text_inline and not self.label_class
                and not self.field_class and "form-horizontal" not in (self.form_class or "")
                and self.field_template is None):
            form.rendered_fields = set()
            form.crispy_field_template = None
            try:
                return mark_safe(_render(self.layout, form, form.rendered_fields))  # noqa: S308 - escaped above
            except Unsupported:
                pass
        return super().render_layout(form, context, template_pack=template_pack)


def fast_filter_form(form) -> None:
    """Let a filter form's crispy helper take the fast path (``FilteredQuerysetMixin`` calls it)."""
    helper = getattr(form, "helper", None)
    if type(helper) is FormHelper:
        helper.__class__ = FastFilterHelper
