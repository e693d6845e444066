"""Every named URL of the project, found by walking the URL resolver.

The security tables (CSRF, the access table) are generated from this list, so a new URL is
tested (or makes a test fail until it is given an entry) without anyone remembering to.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

# A value for each URL argument name that fits its pattern; the access table passes real ones.
SAMPLE_ARGUMENTS = {
    "number": "TH-2026-000001",
    "check_code": "ABCD2345",
    "signup_id": "1",
    "action": "check-in",
    "kind": "volunteers",
    "file_format": "csv",
    "fmt": "pdf",
    "year": "2026",
    "provider": "sandbox",
    "app_label": "stations",
    "content_type_id": "1",
    "object_id": "1",
    "pk": "1",
    "receipt_number": "WZ1-2026-000001",
}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # the URL pattern as written, for messages
    arguments: tuple[str, ...]
    callback: object

    def url(self, **arguments) -> str:
        values = {name: SAMPLE_ARGUMENTS.get(name, "x") for name in self.arguments}
        values.update({k: str(v) for k, v in arguments.items()})
        return reverse(self.name, kwargs=values)


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            arguments = tuple(
                list(getattr(entry.pattern, "converters", {}))
                or list(entry.pattern.regex.groupindex)
            )
            yield Route(name, prefix + str(entry.pattern), arguments, entry.callback)


def all_routes() -> list[Route]:
    """One route per URL name (the API's ``.json`` format variants left out)."""
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        if "format" in route.arguments:
            continue
        if route.name not in routes:
            routes[route.name] = route
    for route in routes.values():
        try:
            route.url()
        except NoReverseMatch as error:  # pragma: no cover - a new argument needs a sample
            raise AssertionError(f"{route.name} ({route.pattern}): add a sample") from error
    return sorted(routes.values(), key=lambda r: r.name)
