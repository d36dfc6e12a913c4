"""A job the gateway runs in the background while it serves: started after the server starts,
stopped (cancelled, and waited for) before it stops. ``NotificationWorker`` and
``RetentionSchedule`` are the two; each gives its loop as ``_run``."""

from __future__ import annotations

import asyncio


class BackgroundJob:
    task_name = "background-job"

    def __init__(self) -> None:
        self._task: asyncio.Task | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name=self.task_name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        raise NotImplementedError
