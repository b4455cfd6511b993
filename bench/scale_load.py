"""Pages under load: gunicorn as deployed (3 workers, production settings), 20 concurrent clients
for --load-seconds driven by wrk, signed in with a session cookie from a real sign-in (the form
and its CSRF token, over http.client). The floor: /healthz under the same load (no database)."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

from scale_db import ROOT, environment
from scale_setup import csrf_token, login_form
from scale_table import Row, Table

CLIENTS, WORKERS = 20, 3
WRK = "/usr/bin/wrk"
# wrk's summary as one JSON line: requests, seconds, latency percentiles (microseconds), errors
# (connect, read, write and timeouts, and answers other than 2xx/3xx).
REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    def __init__(self, url: str, log: Path):
        self.port = free_port()
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(WORKERS), "--bind",
             f"127.0.0.1:{self.port}", "app:app"],
            cwd=ROOT, env=environment(url), stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz").status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer /healthz; see {self.log.name}")

    def get(self, path: str, cookie: str = "") -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response

    def sign_in(self) -> str:
        """The session cookie of the benchmark user, signed in through the form."""
        page = self.get("/login")
        cookie = _cookies(page)
        body = urllib.parse.urlencode(login_form(csrf_token(page.body.decode())))
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request(
            "POST", "/login", body, {"Cookie": cookie,
                                     "Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status != 302:
            raise SystemExit(f"Signing in to gunicorn answered {response.status}.")
        return _cookies(response)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def _cookies(response: http.client.HTTPResponse) -> str:
    pairs = [header.split(";", 1)[0] for header in response.headers.get_all("Set-Cookie") or []]
    return "; ".join(pairs)


def drive(port: int, path: str, cookie: str, seconds: int, script: Path) -> dict:
    """wrk: 2 threads (the machine's cores), CLIENTS connections, for `seconds`."""
    command = [WRK, "-t2", f"-c{CLIENTS}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["rate"] = report["requests"] / report["seconds"]
    return report


def measure(url: str, paths: dict[str, str], seconds: int, table: Table) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "report.lua"
        script.write_text(REPORT)
        server = Gunicorn(url, Path(tmp) / "gunicorn.log")
        try:
            cookie = server.sign_in()
            floor = drive(server.port, "/healthz", "", min(seconds, 10), script)
            for name in ("board", "locality readiness"):
                # A wrong cookie would be answered by a fast redirect to sign in: check first.
                status = server.get(paths[name], cookie).status
                if status != 200:
                    raise SystemExit(f"gunicorn answered {status} for {paths[name]}.")
                # Workers warmed up (templates compiled, connections open), untimed, one
                # request at a time: a burst would leave a queue behind for the timed run.
                for _ in range(2 * WORKERS):
                    server.get(paths[name], cookie)
                found = drive(server.port, paths[name], cookie, seconds, script)
                table.add(_row(name, found, floor, seconds))
        finally:
            server.stop()


def _row(name: str, found: dict, floor: dict, seconds: int) -> Row:
    rate, errors = found["rate"], found["errors"]
    target = "zero errors" + (", >= 20 req/s" if name == "board" else "")
    met = errors == 0 and found["requests"] > 0 and (rate >= 20 if name == "board" else True)
    return Row(
        f"page {name} under load (gunicorn {WORKERS} workers, {CLIENTS} clients, {seconds} s)",
        f"{rate:.1f} req/s, {found['p50'] / 1000:.0f} / {found['p95'] / 1000:.0f} ms, "
        f"{errors} errors",
        f"/healthz {floor['rate']:.0f} req/s",
        f"{floor['rate'] / rate:.0f}x fewer" if rate else "",
        target,
        met,
    )
