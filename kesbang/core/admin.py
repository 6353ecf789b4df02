"""The Django admin asks the same ``restrict(user, action)`` as the pages (DESIGN.md §1, "one policy").

``RestrictedAdminMixin`` goes on every ModelAdmin whose rows are, or belong to, a restricted model
(an incident, its follow-ups, files, alerts ...). ``restrict_through`` names the path from the model to
the restricted one (``""``: the model itself; ``"incident"``; ``"conflict_status__incident"``), and
the mixin then makes the changelist, search, filters, date drill-down, autocomplete (the admin asks
the remote model's admin for its queryset), change/delete/history pages and bulk actions see only what
``restrict(user, "view")`` returns; changing or deleting needs ``restrict(user, "change")``. A row the
login may not read is a 404, like a missing one. ``restricted_fields`` limits foreign-key and
many-to-many choices to restricted rows, and a many-to-many value the editor cannot see is kept when
the form is saved (a form never drops what its editor cannot see).

``ConfidentialDeleteSummaryMixin`` goes on the admins of models that protect or cascade to restricted
rows (regions, teams, people, categories, users): the "are you sure?" page of a delete names each
related row, and a restricted one the login cannot read is listed without its text.

Admin log entries (the index page's "recent actions", the history page) of a restricted model carry
a neutral label (``log_label``), never the row's text: a row that later becomes secret leaves no
title behind. Superusers see everything (``restrict`` gives them every row).
"""

import json

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.admin.options import get_content_type_for_model
from django.contrib.admin.utils import NestedObjects, quote, unquote
from django.db import router
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _

ACTION_OF = {"view": "view", "change": "change", "delete": "change"}


def _restricted_manager(model):
    manager = model._default_manager
    if not hasattr(manager.get_queryset(), "restrict"):
        raise TypeError(f"{model._meta.label} has no restrict(user, action) queryset")
    return manager


def hidden_label(model) -> str:
    """What the admin shows instead of a row the login may not read."""
    return _("(%(model)s yang tidak dapat Anda lihat)") % {"model": model._meta.verbose_name}


def get_deleted_objects(objs, request, admin_site):
    """``django.contrib.admin.utils.get_deleted_objects`` with one change: a related row whose model
    admin says the login may not read it (``admin_may_read``) is named by ``hidden_label`` only."""
    try:
        obj = objs[0]
    except IndexError:
        return [], {}, set(), []
    using = router.db_for_write(obj._meta.model)
    collector = NestedObjects(using=using, origin=objs)
    collector.collect(objs)
    perms_needed = set()

    def format_callback(obj):
        model, opts = obj.__class__, obj._meta
        if not admin_site.is_registered(model):
            return f"{capfirst(opts.verbose_name)}: {obj}"
        model_admin = admin_site.get_model_admin(model)
        if not model_admin.has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        may_read = getattr(model_admin, "admin_may_read", None)
        if may_read is not None and not may_read(request, obj):
            return f"{capfirst(opts.verbose_name)}: {hidden_label(model)}"
        try:
            admin_url = reverse(f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change", None,
                                (quote(obj.pk),))
        except NoReverseMatch:
            return f"{capfirst(opts.verbose_name)}: {obj}"
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), admin_url, obj)

    to_delete = collector.nested(format_callback)
    protected = [format_callback(obj) for obj in collector.protected]
    model_count = {model._meta.verbose_name_plural: len(objs) for model, objs in collector.model_objs.items()}
    return to_delete, model_count, perms_needed, protected


class ShowOnlyAdminMixin:
    """A model admin (or inline) that only shows: the records are written by the pages' services, whose
    rules (approved minutes stay as approved, a rescheduled meeting raises its calendar revision and
    tells the invitees) a form here would bypass. Superusers included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConfidentialDeleteSummaryMixin:
    """The delete confirmation lists related restricted rows without their text (see module doc)."""

    def get_deleted_objects(self, objs, request):
        return get_deleted_objects(objs, request, self.admin_site)


class RestrictedChoicesMixin:
    """``restricted_fields`` ({field: action}): foreign-key and many-to-many choices go through the
    remote model's ``restrict(user, action)``; hidden many-to-many values are kept on save."""

    restricted_fields: dict[str, str] = {}

    def _restricted_choices(self, db_field, request):
        action = self.restricted_fields.get(db_field.name)
        if action is None:
            return None
        return _restricted_manager(db_field.related_model).restrict(request.user, ACTION_OF[action])

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = self._restricted_choices(db_field, request)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = self._restricted_choices(db_field, request)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        """Many-to-many values the editor cannot see stay as they were (the form only knew the rest)."""
        kept = {}
        if change and not getattr(request.user, "is_superuser", False):
            for name in self.restricted_fields:
                field = self.model._meta.get_field(name)
                if field.many_to_many and name in form.fields:
                    visible = self._restricted_choices(field, request).values("pk")
                    kept[name] = list(getattr(form.instance, name).exclude(pk__in=visible).values_list("pk", flat=True))
        super().save_related(request, form, formsets, change)
        for name, pks in kept.items():
            if pks:
                getattr(form.instance, name).add(*pks)


