"""Login-dependent choices for the incident forms (which regions a login may report in, which teams it
may assign). Authorisation of rows is ``Incident.objects.restrict`` (models)."""

from django.db.models import Q, QuerySet

from teams.access import scope_of
from teams.models import Membership, Region, Team

REGENCY_LEVELS = [Region.Level.KABUPATEN, Region.Level.KOTA]


def reportable_regions(user) -> QuerySet[Region]:
    """Regencies/cities a login may report in: its scope (province-wide: all; Staf Kabupaten/Kota: its
    own), or for a team member the regions of its teams (a provincial team: all) and its own region."""
    regencies = Region.objects.filter(level__in=REGENCY_LEVELS).order_by("code")
    if not getattr(user, "is_authenticated", False):
        return regencies.none()
    scope = scope_of(user)
    if scope.all_regions:
        return regencies
    if scope.regency_code:
        return regencies.filter(code=scope.regency_code)
    teams = list(
        Membership.objects.filter(person__user=user, end_date__isnull=True).values_list("team__region__code", flat=True)
    )
    person_region = Region.objects.filter(people__user=user).values_list("code", flat=True).first()
    codes = {c[:5] for c in teams + ([person_region] if person_region else [])}
    if any(len(c) == 2 for c in codes):
        return regencies
    return regencies.filter(code__in=codes)


def assignable_teams(user) -> QuerySet[Team]:
    """Active teams an incident may be given to: those of the login's reportable regions and the
    provincial team."""
    regions = reportable_regions(user)
    return (
        Team.objects.filter(status=Team.Status.AKTIF)
        .filter(Q(region__in=regions) | Q(region__level=Region.Level.PROVINSI))
        .select_related("region")
        .order_by("region__code", "name")
    )


def region_allowed(user, code: str) -> bool:
    """Whether a region code (regency, kecamatan or desa) lies in a regency the login may report in."""
    return reportable_regions(user).filter(code=(code or "")[:5]).exists()
