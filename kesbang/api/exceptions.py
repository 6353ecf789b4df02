"""Errors as JSON: a service's Django ``ValidationError`` becomes a 400 with its Indonesian messages
per field (``non_field_errors`` for the rest), a throttled call a 429 saying when to come back."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from kesbang.api.throttling import throttled_message


def service_errors(exc: DjangoValidationError) -> dict:
    key = api_settings.NON_FIELD_ERRORS_KEY
    if hasattr(exc, "error_dict"):
        return {(key if field == NON_FIELD_ERRORS else field): messages for field, messages in exc.message_dict.items()}
    return {key: exc.messages}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(service_errors(exc))
    elif isinstance(exc, exceptions.Throttled):
        exc = exceptions.Throttled(wait=exc.wait, detail=throttled_message(exc.wait))
    return drf_exception_handler(exc, context)
