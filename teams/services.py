"""Writes for the organisation layer. Keyword-only, atomic, validated (DESIGN.md house style 2)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teams import regions
from teams.models import Institution, Person, Region


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
    institution.full_clean()
    institution.save()
    return institution


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
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def account_create(*, username: str, password: str, role: str, person: Person | None = None, email: str = ""):
    """A login with one role (group). Administrators also get the admin site (is_staff).

    The login's region scope is its person's region (see ``teams.access.scope_of``).
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from teams.access import Role

    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("Nama pengguna %(u)s sudah dipakai.") % {"u": username})
    group = Group.objects.filter(name=role).first()
    if group is None:
        raise ValidationError(_("Peran %(r)s tidak dikenal.") % {"r": role})
    first, _sep, last = (person.name if person else username).partition(" ")
    user = User(username=username, email=email or (person.email if person else ""), first_name=first[:150],
                last_name=last[:150], is_staff=role == Role.ADMINISTRATOR)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(group)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user
