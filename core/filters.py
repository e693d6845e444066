"""The base of the API's filter sets: a filter value that is not what the schema says is a 400.

django-filter's boolean filter reads any unknown value (``?is_active=maybe``, ``?overdue=1``)
as "not given" and lists everything. Here a boolean filter takes ``true`` or ``false`` (the
values the schema documents) and refuses anything else; an empty value still means "not
given", as for every filter.
"""

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

BOOLEAN_VALUES = {"true": True, "True": True, "false": False, "False": False}


class StrictNullBooleanField(forms.NullBooleanField):
    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        if value in BOOLEAN_VALUES:
            return BOOLEAN_VALUES[value]
        raise forms.ValidationError(_("Give true or false."), code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField


class FilterSet(django_filters.FilterSet):
    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": BooleanFilter},
    }


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """An id to filter by: a row that does not exist is an empty list, not an error."""

    # The stubs pin NumberFilter.field_class to DecimalField; any number field works here.
    field_class = forms.IntegerField  # type: ignore[assignment]


class _MultipleChoiceField(django_filters.fields.MultipleChoiceField):
    def to_python(self, value):
        return [item for item in super().to_python(value) if item != ""]


class MultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    """Several choices (``?status=a&status=b``); an empty value means "not given"."""

    field_class = _MultipleChoiceField
