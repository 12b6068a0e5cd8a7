"""The deployment pages' menu (``deployment/_nav.html``), written in Python
from one pattern: the template reversed and compared each of its eleven
links in turn on every page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# (URL name, label) of each link, in the menu's order.
LINKS = (
    ("deployment:posts", "Posts"),
    ("deployment:vacancies", "Vacancies"),
    ("deployment:days", "Recruitment days"),
    ("deployment:reserve", "Reserve list"),
    ("deployment:appointments", "Appointments"),
    ("deployment:inductions", "Inductions"),
    ("deployment:training-compliance", "Training in post"),
    ("deployment:letters", "Letters"),
    ("deployment:leaving-reasons", "Leaving reasons"),
    ("readiness:readiness", "Team readiness"),
    ("deployment:retention", "Retention"),
)


# The links' addresses by script prefix and URL configuration, reversed
# once rather than on every page.
_addresses: dict[tuple[str, Any], list[str]] = {}


def _links() -> list[str]:
    under = (get_script_prefix(), get_urlconf())
    found = _addresses.get(under)
    if found is None:
        found = _addresses[under] = [reverse(name) for name, _ in LINKS]
    return found


@register.simple_tag(takes_context=True)
def deployment_nav(context: Any) -> SafeString:
    """The menu, the current page's link marked as such."""
    request = context.get("request")
    path = getattr(request, "path", None)
    items = []
    for (_, label), address in zip(LINKS, _links(), strict=True):
        current = ' aria-current="page"' if path == address else ""
        active = " active" if current else ""
        items.append(
            f'<li class="nav-item"><a class="nav-link{active}" href="{escape(address)}"{current}>'
            f"{label}</a></li>"
        )
    lines = "\n    ".join(items)
    # The addresses are escaped above and the labels are our own text.
    return mark_safe(  # noqa: S308
        '<nav aria-label="Deployment" class="mb-3">\n  <ul class="nav nav-pills small">\n'
        f"    {lines}\n  </ul>\n</nav>\n"
    )
