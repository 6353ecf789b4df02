"""Class-based view bases: permission before any lookup (403), scope through ``restrict`` (404),
visible but not changeable (403), one service per form or button.

A view is ``ProtectedView`` (+ ``ScopedObjectMixin`` when the URL names an object) and a Django
generic view; writes are ``ServiceFormView`` (a form) or ``ServiceActionView`` (a POST-only button).
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView, TemplateView

from kesbang.core.forms import add_service_errors


class ProtectedView(PermissionRequiredMixin):
    """A logged-in user without ``permission_required`` gets 403 before anything is looked up
    (anonymous users never get here: ``LoginRequiredMiddleware`` sends them to the login page)."""

    raise_exception = True


class ScopedObjectMixin:
    """The object of the URL, fetched through ``model.objects.restrict(user, ...)``.

    Not in the login's "view" scope → 404 (like a missing row); ``scope_action = "change"`` and not in
    its "change" scope → 403. Cached on ``self.object``. Put it before the generic view in the bases
    and after ``ProtectedView``; ``dispatch`` checks the permission first, then the object."""

    model = None
    scope_action = "view"
    pk_url_kwarg = "pk"
    context_object_name = None

    def get_scoped_queryset(self):
        """The queryset to look the object up in; override to add select_related/prefetch."""
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs `model` or get_scoped_queryset()")
        return self.model.objects.all()

    def get_object(self, queryset=None):
        if getattr(self, "object", None) is not None:
            return self.object
        qs = queryset if queryset is not None else self.get_scoped_queryset()
        user = self.request.user
        try:
            obj = qs.restrict(user, "view").get(**self.get_lookup())
        except (qs.model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
        if self.scope_action == "change" and not self.may_change(obj):
            raise PermissionDenied
        self.object = obj
        return obj

    def get_lookup(self) -> dict:
        """The filter that names the object in the URL (default: its primary key)."""
        return {"pk": self.kwargs.get(self.pk_url_kwarg)}

    def may_change(self, obj) -> bool:
        """Whether the login may change ``obj``: by default one query through ``restrict(user,
        "change")``; a model with a cheaper in-memory rule overrides this."""
        return type(obj).objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists()

    def can(self, action: str, obj=None) -> bool:
        """Whether the login may ``action`` the object (for showing buttons)."""
        obj = obj if obj is not None else self.get_object()
        if action == "change":
            return self.may_change(obj)
        return type(obj).objects.restrict(self.request.user, action).filter(pk=obj.pk).exists()

    def dispatch(self, request, *args, **kwargs):
        if hasattr(self, "has_permission") and not self.has_permission():
            return self.handle_no_permission()
        self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = {"object": self.object}
        name = self.context_object_name or (self.object._meta.model_name if self.object is not None else None)
        if name:
            context[name] = self.object
        context.update(kwargs)
        return super().get_context_data(**context)


class ServiceFormView(ProtectedView, FormView):
    """A form whose valid data goes to ONE service (``perform``); the service's ValidationError goes
    back on the form (200, re-rendered); success adds a message and redirects."""

    success_message = ""

    def perform(self, form):  # pragma: no cover - each view defines it
        raise NotImplementedError

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url_for(result))

    def get_success_message(self, result) -> str:
        return self.success_message

    def get_success_url_for(self, result) -> str:
        return result.get_absolute_url()


class ServiceActionView(ProtectedView, View):
    """A POST-only button (a transition, a delete): ``perform()`` calls one service, then a message
    and a redirect. A service ValidationError becomes an error message and the same redirect."""

    http_method_names = ["post", "options"]
    success_message = ""

    def perform(self):  # pragma: no cover - each view defines it
        raise NotImplementedError

    def get_success_message(self, result) -> str:
        return self.success_message

    def get_success_url_for(self, result) -> str:
        return result.get_absolute_url()

    def get_failure_url(self) -> str:
        return self.get_success_url_for(getattr(self, "object", None))

    def http_method_not_allowed(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, *args, **kwargs):
        try:
            result = self.perform()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(self.get_failure_url())
        message = self.get_success_message(result)
        if message:
            messages.success(request, message)
        return redirect(self.get_success_url_for(result))


class ListTableView(ProtectedView, TemplateView):
    """A register page: ``get_queryset()`` (restricted) → optional django-filter ``filterset_class``
    → ``table_class`` (a ``kesbang.core.tables.ListTable``: sorted, paged). Context: ``filter``,
    ``table``, ``is_filtered``. An invalid filter value shows the form error and an empty list."""

    table_class = None
    filterset_class = None
    strict = True  # an invalid filter value: empty list (True) or that filter ignored (False)

    def get_queryset(self):  # pragma: no cover - each view defines it
        raise NotImplementedError

    def get_filterset(self, queryset):
        from kesbang.core.widgets import fast_selects

        filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
        fast_selects(filterset.form)
        return filterset

    def get_table(self, data):
        return self.table_class(data, request=self.request)

    def get_context_data(self, **kwargs):
        queryset = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.get_filterset(queryset)
            if not filterset.is_bound or filterset.is_valid() or not self.strict:
                queryset = filterset.qs
            else:
                queryset = filterset.queryset.none()
        filtered = bool(filterset is not None and filterset.is_bound and any(v for v in filterset.data.values()))
        table = self.get_table(queryset)
        return super().get_context_data(filter=filterset, table=table, is_filtered=filtered, **kwargs)
