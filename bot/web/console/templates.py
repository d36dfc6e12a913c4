"""Rendering the console's pages with Jinja2, autoescaping everything.

Visitor-typed text (names, messages, transcripts) reaches staff through these
templates only, and ``|safe`` is never applied to it: a visitor who types
``<script>`` sees it shown as text to admissions, never run.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sanic import Request
from sanic.response import HTTPResponse, html

from bot.leads.models import STATUSES
from bot.leads.transcript_turns import turn_speaker, turn_text

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates" / "console"
STATUS_LABELS = {
    "new": "New",
    "contacted": "Contacted",
    "qualified": "Qualified",
    "enrolled": "Enrolled",
    "closed": "Closed",
}
CONSOLE_HEADERS = {
    # Personal data: never kept by the browser or a proxy, never framed, never indexed.
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
}


def build_templates(time_zone: str) -> Environment:
    zone = ZoneInfo(time_zone)
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def when(moment: datetime | None, pattern: str = "%d %b %Y %H:%M") -> str:
        return moment.astimezone(zone).strftime(pattern) if moment else ""

    def when_iso(text: str | None) -> str:
        """A transcript's ISO timestamp as local hours and minutes."""
        try:
            return when(datetime.fromisoformat((text or "").replace("Z", "+00:00")), "%d %b %H:%M")
        except ValueError:
            return ""

    environment.filters["when"] = when
    environment.filters["when_iso"] = when_iso
    environment.filters["status_label"] = lambda status: STATUS_LABELS.get(status, status)
    environment.filters["turn_text"] = turn_text  # a button click as its title, not its payload
    environment.filters["turn_speaker"] = turn_speaker  # "Sam (admissions)" for a staff reply
    environment.globals["STATUSES"] = STATUSES
    environment.globals["STATUS_LABELS"] = STATUS_LABELS
    environment.globals["time_zone"] = time_zone
    environment.globals["urlencode"] = lambda pairs: urlencode([(k, v) for k, v in pairs if v not in (None, "")])
    return environment


def render(
    request: Request, name: str, status: int = 200, headers: dict[str, str] | None = None, **values: Any
) -> HTTPResponse:
    """A console page; the signed-in member and their CSRF token are always available to the template."""
    signed_in = getattr(request.ctx, "staff", None)
    context = {
        "staff": signed_in.member if signed_in else None,
        "csrf_token": signed_in.csrf_token if signed_in else "",
        "current_path": request.path,
        **values,
    }
    page = request.app.ctx.console.templates.get_template(name).render(**context)
    return html(page, status=status, headers={**CONSOLE_HEADERS, **(headers or {})})
