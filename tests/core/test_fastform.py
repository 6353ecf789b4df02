"""The filter forms' fast path (``kesbang.core.fastform``) draws exactly what crispy draws: every list's
filter form, empty, filled in and with errors, compared as HTML (attribute order and whitespace aside)."""

import pytest
from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Row
from django import forms
from django.template import Context, Template
from django.test import RequestFactory
from django.test.html import parse_html

from kesbang.core.fastform import FastFilterHelper, fast_filter_form
from kesbang.core.forms import date_widget, form_helper
from kesbang.core.widgets import fast_selects

TAG = Template("{% load crispy_forms_tags %}{% crispy form %}")


def _draw(make_form, fast: bool, strict: bool = True) -> str:
    import crispy_forms.layout

    form = make_form()
    fast_selects(form)
    if not fast:
        return TAG.render(Context({"form": form}))
    fast_filter_form(form)
    assert type(form.helper) is FastFilterHelper
    saved = crispy_forms.layout.render_field
    if strict:  # the fast path really drew it: crispy's field rendering is not reachable
        crispy_forms.layout.render_field = _refuse
    try:
        return TAG.render(Context({"form": form}))
    finally:
        crispy_forms.layout.render_field = saved


def _refuse(*args, **kwargs):
    raise AssertionError("crispy's render_field was used")


def assert_same(make_form, strict: bool = True):
    slow, fast = _draw(make_form, False), _draw(make_form, True, strict)
    assert parse_html(fast) == parse_html(slow), f"\ncrispy:\n{slow}\n\nfast:\n{fast}"


class _Sample(forms.Form):
    name = forms.CharField(label="Nama & <b>", help_text="Nama lengkap, <i>tanpa</i> gelar")
    count = forms.IntegerField(label="Jumlah", required=False, min_value=0)
    day = forms.DateField(label="Tanggal", required=False, widget=date_widget())
    kind = forms.ChoiceField(label="Jenis", choices=[("", "Semua"), ("a", "A & B"), ("b", "B")], required=False)
    levels = forms.MultipleChoiceField(label="Tingkat", choices=[("1", "Satu"), ("2", "Dua")], required=False,
                                       widget=forms.CheckboxSelectMultiple)
    agree = forms.BooleanField(label="Setuju", required=True, help_text="Wajib.")
    flag = forms.BooleanField(label="Tanda", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Row(Column("name", css_class="col-12 col-md-6"), Column("count", css_class="md-4"),
                Column(Field("day", wrapper_class="kb-day"), css_class="col-6")),
            Row(Column("kind"), Column(InlineCheckboxes("levels"), css_class="col-12"), Column("agree", "flag")),
        )


@pytest.mark.parametrize("data", [
    None,
    {"name": "Budi", "count": "3", "day": "2026-05-01", "kind": "a", "levels": ["2"], "agree": "on"},
    {"name": "", "count": "-1", "day": "kemarin", "kind": "x", "levels": ["9"], "flag": "on"},
])
def test_a_sample_form_is_drawn_as_crispy_draws_it(data):
    assert_same(lambda: _Sample(data))


def test_an_unknown_layout_object_falls_back_to_crispy():
    from crispy_forms.layout import HTML

    class _WithHtml(_Sample):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = form_helper(Row(Column("name"), HTML("<hr>")))

    assert_same(lambda: _WithHtml({"name": ""}), strict=False)
    form = _WithHtml()
    fast_filter_form(form)
    assert "<hr>" in TAG.render(Context({"form": form}))


def test_only_a_plain_helper_is_swapped():
    class _Own(FormHelper):
        pass

    form = _Sample()
    form.helper = _Own()
    fast_filter_form(form)
    assert type(form.helper) is _Own


def _filtersets():
    from incidents.filters import IncidentFilter
    from meetings.filters import MeetingCalendarFilter, MeetingFilter
    from teams.filters import MembershipFilter, PersonFilter, TeamFilter

    return [TeamFilter, PersonFilter, MembershipFilter, IncidentFilter, MeetingFilter, MeetingCalendarFilter]


FILTER_DATA = [
    {},
    {"q": "Budi & <Siti>", "status": "aktif", "level": "provinsi", "year": "2026", "severity": ["kritis", "tinggi"],
     "kind": "potensi", "date_from": "2026-01-01", "tanpa_draf": "on", "terbuka": "on", "role": "ketua"},
    {"year": "dua ribu", "region": "999999", "date_from": "kemarin", "date_to": "2026-13-40", "severity": ["x"],
     "institution": "abc", "team": "-1", "status": "tidak-ada", "kind": "x", "category": "0"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("data", FILTER_DATA)
def test_every_list_filter_form_is_drawn_as_crispy_draws_it(staf_provinsi, data):
    request = RequestFactory().get("/", data)
    request.user = staf_provinsi
    drawn = []
    for filterset_class in _filtersets():
        model = filterset_class._meta.model

        def make(filterset_class=filterset_class, model=model):
            filterset = filterset_class(request.GET or None, queryset=model.objects.all(), request=request)
            form = filterset.form
            if filterset.is_bound:
                filterset.is_valid()
            return form

        if not hasattr(make(), "helper"):
            continue  # drawn by its own template, not crispy
        assert_same(make)
        drawn.append(filterset_class.__name__)
    assert drawn == ["TeamFilter", "PersonFilter", "IncidentFilter"]


def test_the_fast_path_draws_without_crispys_field_template(monkeypatch):
    import crispy_forms.layout

    def refuse(*args, **kwargs):
        raise AssertionError("crispy's render_field was used")

    monkeypatch.setattr(crispy_forms.layout, "render_field", refuse)
    for data in (None, {"name": "", "count": "x", "levels": ["9"]}):
        form = _Sample(data)
        fast_selects(form)
        fast_filter_form(form)
        assert 'id="div_id_levels"' in TAG.render(Context({"form": form}))
