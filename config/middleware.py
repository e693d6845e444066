"""Project-wide request guards."""

from django.http import Http404


class NulPathNotFoundMiddleware:
    """A path with a NUL byte (``/api/v1/projects/%00/``) is a 404 before any view runs.

    No URL of the platform contains one, and a view that looked it up would pass it to
    Postgres, which refuses NUL in text with an error (a 500). The 404 is the site's page, or
    the API's JSON error under ``/api/`` (``core.api_errors.not_found``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("NUL byte in the path")
        return self.get_response(request)
