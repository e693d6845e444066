"""What every app's admin pages share.

- ``ask_then_act``: the admin action that asks first, then acts: a page of its own asks for
  what the work needs (a reason, a payment channel, corrected hours), then the action runs on
  every selected record through a service and says, record by record, what was done and what
  was refused.
- ``ReadOnlyAdminMixin``: a page for records that only services write (ledger entries,
  receipts, logs): they are listed and read, never added, edited or deleted here.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse


class ReadOnlyAdminMixin:
    """Records written only by services: listed and read, never added, edited or deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def messages_of(error: ValidationError | PermissionDenied) -> str:
    """A refusal's messages on one line, as staff read them next to the record."""
    return "；".join(getattr(error, "messages", None) or [str(error)])


def ask_then_act(
    modeladmin,
    request,
    queryset,
    *,
    form_class,
    title: str,
    act: Callable,
    done: Callable[[int], str] | None = None,
    refused: Callable[[object, str], str] | None = None,
    refusals_in_form: bool = False,
    form_kwargs: dict | None = None,
    extra: dict | None = None,
):
    """Show ``form_class`` for the selected records; once it is valid, call
    ``act(obj, cleaned_data)`` for each. ``act`` may return a line (a str) to show for that record;
    ``done(count)`` is shown once for those that went through. A refusal
    (``ValidationError``/``PermissionDenied``) is shown as ``refused(obj, why)``, or, with
    ``refusals_in_form``, back on the form, which is asked again."""
    action = request.POST.get("action", "")
    form = form_class(request.POST if "apply" in request.POST else None, **(form_kwargs or {}))
    if form.is_bound and form.is_valid():
        count = 0
        for obj in queryset:
            try:
                said = act(obj, form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                if refusals_in_form:
                    form.add_error(None, messages_of(error))
                    break
                line = (refused or _refused)(obj, messages_of(error))
                modeladmin.message_user(request, line, messages.ERROR)
            else:
                count += 1
                if isinstance(said, str):
                    modeladmin.message_user(request, said)
        if not form.errors:
            if done and count:
                modeladmin.message_user(request, done(count))
            return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "action": action,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        **(extra or {}),
    }
    return TemplateResponse(request, "admin/ask_then_act.html", context)


def _refused(obj, why: str) -> str:
    return f"{obj}：{why}"
