"""One change-history builder for every model's history tab (django-simple-history records).

A history tab declares a ``HistorySpec`` (which fields, their labels, how a record is titled) and
calls ``change_log(Model.history.filter(...), spec)``; several logs (a team and its memberships)
are combined with ``merge_logs``. Display values are computed here, with related objects loaded
once per related model, so the number of queries does not grow with the number of records.
``templates/includes/history.html`` renders the entries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kesbang.core.tables import html_format

ACTIONS = {"+": "dibuat", "~": "diubah", "-": "dihapus"}
EMPTY = "—"


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str

    def __iter__(self):  # (label, old, new) unpacking
        return iter((self.field, self.old, self.new))


@dataclass
class ChangeEntry:
    when: datetime.datetime
    who: str
    action: str  # "dibuat" | "diubah" | "dihapus"
    object_label: str
    changes: list[Change] = field(default_factory=list)
    type: str = "~"  # simple-history's "+", "~", "-"
    title: str = ""
    reason: str = ""
    kind: str = ""
    object_id: int | None = None

    # Names the older templates used.
    @property
    def date(self):
        return self.when

    @property
    def user(self):
        return self.who


@dataclass(frozen=True)
class HistorySpec:
    """What a history tab shows of one model's records.

    ``fields``: the tracked fields (None: every concrete field but the primary key and ``exclude``);
    ``labels``: label overrides (default: the field's verbose_name); ``label``: record → object label
    (default ``str`` of the historical record's ``instance``-like fields: the ``name`` field if any);
    ``title``: entry → heading (default "<object label> <action>"); ``skip_created``: leave out "+"
    records (e.g. rows created together with their parent)."""

    fields: tuple[str, ...] | None = None
    labels: dict[str, str] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    label: Callable | None = None
    title: Callable | None = None
    kind: str = ""
    skip_created: bool = False
    action_labels: dict[str, str] = field(default_factory=dict)

    def tracked(self, model: type[models.Model]) -> list[models.Field]:
        if self.fields is not None:
            return [model._meta.get_field(name) for name in self.fields]
        return [
            f for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in self.exclude
        ]


def _translated_action(code: str) -> str:
    return {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}[code]


def display_value(model_field: models.Field, value, related: dict) -> str:
    """A field's value in words: related objects by name (from ``related``), choices by label, dates
    as "10 Mei 2017"."""
    if value is None or value == "":
        return EMPTY
    if model_field.is_relation:
        obj = related.get(model_field.related_model, {}).get(value)
        return str(obj) if obj is not None else f"#{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, datetime.datetime):
        return date_format(value, "j F Y H.i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _who(record) -> str:
    user = getattr(record, "history_user", None)
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _load_related(model, tracked, records, related: dict) -> dict:
    """Fill ``related`` with {Model: {pk: obj}} for every foreign key in ``tracked`` (one query per
    related model not already given)."""
    wanted: dict = {}
    for f in tracked:
        if f.is_relation and f.related_model not in related:
            ids = wanted.setdefault(f.related_model, set())
            ids.update(getattr(r, f.attname) for r in records)
    for rel_model, ids in wanted.items():
        ids.discard(None)
        related[rel_model] = rel_model._base_manager.in_bulk(ids) if ids else {}
    return related


HIDDEN = "•••"


def change_log(history_qs, spec: HistorySpec, *, limit: int = 200, related: dict | None = None,
               redact: Callable | None = None) -> list[ChangeEntry]:
    """Entries for the historical records in ``history_qs`` (a queryset, or a list already loaded
    with ``history_user``), newest first.

    A change ("~") lists the tracked fields whose value differs from the same object's previous record
    (records with no visible difference are left out); creations and deletions list none.

    ``redact(record) -> bool``: a record the reader may not see (e.g. the values an incident had while
    it was classified above the reader's clearance). Its entry names who and when but no value, and
    the next record's changes show its old values as ``HIDDEN``."""
    if isinstance(history_qs, list | tuple):  # records already loaded (with history_user) by the caller
        records = sorted(history_qs, key=lambda r: (r.history_date, r.history_id))
        if not records:
            return []
        model = type(records[0]).instance_type
    else:
        model = history_qs.model.instance_type
        records = list(history_qs.select_related("history_user").order_by("history_date", "history_id"))
    tracked = spec.tracked(model)
    related = _load_related(model, tracked, records, dict(related or {}))
    entries = []
    previous: dict = {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if record.history_type == "+" and spec.skip_created:
            continue
        changes = []
        hidden = redact is not None and redact(record)
        hidden_before = redact is not None and before is not None and redact(before)
        if hidden:
            changes = [Change(_("Isi perubahan"), HIDDEN, _("tidak ditampilkan (klasifikasi saat itu)"))]
        elif record.history_type == "~" and before is not None:
            for f in tracked:
                old, new = getattr(before, f.attname), getattr(record, f.attname)
                if old != new:
                    label = spec.labels.get(f.name) or str(f.verbose_name)
                    changes.append(Change(label, HIDDEN if hidden_before else display_value(f, old, related),
                                          display_value(f, new, related)))
            if not changes:
                continue
        if hidden:
            object_label = "#" + str(record.id)
        else:
            object_label = spec.label(record) if spec.label else str(getattr(record, "name", "") or record.id)
        entry = ChangeEntry(
            when=record.history_date,
            who=_who(record),
            action=ACTIONS[record.history_type],
            object_label=object_label,
            changes=changes,
            type=record.history_type,
            reason=record.history_change_reason or "",
            kind=spec.kind or model._meta.model_name,
            object_id=record.id,
        )
        if spec.title:
            entry.title = spec.title(entry, record)
        else:
            entry.title = f"{object_label} {_translated_action(record.history_type)}"
        entries.append(entry)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def merge_logs(*logs: Iterable[ChangeEntry], limit: int = 200) -> list[ChangeEntry]:
    """Several models' entries as one timeline, newest first."""
    merged = [entry for log in logs for entry in log]
    merged.sort(key=lambda e: e.when, reverse=True)
    return merged[:limit]


DELETED = '<del>{}</del> <i class="bi bi-arrow-right text-secondary" aria-hidden="true"></i> '


def entries_html(entries: Iterable[ChangeEntry]) -> SafeString:
    """The ``<li>`` items of ``templates/includes/history.html`` for ``entries``, drawn in Python (a
    team's tab lists a hundred entries: through the template that was most of its page's time)."""
    from django.utils import timezone
    from django.utils.text import capfirst

    icons = {
        "+": '<span class="kb-timeline-icon kb-tone-green"><i class="bi bi-plus-lg" aria-hidden="true"></i></span>',
        "-": '<span class="kb-timeline-icon kb-tone-red"><i class="bi bi-trash" aria-hidden="true"></i></span>',
    }
    edited = '<span class="kb-timeline-icon kb-tone-blue"><i class="bi bi-pencil" aria-hidden="true"></i></span>'
    reason_label, system = _("Alasan:"), _("Sistem")
    out = []
    for e in entries:
        when = timezone.localtime(e.when) if timezone.is_aware(e.when) else e.when
        reason = ""
        if e.reason:
            reason = html_format('<div class="small text-secondary">{} {}</div>', reason_label, e.reason)
        changes = ""
        if e.changes:
            changes = html_format(
                '<table class="table table-sm kb-diff mb-0 mt-1 w-auto"><tbody>{}</tbody></table>',
                mark_safe("".join(  # noqa: S308 - each row html_format
                    html_format(
                        '<tr><th scope="row" class="fw-normal text-secondary">{}</th><td>{}<ins>{}</ins></td></tr>',
                        capfirst(c.field),
                        html_format(DELETED, c.old) if c.old != EMPTY else "",
                        c.new)
                    for c in e.changes)))
        out.append(html_format(
            '<li>{}<div class="d-flex flex-wrap justify-content-between gap-1"><div><span class="fw-semibold">{}'
            '</span>{}</div><div class="small text-secondary"><span class="text-nowrap"><i class="bi bi-person" '
            'aria-hidden="true"></i> {}</span> · <time class="text-nowrap" datetime="{}">{}</time></div></div>'
            "{}</li>\n",
            mark_safe(icons.get(e.type, edited)), e.title, reason, e.who or system,  # noqa: S308 (constant markup)
            when.isoformat(), date_format(when, "j F Y H.i"), changes))
    return mark_safe("".join(out))  # noqa: S308 - every part html_format
