"""Posting create forms as a browser does: with the one-time token the page
gave (``peerprog.core.once``).

``post_form`` opens the form first, like a person, and posts with the token
the page carried. ``with_token`` adds a token made for the user and address
without opening the page, for tests that post many times.
"""

from __future__ import annotations

import http.client
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.core import signing
from django.db.models import Model
from django.test import Client
from django.test.client import RequestFactory
from django.urls import Resolver404, resolve

from peerprog.core import once

TOKEN_PATTERN = re.compile(r'name="' + once.FIELD + r'"\s*value="([^"]+)"')
HIDDEN_PATTERN = re.compile(r"<input[^>]*type=\"hidden\"[^>]*>")
NAME_PATTERN = re.compile(r'name="([^"]+)"')
VALUE_PATTERN = re.compile(r'value="([^"]*)"')


@dataclass
class Sample:
    """A valid post to a create page: who posts (a persona of the test
    world, None for a visitor), where, what, and which model gains a row.
    ``page`` is where the form is shown, when it is not ``url`` itself (a
    button on another page)."""

    user: str | None
    url: str
    data: dict[str, Any]
    model: type[Model]
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)
    new_rows: int = 1
    count: Callable[[], int] | None = None
    page: str = ""
    # Cookies the browser already holds (a visitor's session that opened a link).
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def form_page(self) -> str:
        return self.page or self.url

    def rows(self) -> int:
        return self.count() if self.count else self.model.objects.count()


def token_in(html: str) -> str:
    """The one-time token a page's form carries; fails when it has none."""
    found = TOKEN_PATTERN.search(html)
    assert found, "The form carries no one-time token."
    return found.group(1)


def hidden_fields(html: str) -> dict[str, str]:
    """Every hidden field of the page, as the browser would post it."""
    fields: dict[str, str] = {}
    for tag in HIDDEN_PATTERN.findall(html):
        name, value = NAME_PATTERN.search(tag), VALUE_PATTERN.search(tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def with_token(user: Any, url: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """``data`` with a new token for ``user`` posting to ``url``."""
    request = RequestFactory().get(url)
    request.user = user
    return {**(data or {}), once.FIELD: once.token_for(request)}


def post_form(client: Client, url: str, data: dict[str, Any], **extra: Any) -> Any:
    """Open the form at ``url``, then post ``data`` with the page's token."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(url, {**data, once.FIELD: token_in(page.content.decode())}, **extra)


def tampered(token: str) -> str:
    """The token with its key changed and its signature kept."""
    value, _, rest = token.partition(":")
    other = signing.b64_encode(b'"someone-elses-key"').decode()
    assert other != value
    return f"{other}:{rest}"


@dataclass
class Answer:
    status: int
    location: str


def session_cookie(user: Any) -> dict[str, str]:
    """The cookies of a browser signed in as ``user`` (none for a visitor)."""
    if user is None:
        return {}
    client = Client()
    client.force_login(user)
    return {name: morsel.value for name, morsel in client.cookies.items()}


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _encoded(data: dict[str, Any], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """The body and content type of a form post, as a browser sends it."""
    if not files:
        pairs = [
            (name, item)
            for name, value in data.items()
            for item in (value if isinstance(value, list | tuple) else [value])
        ]
        return urlencode(pairs).encode(), "application/x-www-form-urlencoded"
    boundary = "----peerprog" + uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in data.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{item}\r\n".encode()
            )
    for name, (filename, content, kind) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _request(
    base_url: str,
    method: str,
    path: str,
    cookies: dict[str, str],
    body: bytes = b"",
    kind: str = "",
) -> tuple[int, dict[str, str], str, dict[str, str]]:
    """One request without following redirects: its status, headers, text
    and the cookies it set."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    headers = {"Cookie": _cookie_header(cookies)} if cookies else {}
    if method == "POST":
        headers["Content-Type"] = kind
    try:
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        set_cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            set_cookies.load(header)
        return (
            response.status,
            dict(response.headers.items()),
            text,
            {name: morsel.value for name, morsel in set_cookies.items()},
        )
    finally:
        connection.close()


def post_with_changed_token(base_url: str, sample: Sample, cookies: dict[str, str]) -> int:
    """Open the sample's form, change its token and send it once: the
    answer's status."""
    status, _, page, set_cookies = _request(base_url, "GET", sample.form_page, cookies)
    assert status == 200, (sample.form_page, status)
    fields = hidden_fields(page)
    fields[once.FIELD] = tampered(fields[once.FIELD])
    body, kind = _encoded({**fields, **sample.data}, sample.files)
    status, *_ = _request(base_url, "POST", sample.url, {**cookies, **set_cookies}, body, kind)
    return status


def post_concurrently(
    base_url: str, sample: Sample, cookies: dict[str, str], *, times: int = 20
) -> list[Answer]:
    """Open the sample's form in one browser, then send the same post
    ``times`` times at once from it (one thread each, started together):
    a double click, a page sent again, twenty tabs."""
    status, _, page, set_cookies = _request(base_url, "GET", sample.form_page, cookies)
    assert status == 200, (sample.form_page, status)
    jar = {**cookies, **set_cookies}
    body, kind = _encoded({**hidden_fields(page), **sample.data}, sample.files)
    start = threading.Barrier(times)
    answers: list[Answer | BaseException] = [RuntimeError("not sent")] * times

    def send(index: int) -> None:
        try:
            start.wait(timeout=30)
            status, headers, _, _ = _request(base_url, "POST", sample.url, jar, body, kind)
        except BaseException as error:  # reported by the caller
            answers[index] = error
            return
        answers[index] = Answer(status, headers.get("Location", ""))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for answer in answers:
        if isinstance(answer, BaseException):
            raise answer
    return answers  # type: ignore[return-value]


class FormClient(Client):
    """The test client, posting to create pages as a browser does: with a
    one-time token for the page when the test gives none. A signed-in
    client's token is made for its user; a visitor's comes from the page,
    opened first, since it is tied to the browser's CSRF cookie."""

    signed_in_as: Any = None

    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        self.signed_in_as = user

    def post(self, path: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        if is_create_page(path) and (data is None or isinstance(data, dict)):
            data = dict(data or {})
            if once.FIELD not in data:
                if self.signed_in_as is not None:
                    data = with_token(self.signed_in_as, urlsplit(path).path, data)
                else:
                    page = self.get(path)
                    found = TOKEN_PATTERN.search(page.content.decode())
                    if found:
                        data[once.FIELD] = found.group(1)
        return super().post(path, data, *args, **kwargs)


def is_create_page(path: str) -> bool:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return False
    return once.sample_of(match.func) is not None


def signed_in(user: Any) -> FormClient:
    client = FormClient()
    client.force_login(user)
    return client
