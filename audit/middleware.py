from auditlog.middleware import AuditlogMiddleware
from django.utils.functional import SimpleLazyObject

from core.security import client_ip


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware, with the client address the rate limits use (not a header the
    client could forge) and the user read when the change is written, so a user signed in by
    an API token (known only inside the view) is recorded too."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request) or None

    @staticmethod
    def _get_actor(request):
        return SimpleLazyObject(lambda: getattr(request, "user", None))
