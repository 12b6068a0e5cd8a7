"""Every page the benchmark measures writes what people typed as text, never
as markup: many of those pages draw their rows in Python rather than
through templates, so each must escape the names it is given."""

from __future__ import annotations

from typing import Any

from django.db.models import Value
from django.db.models.functions import Concat
from django.test import Client

from deployment.models import Post
from peerprog.core import second_factor
from peerprog.core.models import Person, Service, User
from peerprog.devtools.bench_pages import user_for
from peerprog.devtools.benchmark import PAGES
from peerprog.devtools.management.commands.seed_scale import seed_scale
from recruitment.models import Cohort

# Markup a name could hold: if a page wrote it unescaped, a browser would
# make an element of it.
MARKUP = '<i data-x="1">&'
ESCAPED = "&lt;i data-x=&quot;1&quot;&gt;&amp;"


def _with_markup(model: type, field: str, programme_field: str, programme: Any) -> None:
    model.objects.filter(**{programme_field: programme}).update(
        **{field: Concat(field, Value(MARKUP))}
    )


def test_no_page_writes_a_typed_name_as_markup(db: Any) -> None:
    programme = seed_scale(size="tiny").programme
    _with_markup(Person, "last_name", "programme", programme)
    _with_markup(Person, "first_name", "programme", programme)
    _with_markup(User, "full_name", "programme", programme)
    _with_markup(Cohort, "name", "programme", programme)
    _with_markup(Service, "name", "programme", programme)
    _with_markup(Post, "job_title", "programme", programme)

    showing = []
    for page in PAGES:
        url = page.url(programme)
        if url is None:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        if page.role:
            client.force_login(user_for(programme, page.role))
            session = client.session
            session[second_factor.SESSION_KEY] = "totp"
            session.save()
        response = client.get(url, secure=True)
        assert response.status_code == 200, page.label
        html = response.content.decode()
        assert MARKUP not in html, f"{page.label} writes a name as markup"
        if ESCAPED in html:
            showing.append(page.label)

    # The names are on the pages that list people, cohorts and posts, so the
    # check above looked at them.
    for label in (
        "Search (lead)",
        "Cohort board (largest cohort)",
        "Application list",
        "Cohort training page",
        "Posts",
        "Appointments",
        "Mentoring overview",
        "Cohort mentoring (largest cohort)",
        "Supervision overview",
        "Programme dashboard",
        "Retention",
    ):
        assert label in showing, f"{label} shows no name"
