"""Public pages."""

from __future__ import annotations

from html import escape

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, html

pages = Blueprint("pages")


@pages.get("/")
async def index(request: Request) -> HTTPResponse:
    settings = request.app.ctx.settings
    rest = escape(f"{settings.rasa_url}/webhooks/rest/webhook")
    return html(
        f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>British Academy assistant</title></head>
<body>
<h1>British Academy admissions assistant</h1>
<p>The assistant answers questions about healthcare management and medical
administration, recommends courses and takes enquiries.</p>
<h2>Where to chat</h2>
<ul>
<li>In a terminal: <code>make shell</code></li>
<li>Over HTTP, on this machine: <code>POST {rest}</code> with
<code>{{"sender": "me", "message": "What is healthcare management?"}}</code></li>
<li>Health of the three processes: <a href="/healthz">/healthz</a></li>
</ul>
</body></html>"""
    )
