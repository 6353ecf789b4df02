import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from kesbang.core.forms import add_service_errors, form_helper
from kesbang.core.validation import constraint_messages, integrity_error_message, validated_save
from teams.models import Membership, Person, Team


class _Form(forms.Form):
    name = forms.CharField()


def test_add_service_errors_puts_field_errors_on_fields_and_the_rest_on_top():
    form = _Form(data={"name": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": "salah nama", "other": "salah lain"}))
    assert form.errors["name"] == ["salah nama"]
    assert form.non_field_errors() == ["salah lain"]
    form2 = _Form(data={"name": "x"})
    form2.is_valid()
    add_service_errors(form2, ValidationError("umum"))
    assert form2.non_field_errors() == ["umum"]


def test_form_helper_leaves_form_tag_and_csrf_to_the_template():
    helper = form_helper("name")
    assert helper.form_tag is False and helper.disable_csrf is True


def test_constraint_messages_come_from_the_model_not_a_copy():
    messages = constraint_messages(Membership)
    assert messages["membership_one_active_ketua"] == "Tim ini sudah memiliki Ketua aktif."
    assert constraint_messages(Person)["person_unique_nip"] == "NIP ini sudah terdaftar untuk orang lain."
    # the PostgreSQL-only exclusion constraint is declared beside the model
    assert "team_no_overlapping_active" in constraint_messages(Team)


@pytest.mark.parametrize("text", [
    "UNIQUE constraint failed: index 'membership_person_once_per_team'",
    'duplicate key value violates unique constraint "membership_person_once_per_team"',
])
def test_integrity_error_becomes_the_constraints_message(text):
    assert integrity_error_message(Membership, IntegrityError(text)) == "Orang ini sudah menjadi anggota aktif tim ini."


def test_unknown_integrity_error_has_a_general_message():
    assert "bertentangan" in integrity_error_message(Membership, IntegrityError("something else"))


@pytest.mark.django_db
def test_validated_save_turns_a_race_into_validation_error(monkeypatch):
    from tests.factories import PersonFactory

    first = PersonFactory(nip="198001012006041001")
    second = PersonFactory.build(nip=first.nip, institution=first.institution, region=first.region)
    monkeypatch.setattr(second, "full_clean", lambda exclude=None: None)  # the race: validation saw no clash
    with pytest.raises(ValidationError) as caught:
        validated_save(second)
    assert caught.value.messages == ["NIP ini sudah terdaftar untuk orang lain."]


def test_an_unbound_form_is_drawn_once_per_language_as_crispy_draws_it():
    from django.template import engines
    from django.utils import translation

    from incidents.forms import AttachmentForm
    from kesbang.core.forms import unbound_form_html

    template = engines["django"].from_string("{% load crispy_forms_tags %}{% crispy form %}")
    for language in ("id", "en"):
        with translation.override(language):
            expected = template.render({"form": AttachmentForm()})
            assert str(unbound_form_html(AttachmentForm)) == expected
            assert 'name="file"' in expected
    with translation.override("en"):
        english = unbound_form_html(AttachmentForm)
    with translation.override("id"):
        assert unbound_form_html(AttachmentForm) != english, "each language its own labels"
