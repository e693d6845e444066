"""Small hooks for the security libraries: which address a request comes from, and the public
forms' rate limits."""

import logging

from django.conf import settings
from django_ratelimit.core import is_ratelimited
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)


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


def over_rate_limit(request, *, group: str, rate: str) -> bool:
    """Count this POST against the client address's limit for ``group``; True once ``rate``
    is passed.

    The counters live in Django's cache. While the cache (Redis) is down the limit is not
    counted and a warning is logged: a resident's gift or a volunteer's sign-in is worth more
    than the limit during an outage (docs/operations.md)."""
    try:
        return is_ratelimited(
            request, group=group, key=rate_limit_key, rate=rate, method="POST", increment=True
        )
    except (RedisConnectionError, RedisTimeoutError, OSError) as error:
        logger.warning("rate limit of %s not counted, cache unavailable: %s", group, error)
        return False


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
