"""Per-IP limits on public POSTs (django-ratelimit, counters in Django's cache)."""

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def over_limit(request, *, group: str, rate_setting: str = "DONATIONS_PUBLIC_POST_RATE") -> bool:
    """Count this POST against the client IP's limit; True once the limit is passed."""
    return is_ratelimited(
        request,
        group=f"donations.{group}",
        key="ip",
        rate=getattr(settings, rate_setting),
        method="POST",
        increment=True,
    )


def too_many_requests(request):
    return render(request, "donations/rate_limited.html", status=429)
