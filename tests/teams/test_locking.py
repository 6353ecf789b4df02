"""Row locks take only the rows meant: Meta.ordering on foreign-key paths would join (and on
PostgreSQL lock) the plan, team and region rows, so edits in one region queued behind each other."""


import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teams import services
from tests.factories import make_member, make_team
from tests.teams.test_plans import make_plan

pytestmark = pytest.mark.django_db
D = Decimal


def _locking_selects(queries, table: str) -> list[str]:
    return [q["sql"] for q in queries
            if q["sql"].lstrip().upper().startswith("SELECT") and f'FROM "{table}"' in q["sql"]
            and ("FOR UPDATE" in q["sql"] or connection.vendor != "postgresql")]


def test_activity_update_locks_only_its_period_rows():
    plan = make_plan(activities=1)
    activity = plan.activities.get()
    with CaptureQueriesContext(connection) as ctx:
        services.activity_update(activity=activity, targets={"B04": D(3)})
    locks = _locking_selects(ctx.captured_queries, "teams_activityperiod")
    assert locks, "the period rows are read for update"
    for sql in locks:
        assert "JOIN" not in sql.upper(), sql  # Meta.ordering joined (and locked) activity, plan, team, region
        if connection.vendor == "postgresql":
            assert 'FOR UPDATE OF "teams_activityperiod"' in sql


def test_ending_a_team_locks_only_membership_rows():
    team = make_team("19.01")
    make_member(team)
    with CaptureQueriesContext(connection) as ctx:
        services.team_end(team=team, end_date=datetime.date(2025, 12, 31))
    locks = [sql for sql in _locking_selects(ctx.captured_queries, "teams_membership") if "end_date" in sql]
    assert locks
    for sql in locks:
        assert "JOIN" not in sql.upper(), sql
