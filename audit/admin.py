"""The audit history in the admin: read-only, and a director sees the history of the rows at
their stations only (404 for any other entry)."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext

from stations.scoping import scope_queryset, station_lookup_for

from .registry import audited_models

admin.site.unregister(LogEntry)


def scoped_entries(queryset, user):
    """Entries about rows the user may see now; rows without a station: superusers only."""
    if user.is_superuser and user.is_active:
        return queryset
    condition = Q(pk__in=[])
    for model in audited_models():
        if station_lookup_for(model) is None:
            continue
        visible = scope_queryset(model._base_manager.all(), user).values("pk")
        content_type = ContentType.objects.get_for_model(model)
        condition |= Q(content_type=content_type, object_id__in=visible)
    return queryset.filter(condition)


@admin.register(LogEntry)
class AuditEntryAdmin(LogEntryAdmin):
    def get_queryset(self, request):
        return scoped_entries(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(gettext("No such record, or it is not in your stations."))
        return obj

    def has_delete_permission(self, request, obj=None):
        return False
