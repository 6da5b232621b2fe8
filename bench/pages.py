"""Bench: the staff inbox page against the API's inbox, over 1,000 open cases.

One Temporal dev server, one worker in its own process (as bench/http_api.py: its
harness and worker), the real app served by uvicorn on a free port. `--cases` cases are
started into one jurisdiction, each with an open screening task for the coordinator;
once visibility counts them all, one coordinator (signed in to the pages with the dev
identity picker, and holding a dev token with the same subject) reads the first page of
their inbox both ways, alternately: `GET /staff/` (the HTML page: the same inbox read,
counts by stage, the template) and `GET /v1/tasks?limit=25` (JSON), `--requests` each,
after one untimed request each. Times are taken at the client on loopback.

    .venv/bin/python bench/pages.py [--cases 1000] [--requests 60]

Ends with `bench inbox_page: p95 <ms>` (target <= 200) and
`bench inbox_page: ratio <api p95/page p95>` (target >= 0.7).
"""

import argparse
import asyncio
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.jurisdictions is not an installed package

import httpx
import uvicorn
from http_api_parts.harness import Bench, BenchFailure
from http_api_parts.inbox import INBOX_HOME, fill_inbox
from http_api_parts.timing import ms, percentile
from http_api_parts.worker import worker_for

from api.app import create_app
from api.dev_tokens import dev_token
from api.pages.settings import PagesSettings
from diversion.dev_server import dev_server, free_port, scratch_dir
from diversion.settings import Settings
from diversion.temporal_client import connect
from domain.enums import Role
from tests.jurisdictions import two_jurisdictions_file

TARGET_P95_MS = 200.0
TARGET_RATIO = 0.7
CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')
ROW = re.compile(r"<tr class=")


async def sign_in_as_coordinator(http: httpx.AsyncClient, url: str) -> None:
    """Sign this browser-like client in as the demo coordinator through the dev picker."""
    picker = await http.get("/auth/sign-in")
    found = CSRF.search(picker.text)
    if found is None:
        raise BenchFailure("the sign-in page offers no demo identity (dev mode?)")
    answer = await http.post(
        "/auth/dev",
        data={"identity": "dev-coordinator", "csrftoken": found.group(1), "next": "/staff/"},
        headers={"Origin": url},
    )
    if answer.status_code != 303:
        raise BenchFailure(f"dev sign-in: {answer.status_code} {answer.text[:200]}")


async def timed(http: httpx.AsyncClient, path: str, **kwargs: object) -> tuple[float, str]:
    started = time.perf_counter()
    response = await http.get(path, **kwargs)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise BenchFailure(f"GET {path}: {response.status_code} {response.text[:200]}")
    return seconds, response.text


async def compare(url: str, settings: Settings, requests: int) -> tuple[list[float], list[float]]:
    token = dev_token(settings, Role.COORDINATOR, [INBOX_HOME], subject="dev-coordinator")
    api_headers = {"Authorization": f"Bearer {token}"}
    limit = {"limit": 25}
    page_times: list[float] = []
    api_times: list[float] = []
    async with (
        httpx.AsyncClient(base_url=url, timeout=60.0) as pages,
        httpx.AsyncClient(base_url=url, timeout=60.0) as api,
    ):
        await sign_in_as_coordinator(pages, url)
        _, html = await timed(pages, "/staff/")  # untimed: warms caches both ways
        await timed(api, "/v1/tasks", params=limit, headers=api_headers)
        if len(ROW.findall(html)) != 25:
            raise BenchFailure("the inbox page does not list a full page of 25 tasks")
        for n in range(requests):
            # Alternate which goes first, so neither always follows the other.
            order = ("page", "api") if n % 2 == 0 else ("api", "page")
            for which in order:
                if which == "page":
                    seconds, _ = await timed(pages, "/staff/")
                    page_times.append(seconds)
                else:
                    seconds, _ = await timed(api, "/v1/tasks", params=limit, headers=api_headers)
                    api_times.append(seconds)
    return page_times, api_times


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-pages-", dir=scratch_dir()) as tmp:
        data = Path(tmp)
        settings = Settings(
            data_dir=data,
            temporal_address=f"127.0.0.1:{free_port()}",
            jurisdictions_file=two_jurisdictions_file(data),
        )
        async with dev_server(settings, headless=True):
            client = await connect(settings)
            async with worker_for(client, settings, "process"):
                app = create_app(settings, client=client, pages=PagesSettings())
                async with app.router.lifespan_context(app):
                    port = free_port()
                    config = uvicorn.Config(
                        app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
                    )
                    server = uvicorn.Server(config)
                    serving = asyncio.create_task(server.serve())
                    while not server.started:
                        if serving.done():
                            serving.result()
                            raise BenchFailure("uvicorn stopped while starting")
                        await asyncio.sleep(0.01)
                    url = f"http://127.0.0.1:{port}"
                    try:
                        async with httpx.AsyncClient(base_url=url, timeout=120.0) as http:
                            await fill_inbox(Bench(settings, client, http), args.cases)
                        page_times, api_times = await compare(url, settings, args.requests)
                    finally:
                        server.should_exit = True
                        await serving
    page_p95, api_p95 = percentile(page_times, 95), percentile(api_times, 95)
    print(f"\ninbox over {args.cases} open cases, first page of 25, {args.requests} requests each")
    print(f"  GET /staff/ (page)     p50 {ms(percentile(page_times, 50))}  p95 {ms(page_p95)}")
    print(f"  GET /v1/tasks (API)    p50 {ms(percentile(api_times, 50))}  p95 {ms(api_p95)}")
    print(f"bench inbox_page: p95 {page_p95 * 1000:.1f}  (target <= {TARGET_P95_MS:.0f} ms)")
    print(f"bench inbox_page: ratio {api_p95 / page_p95:.2f}  (target >= {TARGET_RATIO})")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="open cases (default 1000)")
    parser.add_argument("--requests", type=int, default=60, help="timed requests each way")
    args = parser.parse_args()
    if args.cases < 25 or args.requests < 2:
        parser.error("--cases: at least 25 (a full page); --requests: at least 2")
    started = time.monotonic()
    try:
        asyncio.run(run(args))
    except BenchFailure as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"\nwall time {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
