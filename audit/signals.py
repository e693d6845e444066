"""The history's text for a person does not name them: it is the model's name and the id."""

from auditlog.models import LogEntry
from django.db.models.signals import pre_save
from django.dispatch import receiver

from .registry import PERSONAL_MODELS


@receiver(pre_save, sender=LogEntry, dispatch_uid="audit.mask_object_repr")
def mask_object_repr(sender, instance: LogEntry, **kwargs) -> None:
    if instance.pk is not None or instance.content_type_id is None:
        return
    model = instance.content_type.model_class()
    if model is not None and model._meta.label in PERSONAL_MODELS:
        instance.object_repr = f"{model._meta.verbose_name} #{instance.object_pk}"
