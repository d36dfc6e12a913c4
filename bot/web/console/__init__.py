"""The admissions staff console under ``/console``: sign-in, the leads list and
detail, CSV export, personal-data requests, insights and the audit log.

``install_console(app, settings)`` gives the app its back office (database
engine, tracker store, clock: ``app.ctx.back_office``, the same object as the
console's ``app.ctx.console``) and templates, registers the console's blueprints, and (when a channel
is configured) runs the new-lead notification worker while the server runs,
and the retention purge on its schedule (``bot.staff.retention``).
"""

from __future__ import annotations

from datetime import timedelta

from sanic import Sanic

from bot.settings import Settings
from bot.staff.notifications import NotificationWorker
from bot.staff.retention import RetentionSchedule

# Importing the route modules attaches their routes to the blueprints.
from bot.web.console import api_tokens, audit_log, insights, lead_detail, lead_list, personal_data  # noqa: F401
from bot.web.console.assets import console_assets, load_console_assets
from bot.web.console.auth import console_login
from bot.web.console.blueprint import console
from bot.web.console.context import Console
from bot.web.console.templates import build_templates


def install_console(app: Sanic, settings: Settings) -> None:
    console_ = Console.from_settings(settings, templates=build_templates(settings.staff_time_zone))
    app.ctx.console = app.ctx.back_office = console_
    app.ctx.console_assets = load_console_assets()
    app.ctx.notification_worker = None

    if settings.notification_channels():

        @app.listener("after_server_start")
        async def start_notifications(app: Sanic, _loop) -> None:
            app.ctx.notification_worker = NotificationWorker(app.ctx.back_office)
            app.ctx.notification_worker.start()

        @app.listener("before_server_stop")
        async def stop_notifications(app: Sanic, _loop) -> None:
            if app.ctx.notification_worker is not None:
                await app.ctx.notification_worker.stop()

    app.ctx.retention_schedule = None
    if settings.retention_purge_hours:
        app.ctx.retention_schedule = RetentionSchedule(
            console_.leads(),
            console_.conversations,
            console_.audit(),
            settings.lead_retention_days,
            timedelta(hours=settings.retention_purge_hours),
            clock=console_.now,
        )

        @app.listener("after_server_start")
        async def start_retention_purge(app: Sanic, _loop) -> None:
            app.ctx.retention_schedule.start()

        @app.listener("before_server_stop")
        async def stop_retention_purge(app: Sanic, _loop) -> None:
            await app.ctx.retention_schedule.stop()

    @app.listener("after_server_stop")
    async def release_databases(app: Sanic, _loop) -> None:
        app.ctx.back_office.close()

    app.blueprint(console_assets)
    app.blueprint(console_login)
    app.blueprint(console)
