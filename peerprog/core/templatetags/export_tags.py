"""``{% export_buttons "deployment:posts-export" "deployment.posts" %}``: the
CSV and Excel download links of a list, carrying the page's current filters,
shown only to users whose role may export it."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from peerprog.core import exports

register = template.Library()


@register.inclusion_tag("core/_export_buttons.html", takes_context=True)
def export_buttons(
    context: Any, url_name: str, key: str, label: str = "", **fixed: Any
) -> dict[str, Any]:
    """``label`` is shown before the buttons where a page has more than one
    export. Keyword arguments are filters the page always applies (the
    cohort of a cohort's page, say), added to the query string; an empty
    one removes that name from it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    spec = exports.get_spec(key)
    if request is None or not spec.may_export(user):
        return {"show": False}
    query = request.GET.copy()
    for name in exports.NOT_FILTERS:
        query.pop(name, None)
    for name, value in fixed.items():
        query[name] = str(value)
    base = reverse(url_name)
    csv_query = query.copy()
    csv_query["format"] = "csv"
    xlsx_query = query.copy()
    xlsx_query["format"] = "xlsx"
    return {
        "show": True,
        "title": spec.title,
        "label": label,
        "csv_url": f"{base}?{csv_query.urlencode()}",
        "xlsx_url": f"{base}?{xlsx_query.urlencode()}",
        "filtered": bool(exports.filter_params(query)),
    }
