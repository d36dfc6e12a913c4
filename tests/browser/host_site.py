"""A host site that embeds the widget from another origin (a ThreadedServer), and where
browser tests save their screenshots."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from tests.browser.threaded_server import ThreadedServer


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
