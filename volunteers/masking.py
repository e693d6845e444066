"""Masks for personal identifiers shown to people who do not need the full value (PIPL)."""


def mask_id_number(value: str) -> str:
    """First 6 and last 4 characters at most: 110105********002X."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_phone(value: str) -> str:
    """First 3 and last 4 digits: 138****5678."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_name(value: str) -> str:
    """The family name and a star for the rest: 张*, 欧阳** ."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1) if len(value) > 1 else value
