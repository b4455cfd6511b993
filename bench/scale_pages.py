"""The pages through Flask's test client: signed in once through the real sign-in form, each page
asked for once to warm up, then REQUESTS times; p50 and p95 beside the floor, /healthz (the
same client and app, no database)."""

from __future__ import annotations

import time

from scale_setup import Measured, csrf_token, login_form, page_paths
from scale_table import Row, Table, percentile

REQUESTS = 10
# p50 targets at 150 programmes, in milliseconds (issue 18).
TARGETS = {"locality readiness": 60, "board": 70}


def sign_in(client) -> None:
    page = client.get("/login")
    response = client.post("/login", data=login_form(csrf_token(page.get_data(as_text=True))))
    if response.status_code != 302:
        raise SystemExit(f"Signing in through the test client answered {response.status_code}.")


def timings(client, path: str, requests: int = REQUESTS) -> tuple[list[float], set[int]]:
    """Milliseconds of each request after one to warm up, and the statuses seen."""
    statuses = {client.get(path).status_code}
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path)
        response.get_data()
        times.append((time.perf_counter() - start) * 1000)
        statuses.add(response.status_code)
    return times, statuses


def measure(app, measured: Measured, table: Table) -> None:
    # https: production's session cookie is Secure, and the test client honours that.
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    sign_in(client)
    floor_times, _ = timings(client, "/healthz")
    floor = percentile(floor_times, 0.5)
    for name, path in page_paths(measured).items():
        times, statuses = timings(client, path)
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        target = TARGETS.get(name)
        bad = sorted(status for status in statuses if status != 200)
        label = f"page {name} (test client, {REQUESTS} requests)"
        if bad:
            label += f" — answered {bad}"
        table.add(
            Row(
                label,
                f"{p50:.1f} / {p95:.1f} ms",
                f"{floor:.1f} ms (/healthz p50)",
                f"{p50 / floor:.0f}x",
                f"p50 <= {target} ms at 150 programmes" if target else "",
                None if target is None else (p50 <= target and not bad),
            )
        )
