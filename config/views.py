"""Views of the project itself (not of one app)."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """The process is up and Django answers: no database, no cache, no template.

    For load balancers and container health checks, and the baseline of the load benchmark
    (``bench/load``): the cost of a request through the whole middleware stack and nothing else.
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
