"""Writes for the organisation layer. Keyword-only, atomic, validated (DESIGN.md house style 2)."""

__all__ = [
    "RegionLoadResult", "validated_save", "regions_load", "institution_create", "person_create", "account_create",
    "person_update", "person_possible_duplicates", "team_create", "team_update", "team_end",
    "membership_start", "membership_end", "membership_replace",
]

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kesbang.core.validation import validated_save
from teams import regions
from teams.models import Institution, Membership, Person, Region, Team


@dataclass(frozen=True)
class RegionLoadResult:
    province_code: str
    rows: int
    created: int
    updated: int


@transaction.atomic
def regions_load(*, province_code: str) -> RegionLoadResult:
    """Load one province's regions from the national Kemendagri file the project carries.

    Idempotent (existing codes are renamed if needed, never duplicated). An unknown province code
    raises ValidationError and writes nothing.
    """
    code = (province_code or "").strip()
    if not code.isdigit() or len(code) != 2:
        raise ValidationError(_("Kode provinsi harus dua angka, mis. 19 untuk Kepulauan Bangka Belitung."))
    source = regions.PROVINCE_FILE if code == "19" else regions.NATIONAL_FILE
    rows = regions.province_rows(code, regions.read_rows(source))
    if not rows or rows[0][0] != code:
        raise ValidationError(
            _("Kode provinsi %(code)s tidak ada dalam berkas wilayah Kemendagri.") % {"code": code}
        )
    created, updated = regions.load_into(Region, rows)
    return RegionLoadResult(province_code=code, rows=len(rows), created=created, updated=updated)


@transaction.atomic
def institution_create(
    *, name: str, short_name: str = "", kind: str = Institution.Kind.LAINNYA, region: Region | None = None, **extra
) -> Institution:
    institution = Institution(name=name, short_name=short_name, kind=kind, region=region, **extra)
    return validated_save(institution)


@transaction.atomic
def person_create(
    *,
    name: str,
    institution: Institution,
    region: Region,
    position: str = "",
    nip: str = "",
    phone: str = "",
    email: str = "",
    user=None,
) -> Person:
    person = Person(
        name=name.strip(),
        institution=institution,
        region=region,
        position=position.strip(),
        nip=nip.strip(),
        phone=phone.strip(),
        email=email.strip(),
        user=user,
    )
    return validated_save(person)


@transaction.atomic
def account_create(*, username: str, password: str, role: str, person: Person | None = None, email: str = ""):
    """A login with one role (group). A role of ``kesbang.accounts.roles.ADMIN_SITE_ROLES`` (the
    Administrator) also gets the admin site (is_staff): ``role_opens_admin_site``.

    The login's region scope is its person's region (see ``teams.access.scope_of``).
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from kesbang.accounts.roles import role_opens_admin_site

    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("Nama pengguna %(u)s sudah dipakai.") % {"u": username})
    group = Group.objects.filter(name=role).first()
    if group is None:
        raise ValidationError(_("Peran %(r)s tidak dikenal.") % {"r": role})
    first, _sep, last = (person.name if person else username).partition(" ")
    user = User(username=username, email=email or (person.email if person else ""), first_name=first[:150],
                last_name=last[:150], is_staff=role_opens_admin_site(role))
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(group)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user


PERSON_FIELDS = ("name", "nip", "position", "institution", "region", "phone", "email")


@transaction.atomic
def person_update(*, person: Person, **fields) -> Person:
    for name, value in fields.items():
        if name not in PERSON_FIELDS:
            raise TypeError(f"person_update() got an unexpected field {name!r}")
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    return validated_save(person)


def person_possible_duplicates(*, name: str, institution: Institution, exclude_pk: int | None = None):
    """People with the same name (case and spacing ignored) in the same institution."""
    normalised = " ".join(name.split())
    qs = Person.objects.filter(institution=institution, name__iexact=normalised)
    return qs.exclude(pk=exclude_pk) if exclude_pk else qs


# --- Teams ------------------------------------------------------------------------------------------

TEAM_FIELDS = (
    "region", "name", "decree_number", "decree_date", "decree_signed_by",
    "period_start", "period_end", "status", "notes",
)
LEVEL_OF_REGION = {
    Region.Level.PROVINSI: Team.Level.PROVINSI,
    Region.Level.KABUPATEN: Team.Level.KABUPATEN,
    Region.Level.KOTA: Team.Level.KOTA,
}


@transaction.atomic
def team_create(
    *,
    region: Region,
    name: str,
    decree_number: str,
    decree_date: datetime.date,
    period_start: datetime.date,
    period_end: datetime.date | None = None,
    decree_signed_by: str = "",
    status: str = Team.Status.AKTIF,
    notes: str = "",
) -> Team:
    """Register a team. Its level follows from the region. Refuses a second active team of the same
    region in an overlapping period (also a database constraint on PostgreSQL)."""
    team = Team(
        region=region,
        level=LEVEL_OF_REGION.get(region.level, ""),
        name=name.strip(),
        decree_number=decree_number.strip(),
        decree_date=decree_date,
        decree_signed_by=decree_signed_by.strip(),
        period_start=period_start,
        period_end=period_end,
        status=status,
        notes=notes,
    )
    return validated_save(team)


@transaction.atomic
def team_update(*, team: Team, **fields) -> Team:
    for name, value in fields.items():
        if name not in TEAM_FIELDS:
            raise TypeError(f"team_update() got an unexpected field {name!r}")
        setattr(team, name, value.strip() if isinstance(value, str) else value)
    team.level = LEVEL_OF_REGION.get(team.region.level, "")
    members = Membership.objects.filter(team=team)
    if team.period_start and members.filter(start_date__lt=team.period_start).exists():
        raise ValidationError({"period_start": _(
            "Ada anggota yang mulai bertugas sebelum tanggal ini; masa tugas harus mencakup keanggotaan yang ada."
        )})
    if team.period_end and members.filter(start_date__gt=team.period_end).exists():
        raise ValidationError({"period_end": _(
            "Ada anggota yang mulai bertugas sesudah tanggal ini; masa tugas harus mencakup keanggotaan yang ada."
        )})
    return validated_save(team)


@transaction.atomic
def team_end(*, team: Team, end_date: datetime.date, reason: str = "") -> Team:
    """End a team's term: status berakhir, period closed, every active membership ended that day."""
    if team.status == Team.Status.BERAKHIR:
        raise ValidationError(_("Tim ini sudah berakhir."))
    if end_date < team.period_start:
        raise ValidationError({"end_date": _("Tanggal berakhir tidak boleh sebelum awal masa tugas.")})
    # Not team.memberships: a prefetched team would lend its select_related (outer joins) to FOR UPDATE.
    # of=("self",) and no ordering: Meta.ordering's joins would lock the team and region rows too.
    active = Membership.objects.filter(team=team, end_date__isnull=True)
    for membership in active.select_for_update(of=("self",)).order_by():
        membership_end(
            membership=membership,
            end_date=max(end_date, membership.start_date),
            reason=reason or _("Masa tugas tim berakhir"),
        )
    team.status = Team.Status.BERAKHIR
    if team.period_end is None or team.period_end > end_date:
        team.period_end = end_date
    team._change_reason = reason.strip()[:100]  # shown in the team's change history (simple-history)
    return validated_save(team)


