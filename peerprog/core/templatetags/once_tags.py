"""``{% once_token %}``: the one-time token of a create form, for templates
that write their own ``<form>`` (the form page's crispy forms get it from
``peerprog.core.pages.form_page``). ``{% once_token action %}`` when the form
posts to another address than the page's."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from peerprog.core import once

register = template.Library()


@register.simple_tag(takes_context=True)
def once_token(context: Any, action: str = "") -> SafeString:
    request = context.get("request")
    if request is None:
        return SafeString("")
    return once.field_html(request, action or None)
