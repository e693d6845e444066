"""The 12-month income and spending chart, drawn on the server as SVG (no JavaScript)."""

from decimal import Decimal

from django.utils import formats

WIDTH, HEIGHT = 360, 180
TOP, BOTTOM, LEFT = 10, 24, 4


def monthly_bars(flows: list[dict]) -> dict:
    """Coordinates for a grouped bar chart of ``flows`` ([{month, income, spending}])."""
    peak = max([Decimal("1")] + [max(f["income"], f["spending"]) for f in flows])
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT * 2) / max(len(flows), 1)
    bar = slot * 0.38
    groups = []
    for index, flow in enumerate(flows):
        x = LEFT + index * slot
        income_h = float(flow["income"] / peak) * plot_height
        spending_h = float(flow["spending"] / peak) * plot_height
        groups.append(
            {
                "month": flow["month"],
                "label": formats.date_format(flow["month"], "n"),
                "income": flow["income"],
                "spending": flow["spending"],
                "income_x": round(x + slot * 0.1, 1),
                "spending_x": round(x + slot * 0.1 + bar, 1),
                "income_y": round(TOP + plot_height - income_h, 1),
                "spending_y": round(TOP + plot_height - spending_h, 1),
                "income_h": round(income_h, 1),
                "spending_h": round(spending_h, 1),
                "label_x": round(x + slot / 2, 1),
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bar_width": round(bar, 1),
        "baseline": HEIGHT - BOTTOM,
        "label_y": HEIGHT - 6,
        "groups": groups,
        "peak": peak,
    }
