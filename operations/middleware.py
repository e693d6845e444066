"""A database outage answers 503 with a page saying so, never a 500.

While Postgres is down or restarting, any request that touches the database fails with
``OperationalError`` / ``InterfaceError``. This middleware (for errors raised by views and
templates) and ``config.urls.handler500`` (for errors raised in other middleware) answer
503 with ``Retry-After``: a Chinese page for people, the API's JSON error shape under
``/api/``. Django's ``CONN_HEALTH_CHECKS`` then replaces the dead connection on the next
request, so the site recovers by itself when the database is back.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def is_database_outage(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, DATABASE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
    return False


def service_unavailable(request) -> HttpResponse:
    """The 503 answer. Renders without the database: no context processors, no session."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "error": {
                    "code": "service_unavailable",
                    "message": _(
                        "The service is briefly unavailable. Please try again in a minute."
                    ),
                    "fields": {},
                }
            },
            status=503,
        )
    else:
        response = HttpResponse(
            render_to_string("operations/503.html", {"retry_after": RETRY_AFTER_SECONDS}),
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        logger.error("database unavailable for %s %s: %s", request.method, request.path, exception)
        return service_unavailable(request)
