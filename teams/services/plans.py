"""Writes for the Rencana Aksi Terpadu: plans, activities, realisation and evidence.

Keyword-only, atomic, validated (DESIGN.md house style 2). Reads and the achievement maths live in
``teams.plan_selectors``, deadlines in ``teams.deadlines``, reminders in ``teams.services.reminders``.
"""

__all__ = [
    "plan_create", "plan_update", "activity_create", "activity_update", "activity_delete",
    "realisation_record", "evidence_add", "evidence_delete",
]

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesbang.core.uploads import atomic_with_files
from kesbang.core.validation import validated_save
from teams.models import ActionPlan, Activity, ActivityPeriod, Evidence, Institution, Period, Team

# --- Plans ------------------------------------------------------------------------------------------

PLAN_FIELDS = ("year", "legal_basis_number", "legal_basis_date", "notes")


def _with_user(obj, user):
    """Record who made the change in the simple-history row (tasks and shells have no request)."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    return obj


@transaction.atomic
def plan_create(
    *,
    team: Team,
    year: int,
    legal_basis_number: str = "",
    legal_basis_date: datetime.date | None = None,
    notes: str = "",
    user=None,
) -> ActionPlan:
    """A team's Rencana Aksi for one year; one per team and year (also a database constraint)."""
    if team.status != Team.Status.AKTIF:
        raise ValidationError(_("Tim yang sudah berakhir tidak dapat membuat Rencana Aksi baru."))
    plan = ActionPlan(
        team=team,
        year=year,
        legal_basis_number=(legal_basis_number or "").strip(),
        legal_basis_date=legal_basis_date,
        notes=notes or "",
    )
    return validated_save(_with_user(plan, user))


@transaction.atomic
def plan_update(*, plan: ActionPlan, user=None, **fields) -> ActionPlan:
    for name, value in fields.items():
        if name not in PLAN_FIELDS:
            raise TypeError(f"plan_update() got an unexpected field {name!r}")
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    return validated_save(_with_user(plan, user))


# --- Activities -------------------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "phase", "name", "indicator", "unit", "responsible_institution", "budget", "budget_source", "number",
)


def _decimal(value, *, field_name: str, label: str) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field_name: _("%(label)s harus berupa angka.") % {"label": label}}) from exc
    if not number.is_finite():
        raise ValidationError({field_name: _("%(label)s harus berupa angka.") % {"label": label}})
    if number < 0:
        raise ValidationError({field_name: _("%(label)s tidak boleh negatif.") % {"label": label}})
    return number


def _clean_targets(targets: dict | None) -> dict[str, Decimal]:
    targets = dict(targets or {})
    unknown = set(targets) - set(Period.values)
    if unknown:
        raise ValidationError(
            _("Periode tidak dikenal: %(codes)s. Gunakan B04, B08 atau B12.") % {"codes": ", ".join(sorted(unknown))}
        )
    return {
        code: _decimal(targets.get(code), field_name=f"target_{code}", label=_("Target %(p)s") % {"p": code})
        for code in Period.values
    }


def _validate_budget(budget):
    if budget is None or budget == "":
        return None
    return _decimal(budget, field_name="budget", label=_("Anggaran"))


@transaction.atomic
def activity_create(
    *,
    plan: ActionPlan,
    phase: str,
    name: str,
    indicator: str = "",
    unit: str = "kegiatan",
    responsible_institution: Institution,
    budget: Decimal | None = None,
    budget_source: str = "",
    targets: dict[str, Decimal] | None = None,
    number: int | None = None,
    user=None,
) -> Activity:
    """An activity with its three ActivityPeriod rows (B04, B08, B12); a missing target is 0.

    The number defaults to the next one within the plan's phase."""
    clean_targets = _clean_targets(targets)
    if number is None:
        last = plan.activities.filter(phase=phase).order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    activity = Activity(
        plan=plan,
        phase=phase,
        number=number,
        name=(name or "").strip(),
        indicator=(indicator or "").strip(),
        unit=(unit or "").strip() or "kegiatan",
        responsible_institution=responsible_institution,
        budget=_validate_budget(budget),
        budget_source=(budget_source or "").strip(),
    )
    validated_save(_with_user(activity, user))
    for code, target in clean_targets.items():
        validated_save(_with_user(ActivityPeriod(activity=activity, period=code, target=target), user))
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, targets: dict[str, Decimal] | None = None, user=None, **fields) -> Activity:
    """Change an activity and, when given, its targets; realisations already reported stay."""
    old_phase = activity.phase
    for name, value in fields.items():
        if name not in ACTIVITY_FIELDS:
            raise TypeError(f"activity_update() got an unexpected field {name!r}")
        if name == "budget":
            value = _validate_budget(value)
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    if activity.phase != old_phase and "number" not in fields:
        last = (
            activity.plan.activities.filter(phase=activity.phase).exclude(pk=activity.pk)
            .order_by("-number").values_list("number", flat=True).first()
        )
        activity.number = (last or 0) + 1
    validated_save(_with_user(activity, user))
    if targets is not None:
        clean_targets = _clean_targets(targets)
        # Lock only these rows: the model's ordering would join (and lock) activity, plan, team, region.
        existing = {ap.period: ap for ap in activity.periods.select_for_update(of=("self",)).order_by()}
        for code, target in clean_targets.items():
            ap = existing.get(code) or ActivityPeriod(activity=activity, period=code)
            ap.target = target
            validated_save(_with_user(ap, user))
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, user=None) -> None:
    """Delete an activity, its periods and evidence rows; the evidence files go after commit
    (``cleanup_files_for(Evidence, "file")``, registered in ``TeamsConfig.ready``)."""
    _with_user(activity, user).delete()


# --- Realisation and evidence -----------------------------------------------------------------------


@atomic_with_files()
def realisation_record(
    *,
    activity_period: ActivityPeriod,
    realisation: Decimal | None,
    narrative: str = "",
    user=None,
    evidence_files=(),
) -> ActivityPeriod:
    """Record (or clear, with ``None``) one period's realisation, stamping who and when.

    Files in ``evidence_files`` are validated and attached in the same transaction: a refused file
    leaves the realisation unchanged, and files already stored by this call are removed again."""
    if realisation is None or realisation == "":
        activity_period.realisation = None
        activity_period.reported_at = None
        activity_period.reported_by = None
    else:
        activity_period.realisation = _decimal(realisation, field_name="realisation", label=_("Realisasi"))
        activity_period.reported_at = timezone.now()
        activity_period.reported_by = user if getattr(user, "is_authenticated", False) else None
    activity_period.narrative = (narrative or "").strip()
    validated_save(_with_user(activity_period, user))
    for uploaded in evidence_files:
        if uploaded:
            evidence_add(activity_period=activity_period, uploaded_file=uploaded, user=user)
    return activity_period


@atomic_with_files()
def evidence_add(*, activity_period: ActivityPeriod, uploaded_file, user=None) -> Evidence:
    """Attach a proof file: PDF, JPEG, PNG, XLSX or DOCX by content (not by name), at most
    ``KESBANG_UPLOAD_MAX_BYTES`` (10 MB). Stored under a random name in private storage; removed
    again if the transaction rolls back."""
    evidence = Evidence(activity_period=activity_period)
    evidence.take_upload(uploaded_file, user=user, field="evidence")
    return evidence.save_upload()


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user=None) -> None:
    """Delete the row; its file goes after commit (``cleanup_files_for``)."""
    evidence.delete()
