"""Error pages that must work while the database is down."""

import sys

from django.views import defaults

from .middleware import is_database_outage, service_unavailable


def server_error(request, template_name: str = defaults.ERROR_500_TEMPLATE_NAME):
    """``handler500``: a database outage raised outside a view (in a middleware, while saving
    the session) is still a 503 with its page; anything else is Django's 500."""
    if is_database_outage(sys.exc_info()[1]):
        return service_unavailable(request)
    return defaults.server_error(request, template_name)
