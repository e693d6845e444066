"""Small hooks for the security libraries: which address a request comes from."""

from django.conf import settings


def client_ip(request) -> str:
    """The client address, read from the same META key as the public rate limits.

    Behind a proxy, set ``RATELIMIT_IP_META_KEY`` (e.g. ``HTTP_X_REAL_IP``) to the header the
    proxy sets; login throttling and rate limits then count the same address.
    """
    return request.META.get(settings.RATELIMIT_IP_META_KEY) or request.META.get("REMOTE_ADDR", "")


def rate_limit_key(group, request) -> str:
    """django-ratelimit's key: the client address; requests whose address cannot be read
    share one counter (limited together, never a server error)."""
    return client_ip(request) or "unknown-address"


def lockout_response(request, original_response=None, credentials=None):
    """The page shown while an account is locked after too many failed sign-ins (HTTP 429)."""
    from axes.helpers import get_cool_off, get_failure_limit
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "login_locked.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
