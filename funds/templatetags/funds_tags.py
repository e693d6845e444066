from decimal import Decimal

from django import template

from funds.money import format_yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    """¥1,234.50"""
    if value in (None, ""):
        return "—"
    return format_yuan(Decimal(value))


@register.filter
def percent(value) -> str:
    """0.7012 → 70.1%"""
    if value is None:
        return "—"
    return f"{Decimal(value) * 100:.1f}%"


@register.filter
def progress(raised, goal) -> int:
    """Percent of ``goal`` raised, for a progress bar (0–100)."""
    if not goal:
        return 0
    return max(0, min(100, int(Decimal(raised) * 100 / Decimal(goal))))
