"""Writes for the Rencana Aksi Terpadu: plans, activities, realisation, evidence and reminders.

Keyword-only, atomic, validated (DESIGN.md house style 2). Reads and the achievement maths live in
``teams.plan_selectors``.
"""

__all__ = [
    "EVIDENCE_MAX_BYTES", "EVIDENCE_KINDS", "ReminderDeliveryError", "ReminderResult",
    "plan_create", "plan_update", "activity_create", "activity_update", "activity_delete",
    "realisation_record", "evidence_add", "evidence_delete", "evidence_sniff",
    "period_end", "period_deadline", "period_deadlines", "plan_reminders_send",
]

import calendar
import datetime
import logging
import smtplib
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from teams.models import (
    ActionPlan,
    Activity,
    ActivityPeriod,
    Evidence,
    Institution,
    Period,
    Person,
    Phase,
    PlanReminderLog,
    ReportingDeadline,
    Team,
)
from teams.services.organisation import validated_save

logger = logging.getLogger(__name__)

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

# kind -> (content type, extensions accepted in the uploaded name, extension stored)
EVIDENCE_KINDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "pdf": ("application/pdf", (".pdf",), ".pdf"),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg"), ".jpg"),
    "png": ("image/png", (".png",), ".png"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), ".xlsx"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), ".docx"),
}


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
        existing = {ap.period: ap for ap in activity.periods.select_for_update()}
        for code, target in clean_targets.items():
            ap = existing.get(code) or ActivityPeriod(activity=activity, period=code)
            ap.target = target
            validated_save(_with_user(ap, user))
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, user=None) -> None:
    """Delete an activity, its periods and evidence rows; the evidence files go after commit."""
    names = list(Evidence.objects.filter(activity_period__activity=activity).values_list("file", flat=True))
    _with_user(activity, user).delete()
    _delete_files_on_commit(names)


# --- Realisation and evidence -----------------------------------------------------------------------


@transaction.atomic
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
    leaves the realisation unchanged."""
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


def _read_head(uploaded_file, n: int) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(n)
    uploaded_file.seek(0)
    return head


def evidence_sniff(uploaded_file) -> str | None:
    """The kind of a file by its content (magic bytes; for Office files the zip's parts), or None."""
    head = _read_head(uploaded_file, 8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            uploaded_file.seek(0)
            with zipfile.ZipFile(uploaded_file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            uploaded_file.seek(0)
        if "[Content_Types].xml" not in names:
            return None
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
    return None


@transaction.atomic
def evidence_add(*, activity_period: ActivityPeriod, uploaded_file, user=None) -> Evidence:
    """Attach a proof file: PDF, JPEG, PNG, XLSX or DOCX by content (not by name), at most 10 MB.

    The stored name is random with the extension of the sniffed kind, under private media."""
    raw_name = uploaded_file.name or "berkas"
    if "/" in raw_name or "\\" in raw_name or raw_name.strip() in {".", ".."} or not raw_name.isprintable():
        raise ValidationError({"evidence": _(
            "Nama berkas tidak boleh memuat folder (/ atau \\) atau karakter khusus. Ganti nama berkas lalu "
            "unggah lagi."
        )})
    original = PurePath(raw_name).name[:255]
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError({"evidence": _("Berkas bukti kosong.")})
    if size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": _(
            "Berkas %(name)s terlalu besar (%(size).1f MB); maksimal 10 MB."
        ) % {"name": original, "size": size / 1024 / 1024}})
    kind = evidence_sniff(uploaded_file)
    if kind is None:
        raise ValidationError({"evidence": _(
            "Jenis berkas %(name)s tidak diizinkan. Unggah PDF, JPG, PNG, XLSX atau DOCX."
        ) % {"name": original}})
    content_type, extensions, stored_ext = EVIDENCE_KINDS[kind]
    if PurePath(original).suffix.lower() not in extensions:
        raise ValidationError({"evidence": _(
            "Isi berkas %(name)s tidak sesuai dengan ekstensinya (isinya %(kind)s)."
        ) % {"name": original, "kind": kind.upper()}})
    uploaded_file.seek(0)
    uploaded_file.name = PurePath(original).stem[:100] + stored_ext
    evidence = Evidence(
        activity_period=activity_period,
        file=uploaded_file,
        original_name=original,
        content_type=content_type,
        size=size,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    # uploaded_by is null=True without blank=True on the model: a system upload (no user) is legitimate.
    evidence.full_clean(exclude=["file", "uploaded_by"])
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user=None) -> None:
    name = evidence.file.name
    evidence.delete()
    _delete_files_on_commit([name])


