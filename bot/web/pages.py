"""Public pages: the demo course page with the widget, and the chat's privacy notice."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, html

TEMPLATES = Path(__file__).resolve().parent / "templates" / "pages"
# Each page extends templates/pages/base.html (head, skip link, site header).
_templates = Environment(
    loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined, trim_blocks=True
)

pages = Blueprint("pages")

WIDGET_TITLE = "British Academy assistant"
WIDGET_GREETING = (
    "Hello! I'm the British Academy's assistant. Ask me how healthcare management and medical "
    "administration differ, which course would suit you, or how to reach our admissions team."
)


def render(name: str, **values: str) -> str:
    """A template from templates/pages with every value HTML-escaped."""
    return _templates.get_template(name).render(**values)


@pages.get("/")
async def index(request: Request) -> HTTPResponse:
    settings = request.app.ctx.settings
    return html(
        render(
            "index.html",
            title=WIDGET_TITLE,
            greeting=WIDGET_GREETING,
            privacy_url=settings.privacy_notice_url,
            admissions_email=settings.admissions_email,
            idle_minutes=str(settings.widget_idle_minutes),
        )
    )


@pages.get("/privacy")
async def privacy(request: Request) -> HTTPResponse:
    settings = request.app.ctx.settings
    return html(
        render("privacy.html", version=settings.privacy_notice_version, admissions_email=settings.admissions_email)
    )
