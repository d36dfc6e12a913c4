"""Browser tests: Python Playwright driving Debian's Chromium against the real
gateway (``python -m bot serve`` in a subprocess) and a fake Rasa.

Chromium: ``apt-get install -y chromium`` (``playwright install`` cannot
download browsers here). Without it these tests skip, unless
BOT_REQUIRE_SERVICES=1 (CI), where they fail instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.browser.fake_rasa import FakeRasa
from tests.browser.gateway_process import GatewayDidNotStart, free_port, gateway_env, start_gateway, stop_gateway

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    reason = f"{CHROMIUM} not found: install it with `apt-get update && apt-get install -y chromium`"
    if Settings.from_env().require_services:
        pytest.fail(f"{reason} (BOT_REQUIRE_SERVICES=1: browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def fake_rasa() -> Iterator[FakeRasa]:
    rasa = FakeRasa(slow_seconds=1.5).start()
    yield rasa
    rasa.stop()


@contextmanager
def running_gateway(rasa_url: str, var_dir: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """The real gateway process (``python -m bot serve``) pointed at ``rasa_url``."""
    env = gateway_env(
        var_dir,
        free_port(),
        RASA_URL=rasa_url,
        ACTION_SERVER_URL=rasa_url,
        # Every browser test talks from 127.0.0.1: keep the per-IP limit out of the way.
        GATEWAY_IP_BURST="1000",
        **(extra_env or {}),
    )
    try:
        url, process = start_gateway(env, var_dir)
    except GatewayDidNotStart as error:
        pytest.fail(str(error))
    try:
        yield url
    finally:
        stop_gateway(process)


@pytest.fixture(scope="session")
def gateway(chromium, fake_rasa, tmp_path_factory) -> Iterator[str]:  # noqa: ARG001 - chromium: skip early
    """The real gateway process, pointed at the fake Rasa."""
    with running_gateway(fake_rasa.url, tmp_path_factory.mktemp("gateway-var")) as url:
        yield url


# Package scope, not session: Playwright's sync API keeps an event loop running until it is
# closed, and Sanic's test client (tests/web/test_gateway*.py, run after this folder) cannot start
# its own loop while that one is alive.
@pytest.fixture(scope="package")
def browser(chromium):
    from playwright.sync_api import expect, sync_playwright

    # Retries back off for a few seconds; give expectations room (this bounds waiting, it
    # is not a speed requirement).
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, gateway, fake_rasa):
    fake_rasa.reset()
    context = browser.new_context(base_url=gateway)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.dialogs = []  # any alert() would land here
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