def _delete_files_on_commit(names) -> None:
    from django.core.files.storage import default_storage

    def delete():
        for name in names:
            if name:
                try:
                    default_storage.delete(name)
                except OSError:
                    logger.warning("evidence file %s could not be deleted", name)

    transaction.on_commit(delete)


# --- Deadlines --------------------------------------------------------------------------------------


def period_end(year: int, period: str) -> datetime.date:
    month = Period.last_month(period)
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def period_deadlines(year: int) -> dict[str, datetime.date]:
    """Every period's deadline of a year in one query: a ReportingDeadline row, else the period's end
    plus ``settings.ACTION_PLAN_DEADLINE_DAYS`` days."""
    overrides = dict(ReportingDeadline.objects.filter(year=year).values_list("period", "due_date"))
    days = datetime.timedelta(days=getattr(settings, "ACTION_PLAN_DEADLINE_DAYS", 10))
    return {code: overrides.get(code) or period_end(year, code) + days for code in Period.values}


def period_deadline(year: int, period: str) -> datetime.date:
    if period not in Period.values:
        raise ValueError(f"unknown period {period!r}")
    return period_deadlines(year)[period]


# --- Reminders --------------------------------------------------------------------------------------


class ReminderDeliveryError(ConnectionError):
    """Some reminders could not be delivered; they have no log row and are tried again."""


@dataclass
class ReminderResult:
    sent: int = 0
    already_sent: int = 0
    skipped_no_email: int = 0
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "already_sent": self.already_sent,
                "skipped_no_email": self.skipped_no_email, "failed": list(self.failed)}


def _due_reminders(today: datetime.date) -> list[tuple[int, str, datetime.date, int, int]]:
    """(year, period, deadline, reminder, days_left) for each deadline inside a reminder's window.

    A reminder of distance d (14 or 3, ``settings.ACTION_PLAN_REMINDER_DAYS``) is due from d days
    before the deadline until the next, shorter reminder takes over (H-14: 13..4 days left too; H-3:
    3..0). So a day the beat did not run is caught up the next day; PlanReminderLog keeps each one to
    a single email. The previous year is included: B12's deadline falls in January of the next year."""
    distances = sorted(set(getattr(settings, "ACTION_PLAN_REMINDER_DAYS", (14, 3))))
    due = []
    for year in (today.year - 1, today.year):
        for code, deadline in period_deadlines(year).items():
            days_left = (deadline - today).days
            if days_left < 0:
                continue
            reminder = next((d for d in distances if d >= days_left), None)
            if reminder is not None:
                due.append((year, code, deadline, reminder, days_left))
    return due


def _recipients(plan: ActionPlan, institution: Institution) -> list[str]:
    emails = (
        Person.objects.filter(
            institution=institution, memberships__team_id=plan.team_id, memberships__end_date__isnull=True
        )
        .exclude(email="")
        .order_by("name")
        .values_list("email", flat=True)
        .distinct()
    )
    found = list(dict.fromkeys(emails))
    if not found and institution.email:
        found = [institution.email]
    return found


