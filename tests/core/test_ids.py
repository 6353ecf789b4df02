"""Oversized integer ids are a 404 or a form error on every backend (kesbang/core/ids.py)."""

import pytest
from django import forms
from django.urls import Resolver404, resolve

from kesbang.core.ids import MAX_ID, parse_id
from teams.models import Institution


@pytest.mark.parametrize(("raw", "expected"), [
    ("12", 12), (" 7 ", 7), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("9" * 20, None), ("0", None),
    ("-3", None), ("1e3", None), ("", None), (None, None), ("١٢", None), (42, 42),
])
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


def test_id_urls_refuse_numbers_beyond_64_bits():
    assert resolve(f"/insiden/{MAX_ID}/").kwargs == {"pk": MAX_ID}
    for path in (f"/insiden/{MAX_ID + 1}/", "/insiden/" + "9" * 20 + "/", "/rapat/" + "1" * 30 + "/"):
        with pytest.raises(Resolver404):
            resolve(path)


@pytest.mark.django_db
def test_model_choice_fields_turn_oversized_ids_into_form_errors():
    """SQLite's driver raised OverflowError for ``pk__in=[10**20]`` (a 500 on the embedded default)."""
    institution = Institution.objects.create(name="Badan Kesatuan Bangsa dan Politik", short_name="Kesbangpol")

    class PickForm(forms.Form):
        many = forms.ModelMultipleChoiceField(Institution.objects.all())
        one = forms.ModelChoiceField(Institution.objects.all())

    form = PickForm({"many": ["9" * 20, str(institution.pk)], "one": "9" * 20})
    assert not form.is_valid()
    assert set(form.errors) == {"many", "one"}
    assert PickForm({"many": [str(institution.pk)], "one": str(institution.pk)}).is_valid()
    assert list(Institution.objects.filter(pk__in=[10**20, -(10**20)])) == []
    assert list(Institution.objects.filter(pk__in=[10**20, institution.pk])) == [institution]
