"""E-mails of the projects app, sent by Celery tasks queued through the outbox after the
commit that calls for them. No row is locked while a message goes out: each has its
``send_once`` key, so a task delivered twice sends nothing the second time."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from core.people import display_name
from operations.outbox import send_once

from .models import Project
from .selectors import days_without_update


def tell_lead_overdue(*, project_id: int) -> int:
    """Tell the lead that the project's progress update is overdue; once per overdue spell
    (the day the project was flagged is in the key). Returns the number of e-mails sent."""
    project = Project.objects.select_related("lead").filter(pk=project_id).first()
    if project is None or project.disclosure_overdue_since is None:
        return 0  # an update came since: the flag is gone
    if project.lead is None or not project.lead.email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Progress update overdue: %(title)s") % {"title": project.title}
        message = _(
            "Dear %(name)s,\n\nthe project “%(title)s” has published no progress update for "
            "%(days)s days. Projects running longer than six months publish progress at least "
            "every %(flag)s days; after %(block)s days without an update the project cannot "
            "raise money again.\n\nPlease publish a progress update in the admin."
        ) % {
            "name": display_name(project.lead),
            "title": project.title,
            "days": days_without_update(project),
            "flag": settings.PROJECT_UPDATE_FLAG_DAYS,
            "block": settings.PROJECT_FUNDRAISING_BLOCK_DAYS,
        }
    key = f"projects.overdue:{project.pk}:{project.disclosure_overdue_since.isoformat()}"
    with send_once(key) as first:
        if not first:
            return 0
        return send_mail(subject, message, None, [project.lead.email])
