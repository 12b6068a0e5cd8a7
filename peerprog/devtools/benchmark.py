"""The benchmark: every main page of every role, against the floor.

``python manage.py bench`` serves the app with gunicorn in production
settings behind a pretend TLS proxy (loopback only, the worker class and
counts of ``gunicorn.conf.py``), drives each page with a small keep-alive
HTTP client at concurrency 1 and 4 for a bounded number of requests, counts
each page's SQL queries through the test client, and writes JSON and a
markdown table. The floor is the About page signed in; each page's median
and p95 are shown as multiples of the floor's, beside the page's target.
It measures; it asserts nothing about speed.

Pages are listed in ``PAGES`` (``bench_pages``). Each names the role that opens it and builds
its URL from the largest programme in the database, so the same list works
on the demo, the scale data sets and a copy of production.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from peerprog.core import second_factor
from peerprog.core.models import Programme, User
from peerprog.devtools.bench_pages import (
    ANONYMOUS_ABOUT,
    FLOOR,
    PAGES,
    Page,
    largest_programme,
    register,
    user_for,
)
from peerprog.devtools.bench_tables import load_tables, task_tables

__all__ = [
    "ANONYMOUS_ABOUT",
    "FLOOR",
    "PAGES",
    "Page",
    "largest_programme",
    "markdown",
    "page_query_counts",
    "register",
    "run_benchmark",
    "user_for",
    "write",
]


@dataclass
class PageResult:
    label: str
    url: str
    queries: int
    status: int
    requests: int = 0
    c1_median_ms: float = 0.0
    c1_p95_ms: float = 0.0
    c1_rps: float = 0.0
    c4_median_ms: float = 0.0
    c4_p95_ms: float = 0.0
    c4_rps: float = 0.0
    # The floor's median and p95 measured alongside this page at
    # concurrency 1 (the two pages' requests alternate).
    floor_median_ms: float = 0.0
    floor_p95_ms: float = 0.0
    # Median and p95 at concurrency 1 as multiples of the floor's measured
    # alongside.
    ratio: float = 0.0
    p95_ratio: float = 0.0
    median_limit: float = 0.0
    p95_limit: float = 0.0
    within: bool = True


@dataclass
class Report:
    size: str
    database: str
    requests_c1: int
    requests_c4: int
    seconds: float = 15.0
    pages: list[PageResult] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    load: dict[str, Any] = field(default_factory=dict)

    @property
    def floor(self) -> PageResult:
        return self.pages[0]


def session_cookie(user: User) -> str:
    """A signed-in session for the user, made directly in the session store."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "peerprog.core.auth_backends.PasswordBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # Measured as after the code from the authenticator app: fully signed in.
    session[second_factor.SESSION_KEY] = "totp"
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def count_queries(url: str, user: User | None) -> tuple[int, int]:
    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
        session = client.session
        session[second_factor.SESSION_KEY] = "totp"
        session.save()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, secure=True)
    return len(captured.captured_queries), response.status_code


