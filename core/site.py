"""The site's public address, for links made without a request (e-mails, QR codes)."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``settings.SITE_URL`` followed by ``path`` (which starts with ``/``)."""
    return settings.SITE_URL.rstrip("/") + path
