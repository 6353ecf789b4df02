"""Reads for the office layer (dashboard). Reads from every app; nothing reads from here."""

from django.db.models import Count, Q

from teams.access import scope_of
from teams.models import Institution, Person, Region


def dashboard_summary(*, user) -> dict:
    scope = scope_of(user)
    regencies = Region.objects.filter(level__in=[Region.Level.KABUPATEN, Region.Level.KOTA]).filter(
        scope.q("code")
    )
    people = Person.objects.filter(scope.q())
    counts = people.aggregate(total=Count("id"), with_login=Count("id", filter=Q(user__isnull=False)))
    return {
        "scope": scope,
        "regencies": list(regencies.annotate(people_count=Count("people"))),
        "people_total": counts["total"],
        "people_with_login": counts["with_login"],
        "institutions_total": Institution.objects.count(),
    }
