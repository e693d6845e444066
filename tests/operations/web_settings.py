"""Production settings (``DJANGO_DEBUG=0``) for a web process started by a test, with one
change: static files without the collected manifest (a test does not run collectstatic)."""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
