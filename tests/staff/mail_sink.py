"""A tiny SMTP server for tests (asyncio, in a thread): accepts mail and keeps it, or refuses on request.

Speaks just enough ESMTP for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from email.message import EmailMessage


class MailSink:
    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refuse_next = 0  # answer this many MAIL commands with 451
        self.hold = threading.Event()  # set() to let a greeting through when hold_greeting is on
        self.hold_greeting = False
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def received(self) -> list[EmailMessage]:
        with self._lock:
            return list(self.messages)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def reply(line: str) -> None:
            writer.write((line + "\r\n").encode())
            await writer.drain()

        if self.hold_greeting:
            await asyncio.get_running_loop().run_in_executor(None, self.hold.wait)
        await reply("220 sink ESMTP test")
        try:
            while True:
                line = (await reader.readline()).decode(errors="replace").rstrip("\r\n")
                if not line:
                    return
                verb = line.split(" ", 1)[0].upper()
                if verb == "EHLO":
                    await reply("250-sink")
                    await reply("250 SIZE 1000000")
                elif verb == "HELO":
                    await reply("250 sink")
                elif verb == "MAIL":
                    if self.refuse_next:
                        self.refuse_next -= 1
                        await reply("451 4.3.0 try again later")
                    else:
                        await reply("250 OK")
                elif verb in ("RCPT", "RSET", "NOOP"):
                    await reply("250 OK")
                elif verb == "DATA":
                    await reply("354 go ahead")
                    lines = []
                    while (data := await reader.readline()) not in (b".\r\n", b""):
                        lines.append(data[1:] if data.startswith(b"..") else data)
                    message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                    with self._lock:
                        self.messages.append(message)
                    await reply("250 OK queued")
                elif verb == "QUIT":
                    await reply("221 bye")
                    return
                else:
                    await reply("502 not implemented")
        finally:
            writer.close()

    def start(self) -> MailSink:
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            self._server = self._loop.run_until_complete(asyncio.start_server(self._session, "127.0.0.1", 0))
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()
            self._loop.close()

        self._thread = threading.Thread(target=serve, name="mail-sink", daemon=True)
        self._thread.start()
        assert ready.wait(5), "the mail sink did not start"
        return self

    def stop(self) -> None:
        self.hold.set()

        async def close() -> None:
            self._server.close()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
