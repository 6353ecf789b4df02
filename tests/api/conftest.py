"""Helpers of the API tests: a token for a login (made through the service, as the token page does)
and a test client that sends it."""

import pytest
from django.test import Client

from kesbang.api import services


def make_token(user, *, scope: str = "read", days: int = 90, second_factor: bool = True, name: str | None = None):
    """(row, clear token) for ``user``; ``second_factor``: made from a verified session."""
    from kesbang.api.models import AccessToken

    name = name or f"uji-{AccessToken.objects.filter(user=user).count() + 1}"
    return services.token_create(user=user, name=name, scope=scope, days=days, second_factor=second_factor)


def token_client(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def api_as():
    """``api_as(user, scope="read")`` → a client authenticated by a fresh token of ``user``."""

    def make(user, scope: str = "read"):
        _token, raw = make_token(user, scope=scope)
        return token_client(raw)

    return make
