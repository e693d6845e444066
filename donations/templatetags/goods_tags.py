"""``{% goods_counts station %}``: goods received and given out at a station and below, for
the station's and the fund's public pages (stations and funds do not import donations)."""

from django import template

from ..selectors import goods_counts as select_goods_counts

register = template.Library()


@register.inclusion_tag("donations/goods_counts.html")
def goods_counts(station) -> dict:
    return {"counts": select_goods_counts(station)}
