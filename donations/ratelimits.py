"""Per-IP limits on public POSTs (django-ratelimit, counters in Django's cache)."""

from django.conf import settings
from django.shortcuts import render

from core.security import over_rate_limit


def over_limit(request, *, group: str, rate_setting: str = "DONATIONS_PUBLIC_POST_RATE") -> bool:
    """Count this POST against the client IP's limit; True once the limit is passed.

    While the cache (Redis) is down the limit is not counted: a resident's gift is worth more
    than the limit during an outage, and the outage is logged (core.security)."""
    return over_rate_limit(
        request, group=f"donations.{group}", rate=getattr(settings, rate_setting)
    )


def too_many_requests(request):
    return render(request, "donations/rate_limited.html", status=429)
