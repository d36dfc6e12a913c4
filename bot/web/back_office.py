"""What the gateway's back-office routes share, the console's and the leads API's alike: the one
``BackOffice`` of this gateway process, and running its blocking database work off the event loop.

``install_console`` puts the office on ``app.ctx.back_office``. Database calls
block: handlers run them through ``blocking`` so the event loop keeps serving
visitors' chats.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sanic import Request

from bot.staff.back_office import BackOffice

Result = TypeVar("Result")


def back_office_of(request: Request) -> BackOffice:
    return request.app.ctx.back_office


async def blocking(function: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
    """Run database work in a thread, off the event loop."""
    return await asyncio.to_thread(function, *args, **kwargs)
