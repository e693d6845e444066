from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """¥1,234.50 in every language (Django's zh-hans formats do not group digits)."""
    if value in (None, ""):
        return ""
    return f"¥{Decimal(value):,.2f}"
