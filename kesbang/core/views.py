"""Class-based view bases: permission before any lookup (403), scope through ``restrict`` (404),
visible but not changeable (403), one service per form or button.

A view is ``ProtectedView`` (+ ``ScopedObjectMixin`` when the URL names an object) and a Django
generic view; writes are ``ServiceFormView`` (a form), ``MultiFormView`` (a page of several forms
posting to its own address) or ``ServiceActionView`` (a POST-only button); lists are
``ListTableView`` (filter set + table + pager), and pages that reuse a list's filter without its table
(exports, maps, calendars) take ``FilteredQuerysetMixin``.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from kesbang.core.forms import add_service_errors
from kesbang.core.querysets import joins_in_written_order as written_order


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
    # True for a lookup with many select_related tables: planned in the written order
    # (kesbang.core.querysets.joins_in_written_order), two statements more on PostgreSQL.
    joins_in_written_order = False
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
            if self.joins_in_written_order:
                with written_order():
                    obj = qs.restrict(user, "view").get(**self.get_lookup())
            else:
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
            return self.service_refused(form, exc)
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url_for(result))

    def service_refused(self, form, exc: ValidationError):
        """The service said no: its messages go on the form, which is shown again."""
        add_service_errors(form, exc)
        return self.form_invalid(form)

    def get_success_message(self, result) -> str:
        return self.success_message

    def get_success_url_for(self, result) -> str:
        return result.get_absolute_url()


class MultiFormView(ServiceFormView):
    """A page of several forms that all post to the page's own address, told apart by a hidden
    ``which`` field (``<input type="hidden" name="which" value="...">`` in each ``<form>``).

    ``form_names`` maps each ``which`` value to the form's name in the template. The subclass builds
    a form with ``make_form(which, data=None, files=None)`` (unbound for the page, bound for the posted
    one) and calls the posted form's ONE service in ``perform_<which>(form)`` (``-`` in the value is
    ``_`` in the method name). The posted form then goes the ``ServiceFormView`` way: valid → service →
    ``success_messages[which]`` → back to the page (plus ``success_anchors[which]``); invalid or
    refused by its service → the page again with that form's errors and the other forms blank.

    ``button_forms``: the ``which`` values of row buttons (one small form per row of a list) whose
    errors become error messages and a redirect (``get_failure_url``) instead of a page re-rendered
    around one row. An unknown ``which`` is an error message and back to the page."""

    which_field = "which"
    form_names: dict[str, str] = {}
    button_forms: frozenset[str] = frozenset()
    success_messages: dict[str, str] = {}
    success_anchors: dict[str, str] = {}

    def get_which(self) -> str:
        """The posted form's name (override when the page's forms are told apart otherwise)."""
        return self.request.POST.get(self.which_field, "")

    @cached_property
    def which(self) -> str:
        return self.get_which() if self.request.method == "POST" else ""

    def make_form(self, which: str, data=None, files=None):  # pragma: no cover - each view defines it
        raise NotImplementedError

    def get_form(self, form_class=None):
        kwargs = self.get_form_kwargs()
        return self.make_form(self.which, data=kwargs.get("data"), files=kwargs.get("files"))

    def post(self, request, *args, **kwargs):
        if self.which not in self.form_names:
            messages.error(request, _("Formulir tidak dikenal."))
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        return getattr(self, "perform_" + self.which.replace("-", "_"))(form)

    def get_success_message(self, result) -> str:
        return self.success_messages.get(self.which, "")

    def get_success_url_for(self, result) -> str:
        return self.request.path + self.success_anchors.get(self.which, "")

    def get_failure_url(self) -> str:
        """Where a refused row button goes back to."""
        return self.request.path + self.success_anchors.get(self.which, "")

    def error_message(self, form, message: str) -> str:
        """A row button's form error as a message (e.g. prefixed with the row's name)."""
        return message

    def form_invalid(self, form):
        if self.which not in self.button_forms:
            return super().form_invalid(form)
        for errors in form.errors.values():
            for message in errors:
                messages.error(self.request, self.error_message(form, message))
        return redirect(self.get_failure_url())

    def service_refused(self, form, exc: ValidationError):
        if self.which not in self.button_forms:
            return super().service_refused(form, exc)
        for message in exc.messages:
            messages.error(self.request, message)
        return redirect(self.get_failure_url())

    def get_context_data(self, **kwargs):
        posted = kwargs.pop("form", None)
        for which, name in self.form_names.items():
            if name and name not in kwargs:
                kwargs[name] = posted if posted is not None and which == self.which else self.make_form(which)
        return super().get_context_data(form=posted, **kwargs)


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


class FilteredQuerysetMixin:
    """``get_queryset()`` (restricted) narrowed by the django-filter ``filterset_class`` bound to the
    query string: the one way a list, its exports, its map or its calendar read their filter, so they
    always show the same rows. ``filter_data()`` is what the filter set is bound to (by default the
    whole query string; unknown keys such as ``page`` are ignored by the filter set)."""

    filterset_class = None
    strict = True  # an invalid filter value: empty result (True) or that filter ignored (False)

    def get_queryset(self):  # pragma: no cover - each view defines it
        raise NotImplementedError

    def filter_data(self):
        return self.request.GET or None

    def get_filterset(self, queryset):
        from kesbang.core.fastform import fast_filter_form
        from kesbang.core.widgets import fast_selects

        filterset = self.filterset_class(self.filter_data(), queryset=queryset, request=self.request)
        fast_selects(filterset.form)
        fast_filter_form(filterset.form)
        return filterset

    @cached_property
    def filterset(self):
        return self.get_filterset(self.get_queryset()) if self.filterset_class is not None else None

    def filtered_queryset(self):
        filterset = self.filterset
        if filterset is None:
            return self.get_queryset()
        if not filterset.is_bound or filterset.is_valid() or not self.strict:
            return filterset.qs
        return filterset.queryset.none()

    @property
    def is_filtered(self) -> bool:
        """A value is given for at least one of the filters (paging and sorting do not count)."""
        filterset = self.filterset
        return bool(filterset is not None and filterset.is_bound
                    and any(v for k, v in filterset.data.items() if k in filterset.filters))


class ListTableView(ProtectedView, FilteredQuerysetMixin, TemplateView):
    """A register page: ``get_queryset()`` (restricted) → optional django-filter ``filterset_class``
    (``FilteredQuerysetMixin``) → ``table_class`` (a ``kesbang.core.tables.ListTable``: sorted, paged
    by ``BoundedPaginator``). Context: ``filter``, ``table``, ``is_filtered`` and, named as Django's
    ``ListView`` names them, ``page_obj`` and ``paginator``. An invalid filter value shows the form
    error and an empty list (``strict = False``: that filter is ignored)."""

    table_class = None

    def get_table(self, data):
        return self.table_class(data, request=self.request)

    def get_context_data(self, **kwargs):
        table = self.get_table(self.filtered_queryset())
        filtered = self.is_filtered
        if filtered and table.filtered_empty_text:
            table.empty_text = table.filtered_empty_text
        return super().get_context_data(filter=self.filterset, table=table, is_filtered=filtered,
                                        page_obj=table.page, paginator=table.paginator, **kwargs)


# --- The floor of a page (measured by ``make bench``) ------------------------------------------------


class FloorView(View):
    """A short response through the whole middleware stack and nothing else: the machine's floor for
    a logged-in request (session, authentication with roles and permissions, two-factor, locale,
    security headers). Not routed by ``kesbang.urls``: only the benchmark mounts it, in its own
    urlconf (``tests/bench_urls.py``), beside ``LayoutFloorView``."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        from django.http import HttpResponse

        return HttpResponse(b"ok", content_type="text/plain; charset=utf-8")


class LayoutFloorView(TemplateView):
    """The base layout (``base.html``: sidebar, top bar, user menu) around an empty page: what every
    page pays before its own work. Mounted only by the benchmark's urlconf, like ``FloorView``."""

    http_method_names = ["get"]
    template_name = "includes/layout_floor.html"
