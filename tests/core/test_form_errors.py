"""A service's ValidationError shown on a form: core.forms.errors_into_form."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import errors_into_form


class NameForm(forms.Form):
    name = forms.CharField()
    capacity_3 = forms.CharField(required=False)


def bound() -> NameForm:
    form = NameForm({"name": "Labs", "capacity_3": "some"})
    assert form.is_valid()
    return form


def test_a_field_error_lands_on_its_field_and_an_unknown_field_on_the_form():
    form = bound()
    errors_into_form(
        form, ValidationError({"name": ["Taken.", "Too short."], "status": ["Unknown status."]})
    )
    assert form.errors["name"] == ["Taken.", "Too short."]
    assert form.non_field_errors() == ["Unknown status."]
    assert "name" not in form.cleaned_data


def test_a_message_without_a_field_lands_on_the_form():
    form = bound()
    errors_into_form(form, ValidationError("You cannot deactivate yourself."))
    assert form.non_field_errors() == ["You cannot deactivate yourself."]
    assert set(form.errors) == {"__all__"}


def test_field_of_names_the_forms_field_for_the_services():
    form = bound()
    errors_into_form(
        form,
        ValidationError({"capacity_note_3": ["Too long."]}),
        field_of=lambda name: name.replace("capacity_note_", "capacity_"),
    )
    assert form.errors["capacity_3"] == ["Too long."]