class RestrictedAdminMixin(RestrictedChoicesMixin, ConfidentialDeleteSummaryMixin):
    """Put before ``admin.ModelAdmin`` (or ``SimpleHistoryAdmin``) in the bases; see the module doc."""

    #: Path from this model to the restricted model ("" = this model has ``objects.restrict``).
    restrict_through: str = ""

    # --- the restricted rows ----------------------------------------------------------------------

    def restricted_model(self):
        model = self.model
        for part in filter(None, self.restrict_through.split("__")):
            model = model._meta.get_field(part).related_model
        return model

    def restricted(self, request, action: str = "view"):
        """The restricted model's rows ``request.user`` may ``action`` ("view" | "change")."""
        return _restricted_manager(self.restricted_model()).restrict(request.user, ACTION_OF[action])

    def restrict_queryset(self, queryset, request, action: str = "view"):
        if getattr(request.user, "is_superuser", False):
            return queryset
        if not self.restrict_through and hasattr(queryset, "restrict"):
            return queryset.restrict(request.user, ACTION_OF[action])
        lookup = f"{self.restrict_through}__in" if self.restrict_through else "pk__in"
        return queryset.filter(**{lookup: self.restricted(request, action).values("pk")})

    def _target_pk(self, obj):
        """The primary key of the restricted row ``obj`` belongs to (None: it belongs to none)."""
        parts = [p for p in self.restrict_through.split("__") if p]
        if not parts:
            return obj.pk
        for part in parts[:-1]:
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return getattr(obj, obj._meta.get_field(parts[-1]).attname)

    def admin_may(self, request, obj, action: str) -> bool:
        if obj is None or getattr(request.user, "is_superuser", False):
            return True
        pk = self._target_pk(obj)
        if pk is None:
            return True
        cache = request.__dict__.setdefault("_restricted_admin_cache", {})
        key = (self.restricted_model()._meta.label, ACTION_OF[action], pk)
        if key not in cache:
            cache[key] = self.restricted(request, action).filter(pk=pk).exists()
        return cache[key]

    def admin_may_read(self, request, obj) -> bool:
        return self.admin_may(request, obj, "view")

    # --- the ModelAdmin hooks -----------------------------------------------------------------------

    def get_queryset(self, request):
        return self.restrict_queryset(super().get_queryset(request), request, "view")

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.admin_may(request, obj, "view")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.admin_may(request, obj, "change")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.admin_may(request, obj, "delete")

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index with "... does not exist"; a row the login may not read is
        # exactly as absent as a missing one, and both are a 404 (as on the pages).
        raise Http404(_("Data tidak ditemukan."))

    def _require_readable(self, request, object_id):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404(_("Data tidak ditemukan."))

    def history_view(self, request, object_id, extra_context=None):
        # simple-history's view falls back to the last historical record of a row it cannot find.
        self._require_readable(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_readable(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    # --- admin log entries without the row's text ---------------------------------------------------

    def log_label(self, obj) -> str:
        """The text an admin log entry keeps for ``obj``: its model and number, nothing of its content."""
        return f"{capfirst(obj._meta.verbose_name)} #{obj.pk}"

    def _log(self, request, objs, flag, message=""):
        content_type = get_content_type_for_model(self.model)
        if isinstance(message, list):
            message = json.dumps(message)
        entries = [
            LogEntry(user_id=request.user.pk, content_type_id=content_type.pk, object_id=str(obj.pk),
                     object_repr=self.log_label(obj)[:200], action_flag=flag, change_message=message)
            for obj in objs
        ]
        for entry in entries:
            entry.save()
        return entries

    def log_addition(self, request, obj, message):
        return self._log(request, [obj], ADDITION, message)[0]

    def log_change(self, request, obj, message):
        return self._log(request, [obj], CHANGE, message)[0]

    def log_deletions(self, request, queryset):
        return self._log(request, list(queryset), DELETION)
