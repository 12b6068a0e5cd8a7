"""The posts list reads its page through SQL built once per programme,
filters and page and prepared once per connection
(``selectors.post_page_rows``): its rows are the ORM's, on every page and
filter, and live (a post added or changed shows on the next view)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from deployment import list_rows, selectors
from deployment.filters import PostFilter
from deployment.models import Post
from peerprog.core.models import Programme, Role, Service, User
from tests.core.factories import ServiceFactory, UserFactory
from tests.deployment.factories import PeerPostFactory, PostFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hr(programme: Programme) -> User:
    services = [ServiceFactory(programme=programme, name=name) for name in ("Beta", "Alpha")]
    for number in range(60):
        factory = PeerPostFactory if number % 3 else PostFactory
        factory(service=services[number % 2], position_number=f"N{number:03d}")
    return UserFactory(programme=programme, roles=[Role.HR])


def _rows(user: User, data: dict[str, str] | None) -> tuple[list[Any], list[Any]]:
    posts = PostFilter(data, queryset=selectors.post_ids(user=user), programme_id=user.programme_id)
    page = selectors.post_page(
        user=user, ids=posts.qs, number=(data or {}).get("page"), per_page=50
    )
    orm = list(selectors.post_rows(user=user, ids=page.object_list, fields=list_rows.POST_FIELDS))
    if not posts.is_bound:
        chosen: Any = ()
    elif posts.is_valid():
        chosen = tuple(sorted((k, getattr(v, "pk", v)) for k, v in posts.form.cleaned_data.items()))
    else:
        chosen = None
    kept = selectors.post_page_rows(
        user=user, page=page, fields=list_rows.POST_FIELDS, filters=chosen
    )
    return orm, kept


@pytest.mark.parametrize(
    "data",
    [None, {"page": "2"}, {"status": "vacant"}, {"role": "lxp", "page": "1"}, {"status": "x"}],
)
def test_a_page_of_posts_is_the_orms_on_every_view(hr: User, data: dict[str, str] | None) -> None:
    for _ in range(2):
        orm, kept = _rows(hr, data)
        assert kept == orm
    assert orm or data == {"status": "x"} or data == {"page": "2"}


def test_a_post_added_or_changed_shows_on_the_next_view(hr: User) -> None:
    before, _ = _rows(hr, {"page": "2"})
    assert len(before) == 10
    PeerPostFactory(service=Post.objects.first().service, position_number="N999")
    Post.objects.filter(position_number="N000").update(job_title="Changed title")
    orm, kept = _rows(hr, {"page": "2"})
    assert len(kept) == 11
    assert kept == orm
    first, _ = _rows(hr, None)
    assert any(row["job_title"] == "Changed title" for row in first + _rows(hr, {"page": "2"})[1])


def test_the_posts_page_shows_the_same_on_its_second_view(hr: User) -> None:
    client = Client()
    client.force_login(hr)
    url = reverse("deployment:posts")
    # The list itself (each view has its own form token and nonce).
    pages = [
        client.get(url, {"page": "2"}).content.decode().split('<div id="results">')[1]
        for _ in range(2)
    ]
    assert pages[0] == pages[1]
    assert "N0" in pages[0]


def test_the_posts_count_and_services_are_read_again_after_a_change(hr: User) -> None:
    client = Client()
    client.force_login(hr)
    url = reverse("deployment:posts")
    client.get(url)
    service = ServiceFactory(programme=hr.programme, name="Cedar")
    PeerPostFactory(service=service, position_number="N998")

    body = client.get(url).content.decode()

    assert "61 posts" in body
    assert ">Cedar</option>" in body
    # A bulk change the model's signals do not hear of.
    Post.objects.filter(position_number="N998").delete()
    Service.objects.filter(pk=service.pk).update(name="Cypress")
    body = client.get(url).content.decode()
    assert "60 posts" in body
    assert ">Cypress</option>" in body
    assert "Cedar" not in body
    filtered = client.get(url, {"service": str(service.pk)}).content.decode()
    assert "No posts match these filters." in filtered
