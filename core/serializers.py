"""What every API input serializer shares."""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

if TYPE_CHECKING:
    _SerializerMixinBase = serializers.Serializer
else:
    _SerializerMixinBase = object


class RejectUnknownFields(_SerializerMixinBase):
    """A field the serializer does not have is a 400, as the schema says (no additional
    properties): a misspelt optional field would otherwise be dropped without a word.
    Read-only fields sent back (a client saving what it read) are still ignored."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {key: [_("There is no such field.")] for key in unknown}, code="unknown"
                )
        return super().to_internal_value(data)