def _reminder_message(*, plan, period, deadline, days_before, institution, activities, recipients, connection):
    context = {
        "plan": plan,
        "team": plan.team,
        "period": period,
        "period_label": Period(period).label,
        "deadline": deadline,
        "days_before": days_before,
        "institution": institution,
        "activities": activities,
        "plan_url": settings.SITE_URL + plan.get_absolute_url(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("emails/plan_reminder_subject.txt", context).split())
        text = render_to_string("emails/plan_reminder.txt", context)
        html = render_to_string("emails/plan_reminder.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients, connection=connection
    )
    message.attach_alternative(html, "text/html")
    return message


def plan_reminders_send(*, today: datetime.date) -> ReminderResult:
    """Email each institution whose activities lack a realisation, 14 and 3 days before a deadline
    (``settings.ACTION_PLAN_REMINDER_DAYS``), once.

    Not atomic as a whole on purpose: every reminder is its own transaction in which the
    PlanReminderLog row is written *before* the email is sent. The unique constraint on (plan,
    period, institution, days_before) makes a second run (or a concurrent worker) a no-op; a failed
    send rolls the row back so the next run tries again. After trying every reminder, raises
    ReminderDeliveryError if any send failed (the task retries with backoff)."""
    result = ReminderResult()
    due = _due_reminders(today)
    if not due:
        return result
    connection = get_connection(fail_silently=False)
    first_error: Exception | None = None
    for year, period, deadline, days_before, days_left in due:
        missing = (
            ActivityPeriod.objects.filter(
                period=period,
                realisation__isnull=True,
                activity__plan__year=year,
                activity__plan__team__status=Team.Status.AKTIF,
            )
            .select_related("activity__plan__team__region", "activity__responsible_institution")
            .order_by("activity__plan_id", "activity__responsible_institution_id", "activity__phase",
                      "activity__number", "activity_id")
        )
        groups: dict[tuple[int, int], list[ActivityPeriod]] = defaultdict(list)
        for ap in missing:
            groups[(ap.activity.plan_id, ap.activity.responsible_institution_id)].append(ap)
        for rows in groups.values():
            plan = rows[0].activity.plan
            institution = rows[0].activity.responsible_institution
            if PlanReminderLog.objects.filter(
                plan=plan, period=period, institution=institution, days_before=days_before
            ).exists():
                result.already_sent += 1
                continue
            recipients = _recipients(plan, institution)
            if not recipients:
                logger.warning(
                    "plan reminder skipped: no email for %s (plan %s, %s, H-%s)",
                    institution, plan.pk, period, days_before,
                )
                result.skipped_no_email += 1
                continue
            phase_labels = dict(Phase.choices)
            activities = [
                {"number": ap.activity.number, "name": ap.activity.name, "phase": phase_labels[ap.activity.phase],
                 "target": ap.target, "unit": ap.activity.unit}
                for ap in rows
            ]
            try:
                with transaction.atomic():
                    PlanReminderLog.objects.create(
                        plan=plan, period=period, institution=institution, days_before=days_before,
                        recipients=", ".join(recipients),
                    )
                    _reminder_message(
                        plan=plan, period=period, deadline=deadline, days_before=days_left,
                        institution=institution, activities=activities, recipients=recipients,
                        connection=connection,
                    ).send()
            except IntegrityError:
                result.already_sent += 1
            except (smtplib.SMTPException, OSError) as exc:
                logger.warning(
                    "plan reminder to %s (plan %s, %s, H-%s) failed: %s", institution, plan.pk, period, days_before, exc
                )
                result.failed.append(f"{plan.pk}/{period}/{institution.pk}/H-{days_before}")
                first_error = first_error or exc
            else:
                result.sent += 1
                logger.info(
                    "plan reminder sent to %s (%s) for plan %s, %s, H-%s",
                    institution, ", ".join(recipients), plan.pk, period, days_before,
                )
    if result.failed:
        raise ReminderDeliveryError(
            _("Pengingat gagal dikirim: %(items)s") % {"items": ", ".join(result.failed)}
        ) from first_error
    return result