# --- Memberships ------------------------------------------------------------------------------------


@transaction.atomic
def membership_start(
    *,
    team: Team,
    person: Person,
    role: str,
    start_date: datetime.date,
    decree_number: str = "",
    replaces: Membership | None = None,
) -> Membership:
    """Seat a person on a team. At most one active Ketua and Sekretaris (database constraints), a
    person at most once actively per team; an ended team takes no new members."""
    if team.status != Team.Status.AKTIF:
        raise ValidationError(_("Tim yang sudah berakhir tidak dapat menerima anggota baru."))
    if start_date < team.period_start:
        raise ValidationError({"start_date": _("Tanggal mulai tidak boleh sebelum masa tugas tim dimulai.")})
    if team.period_end and start_date > team.period_end:
        raise ValidationError({"start_date": _("Tanggal mulai tidak boleh sesudah masa tugas tim berakhir.")})
    membership = Membership(
        team=team,
        person=person,
        role=role,
        start_date=start_date,
        decree_number=decree_number.strip(),
        replaces=replaces,
    )
    return validated_save(membership)


@transaction.atomic
def membership_end(*, membership: Membership, end_date: datetime.date, reason: str = "") -> Membership:
    """End a membership; the row stays as history (riwayat keanggotaan)."""
    # Lock the row: two people ending the same membership at once must not both succeed.
    current = Membership.objects.select_for_update(of=("self",)).order_by().only("end_date").get(pk=membership.pk)
    if membership.end_date is not None or current.end_date is not None:
        raise ValidationError(_("Keanggotaan ini sudah berakhir."))
    if end_date < membership.start_date:
        raise ValidationError({"end_date": _("Tanggal berakhir tidak boleh sebelum tanggal mulai.")})
    membership.end_date = end_date
    membership.end_reason = reason.strip()
    return validated_save(membership)


@transaction.atomic
def membership_replace(
    *,
    membership: Membership,
    person: Person,
    start_date: datetime.date,
    decree_number: str = "",
    reason: str = "",
) -> Membership:
    """Mutasi in one step: end the old membership on ``start_date`` and seat ``person`` in the same
    role from that day, linked to the one they replace. All or nothing."""
    if membership.person_id == person.pk:
        raise ValidationError({"person": _("Pengganti harus orang yang berbeda.")})
    membership_end(membership=membership, end_date=start_date, reason=reason or _("Mutasi / penggantian"))
    return membership_start(
        team=membership.team,
        person=person,
        role=membership.role,
        start_date=start_date,
        decree_number=decree_number,
        replaces=membership,
    )
