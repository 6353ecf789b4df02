"""``validated_save``: ``full_clean()`` then ``save()``, with database-constraint races turned into
the constraint's own readable message (read from the model's ``Meta.constraints``, not a copy)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _


def constraint_messages(model: type[models.Model]) -> dict[str, str]:
    """{constraint name: its violation_error_message} of a model (and its concrete parents).

    Constraints added only by a migration (e.g. a PostgreSQL exclusion constraint) can be declared
    on the model as ``extra_constraint_messages = {"name": _("...")}``."""
    found: dict[str, str] = {}
    for klass in [model, *model._meta.get_parent_list()]:
        for constraint in klass._meta.constraints:
            message = getattr(constraint, "violation_error_message", None)
            if message and message != constraint.default_violation_error_message:
                found[constraint.name] = str(message)
            elif message:
                found.setdefault(constraint.name, "")
        for name, message in getattr(klass, "extra_constraint_messages", {}).items():
            found[name] = str(message)
    return found


def _by_columns(model: type[models.Model], text: str) -> str | None:
    """SQLite names the columns, not the constraint: "UNIQUE constraint failed: teams_person.nip"."""
    marker = "UNIQUE constraint failed: "
    if marker not in text:
        return None
    columns = {part.strip().rsplit(".", 1)[-1] for part in text.split(marker, 1)[1].split(",")}
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", None)
        if fields and {model._meta.get_field(f).column for f in fields} == columns:
            message = str(getattr(constraint, "violation_error_message", "") or "")
            if message and message != str(constraint.default_violation_error_message):
                return message
    return None


def integrity_error_message(model: type[models.Model], exc: IntegrityError) -> str:
    text = str(exc)
    for name, message in sorted(constraint_messages(model).items(), key=lambda item: -len(item[0])):
        if message and name in text:
            return message
    found = _by_columns(model, text)
    if found:
        return found
    return _("Data bertentangan dengan data lain yang sudah tersimpan.")


def validated_save(instance: models.Model, *, exclude=None, **save_kwargs) -> models.Model:
    """full_clean() then save(); an IntegrityError from a named constraint (a race past validation)
    becomes a ValidationError carrying that constraint's own ``violation_error_message``."""
    instance.full_clean(exclude=exclude)
    try:
        with transaction.atomic():
            instance.save(**save_kwargs)
    except IntegrityError as exc:
        raise ValidationError(integrity_error_message(type(instance), exc)) from exc
    return instance
