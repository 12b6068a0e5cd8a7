"""The benchmark's load steps: many signed-in people using the site at once.

``people`` runs 50 clients (by default), each a lead or an HR officer with a
session of their own, opening home, the dashboard, the board and the lists
in turn and waiting 2 to 5 seconds between requests as a person reads, for
60 seconds. Each request opens its own connection, as a browser does after
a pause. ``most_rps`` runs clients with no waiting, doubling their number
each step, and reports the most requests per second held with a p95 under
500 ms. Both run against the server the benchmark started, on loopback.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from http.client import HTTPConnection
from typing import Any

from peerprog.core.models import Programme
from peerprog.devtools.bench_pages import PAGES, Page, user_for
from peerprog.devtools.benchmark import session_cookie

# What a lead and an HR officer open in a working day, by the benchmark's
# labels (``bench_pages.PAGES``), so both steps open the same addresses.
LEAD_LABELS = (
    "Home (lead)",
    "Programme dashboard",
    "Cohort board (largest cohort)",
    "Application list",
    "At-risk trainees",
    "Mentoring overview",
    "Supervision overview",
)
HR_LABELS = ("Home (HR)", "Posts", "Appointments", "Retention")


def pages_labelled(labels: tuple[str, ...]) -> list[Page]:
    by_label = {page.label: page for page in PAGES}
    return [by_label[label] for label in labels]


LEAD_PAGES = pages_labelled(LEAD_LABELS)
HR_PAGES = pages_labelled(HR_LABELS)


class Visitor:
    """One signed-in person: their session and the addresses they open."""

    def __init__(self, cookie: str, paths: list[str]) -> None:
        self.headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1", "Cookie": cookie}
        self.paths = paths


def visitors(programme: Programme, count: int) -> list[Visitor]:
    """``count`` visitors, leads and HR officers in turn, each with a new session."""
    people = []
    for pages in (LEAD_PAGES, HR_PAGES):
        user = user_for(programme, pages[0].role)
        paths = [url for page in pages if (url := page.url(programme)) is not None]
        people.append((user, paths))
    return [Visitor(session_cookie(people[i % 2][0]), people[i % 2][1]) for i in range(count)]


def figures(latencies: list[float], errors: int, elapsed: float) -> dict[str, Any]:
    latencies = sorted(latencies) or [0.0]
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    return {
        "requests": len(latencies),
        "errors": errors,
        "median_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "rps": round(len(latencies) / elapsed, 1),
    }


def drive(
    port: int,
    people: list[Visitor],
    *,
    seconds: float,
    think: tuple[float, float] | None,
) -> dict[str, Any]:
    """Each visitor in a thread of their own until ``seconds`` have passed."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def run(index: int, person: Visitor) -> None:
        nonlocal errors
        chooser = random.Random(index)
        mine: list[float] = []
        failed = 0
        conn: HTTPConnection | None = None
        if think:
            # People arrive over the first pause rather than all at once.
            time.sleep(chooser.uniform(0, think[1]))
        while time.perf_counter() < deadline:
            path = chooser.choice(person.paths)
            started = time.perf_counter()
            try:
                if conn is None or think:
                    conn = HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", path, headers=person.headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except OSError:
                failed += 1
                conn = None
            mine.append(time.perf_counter() - started)
            if think:
                assert conn is not None
                conn.close()
                time.sleep(chooser.uniform(*think))
        if conn is not None:
            conn.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=run, args=(i, person)) for i, person in enumerate(people)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return figures(latencies, errors, time.perf_counter() - started)


def people_step(
    port: int,
    programme: Programme,
    *,
    clients: int = 50,
    seconds: float = 60.0,
    think: tuple[float, float] = (2.0, 5.0),
    floor_median_ms: float,
) -> dict[str, Any]:
    people = visitors(programme, clients)
    result = drive(port, people, seconds=seconds, think=think)
    pages = sorted({page.label for page in LEAD_PAGES + HR_PAGES})
    return {
        **result,
        "clients": clients,
        "seconds": seconds,
        "think": f"{think[0]:g} to {think[1]:g}",
        "pages": pages,
        "p95_floor_multiple": round(result["p95_ms"] / (floor_median_ms or 1.0), 1),
    }


def most_rps_step(
    port: int,
    programme: Programme,
    *,
    step_seconds: float = 10.0,
    p95_limit_ms: float = 500.0,
    most_clients: int = 32,
) -> dict[str, Any]:
    """Clients with no waiting, 1, 2, 4 ... ``most_clients``; stops once the
    p95 is past twice the limit."""
    steps = []
    clients = 1
    while clients <= most_clients:
        result = drive(port, visitors(programme, clients), seconds=step_seconds, think=None)
        steps.append({"clients": clients, **result})
        if result["p95_ms"] > 2 * p95_limit_ms:
            break
        clients *= 2
    held = [s["rps"] for s in steps if s["p95_ms"] < p95_limit_ms and not s["errors"]]
    return {
        "step_seconds": step_seconds,
        "p95_limit_ms": p95_limit_ms,
        "best_rps": max(held, default=0.0),
        "steps": steps,
    }
