"""Who may call which operation: the pages' Django permission (``required_perm`` of the view; 403
before any lookup) and, for a token, its scope (a read token never writes). Rows themselves come
through each model's ``restrict()`` in the views (404 outside the login's scope)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from kesbang.api.models import AccessToken


class PagePermission(permissions.BasePermission):
    """An authenticated login holding the view's ``required_perm`` (the list page's own); a view without
    one needs at least some permission (a login without a role holds none)."""

    message = _("Akun Anda tidak berhak membuka data ini.")

    def has_permission(self, request, view):
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        perm = getattr(view, "required_perm", None)
        return user.has_perm(perm) if perm else bool(user.get_all_permissions())


class TokenScope(permissions.BasePermission):
    """A write (POST, PUT, PATCH, DELETE) with a token needs a read-write token."""

    message = _("Token ini hanya untuk membaca; buat token baca-tulis untuk mengubah data.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, AccessToken) or token.can_write
