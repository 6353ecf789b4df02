"""Writes for the teams app (house style 2), split by concern; import from ``teams.services``.

- organisation: regions, institutions, people, logins, teams, memberships
- plans: Rencana Aksi Terpadu (action plans, activities, realisation, evidence)
- reminders: the action-plan reminder emails (core ``deliver``)
"""

from teams.services.organisation import *  # noqa: F403
from teams.services.plans import *  # noqa: F403
from teams.services.reminders import ReminderDeliveryError, ReminderResult, plan_reminders_send  # noqa: F401
