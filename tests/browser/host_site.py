"""Small web servers on free localhost ports for the browser tests: a host site that
embeds the widget from another origin, and (tests/browser/fake_gateway.py) a fake
gateway. Each runs its own event loop in a thread."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from aiohttp import web


class ThreadedServer:
    """An aiohttp application on 127.0.0.1:<free port>, served from a thread."""

    def __init__(self) -> None:
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    def start(self):
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            app = web.Application()
            self.routes(app)
            self._runner = web.AppRunner(app, access_log=None)
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0, shutdown_timeout=0.5)
            self._loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()
            self._loop.close()

        self._thread = threading.Thread(target=serve, name=type(self).__name__, daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"{type(self).__name__} did not start")
        return self

    def call(self, function, *args) -> None:
        """Run ``function(*args)`` on the server's loop (it owns the server's state)."""
        self._loop.call_soon_threadsafe(function, *args)

    async def _shutdown(self) -> None:
        await self._runner.cleanup()
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def stop(self) -> None:
        if self._loop and self._thread:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)


def host_page(widget_src: str, title: str = "Partner site", font_size: str = "16px", extra: str = "") -> str:
    """A page of another site that embeds the widget with one script tag."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>html {{ font-size: {font_size}; }} body {{ font-family: serif; margin: 0; padding: 20px; }}</style>
</head><body>
<h1>{title}</h1>
<p>A page of a partner site with the British Academy assistant in its corner.</p>
{extra}
<script src="{widget_src}" defer data-title="Academy assistant"></script>
</body></html>"""


class HostSite(ThreadedServer):
    """Serves fixed HTML pages by path: the site that embeds the widget."""

    def __init__(self, pages: dict[str, str]) -> None:
        super().__init__()
        self.pages = pages

    def routes(self, app: web.Application) -> None:
        async def page(request: web.Request) -> web.Response:
            html = self.pages.get(request.path)
            if html is None:
                raise web.HTTPNotFound()
            return web.Response(text=html, content_type="text/html")

        app.router.add_get("/{tail:.*}", page)


SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "results" / "screenshots"


def screenshot_path(name: str) -> str:
    """Where a test run saves a screenshot (results/screenshots/, kept out of git)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return str(SCREENSHOT_DIR / name)
