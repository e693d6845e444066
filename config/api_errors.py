"""One JSON shape for every API error: ``{"error": {"code", "message", "fields"}}``.

Services raise Django's ``ValidationError``; it is answered as a 400 with its messages, so a
view never needs to translate domain errors itself.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
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
        detail = exceptions.NotFound().detail
        return JsonResponse(
            {"error": {"code": detail.code, "message": str(detail), "fields": {}}}, status=404
        )
    return page_not_found(request, exception)
