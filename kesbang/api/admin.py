"""Tokens in the admin: an administrator sees every login's tokens (never a secret: only the public
prefix is stored besides the hash, and the hash is not shown) and revokes one, e.g. a leaked token.
Nobody adds or edits a token here: a token is made by its owner on /akun/token/."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kesbang.api import services
from kesbang.api.models import AccessToken


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "scope", "created_at", "expires_at", "revoked_at", "last_used_at",
                    "last_used_from", "second_factor")
    list_filter = ("scope", "second_factor")
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "scope", "created_at", "expires_at", "revoked_at", "second_factor",
                       "created_from", "last_used_at", "last_used_from")
    exclude = ("token_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cabut token yang dipilih"), permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.token_revoke(token=token, user=request.user, request=request)
            count += 1
        self.message_user(request, ngettext("%(n)s token dicabut.", "%(n)s token dicabut.", count) % {"n": count},
                          messages.SUCCESS)
