"""Authorisation as a queryset method on every scoped model (NetBox's ``RestrictedQuerySet``).

``Model.objects.restrict(user, "view")`` is the rows a login may read, ``"change"`` the rows it may
change. Views fetch through it (``ScopedObjectMixin``), so a row outside the login's scope is a 404
like a missing one. Selectors take the resulting querysets and never raise ``Http404``, so a
background task with no user reuses them on ``Model.objects.all()``.
"""

from django.db import models

ACTIONS = ("view", "change")


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> "RestrictedQuerySet":
        """Rows ``user`` may ``action`` ("view" | "change").

        Anonymous users get ``none()``; a superuser gets everything for both actions; anyone else
        gets what the subclass's ``_restrict(user, action)`` returns. Never raises ``Http404``."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; use one of {ACTIONS}")
        if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
            return self.none()
        if getattr(user, "is_superuser", False):
            return self.all()
        return self._restrict(user, action)

    def _restrict(self, user, action: str) -> "RestrictedQuerySet":  # pragma: no cover - subclass hook
        raise NotImplementedError(f"{type(self).__name__} must implement _restrict(user, action)")


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)
