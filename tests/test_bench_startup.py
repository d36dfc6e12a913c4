"""bench/startup.py: what counts as the first answer, and free ports."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.startup import first_reply
from bot.runtime.stack import StackError
from tests.browser.gateway_process import free_ports


class WarmingUpRasa(BaseHTTPRequestHandler):
    """Answers the REST channel with no text for its first two messages, then with a greeting."""

    replies = [[], [{"recipient_id": "x"}], [{"recipient_id": "x", "text": "Hello!"}]]
    messages: list[str] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        reply = self.replies[min(len(self.messages), len(self.replies) - 1)]
        self.messages.append(body["message"])
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def rasa_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), WarmingUpRasa)
    WarmingUpRasa.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/webhooks/rest/webhook"
    server.shutdown()
    server.server_close()


def test_the_first_answer_is_the_first_reply_with_text(rasa_url):
    reply = first_reply(rasa_url, "hello", time.monotonic() + 60)
    assert reply == [{"recipient_id": "x", "text": "Hello!"}]
    assert WarmingUpRasa.messages == ["hello", "hello", "hello"]  # asked again until the text came


def test_no_answer_before_the_deadline_is_an_error():
    (port,) = free_ports(1)  # nothing listens there
    with pytest.raises(StackError, match="no answer from"):
        first_reply(f"http://127.0.0.1:{port}/webhooks/rest/webhook", "hello", time.monotonic())


def test_free_ports_are_distinct():
    ports = free_ports(5)
    assert len(set(ports)) == 5
