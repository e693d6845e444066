"""Per-IP limits on public POSTs (django-ratelimit, counters in Django's cache)."""

import logging

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from stations.security import rate_limit_key

logger = logging.getLogger(__name__)


def over_limit(request, *, group: str, rate_setting: str = "DONATIONS_PUBLIC_POST_RATE") -> bool:
    """Count this POST against the client IP's limit; True once the limit is passed.

    While the cache (Redis) is down the limit is not counted: a resident's gift is worth more
    than the limit during an outage, and the outage is logged (docs/operations.md)."""
    try:
        return is_ratelimited(
            request,
            group=f"donations.{group}",
            key=rate_limit_key,
            rate=getattr(settings, rate_setting),
            method="POST",
            increment=True,
        )
    except (RedisConnectionError, RedisTimeoutError, OSError) as error:
        logger.warning(
            "rate limit of donations.%s not counted, cache unavailable: %s", group, error
        )
        return False


def too_many_requests(request):
    return render(request, "donations/rate_limited.html", status=429)
