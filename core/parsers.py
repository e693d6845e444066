"""API request parsers that refuse a NUL character in any value of the body.

No field of the platform may contain one, and Postgres refuses NUL in text with an error: a
value that reached a lookup (a slug of a related object, a filter) would otherwise be a 500.
DRF's text fields already refuse it; these parsers do so once for every field, related-object
slugs included, with a 400 in the API's error shape.
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

if TYPE_CHECKING:
    _ParserMixinBase = parsers.BaseParser
else:
    _ParserMixinBase = object

NUL_MESSAGE = _("The request contains a NUL character, which no field accepts.")


def _contains_nul(value) -> bool:
    """In any value, however deep. Not in keys: a key that no serializer has is refused by
    the serializer (core/serializers.py), and a map's keys (indicator ids) are checked by
    their field; a key never reaches the database as text."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_contains_nul(item) for item in value)
    if hasattr(value, "lists"):  # QueryDict, MultiValueDict
        return any(_contains_nul(v) for _k, v in value.lists())
    return False


class _RefuseNul(_ParserMixinBase):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        data = getattr(parsed, "data", parsed)  # multipart: DataAndFiles
        if _contains_nul(data):
            raise ParseError(NUL_MESSAGE)
        return parsed


class JSONParser(_RefuseNul, parsers.JSONParser):
    pass


class FormParser(_RefuseNul, parsers.FormParser):
    pass


class MultiPartParser(_RefuseNul, parsers.MultiPartParser):
    pass
