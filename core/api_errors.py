"""One JSON shape for every API error: ``{"error": {"code", "message", "fields"}}``.

Two statuses for refused data, so a client (and the schema-driven tests) can tell them apart:

- 400: the request does not match the API's schema (a wrong type or format, a missing or too
  long value, an unknown choice, an unreadable body).
- 422: the request matches the schema but breaks a rule the schema cannot state: a referenced
  object that does not exist or is outside the user's stations, a code that is already taken,
  a check character, a step the object's current state does not allow, a balance too small.
  Services raise Django's ``ValidationError`` for these (so a view never translates domain
  errors itself); serializers raise errors with one of ``RULE_CODES``. Every operation that
  can answer 422 documents it in the schema (``config/api_schema.py``).
"""

from typing import cast

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

# The error code a serializer gives a rule of its own (``serializers.ValidationError(..,
# code=RULE)``): well-formed input that the rule refuses.
RULE = "rule"
# Codes of errors about well-formed input; any other code means the input does not match the
# schema. ``does_not_exist``: a related object's code or id that no visible row has.
RULE_CODES = frozenset(
    {
        RULE,
        "does_not_exist",
        "unique",
        "invalid_credit_code_check",
        "invalid_id_check_digit",
        "invalid_id_birth_date",
        # A decimal's bounds (an amount above zero, hours up to 24): the schema gives decimals
        # as text with a pattern, which cannot state a range.
        "min_value",
        "max_value",
    }
)


class RuleViolation(exceptions.ValidationError):
    """Well-formed data refused by a business rule: a 422 in the API's error shape."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY


def _codes(codes) -> set[str]:
    if isinstance(codes, dict):
        return set().union(*(_codes(value) for value in codes.values()))
    if isinstance(codes, list | tuple):
        return set().union(*(_codes(value) for value in codes))
    return {codes}


def breaks_only_rules(exc: exceptions.ValidationError) -> bool:
    codes = _codes(exc.get_codes())
    return bool(codes) and codes <= RULE_CODES


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, DjangoValidationError):
        # Raised by a service, after the serializer found the input well formed.
        exc = RuleViolation(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif type(exc) is exceptions.ValidationError and breaks_only_rules(exc):
        exc = RuleViolation(exc.detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        code: str | None = "invalid"
        message = _("The submitted data is not valid.")
        data = response.data
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
    else:
        detail = getattr(exc, "detail", None)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        message = str(detail) if detail is not None else str(exc)
        fields = {}
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    return response


def not_found(request, exception):
    """``handler404``: under ``/api/`` the API's JSON error, elsewhere the site's 404 page.

    A path that matches no URL pattern at all (``/api/v1/projects/a.b/``) never reaches DRF,
    so without this an API client would get an HTML page.
    """
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        detail = cast(exceptions.ErrorDetail, exceptions.NotFound().detail)
        return JsonResponse(
            {"error": {"code": detail.code, "message": str(detail), "fields": {}}}, status=404
        )
    return page_not_found(request, exception)
