"""One headless Chromium per session, Debian's own (`/usr/bin/chromium`, installed by
.ci/run when missing): Playwright drives it through `executable_path` and never downloads
a browser. Each person gets a context of their own (their own cookies), and a context
reaches nothing but this machine."""

import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, BrowserContext, Page, Route, async_playwright

from tests.pages.conftest import Site
from tests.pages.idp import IdpPerson

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent.parent / "artifacts"
LOCAL = ("127.0.0.1", "localhost")


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        missing = (
            "Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)"
        )
        # CI must run the browser tests; a developer's machine without chromium skips them.
        if os.environ.get("DIVERSION_REQUIRE_BROWSER") == "1":
            pytest.fail(missing)
        pytest.skip(missing)
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


async def _local_only(route: Route) -> None:
    # The test identity provider's page asks for a stylesheet on a CDN: nothing leaves here.
    if urlsplit(route.request.url).hostname in LOCAL:
        await route.continue_()
    else:
        await route.abort()


async def person_context(
    browser: Browser, site: Site, person: IdpPerson
) -> tuple[BrowserContext, Page]:
    """A browser of `person`'s own, signed in through the identity provider's page."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(20_000)
    await context.route("**/*", _local_only)
    page = await context.new_page()
    await page.goto(f"{site.url}/staff/")
    await page.get_by_role("link", name="Sign in with your organisation's account").click()
    await page.get_by_role("button", name=person.sub, exact=True).click()  # the provider's page
    await page.wait_for_url(f"{site.url}/**")
    return context, page


async def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path
