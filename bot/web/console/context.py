"""What the console's handlers share in one gateway process: the back office
(``bot.staff.back_office``: the database, the tracker store and the clock, which
tests may replace), the templates and the filter menus' cache.

Services are cheap objects made per use over the one engine, so each request
works with its own short transactions; handlers run them through
``bot.web.back_office.blocking``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from jinja2 import Environment
from sanic import Request

from bot.leads.views import FilterChoices
from bot.staff.back_office import BackOffice

FILTER_CHOICES_SECONDS = 60


@dataclass
class Console(BackOffice):
    templates: Environment | None = None
    # The filter menus' values change slowly; reading them on every list page would cost four scans.
    _choices: tuple[float, FilterChoices] | None = field(default=None, repr=False)

    @property
    def time_zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.staff_time_zone)

    def filter_choices(self) -> FilterChoices:
        """The values for the leads list's menus, re-read at most once a minute."""
        cached = self._choices
        if cached is None or time.monotonic() - cached[0] > FILTER_CHOICES_SECONDS:
            cached = (time.monotonic(), self.leads().filter_choices())
            self._choices = cached
        return cached[1]


def console_of(request: Request) -> Console:
    return request.app.ctx.console


def client_ip(request: Request) -> str:
    # remote_addr comes from X-Forwarded-For only when GATEWAY_PROXIES_COUNT trusts a proxy.
    return request.remote_addr or request.ip or "unknown"
