"""How personal values are written into the audit history: masked, never in full."""

import re

from core.personal_data import mask_id_number, mask_name, mask_phone

_MOBILE = re.compile(r"^\+?(86)?1[3-9]\d{9}$")
_ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")


def mask_value(value) -> str:
    """A personal value as the history keeps it: a phone or ID number with its middle starred,
    any other text (names, addresses, e-mail) with all but its first character starred."""
    text = "" if value is None else str(value)
    if text in ("", "None"):
        return text
    compact = re.sub(r"[\s-]", "", text)
    if _MOBILE.match(compact):
        return mask_phone(compact[-11:])
    if _ID_NUMBER.match(compact):
        return mask_id_number(compact)
    if compact.isdigit() and len(compact) >= 7:  # a landline or another number
        return compact[:3] + "*" * (len(compact) - 5) + compact[-2:]
    return mask_name(text)