def page_query_counts(
    programme: Programme, pages: list[Page] | None = None
) -> dict[str, tuple[int, int]]:
    """Each page's number of SQL queries and status code for one request on
    ``programme``, as the benchmark counts them (used by the tests to
    compare two data sizes)."""
    counts = {}
    for page in [FLOOR, ANONYMOUS_ABOUT, *(pages if pages is not None else PAGES)]:
        url = page.url(programme)
        if url is None:
            continue
        user = user_for(programme, page.role) if page.role else None
        counts[page.label] = count_queries(url, user)
    return counts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """gunicorn with production settings and gunicorn.conf.py, on loopback."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        env = {
            **os.environ,
            "DEBUG": "false",
            "PEERPROG_TESTING": "0",
            # The same key as this process, which signs the sessions it makes.
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "peerprog.wsgi",
                # The worker class and counts of gunicorn.conf.py.
                "--config",
                str(Path(settings.BASE_DIR) / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                "/dev/null",
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("gunicorn stopped while starting.") from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start within 30 seconds.")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


# The warm-up before each page: as many keep-alive clients at once as
# gunicorn.conf.py has threads on a two-core machine (2 workers x 4), each
# sending a few requests.
WARM_CLIENTS = 8
WARM_REQUESTS = 3


def _headers(cookie: str) -> dict[str, str]:
    headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = cookie
    return headers


def _median_p95(latencies: list[float]) -> tuple[float, float]:
    """The median and p95 in milliseconds."""
    ordered = sorted(latencies)
    p95_index = max(0, round(0.95 * len(ordered)) - 1)
    return statistics.median(ordered) * 1000, ordered[p95_index] * 1000


def load(
    port: int,
    path: str,
    cookie: str,
    concurrency: int,
    total: int,
    seconds: float = 15.0,
    alongside: tuple[str, str] | None = None,
) -> dict[str, float]:
    """Send ``total`` GET requests with ``concurrency`` keep-alive clients,
    or fewer if ``seconds`` run out first (each client sends at least 3).
    With ``alongside`` (a path and its cookie: the floor), each client
    sends that page after each of its requests, so both are measured at
    the same moments of the machine; its figures are ``floor_*``."""
    headers = _headers(cookie)
    latencies: list[float] = []
    beside: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = max(1, total // concurrency)

    def get(conn: HTTPConnection, path: str, headers: dict[str, str]) -> float:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        took = time.perf_counter() - started
        if response.status != 200:
            errors.append(f"{path}: {response.status}")
        return took

    def run() -> None:
        conn = HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        mine_beside: list[float] = []
        for _ in range(per_client):
            if len(mine) >= 3 and time.perf_counter() > deadline:
                break
            mine.append(get(conn, path, headers))
            if alongside is not None:
                mine_beside.append(get(conn, alongside[0], _headers(alongside[1])))
        conn.close()
        with lock:
            latencies.extend(mine)
            beside.extend(mine_beside)

    # Warm-up, not measured: every worker's threads answer the page a few
    # times, so that imports, each thread's first database connection and
    # the statements it plans once per connection are not measured (a
    # connection then serves requests for ``CONN_MAX_AGE``).
    def warm() -> None:
        conn = HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(WARM_REQUESTS):
            conn.request("GET", path, headers=headers)
            conn.getresponse().read()
        conn.close()

    warming = [threading.Thread(target=warm) for _ in range(WARM_CLIENTS)]
    for thread in warming:
        thread.start()
    for thread in warming:
        thread.join()
    threads = [threading.Thread(target=run) for _ in range(concurrency)]
    started = time.perf_counter()
    deadline = started + seconds
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"Non-200 answers while measuring: {errors[:3]}")
    median_ms, p95_ms = _median_p95(latencies)
    figures = {
        "median_ms": median_ms,
        "p95_ms": p95_ms,
        "rps": len(latencies) / (elapsed - sum(beside)),
        "requests": len(latencies),
    }
    if beside:
        figures["floor_median_ms"], figures["floor_p95_ms"] = _median_p95(beside)
    return figures


def run_benchmark(
    *,
    size: str,
    requests_c1: int = 100,
    requests_c4: int = 80,
    seconds: float = 15.0,
    extra: Callable[[], dict[str, Any]] | None = None,
    pages: list[Page] | None = None,
    load_steps: Callable[[int, Programme], dict[str, Any]] | None = None,
) -> Report:
    programme = largest_programme()
    report = Report(
        size=size,
        database=str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1],
        requests_c1=requests_c1,
        requests_c4=requests_c4,
        seconds=seconds,
    )
    chosen = [FLOOR, ANONYMOUS_ABOUT, *(pages if pages is not None else PAGES)]
    targets: list[tuple[Page, str, User | None]] = []
    for page in chosen:
        url = page.url(programme)
        if url is None:
            continue
        user = user_for(programme, page.role) if page.role else None
        targets.append((page, url, user))
    floor_url = targets[0][1]
    floor_cookie = session_cookie(targets[0][2]) if targets[0][2] else ""
    with Server(free_port()) as server:
        for page, url, user in targets:
            queries, status = count_queries(url, user)
            result = PageResult(
                page.label,
                url,
                queries,
                status,
                median_limit=page.median_limit,
                p95_limit=page.p95_limit,
            )
            cookie = session_cookie(user) if user else ""
            for concurrency, total in ((1, requests_c1), (4, requests_c4)):
                # At concurrency 1 the floor is measured alongside each page.
                alongside = (floor_url, floor_cookie) if concurrency == 1 else None
                figures = load(
                    server.port, url, cookie, concurrency, total, seconds, alongside=alongside
                )
                if alongside is not None:
                    result.floor_median_ms = round(figures["floor_median_ms"], 2)
                    result.floor_p95_ms = round(figures["floor_p95_ms"], 2)
                setattr(result, f"c{concurrency}_median_ms", round(figures["median_ms"], 2))
                setattr(result, f"c{concurrency}_p95_ms", round(figures["p95_ms"], 2))
                setattr(result, f"c{concurrency}_rps", round(figures["rps"], 1))
                result.requests += int(figures["requests"])
            report.pages.append(result)
        if load_steps is not None:
            report.load = load_steps(server.port, programme)
    for result in report.pages:
        result.ratio = round(result.c1_median_ms / (result.floor_median_ms or 1.0), 2)
        result.p95_ratio = round(result.c1_p95_ms / (result.floor_p95_ms or 1.0), 2)
        result.within = result.ratio <= result.median_limit and (
            result.p95_ratio <= result.p95_limit
        )
    if extra is not None:
        report.extra = extra()
    return report


def markdown(report: Report) -> str:
    floor = report.floor
    missed = [r.label for r in report.pages if not r.within]
    lines = [
        f"Benchmark at size **{report.size}** on {report.database} "
        f"(up to {report.requests_c1} requests at concurrency 1 and {report.requests_c4} at 4, "
        f"at most {report.seconds:g} s each; gunicorn as in gunicorn.conf.py)",
        "",
        f"Floor (the About page signed in): median {floor.c1_median_ms} ms, "
        f"p95 {floor.c1_p95_ms} ms, {floor.queries} queries. At concurrency 1 each "
        "page's requests alternate with the floor's, and its ratios are to the floor "
        "measured alongside it (its median and p95 are in the table). Targets: "
        "median within 2x the floor's median and p95 within 3x the floor's p95 "
        "(5x for both on pages that show a whole cohort).",
        "",
        "| page | queries | median c1 (ms) | p95 c1 (ms) | req/s c1 | median c4 (ms) "
        "| p95 c4 (ms) | req/s c4 | floor alongside: median (ms) | floor alongside: p95 (ms) "
        "| x floor (median) | x floor (p95) | within target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in report.pages:
        lines.append(
            f"| {r.label} | {r.queries} | {r.c1_median_ms} | {r.c1_p95_ms} | {r.c1_rps} "
            f"| {r.c4_median_ms} | {r.c4_p95_ms} | {r.c4_rps} | {r.floor_median_ms} "
            f"| {r.floor_p95_ms} | {r.ratio} | {r.p95_ratio} "
            f"| {'yes' if r.within else 'no'} |"
        )
    lines += ["", f"Pages outside their target: {', '.join(missed) if missed else 'none'}."]
    lines += load_tables(report.load)
    lines += task_tables(report.extra)
    return "\n".join(lines) + "\n"


def write(report: Report, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / f"bench-{report.size}.json"
    md_path = folder / f"bench-{report.size}.md"
    json_path.write_text(json.dumps(asdict(report), indent=2))
    md_path.write_text(markdown(report))
    return json_path, md_path
