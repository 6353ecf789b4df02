"""The core view bases: ``MultiFormView`` (several forms on one page, told apart by ``which``)."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from kesbang.core.views import MultiFormView

rf = RequestFactory()


class _User:
    is_authenticated = is_active = True

    def has_perms(self, perms):
        return True


class _NameForm(forms.Form):
    name = forms.CharField()


class _Page(MultiFormView):
    permission_required = "x.y"
    form_names = {"nama": "name_form", "baris": ""}
    button_forms = frozenset({"baris"})
    success_messages = {"nama": "Nama tersimpan."}
    success_anchors = {"nama": "#nama"}
    done: list = []

    def make_form(self, which, data=None, files=None):
        return _NameForm(data, prefix=which)

    def perform_nama(self, form):
        if form.cleaned_data["name"] == "tolak":
            raise ValidationError("Ditolak layanan.")
        self.done.append(form.cleaned_data["name"])

    def perform_baris(self, form):
        raise ValidationError("Baris ditolak.")

    def render_to_response(self, context, **kwargs):
        return context  # the test reads the context the template would get


def call(method="get", data=None):
    request = getattr(rf, method)("/halaman/", data or {})
    request.user, request.session = _User(), {}
    request._messages = FallbackStorage(request)
    return request, _Page.as_view()(request)


def texts(request):
    return [str(m) for m in get_messages(request)]


def test_page_shows_every_form_unbound():
    _request, context = call()
    assert not context["name_form"].is_bound and "baris" not in context and context["form"] is None


def test_posted_form_calls_its_service_then_message_and_redirect():
    request, response = call("post", {"which": "nama", "nama-name": "Budi"})
    assert response.status_code == 302 and response["Location"] == "/halaman/#nama"
    assert _Page.done[-1] == "Budi" and texts(request) == ["Nama tersimpan."]


def test_invalid_or_refused_form_comes_back_with_its_errors():
    _request, context = call("post", {"which": "nama", "nama-name": ""})
    assert context["name_form"].is_bound and context["name_form"].errors["name"]
    _request, context = call("post", {"which": "nama", "nama-name": "tolak"})
    assert context["name_form"].non_field_errors() == ["Ditolak layanan."]


def test_row_button_errors_are_messages_and_a_redirect():
    request, response = call("post", {"which": "baris", "baris-name": ""})
    assert response.status_code == 302 and texts(request) and "Baris ditolak." not in texts(request)
    request, response = call("post", {"which": "baris", "baris-name": "x"})
    assert response.status_code == 302 and texts(request) == ["Baris ditolak."]


def test_unknown_form_is_a_message_not_an_error_page():
    request, response = call("post", {"which": "zzz"})
    assert response.status_code == 302 and response["Location"] == "/halaman/"
    assert texts(request) == ["Formulir tidak dikenal."]
