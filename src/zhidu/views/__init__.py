"""Views: pure functions from the model to what each product prints. Templates get these, never raw YAML.

A product module registers a planner with `@product("name")` (views.base); `plan()` runs every registered planner.
"""

from __future__ import annotations

from zhidu.model import Policy
from zhidu.views.base import PRODUCTS, PlanOptions, Stamp, View, make_stamp, product, short_code

__all__ = ["PRODUCTS", "PlanOptions", "Stamp", "View", "make_stamp", "plan", "product", "short_code"]


#: The order views are planned in (and so rendered and listed): fixed here, not by which product module happened
#: to be imported first — a caller that imported views.notice early used to get the notice first.
PRODUCT_ORDER = ("duty-card", "duty-list", "checklist", "diff", "notice")


def _load_products() -> None:
    # Import for the side effect of registration; the list is the closed set of products.
    from zhidu.views import (
        cards,  # noqa: F401
        checklist,  # noqa: F401
        diffview,  # noqa: F401
        notice,  # noqa: F401
    )


def plan(
    policy: Policy, options: PlanOptions | None = None, products: list[str] | None = None
) -> list[View[object]]:
    """Every view of a policy version, in a stable order."""
    _load_products()
    opts = options or PlanOptions()
    views: list[View[object]] = []
    for name in sorted(
        PRODUCTS,
        key=lambda n: (n not in PRODUCT_ORDER, PRODUCT_ORDER.index(n) if n in PRODUCT_ORDER else 0, n),
    ):
        if products is None or name in products:
            views.extend(PRODUCTS[name](policy, opts))
    return views
