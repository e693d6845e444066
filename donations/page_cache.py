"""A short-lived cache of a donation point's page (``/d/<code>/``), the page a QR poster opens.

Every resident who scans a poster gets the same page but for two per-request values: the CSRF
token and the one-time form token. The page is rendered once with placeholders for them, kept
in Django's cache for ``DONATIONS_POINT_PAGE_CACHE_SECONDS`` per point and language, and each
request fills in fresh tokens, so a busy point costs no database query per visit.

Any save or delete of what the page shows (the point, its station, funds, campaigns and their
shares, projects, host charities, the point's choices) moves a version number, so edits show
at once; changes that send no signal (a bulk ``update()``, a campaign's end date passing) show
within the cache time. Giving is checked in full on POST whatever the page showed. Without a
working cache (Redis down) the page is rendered as if there were no cache.
"""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

# Rendered in place of the per-request values, then replaced on the way out.
CSRF_SLOT = "csrf0slot0a4f7c9e2b"
FORM_TOKEN_SLOT = "form0token0slot0d81e3b6"  # noqa: S105 (not a secret)
VERSION_KEY = "donations:point-page:version"


def enabled() -> bool:
    return settings.DONATIONS_POINT_PAGE_CACHE_SECONDS > 0


def cacheable(request) -> bool:
    """A plain GET: the page then depends on nothing but the point and the language."""
    return enabled() and request.method == "GET" and not request.GET


def _key(code: str) -> str:
    version = cache.get_or_set(VERSION_KEY, 1, timeout=None)
    return f"donations:point-page:{version}:{code}:{get_language()}"


UNAVAILABLE = object()  # what get() returns when the cache cannot be reached


def get(code: str):
    """The cached ``(content type, html)`` of the point's page, None when there is none, or
    UNAVAILABLE when the cache fails (then the page is rendered without trying it again)."""
    try:
        return cache.get(_key(code))
    except Exception:  # noqa: BLE001 (any cache failure: render the page instead)
        logger.warning("point page cache unavailable", exc_info=True)
        return UNAVAILABLE


def store(code: str, response: HttpResponse) -> None:
    try:
        cache.set(
            _key(code),
            (response["Content-Type"], response.content.decode()),
            timeout=settings.DONATIONS_POINT_PAGE_CACHE_SECONDS,
        )
    except Exception:  # noqa: BLE001
        logger.warning("point page cache unavailable", exc_info=True)


def respond(request, cached: tuple[str, str]) -> HttpResponse:
    """The cached page with this request's own tokens."""
    content_type, html = cached
    html = html.replace(CSRF_SLOT, get_token(request)).replace(
        FORM_TOKEN_SLOT, secrets.token_urlsafe(24)
    )
    return HttpResponse(html, content_type=content_type)


def invalidate(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: nothing is cached under it
        pass
    except Exception:  # noqa: BLE001
        logger.warning("point page cache unavailable", exc_info=True)


def connect_signals() -> None:
    from funds.models import Campaign, CampaignShare, Fund, HostCharity
    from projects.models import Project
    from stations.models import Station

    from .models import DonationPoint

    for model in (DonationPoint, Station, Fund, Campaign, CampaignShare, Project, HostCharity):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"point-page-{model.__name__}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"point-page-d-{model.__name__}")
    for field in ("funds", "campaigns", "projects"):
        m2m_changed.connect(
            invalidate,
            sender=getattr(DonationPoint, field).through,
            dispatch_uid=f"point-page-m2m-{field}",
        )
