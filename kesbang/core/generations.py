"""Cached reads that a write ends: a generation number per named set of models.

Every save or delete of a watched model bumps its generation in the cache, at once and again when the
write's transaction commits (a request that read the old rows meanwhile cached them under the number
bumped first). A cached result carries the generation in its key, so the first read after a commit
computes afresh and a rolled-back write only costs a recomputation. With a shared cache
(``CACHE_URL=redis://...``, as in production) this holds across web workers, Celery workers and
machines. With the process-local default (no ``CACHE_URL``) a write made by another process is seen
when the entry expires (``CACHE_SECONDS``).

Used by the dashboard's blocks (``kesbang.office.selectors``: ``summary``, ``meetings``), by the
incident pages' aggregates (``incidents``: the list's count and the map's grouped counts, keyed on
the query's own SQL, which already holds the login's scope: ``cached_query_result``), and by the
filter forms' options and the teams registers' counts (``registers``: ``cached_choices``, the team,
person and member lists' ``count_generation``). Writes that
bypass the model signals (``QuerySet.update``, ``bulk_create``) call ``bump`` themselves.
"""

import hashlib

from django.db import transaction

CACHE_SECONDS = 60
_WATCHED: dict[str, set[str]] = {}  # generation name -> model labels ("app_label.ModelName")
_RECEIVERS: list = []  # strong references: the signals hold weak ones


def _key(name: str) -> str:
    return f"kesbang:gen:{name}"


def generation(name: str) -> int:
    from django.core.cache import cache

    key = _key(name)
    value = cache.get(key)
    if value is None:
        cache.add(key, 1, None)
        value = cache.get(key) or 1
    return value


def bump(name: str) -> None:
    from django.core.cache import cache

    try:
        cache.incr(_key(name))
    except ValueError:  # not there (first write, or the cache was emptied): any new number will do
        cache.add(_key(name), 2, None)


def bump_now_and_at_commit(names, using: str | None = None) -> None:
    """Bump ``names`` now and once more when the current transaction commits (one callback per
    transaction, however many watched rows it writes; outside a transaction the write is already
    committed and once is enough)."""
    conn = transaction.get_connection(using)
    for name in names:
        bump(name)
    if not conn.in_atomic_block:
        return
    pending = getattr(conn, "_kesbang_generations_pending", None)
    # Still registered? Django keeps (savepoint ids, callback, robust) in ``run_on_commit`` and drops a
    # rolled-back savepoint's entries, so a callback gone with its savepoint is registered anew.
    if pending is not None and any(entry[1] is pending for entry in conn.run_on_commit):
        pending.names.update(names)  # this transaction's callback is registered: it bumps these too
        return

    def at_commit():
        for name in sorted(at_commit.names):
            bump(name)

    at_commit.names = set(names)
    at_commit.kesbang_generation = True  # tests that count their own on_commit callbacks skip it
    conn._kesbang_generations_pending = at_commit
    transaction.on_commit(at_commit, using=using)


def watches(name: str, model) -> bool:
    """Whether a save or delete of ``model`` bumps generation ``name``."""
    return name in _WATCHED.get(model._meta.label, ())


def watch(name: str, labels) -> None:
    """Bump generation ``name`` on every save or delete of the models ``labels`` (call from an app
    config's ``ready``; a model may feed several generations)."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for label in labels:
        names = _WATCHED.setdefault(label, set())
        if names:  # already connected: the receiver reads the set when it runs
            names.add(name)
            continue
        names.add(name)
        model = apps.get_model(label)

        def receiver(sender, instance=None, using=None, _label=label, **kwargs):
            bump_now_and_at_commit(sorted(_WATCHED[_label]), using=using)

        _RECEIVERS.append(receiver)
        post_save.connect(receiver, sender=model, dispatch_uid=f"kesbang-gen-{label}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"kesbang-gen-{label}-delete")
        # A many-to-many ``add``/``remove``/``clear`` saves no model row: it sends m2m_changed.
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(receiver, sender=field.remote_field.through,
                                dispatch_uid=f"kesbang-gen-{label}-{field.name}-m2m")


def cached_query_result(name: str, queryset, compute, *, kind: str):
    """``compute()`` (a read of ``queryset``: its count, its grouped counts) kept in the cache until a
    write bumps generation ``name``. The key is the queryset's SQL and parameters, so it already holds
    whatever the reader's scope and filters put in the query: two logins share an entry only when
    their queries are the same. ``kind`` names the read (the same queryset counted or grouped)."""
    from django.core.exceptions import EmptyResultSet

    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a queryset that cannot match (qs.none(), an empty IN): nothing to keep
        return compute()
    return _kept(name, f"{queryset.db}\x1f{kind}\x1f{sql}\x1f{params!r}", compute)


def _kept(name: str, identity: str, compute):
    from django.core.cache import cache

    digest = hashlib.sha256(identity.encode()).hexdigest()[:40]
    key = f"kesbang:q:{name}:{generation(name)}:{digest}"
    found = cache.get(key)
    if found is not None:
        return found
    value = compute()
    cache.set(key, value, CACHE_SECONDS)
    return value


# The register rows that the filter forms' options and the teams registers' counts read: regions,
# teams, memberships, people, institutions (TeamsConfig) and incident categories (IncidentsConfig).
REGISTERS = "registers"


def cached_choices(queryset, pairs, *, kind: str, shared: str = "") -> list:
    """``pairs()``, the ``(value, label)`` options a select draws from ``queryset``, kept until a write
    of a model the ``registers`` generation watches. Read afresh when the queryset's own model is not
    watched (an option list must never outlive its rows). ``kind`` names how the rows become labels
    (the field's class): the same queryset may be labelled two ways. The options only offer: the
    filter still checks a submitted value against the queryset itself.

    ``shared``: a name for options that are the same for every reader (a queryset with no login's
    scope in it: every regency, every category). They are kept under that name, without compiling
    the queryset's SQL into the key (two compiles were 0.3 ms of the incident list, ``make bench``)."""
    from django.utils import translation

    if not watches(REGISTERS, queryset.model):
        return list(pairs())
    kind = f"choices:{kind}:{translation.get_language()}"
    if shared:
        return _kept(REGISTERS, f"{queryset.db}\x1f{kind}\x1fshared\x1f{shared}", lambda: list(pairs()))
    return cached_query_result(REGISTERS, queryset, lambda: list(pairs()), kind=kind)
